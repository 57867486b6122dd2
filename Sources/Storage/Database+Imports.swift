import Core
import Foundation
import SQLKit

/// An `imports` row as stored.
struct DataImportRow: Decodable {
    var id: Int64
    var accountId: Int64
    var kind: String
    var mode: String
    var state: String
    var rows: String
    var totalItems: Int
    var processedItems: Int
    var importedItems: Int
    var failedItems: Int
    var failures: String
    var createdAt: Int64
    var finishedAt: Int64?

    enum CodingKeys: String, CodingKey {
        case id, kind, mode, state, rows, failures
        case accountId = "account_id"
        case totalItems = "total_items"
        case processedItems = "processed_items"
        case importedItems = "imported_items"
        case failedItems = "failed_items"
        case createdAt = "created_at"
        case finishedAt = "finished_at"
    }

    func dataImport() throws -> DataImport? {
        guard let kind = DataImport.Kind(rawValue: self.kind), let mode = DataImport.Mode(rawValue: self.mode),
            let state = DataImport.State(rawValue: self.state)
        else { return nil }
        var value = DataImport(
            id: DataImport.ID(self.id),
            accountID: Account.ID(self.accountId),
            kind: kind,
            mode: mode,
            rows: try JSONDecoder().decode([[String]].self, from: Data(self.rows.utf8)),
            createdAt: Date(millisecondsSince1970: self.createdAt)
        )
        value.state = state
        value.total = self.totalItems
        value.processed = self.processedItems
        value.imported = self.importedItems
        value.failed = self.failedItems
        value.failures = (try? JSONDecoder().decode([String].self, from: Data(self.failures.utf8))) ?? []
        value.finishedAt = self.finishedAt.map(Date.init(millisecondsSince1970:))
        return value
    }
}

extension DBSession {
    /// Stores a new import (scheduled, nothing processed).
    package func insertImport(_ value: DataImport) async throws {
        let rows = String(decoding: try JSONEncoder().encode(value.rows), as: UTF8.self)
        try await self.sql.raw(
            """
            INSERT INTO imports (id, account_id, kind, mode, state, rows, total_items, created_at)
            VALUES (\(bind: value.id.rawValue), \(bind: value.accountID.rawValue), \(bind: value.kind.rawValue),
                \(bind: value.mode.rawValue), \(bind: value.state.rawValue), \(bind: rows), \(bind: value.rows.count),
                \(bind: value.createdAt.millisecondsSince1970))
            """
        ).run()
    }

    /// The import with this id.
    package func dataImport(id: DataImport.ID) async throws -> DataImport? {
        try await self.sql.raw("SELECT * FROM imports WHERE id = \(bind: id.rawValue)").first()?
            .decode(model: DataImportRow.self).dataImport()
    }

    /// An account's imports, newest first, without their rows (for the progress list).
    package func dataImports(of account: Account.ID, limit: Int = 20) async throws -> [DataImport] {
        try await self.sql.raw(
            """
            SELECT id, account_id, kind, mode, state, '[]' AS rows, total_items, processed_items, imported_items, failed_items,
                failures, created_at, finished_at
            FROM imports WHERE account_id = \(bind: account.rawValue) ORDER BY id DESC LIMIT \(bind: limit)
            """
        ).all().compactMap { try $0.decode(model: DataImportRow.self).dataImport() }
    }

    /// Records progress (and, when `finished`, the end). The rows stay for a job that restarts midway.
    package func updateImportProgress(_ value: DataImport) async throws {
        let failures = String(decoding: try JSONEncoder().encode(value.failures), as: UTF8.self)
        try await self.sql.raw(
            """
            UPDATE imports SET state = \(bind: value.state.rawValue), processed_items = \(bind: value.processed),
                imported_items = \(bind: value.imported), failed_items = \(bind: value.failed),
                failures = \(bind: failures), finished_at = \(bind: value.finishedAt?.millisecondsSince1970)
            WHERE id = \(bind: value.id.rawValue)
            """
        ).run()
    }
}
