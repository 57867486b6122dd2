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
            """
            UPDATE statuses SET favourites_count = favourites_count + 1, row_version = \(unsafeRaw: self.newRowVersion)
            WHERE id = \(bind: status.rawValue)
            """
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
            UPDATE statuses SET favourites_count = CASE WHEN favourites_count > 0 THEN favourites_count - 1 ELSE 0 END,
                row_version = \(unsafeRaw: self.newRowVersion)
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

    /// How many of the account's favourites, bookmarks or reblogs in a page's id range `interactions` reads
    /// before it looks the page's ids up one by one instead.
    static let interactionRangeLimit = 64

    /// What the account did with `statuses` (favourited, reblogged, bookmarked), which of `threads` it muted, which
    /// of `authors` it follows and which of `own` (its statuses) it pinned, in one query: a hydration asks all of
    /// these for every page, and each separate query costs a parse and a round trip.
    ///
    /// A page's statuses are mostly close in time, and an account favourites, bookmarks and reblogs few of the
    /// statuses between the page's first and last: those three are read as the account's rows in that id range
    /// (one index search each) rather than one search per status. `others` (the statuses a page's reblogs
    /// reblogged, which may be of any age) are looked up one by one, as is everything when the range holds more
    /// than `interactionRangeLimit` of the three (a page spanning months).
    package func interactions(
        of account: Account.ID,
        with statuses: [Status.ID],
        others: [Status.ID] = [],
        threads: [Status.ID] = [],
        following authors: [Account.ID] = [],
        pinned own: [Status.ID] = []
    ) async throws -> Interactions {
        guard !statuses.isEmpty || !others.isEmpty else { return Interactions() }
        let me = account.rawValue
        let list = SQLIntegerTable(values: statuses.map(\.rawValue), alias: "ids")
        let otherList = SQLIntegerTable(values: others.map(\.rawValue), alias: "ids")
        // An empty range when there are only others.
        let (low, high) = (list.values.first ?? 0, list.values.last ?? -1)
        let limit = Self.interactionRangeLimit + 1
        // Only when there are others: three arms over an empty list cost a page 3 µs (in the loop).
        let otherProbes: Statement =
            otherList.values.isEmpty ? "" : "\(Self.probes(of: me, with: otherList)) UNION ALL "
        let rows = try await self.rows(
            """
            SELECT 'f', f.status_id FROM (
                SELECT status_id FROM favourites WHERE account_id = \(bind: me)
                AND status_id BETWEEN \(bind: low) AND \(bind: high) LIMIT \(bind: limit)
            ) AS f
            UNION ALL
            SELECT 'r', r.reblog_of_id FROM (
                SELECT reblog_of_id FROM statuses WHERE account_id = \(bind: me)
                AND reblog_of_id BETWEEN \(bind: low) AND \(bind: high) LIMIT \(bind: limit)
            ) AS r
            UNION ALL
            SELECT 'b', b.status_id FROM (
                SELECT status_id FROM bookmarks WHERE account_id = \(bind: me)
                AND status_id BETWEEN \(bind: low) AND \(bind: high) LIMIT \(bind: limit)
            ) AS b
            UNION ALL
            \(otherProbes)SELECT 'm', m.conversation_id FROM \(idTable: threads.map(\.rawValue), as: "ids")
            CROSS JOIN status_mutes m WHERE m.account_id = \(bind: me) AND m.conversation_id = ids.value
            UNION ALL
            SELECT 'F', f.target_account_id FROM \(idTable: authors.map(\.rawValue), as: "ids")
            CROSS JOIN follows f WHERE f.account_id = \(bind: me) AND f.target_account_id = ids.value
            UNION ALL
            SELECT 'p', p.status_id FROM \(idTable: own.map(\.rawValue), as: "ids")
            CROSS JOIN status_pins p WHERE p.account_id = \(bind: me) AND p.status_id = ids.value
            """
        ) { (try $0.string(0), try $0.int64(1)) }
        var result = Interactions()
        var (favourites, reblogs, bookmarks) = (0, 0, 0)
        for (kind, id) in rows {
            switch kind {
            case "f": favourites += 1
            case "r": reblogs += 1
            case "b": bookmarks += 1
            case "m": result.mutedThreads.insert(Status.ID(id))
            case "F": result.following.insert(Account.ID(id))
            default: result.pinned.insert(Status.ID(id))
            }
        }
        var ranged = rows
        if max(favourites, reblogs, bookmarks) >= limit {
            let all = SQLIntegerTable(values: list.values + otherList.values, alias: "ids")
            ranged = try await self.rows(Self.probes(of: me, with: all)) { (try $0.string(0), try $0.int64(1)) }
        }
        let wanted = Set(list.values).union(otherList.values)
        for (kind, id) in ranged where wanted.contains(id) {
            switch kind {
            case "f": result.favourited.insert(Status.ID(id))
            case "r": result.reblogged.insert(Status.ID(id))
            case "b": result.bookmarked.insert(Status.ID(id))
            default: break
            }
        }
        return result
    }

    /// The account's favourites, reblogs and bookmarks of `list`, looked up one status at a time.
    private static func probes(of me: Int64, with list: SQLIntegerTable) -> Statement {
        """
        SELECT 'f', f.status_id FROM \(list)
        CROSS JOIN favourites f WHERE f.account_id = \(bind: me) AND f.status_id = ids.value
        UNION ALL
        SELECT 'r', s.reblog_of_id FROM \(list)
        CROSS JOIN statuses s WHERE s.account_id = \(bind: me) AND s.reblog_of_id = ids.value
        UNION ALL
        SELECT 'b', b.status_id FROM \(list)
        CROSS JOIN bookmarks b WHERE b.account_id = \(bind: me) AND b.status_id = ids.value
        """
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
        var query = Statement(
            "SELECT \(unsafeRaw: AccountRow.columns("a")), f.id FROM favourites f JOIN accounts a ON a.id = f.account_id WHERE f.status_id = "
        )
        query.appendInterpolation(bind: status.rawValue)
        return try await self.accountPage(query, column: "f.id", page: page)
    }

    /// A page of accounts that reblogged a status, newest first, paged by reblog id.
    package func rebloggedBy(_ status: Status.ID, page: PageRequest) async throws -> [(Int64, Account)] {
        var query = Statement(
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

/// What one account did with a set of statuses and their authors (`DBSession.interactions`).
package struct Interactions: Sendable {
    package var favourited: Set<Status.ID> = []
    package var reblogged: Set<Status.ID> = []
    package var bookmarked: Set<Status.ID> = []
    /// The conversations (threads) it muted.
    package var mutedThreads: Set<Status.ID> = []
    /// The authors it follows.
    package var following: Set<Account.ID> = []
    /// Its own statuses it pinned.
    package var pinned: Set<Status.ID> = []

    package init() {}
}
