import Core
import SQLKit

extension DBSession {
    /// Puts a status in the home feeds of its author and of every local follower of `author` that
    /// should see it. `requireAlsoFollowing`: for replies to someone else, only followers who follow
    /// that account too (Mastodon's rule); `onlyShowingReblogs`: for reblogs, only follows that show them.
    package func fanOut(
        _ status: Status.ID,
        author: Account.ID,
        requireAlsoFollowing other: Account.ID?,
        onlyShowingReblogs: Bool
    ) async throws {
        var query = SQLQueryString("INSERT INTO home_feed (account_id, status_id) SELECT f.account_id, ")
        query.appendInterpolation(bind: status.rawValue)
        query.appendLiteral(" FROM follows f JOIN accounts a ON a.id = f.account_id WHERE f.target_account_id = ")
        query.appendInterpolation(bind: author.rawValue)
        query.appendLiteral(" AND a.domain IS NULL")
        // Followers who mute or block the author (or are blocked by them) never get the row.
        query.appendLiteral(
            " AND NOT EXISTS (SELECT 1 FROM mutes m WHERE m.account_id = f.account_id AND m.target_account_id = "
        )
        query.appendInterpolation(bind: author.rawValue)
        query.appendLiteral(" AND (m.expires_at IS NULL OR m.expires_at > ")
        query.appendInterpolation(bind: self.nowMillis)
        query.appendLiteral(
            ")) AND NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.account_id = f.account_id AND b.target_account_id = "
        )
        query.appendInterpolation(bind: author.rawValue)
        query.appendLiteral(") OR (b.account_id = ")
        query.appendInterpolation(bind: author.rawValue)
        query.appendLiteral(" AND b.target_account_id = f.account_id))")
        if onlyShowingReblogs { query.appendLiteral(" AND f.show_reblogs = TRUE") }
        if let other {
            query.appendLiteral(
                " AND EXISTS (SELECT 1 FROM follows g WHERE g.account_id = f.account_id AND g.target_account_id = "
            )
            query.appendInterpolation(bind: other.rawValue)
            query.appendLiteral(")")
        }
        query.appendLiteral(" ON CONFLICT DO NOTHING")
        try await self.sql.raw(query).run()
        try await self.insertIntoHomeFeeds(status, of: [author])
    }

    /// Leaves out home-feed rows (`h`) whose author is in one of the feed owner's exclusive lists: those
    /// posts are read in the list, not at home.
    private static let outsideExclusiveLists = """
        NOT EXISTS (
            SELECT 1 FROM lists l JOIN list_accounts la ON la.list_id = l.id JOIN statuses s ON s.account_id = la.account_id
            WHERE l.account_id = h.account_id AND l.exclusive = TRUE AND s.id = h.status_id
        )
        """

    /// Which of `accounts` read the status at home (who a streamed `update` is for): as `homeFeed` reads.
    package func homeFeedHolders(of status: Status.ID, among accounts: [Account.ID]) async throws -> Set<Account.ID> {
        guard !accounts.isEmpty else { return [] }
        let query: Statement = """
            SELECT h.account_id FROM home_feed h
            WHERE h.status_id = \(bind: status.rawValue) AND h.account_id IN (\(ids: accounts.map(\.rawValue)))
            AND \(unsafeRaw: Self.outsideExclusiveLists)
            """
        return Set(try await self.rows(query) { Account.ID(try $0.int64(0)) })
    }

    /// Puts a status in the home feeds of these (local) accounts.
    package func insertIntoHomeFeeds(_ status: Status.ID, of accounts: [Account.ID]) async throws {
        for account in Set(accounts) {
            try await self.sql.raw(
                """
                INSERT INTO home_feed (account_id, status_id) VALUES (\(bind: account.rawValue), \(bind: status.rawValue))
                ON CONFLICT DO NOTHING
                """
            ).run()
        }
    }

    /// Removes an account's posts from a former follower's home feed.
    package func removeFromHomeFeed(of account: Account.ID, postsBy author: Account.ID) async throws {
        try await self.sql.raw(
            """
            DELETE FROM home_feed WHERE account_id = \(bind: account.rawValue)
            AND status_id IN (SELECT id FROM statuses WHERE account_id = \(bind: author.rawValue))
            """
        ).run()
    }

    /// A page of status ids from an account's home feed, newest first: one range scan of the primary key, without
    /// the posts of members of the account's exclusive lists.
    package func homeFeed(of account: Account.ID, page: PageRequest) async throws -> [Status.ID] {
        // Most people have no exclusive list: asked once (a constant condition), that spares the check per row.
        let query: Statement = """
            SELECT status_id FROM home_feed h WHERE h.account_id = \(bind: account.rawValue)
            AND (NOT EXISTS (SELECT 1 FROM lists WHERE account_id = \(bind: account.rawValue) AND exclusive = TRUE)
                OR \(unsafeRaw: Self.outsideExclusiveLists))
            """
        return try await self.statusIDPage(query, column: "status_id", page: page)
    }

