import Core
import Foundation
import SQLKit

extension DBSession {
    /// The account's filters with their keywords and statuses; only unexpired ones when `activeOnly`.
    package func filters(of account: Account.ID, activeOnly: Bool) async throws -> [ContentFilter] {
        var query = Statement("SELECT id, title, contexts, action, expires_at FROM filters WHERE account_id = ")
        query.appendInterpolation(bind: account.rawValue)
        if activeOnly {
            query.appendLiteral(" AND (expires_at IS NULL OR expires_at > ")
            query.appendInterpolation(bind: self.nowMillis)
            query.appendLiteral(")")
        }
        query.appendLiteral(" ORDER BY id")
        // Read by position: every timeline page of a signed-in viewer asks, and most have no filters.
        var filters = try await self.rows(query) { row -> ContentFilter in
            ContentFilter(
                id: ContentFilter.ID(try row.int64(0)),
                accountID: account,
                title: try row.string(1),
                contexts: try row.string(2).split(separator: ",").compactMap {
                    ContentFilter.Context(rawValue: String($0))
                },
                action: ContentFilter.Action(rawValue: try row.string(3)) ?? .warn,
                expiresAt: try row.optionalInt64(4).map(Date.init(millisecondsSince1970:))
            )
        }
        guard !filters.isEmpty else { return [] }
        let ids = filters.map(\.id.rawValue)
        let keywordRows = try await self.sql.raw(
            "SELECT * FROM filter_keywords WHERE filter_id IN (\(ids: ids)) ORDER BY id"
        ).all()
        let statusRows = try await self.sql.raw(
            "SELECT * FROM filter_statuses WHERE filter_id IN (\(ids: ids)) ORDER BY id"
        ).all()
        var index: [Int64: Int] = [:]
        for (position, filter) in filters.enumerated() { index[filter.id.rawValue] = position }
        for row in keywordRows {
            guard let position = index[try row.decode(column: "filter_id", as: Int64.self)] else { continue }
            filters[position].keywords.append(
                .init(
                    id: try row.decode(column: "id", as: Int64.self),
                    keyword: try row.decode(column: "keyword", as: String.self),
                    wholeWord: try row.decode(column: "whole_word", as: Bool.self)
                )
            )
        }
        for row in statusRows {
            guard let position = index[try row.decode(column: "filter_id", as: Int64.self)] else { continue }
            filters[position].statuses.append(
                .init(
                    id: try row.decode(column: "id", as: Int64.self),
                    statusID: try row.decode(column: "status_id", as: Int64.self)
                )
            )
        }
        return filters
    }

    /// Writes a filter with its keywords and statuses, replacing what was stored.
    package func saveFilter(_ filter: ContentFilter) async throws {
        try await self.sql.raw(
            """
            INSERT INTO filters (id, account_id, title, contexts, action, expires_at, created_at)
            VALUES (\(bind: filter.id.rawValue), \(bind: filter.accountID.rawValue), \(bind: filter.title),
                \(bind: filter.contexts.map(\.rawValue).joined(separator: ",")), \(bind: filter.action.rawValue),
                \(bind: filter.expiresAt?.millisecondsSince1970), \(bind: self.nowMillis))
            ON CONFLICT (id) DO UPDATE SET title = \(bind: filter.title),
                contexts = \(bind: filter.contexts.map(\.rawValue).joined(separator: ",")),
                action = \(bind: filter.action.rawValue), expires_at = \(bind: filter.expiresAt?.millisecondsSince1970)
            """
        ).run()
        try await self.sql.raw("DELETE FROM filter_keywords WHERE filter_id = \(bind: filter.id.rawValue)").run()
        try await self.sql.raw("DELETE FROM filter_statuses WHERE filter_id = \(bind: filter.id.rawValue)").run()
        for keyword in filter.keywords {
            try await self.sql.raw(
                """
                INSERT INTO filter_keywords (id, filter_id, keyword, whole_word)
                VALUES (\(bind: keyword.id), \(bind: filter.id.rawValue), \(bind: keyword.keyword), \(bind: keyword.wholeWord))
                """
            ).run()
        }
        for status in filter.statuses {
            try await self.sql.raw(
                """
                INSERT INTO filter_statuses (id, filter_id, status_id)
                VALUES (\(bind: status.id), \(bind: filter.id.rawValue), \(bind: status.statusID))
                ON CONFLICT DO NOTHING
                """
            ).run()
        }
    }

    /// Deletes a filter.
    package func deleteFilter(_ id: ContentFilter.ID) async throws {
        try await self.sql.raw("DELETE FROM filters WHERE id = \(bind: id.rawValue)").run()
    }
}
