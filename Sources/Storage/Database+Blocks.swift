import Core
import SQLKit

/// What one account has done to others: blocks and (unexpired) mutes, for filtering.
package struct SafetyFilter: Sendable, Equatable {
    /// Accounts the viewer blocks.
    package var blocking: Set<Account.ID> = []
    /// Accounts that block the viewer.
    package var blockedBy: Set<Account.ID> = []
    /// Accounts the viewer mutes, and whether their notifications are hidden too.
    package var muting: [Account.ID: Bool] = [:]
    /// Accounts on a domain the viewer blocks.
    package var domainBlocking: Set<Account.ID> = []

    package init() {}

    /// Whether anything from `account` should stay out of the viewer's timelines.
    package func hides(_ account: Account.ID) -> Bool {
        self.blocking.contains(account) || self.blockedBy.contains(account) || self.muting[account] != nil
            || self.domainBlocking.contains(account)
    }

    /// Whether notifications from `account` should stay out of the viewer's list.
    package func hidesNotifications(from account: Account.ID) -> Bool {
        self.blocking.contains(account) || self.blockedBy.contains(account) || self.muting[account] == true
            || self.domainBlocking.contains(account)
    }
}

extension DBSession {
    /// Records a block; returns false when it already existed.
    package func insertBlock(id: Int64, account: Account.ID, target: Account.ID) async throws -> Bool {
        let rows = try await self.sql.raw(
            """
            INSERT INTO blocks (id, account_id, target_account_id, created_at)
            VALUES (\(bind: id), \(bind: account.rawValue), \(bind: target.rawValue), \(bind: self.nowMillis))
            ON CONFLICT (account_id, target_account_id) DO NOTHING RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    /// Removes a block.
    package func deleteBlock(account: Account.ID, target: Account.ID) async throws {
        try await self.sql.raw(
            "DELETE FROM blocks WHERE account_id = \(bind: account.rawValue) AND target_account_id = \(bind: target.rawValue)"
        ).run()
    }

    /// Records or updates a mute.
    package func upsertMute(
        id: Int64,
        account: Account.ID,
        target: Account.ID,
        hideNotifications: Bool,
        expiresAt: Int64?
    )
        async throws
    {
        try await self.sql.raw(
            """
            INSERT INTO mutes (id, account_id, target_account_id, hide_notifications, expires_at, created_at)
            VALUES (\(bind: id), \(bind: account.rawValue), \(bind: target.rawValue), \(bind: hideNotifications),
                \(bind: expiresAt), \(bind: self.nowMillis))
            ON CONFLICT (account_id, target_account_id)
            DO UPDATE SET hide_notifications = \(bind: hideNotifications), expires_at = \(bind: expiresAt)
            """
        ).run()
    }

    /// Removes a mute.
    package func deleteMute(account: Account.ID, target: Account.ID) async throws {
        try await self.sql.raw(
            "DELETE FROM mutes WHERE account_id = \(bind: account.rawValue) AND target_account_id = \(bind: target.rawValue)"
        ).run()
    }

    /// Removes a's posts (and reblogs) from b's home feed.
    package func removeFromHomeFeed(of account: Account.ID, anythingBy author: Account.ID) async throws {
        try await self.sql.raw(
            """
            DELETE FROM home_feed WHERE account_id = \(bind: account.rawValue)
            AND status_id IN (
                SELECT id FROM statuses WHERE account_id = \(bind: author.rawValue)
                UNION SELECT r.id FROM statuses r JOIN statuses o ON o.id = r.reblog_of_id
                WHERE o.account_id = \(bind: author.rawValue)
            )
            """
        ).run()
    }

    /// Deletes every notification between two accounts (in the direction given).
    package func deleteNotifications(to account: Account.ID, from sender: Account.ID) async throws {
        try await self.sql.raw(
            """
            DELETE FROM notifications WHERE account_id = \(bind: account.rawValue)
            AND from_account_id = \(bind: sender.rawValue)
            """
        ).run()
    }

    /// How many of a viewer's blocks, blockers or mutes `safetyFilter(for:among:)` reads whole before it looks
    /// the accounts asked about up one by one instead.
    package static let safetyRangeLimit = 64

    /// The viewer's blocks and mutes concerning `accounts` (all of them when `accounts` is nil), in one query.
    ///
    /// For a page's accounts, the viewer's blocks, blockers and mutes are read whole, one index search each
    /// (an account has few, most have none), instead of one search per account asked about; when one of the
    /// three holds more than `safetyRangeLimit`, the accounts are looked up one by one as before.
    package func safetyFilter(for viewer: Account.ID, among accounts: [Account.ID]?) async throws -> SafetyFilter {
        var filter = SafetyFilter()
        if let accounts, accounts.isEmpty { return filter }
        let now = self.nowMillis
        typealias Row = (kind: String, account: Account.ID, hidesNotifications: Bool)
        func read(_ query: Statement) async throws -> [Row] {
            try await self.rows(query) { (try $0.string(0), Account.ID(try $0.int64(1)), try $0.bool(2)) }
        }
        var rows: [Row]
        if let accounts {
            let list = SQLIntegerTable(values: accounts.map(\.rawValue), alias: "ids")
            rows = try await read(Self.safetyQuery(viewer: viewer, whole: list, now: now))
            let capped = ["blocking", "blocked_by", "muting"].contains { kind in
                rows.count(where: { $0.kind == kind }) > Self.safetyRangeLimit
            }
            if capped {
                rows = try await read(Self.safetyQuery(viewer: viewer, among: list, now: now))
            } else {
                let wanted = Set(list.values)
                rows.removeAll { !wanted.contains($0.account.rawValue) }
            }
        } else {
            rows = try await read(Self.safetyQuery(viewer: viewer, now: now))
        }
        for (kind, account, hidesNotifications) in rows {
            switch kind {
            case "blocking": filter.blocking.insert(account)
            case "blocked_by": filter.blockedBy.insert(account)
            case "domain": filter.domainBlocking.insert(account)
            default: filter.muting[account] = hidesNotifications
            }
        }
        return filter
    }

    /// Every block and mute of or by the viewer, and every account on a domain it blocks.
    private static func safetyQuery(viewer: Account.ID, now: Int64) -> Statement {
        let me = viewer.rawValue
        return """
            SELECT 'blocking' AS kind, target_account_id AS a, FALSE AS h FROM blocks WHERE account_id = \(bind: me)
            UNION ALL SELECT 'blocked_by', account_id, FALSE FROM blocks WHERE target_account_id = \(bind: me)
            UNION ALL SELECT 'muting', target_account_id, hide_notifications FROM mutes
            WHERE account_id = \(bind: me) AND (expires_at IS NULL OR expires_at > \(bind: now))
            UNION ALL SELECT 'domain', x.id, FALSE FROM account_domain_blocks d
            JOIN accounts x ON lower(x.domain) = d.domain WHERE d.account_id = \(bind: me)
            """
    }

    /// The viewer's blocks, blockers and mutes, each capped one past `safetyRangeLimit`, and the accounts of
    /// `list` on the domains it blocks.
    private static func safetyQuery(viewer: Account.ID, whole list: SQLIntegerTable, now: Int64) -> Statement {
        let me = viewer.rawValue
        let limit = Self.safetyRangeLimit + 1
        return """
            SELECT 'blocking' AS kind, b.a, FALSE AS h FROM (
                SELECT target_account_id AS a FROM blocks WHERE account_id = \(bind: me) LIMIT \(bind: limit)
            ) AS b
            UNION ALL SELECT 'blocked_by', b.a, FALSE FROM (
                SELECT account_id AS a FROM blocks WHERE target_account_id = \(bind: me) LIMIT \(bind: limit)
            ) AS b
            UNION ALL SELECT 'muting', m.a, m.h FROM (
                SELECT target_account_id AS a, hide_notifications AS h FROM mutes WHERE account_id = \(bind: me)
                AND (expires_at IS NULL OR expires_at > \(bind: now)) LIMIT \(bind: limit)
            ) AS m
            UNION ALL \(Self.domainBlocked(viewer: viewer, among: list))
            """
    }

    /// The same for the accounts of `list` only, each looked up: each list joined where it lies (see
    /// `SQLIntegerTable`).
    private static func safetyQuery(viewer: Account.ID, among list: SQLIntegerTable, now: Int64) -> Statement {
        let me = viewer.rawValue
        return """
            SELECT 'blocking' AS kind, b.target_account_id AS a, FALSE AS h FROM \(list)
            CROSS JOIN blocks b WHERE b.account_id = \(bind: me) AND b.target_account_id = ids.value
            UNION ALL SELECT 'blocked_by', b.account_id, FALSE FROM \(list)
            CROSS JOIN blocks b WHERE b.target_account_id = \(bind: me) AND b.account_id = ids.value
            UNION ALL SELECT 'muting', m.target_account_id, m.hide_notifications FROM \(list)
            CROSS JOIN mutes m WHERE m.account_id = \(bind: me) AND m.target_account_id = ids.value
            AND (m.expires_at IS NULL OR m.expires_at > \(bind: now))
            UNION ALL \(Self.domainBlocked(viewer: viewer, among: list))
            """
    }

    /// The accounts of `list` on a domain the viewer blocks: looked up only when it blocks one at all (a
    /// constant condition, tested once).
    private static func domainBlocked(viewer: Account.ID, among list: SQLIntegerTable) -> Statement {
        let me = viewer.rawValue
        return """
            SELECT 'domain', x.id, FALSE FROM \(list)
            CROSS JOIN accounts x CROSS JOIN account_domain_blocks d
            WHERE EXISTS (SELECT 1 FROM account_domain_blocks WHERE account_id = \(bind: me))
            AND x.id = ids.value AND d.account_id = \(bind: me) AND d.domain = lower(x.domain)
            """
    }

    /// A page of the accounts the viewer blocks (`blocks: true`) or mutes, newest first, paged by row id.
    package func blockOrMutePage(of account: Account.ID, blocks: Bool, page: PageRequest) async throws -> [(
        Int64, Account
    )] {
        var query = Statement(
            "SELECT \(unsafeRaw: AccountRow.columns("a")), b.id FROM \(unsafeRaw: blocks ? "blocks" : "mutes") b JOIN accounts a ON a.id = b.target_account_id WHERE b.account_id = "
        )
        query.appendInterpolation(bind: account.rawValue)
        if !blocks {
            query.appendLiteral(" AND (b.expires_at IS NULL OR b.expires_at > ")
            query.appendInterpolation(bind: self.nowMillis)
            query.appendLiteral(")")
        }
        return try await self.accountPage(query, column: "b.id", page: page)
    }

    /// When a mute of `target` by `account` ends (nil: never), if there is one.
    package func muteExpiry(account: Account.ID, target: Account.ID) async throws -> (exists: Bool, expiresAt: Int64?) {
        let row = try await self.sql.raw(
            """
            SELECT expires_at FROM mutes WHERE account_id = \(bind: account.rawValue)
            AND target_account_id = \(bind: target.rawValue)
            """
        ).first()
        guard let row else { return (false, nil) }
        return (
            true, try row.decodeNil(column: "expires_at") ? nil : try row.decode(column: "expires_at", as: Int64.self)
        )
    }
}
