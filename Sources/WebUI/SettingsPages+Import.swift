import Core
import Foundation
import HTTPCommon
import Hummingbird
import Processing

/// `/settings/import`: upload one of Mastodon's CSV files (follows, blocks, mutes, lists, bookmarks) to
/// merge with or overwrite what the account has; the page shows each import's progress.
extension SettingsPages {
    func addImportRoutes(pages: RouterGroup<AppRequestContext>, limited: RouterGroup<AppRequestContext>) {
        pages.get("settings/import", use: self.showImport)
        limited.post("settings/import", use: self.startImport)
        limited.post("settings/import/archive", use: self.importArchive)
    }

    /// Posts from an archive are imported at once (their pictures are processed by jobs afterwards).
    @Sendable func importArchive(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context: context, limit: ImportProcessor.maxArchiveBytes + 64 * 1024) {
            user,
            form in
            let result: ImportProcessor.ArchiveResult
            do {
                guard let file = form.file("archive"), !file.data.isEmpty else {
                    throw DomainError.validation("Choose an archive (.zip) to import")
                }
                result = try await self.processor.imports.importArchive(Data(file.data), by: user.accountID)
            } catch let error as DomainError {
                return try await self.importPage(user, csrf: form.csrf, error: error)
            }
            return Response.redirect(
                to: "/settings/import?posts=\(result.posts)&pictures=\(result.media)&skipped=\(result.skipped)",
                type: .normal
            )
        }
    }

    @Sendable func showImport(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.page(request) { user, csrf in
            let query = request.uri.queryParameters
            var notice: String?
            if query.get("started") != nil {
                notice = "The file is checked and its import has started; this page shows its progress."
            } else if let posts = query.get("posts").flatMap({ Int($0) }) {
                let pictures = query.get("pictures").flatMap { Int($0) } ?? 0
                let skipped = query.get("skipped").flatMap { Int($0) } ?? 0
                notice =
                    "Imported \(posts) posts and \(pictures) pictures from the archive"
                    + (skipped > 0 ? " (\(skipped) boosts and other activities left out)." : ".")
            }
            return try await self.importPage(user, csrf: csrf, notice: notice)
        }
    }

    @Sendable func startImport(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context: context, limit: ImportProcessor.maxBytes + 64 * 1024) { user, form in
            do {
                guard let kind = DataImport.Kind(rawValue: try form.string("type") ?? "") else {
                    throw DomainError.validation("Choose what the file holds")
                }
                guard let mode = DataImport.Mode(rawValue: try form.string("mode") ?? "merge") else {
                    throw DomainError.validation("Choose merge or overwrite")
                }
                guard let file = form.file("data"), !file.data.isEmpty else {
                    throw DomainError.validation("Choose a CSV file to import")
                }
                _ = try await self.processor.imports.start(kind, mode: mode, data: Data(file.data), by: user.accountID)
            } catch let error as DomainError {
                return try await self.importPage(user, csrf: form.csrf, error: error)
            }
            return Response.redirect(to: "/settings/import?started=1", type: .normal)
        }
    }

    private func importPage(_ user: User, csrf: String, notice: String? = nil, error: DomainError? = nil)
        async throws -> Response
    {
        let style = Date.FormatStyle(date: .abbreviated, time: .shortened, timeZone: .gmt)
        let imports = try await self.processor.imports.imports(of: user.accountID)
        var values: [String: Any] = [
            "csrf": csrf,
            "section": ["import": true],
            "kinds": DataImport.Kind.allCases.map { ["value": $0.rawValue, "label": Self.importLabel($0)] },
            "imports": imports.map { entry -> [String: Any] in
                [
                    "what": Self.importLabel(entry.kind), "mode": entry.mode.rawValue,
                    "when": entry.createdAt.formatted(style),
                    "state": entry.state == .finished ? "finished" : entry.state == .running ? "running" : "waiting",
                    "processed": entry.processed, "total": entry.total,
                    "imported": entry.imported, "failed": entry.failed, "failures": entry.failures,
                    "hasFailures": !entry.failures.isEmpty,
                ]
            },
            "hasImports": !imports.isEmpty,
            "maxRows": ImportProcessor.maxRows,
        ]
        if let notice { values["notice"] = notice }
        var status = HTTPResponse.Status.ok
        if let error {
            values.merge(AccountPages.errorValues(error)) { _, new in new }
            status = .unprocessableContent
        }
        return self.renderer.page("settings_import", title: "Import data", status: status, values)
    }

    private static func importLabel(_ kind: DataImport.Kind) -> String {
        switch kind {
        case .following: "Accounts to follow"
        case .blocks: "Accounts to block"
        case .mutes: "Accounts to mute"
        case .domainBlocks: "Domains to block"
        case .lists: "Lists"
        case .bookmarks: "Bookmarks"
        }
    }
}
