import Core
import Foundation
import Storage

/// CSV imports in Mastodon's formats (what `ExportProcessor` writes, and Mastodon and GoToSocial too):
/// the whole file is checked when uploaded, so a damaged one is refused with its line and nothing is
/// stored; then a job applies it row by row, recording progress, and a row that cannot be applied (an
/// account that no longer exists) is counted as failed without stopping the rest.
package struct ImportProcessor: Sendable {
    let context: ProcessingContext

    init(_ context: ProcessingContext) {
        self.context = context
    }

    /// The largest file accepted, in bytes.
    package static let maxBytes = 2 * 1024 * 1024
    /// The most rows one file may hold (Mastodon's limit for follows is lower).
    package static let maxRows = 20_000
    /// Rows applied between two progress records.
    static let chunk = 25
    /// How many failures are kept to show.
    static let keptFailures = 50

    /// Checks `data` as a `kind` file and queues its import; answers it as stored.
    package func start(_ kind: DataImport.Kind, mode: DataImport.Mode, data: Data, by accountID: Account.ID)
        async throws -> DataImport
    {
        guard data.count <= Self.maxBytes else {
            throw DomainError.validation("The file is larger than \(Self.maxBytes / 1024 / 1024) MB")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DomainError.validation("The file is not UTF-8 text")
        }
        let rows = try self.check(kind, text)
        let value = DataImport(
            id: self.context.ids.next(),
            accountID: accountID,
            kind: kind,
            mode: mode,
            rows: rows,
            createdAt: self.context.clock.now()
        )
        try await self.context.db.transaction { session in
            try await session.insertImport(value)
            try await session.enqueue(.runImport(id: value.id.rawValue), id: self.context.ids.next())
        }
        return value
    }

    /// A person's recent imports with their progress, newest first.
    package func imports(of accountID: Account.ID) async throws -> [DataImport] {
        try await self.context.db.read { try await $0.dataImports(of: accountID) }
    }

    // MARK: Checking a file

    /// The rows of a `kind` file, without its header, each in its full form (missing optional columns
    /// filled in). Throws a validation error naming the first bad line.
    func check(_ kind: DataImport.Kind, _ text: String) throws -> [[String]] {
        let parsed: [(line: Int, fields: [String])]
        do {
            parsed = try CSV.parse(text)
        } catch {
            throw Self.invalid(error.line, "\(error.reason)")
        }
        var rows: [[String]] = []
        for (index, row) in parsed.enumerated() {
            let fields = row.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            if index == 0, [.following, .blocks, .mutes].contains(kind),
                fields.first?.lowercased() == "account address"
            {
                continue
            }
            rows.append(try Self.checkRow(kind, fields, line: row.line))
        }
        guard !rows.isEmpty else { throw DomainError.validation("The file has no rows to import") }
        guard rows.count <= Self.maxRows else {
            throw DomainError.validation("The file has \(rows.count) rows; at most \(Self.maxRows) are accepted")
        }
        return rows
    }

    static func checkRow(_ kind: DataImport.Kind, _ fields: [String], line: Int) throws -> [String] {
        func count(_ range: ClosedRange<Int>) throws {
            guard range.contains(fields.count) else {
                let expected = range.count == 1 ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
                throw Self.invalid(line, "expected \(expected) columns, found \(fields.count)")
            }
        }
        func bool(_ index: Int, default value: Bool) throws -> String {
            guard index < fields.count, !fields[index].isEmpty else { return String(value) }
            switch fields[index].lowercased() {
            case "true", "yes", "1": return "true"
            case "false", "no", "0": return "false"
            default: throw Self.invalid(line, "“\(fields[index])” is not true or false")
            }
        }
        switch kind {
        case .following:
            try count(1...4)
            let languages = fields.count > 3 ? fields[3] : ""
            let codes = languages.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard codes.allSatisfy(StatusProcessor.isLanguageCode) else {
                throw Self.invalid(line, "“\(languages)” is not a list of language codes")
            }
            return [
                try Self.acct(fields[0], line: line), try bool(1, default: true), try bool(2, default: false),
                codes.joined(separator: ","),
            ]
        case .blocks:
            try count(1...1)
            return [try Self.acct(fields[0], line: line)]
        case .mutes:
            try count(1...2)
            return [try Self.acct(fields[0], line: line), try bool(1, default: true)]
        case .lists:
            try count(2...2)
            guard !fields[0].isEmpty, fields[0].count <= 100 else {
                throw Self.invalid(line, "a list title must have 1 to 100 characters")
            }
            return [fields[0], try Self.acct(fields[1], line: line)]
        case .domainBlocks:
            try count(1...1)
            let domain = fields[0].lowercased()
            guard Validation.isPlausibleHost(domain) else {
                throw Self.invalid(line, "“\(fields[0].prefix(80))” is not a domain name")
            }
            return [domain]
        case .bookmarks:
            try count(1...1)
            guard let url = URL(string: fields[0]), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
                url.host != nil, fields[0].count <= 2048
            else { throw Self.invalid(line, "“\(fields[0].prefix(80))” is not a post's address") }
            return [fields[0]]
        }
    }

    /// `user@host` (or a local `user`), without a leading `@`.
    static func acct(_ text: String, line: Int) throws -> String {
        let handle = text.hasPrefix("@") ? String(text.dropFirst()) : text
        let parts = handle.split(separator: "@", omittingEmptySubsequences: false)
        let userOK =
            !(parts.first ?? "").isEmpty && parts[0].count <= 64
            && parts[0].unicodeScalars.allSatisfy {
                CharacterSet.alphanumerics.contains($0) || "_.-".unicodeScalars.contains($0)
            }
        guard (1...2).contains(parts.count), userOK, parts.count == 1 || Validation.isPlausibleHost(String(parts[1]))
        else { throw Self.invalid(line, "“\(text.prefix(80))” is not an account address (user@example.org)") }
        return handle
    }

    static func invalid(_ line: Int, _ reason: String) -> DomainError {
        DomainError.validation(
            "Line \(line): \(reason)",
            details: ["data": [.init("ERR_INVALID", "line \(line): \(reason)")]]
        )
    }
}