    /// A page of public, non-reblog status ids (the public timelines), newest first.
    package func publicTimeline(_ scope: PublicTimelineScope, page: PageRequest) async throws -> [Status.ID] {
        var query = Statement("SELECT id FROM statuses WHERE visibility = 'public' AND reblog_of_id IS NULL")
        switch scope {
        case .all: break
        case .local: query.appendLiteral(" AND local = TRUE")
        case .remote: query.appendLiteral(" AND local = FALSE")
        }
        return try await self.statusIDPage(query, column: "id", page: page)
    }

    /// A page of the status ids `base` selects (as its only column, `column`), newest first; `base` ends in
    /// a WHERE clause that `paged` extends.
    func statusIDPage(_ base: Statement, column: String, page: PageRequest) async throws -> [Status.ID] {
        let ids = try await self.rows(Self.paged(base, column: column, page: page)) { Status.ID(try $0.int64(0)) }
        return Self.ordered(ids, page: page)
    }

    /// A page of public statuses with a tag (any of `any`, all of `all`, none of `none`), newest first.
    package func tagTimeline(
        _ tag: String,
        any: [String],
        all: [String],
        none: [String],
        localOnly: Bool,
        page: PageRequest
    ) async throws -> [Status.ID] {
        let anyTags = ([tag] + any).map { $0.lowercased() }
        var query = Statement(
            "SELECT DISTINCT s.id AS id FROM statuses s JOIN status_tags st ON st.status_id = s.id JOIN tags t ON t.id = st.tag_id WHERE s.visibility = 'public' AND s.reblog_of_id IS NULL AND t.name IN ("
        )
        query.appendInterpolation(binds: anyTags)
        query.appendLiteral(")")
        if localOnly { query.appendLiteral(" AND s.local = TRUE") }
        for name in all.map({ $0.lowercased() }) {
            query.appendLiteral(
                " AND EXISTS (SELECT 1 FROM status_tags a JOIN tags b ON b.id = a.tag_id WHERE a.status_id = s.id AND b.name = "
            )
            query.appendInterpolation(bind: name)
            query.appendLiteral(")")
        }
        if !none.isEmpty {
            query.appendLiteral(
                " AND NOT EXISTS (SELECT 1 FROM status_tags a JOIN tags b ON b.id = a.tag_id WHERE a.status_id = s.id AND b.name IN ("
            )
            query.appendInterpolation(binds: none.map { $0.lowercased() })
            query.appendLiteral("))")
        }
        return try await self.statusIDPage(query, column: "s.id", page: page)
    }

    /// Options of `GET /api/v1/accounts/:id/statuses`.
    package struct AccountStatusFilter: Sendable {
        package var visibilities: [Visibility]
        package var excludeReplies = false
        package var excludeReblogs = false
        package var tagged: String?
        /// Also list statuses of other visibilities that mention this account (Mastodon does).
        package var mentioning: Account.ID?

        package init(visibilities: [Visibility]) {
            self.visibilities = visibilities
        }
    }

    /// A page of an account's status ids, newest first.
    package func accountStatuses(of account: Account.ID, filter: AccountStatusFilter, page: PageRequest) async throws
        -> [Status.ID]
    {
        guard !filter.visibilities.isEmpty else { return [] }
        var query = Statement("SELECT s.id AS id FROM statuses s WHERE s.account_id = ")
        query.appendInterpolation(bind: account.rawValue)
        query.appendLiteral(" AND (s.visibility IN (")
        query.appendInterpolation(binds: filter.visibilities.map(\.rawValue))
        query.appendLiteral(")")
        if let mentioned = filter.mentioning {
            query.appendLiteral(" OR EXISTS (SELECT 1 FROM mentions m WHERE m.status_id = s.id AND m.account_id = ")
            query.appendInterpolation(bind: mentioned.rawValue)
            query.appendLiteral(")")
        }
        query.appendLiteral(")")
        if filter.excludeReplies {
            // Self-replies (threads) stay, as in Mastodon.
            query.appendLiteral(" AND (s.in_reply_to_id IS NULL OR s.in_reply_to_account_id = s.account_id)")
        }
        if filter.excludeReblogs { query.appendLiteral(" AND s.reblog_of_id IS NULL") }
        if let tag = filter.tagged {
            query.appendLiteral(
                " AND EXISTS (SELECT 1 FROM status_tags a JOIN tags b ON b.id = a.tag_id WHERE a.status_id = s.id AND b.name = "
            )
            query.appendInterpolation(bind: tag.lowercased())
            query.appendLiteral(")")
        }
        return try await self.statusIDPage(query, column: "s.id", page: page)
    }
}
