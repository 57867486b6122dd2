import Core
import SQLKit

extension DBSession {
    /// Records a favourite; returns false when it already existed.
    package func insertFavourite(id: Int64, account: Account.ID, status: Status.ID) async throws -> Bool {
        let rows = try await self.sql.raw(
            """
            INSERT INTO favourites (id, account_id, status_id, created_at)
            VALUES (\(bind: id), \(bind: account.rawValue), \(bind: status.rawValue), \(bind: self.nowMillis))
            ON CONFLICT (account_id, status_id) DO NOTHING RETURNING id
            """
        ).all()
        guard !rows.isEmpty else { return false }
        try await self.sql.raw(
            "UPDATE statuses SET favourites_count = favourites_count + 1 WHERE id = \(bind: status.rawValue)"
        ).run()
        return true
    }

    /// Removes a favourite; returns whether there was one.
    package func deleteFavourite(account: Account.ID, status: Status.ID) async throws -> Bool {
        let rows = try await self.sql.raw(
            """
            DELETE FROM favourites WHERE account_id = \(bind: account.rawValue) AND status_id = \(bind: status.rawValue)
            RETURNING id
            """
        ).all()
        guard !rows.isEmpty else { return false }
        try await self.sql.raw(
            """
            UPDATE statuses SET favourites_count = CASE WHEN favourites_count > 0 THEN favourites_count - 1 ELSE 0 END
            WHERE id = \(bind: status.rawValue)
            """
        ).run()
        return true
    }

    /// Records a bookmark; idempotent.
    package func insertBookmark(id: Int64, account: Account.ID, status: Status.ID) async throws {
        try await self.sql.raw(
            """
            INSERT INTO bookmarks (id, account_id, status_id, created_at)
            VALUES (\(bind: id), \(bind: account.rawValue), \(bind: status.rawValue), \(bind: self.nowMillis))
            ON CONFLICT (account_id, status_id) DO NOTHING
            """
        ).run()
    }

    /// Removes a bookmark; idempotent.
    package func deleteBookmark(account: Account.ID, status: Status.ID) async throws {
        try await self.sql.raw(
            "DELETE FROM bookmarks WHERE account_id = \(bind: account.rawValue) AND status_id = \(bind: status.rawValue)"
        ).run()
    }

    /// What the account did with `statuses`: favourited, reblogged, bookmarked, and which of `threads` it
    /// muted, in one query.
    package func interactions(of account: Account.ID, with statuses: [Status.ID], threads: [Status.ID] = [])
        async throws
        -> (
            favourited: Set<Status.ID>, reblogged: Set<Status.ID>, bookmarked: Set<Status.ID>,
            mutedThreads: Set<Status.ID>
        )
    {
        guard !statuses.isEmpty else { return ([], [], [], []) }
        let ids = statuses.map(\.rawValue)
        let threadIDs = threads.isEmpty ? [Int64(0)] : threads.map(\.rawValue)
        let rows = try await self.sql.raw(
            """
            SELECT 'f' AS kind, status_id AS id FROM favourites
            WHERE account_id = \(bind: account.rawValue) AND status_id IN (\(binds: ids))
            UNION ALL
            SELECT 'r', reblog_of_id FROM statuses
            WHERE account_id = \(bind: account.rawValue) AND reblog_of_id IN (\(binds: ids))
            UNION ALL
            SELECT 'b', status_id FROM bookmarks
            WHERE account_id = \(bind: account.rawValue) AND status_id IN (\(binds: ids))
            UNION ALL
            SELECT 'm', conversation_id FROM status_mutes
            WHERE account_id = \(bind: account.rawValue) AND conversation_id IN (\(binds: threadIDs))
            """
        ).all()
        var result:
            (
                favourited: Set<Status.ID>, reblogged: Set<Status.ID>, bookmarked: Set<Status.ID>,
                mutedThreads: Set<Status.ID>
            ) =
                ([], [], [], [])
        for row in rows {
            let id = Status.ID(try row.decode(column: "id", as: Int64.self))
            switch try row.decode(column: "kind", as: String.self) {
            case "f": result.favourited.insert(id)
            case "r": result.reblogged.insert(id)
            case "m": result.mutedThreads.insert(id)
            default: result.bookmarked.insert(id)
            }
        }
        return result
    }

    /// Mutes or unmutes a thread for an account.
    package func setThreadMuted(_ thread: Status.ID, by account: Account.ID, muted: Bool) async throws {
        if muted {
            try await self.sql.raw(
                """
                INSERT INTO status_mutes (account_id, conversation_id) VALUES (\(bind: account.rawValue), \(bind: thread.rawValue))
                ON CONFLICT DO NOTHING
                """
            ).run()
        } else {
            try await self.sql.raw(
                """
                DELETE FROM status_mutes WHERE account_id = \(bind: account.rawValue)
                AND conversation_id = \(bind: thread.rawValue)
                """
            ).run()
        }
    }

    /// Whether the account muted this thread (its notifications about it stop).
    package func threadMuted(_ thread: Status.ID, by account: Account.ID) async throws -> Bool {
        try await self.sql.raw(
            """
            SELECT 1 AS one FROM status_mutes WHERE account_id = \(bind: account.rawValue)
            AND conversation_id = \(bind: thread.rawValue)
            """
        ).first() != nil
    }

    /// A page of accounts that favourited a status, newest first, paged by favourite id.
    package func favouritedBy(_ status: Status.ID, page: PageRequest) async throws -> [(Int64, Account)] {
        var query = SQLQueryString(
            "SELECT \(unsafeRaw: AccountRow.columns("a")), f.id FROM favourites f JOIN accounts a ON a.id = f.account_id WHERE f.status_id = "
        )
        query.appendInterpolation(bind: status.rawValue)
        return try await self.accountPage(query, column: "f.id", page: page)
    }

    /// A page of accounts that reblogged a status, newest first, paged by reblog id.
    package func rebloggedBy(_ status: Status.ID, page: PageRequest) async throws -> [(Int64, Account)] {
        var query = SQLQueryString(
            "SELECT \(unsafeRaw: AccountRow.columns("a")), s.id FROM statuses s JOIN accounts a ON a.id = s.account_id WHERE s.reblog_of_id = "
        )
        query.appendInterpolation(bind: status.rawValue)
        return try await self.accountPage(query, column: "s.id", page: page)
    }

    /// A page of an account's favourites or bookmarks: (row id for paging, status id), newest first.
    package func savedStatuses(of account: Account.ID, bookmarks: Bool, page: PageRequest) async throws
        -> [(Int64, Status.ID)]
    {
        var query = SQLQueryString(
            "SELECT id, status_id FROM \(unsafeRaw: bookmarks ? "bookmarks" : "favourites") WHERE account_id = "
        )
        query.appendInterpolation(bind: account.rawValue)
        let rows = try await self.sql.raw(Self.paged(query, column: "id", page: page)).all()
        return try Self.ordered(rows, page: page).map {
            (try $0.decode(column: "id", as: Int64.self), Status.ID(try $0.decode(column: "status_id", as: Int64.self)))
        }
    }
}
