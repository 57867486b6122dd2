import Core
import Foundation
import SQLKit

struct FollowRow: Decodable {
    var id: Int64
    var accountId: Int64
    var targetAccountId: Int64
    var showReblogs: Bool
    var notify: Bool
    var languages: String?
    var createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case id
        case accountId = "account_id"
        case targetAccountId = "target_account_id"
        case showReblogs = "show_reblogs"
        case notify
        case languages
        case createdAt = "created_at"
    }

    func follow() -> Follow {
        let languages = self.languages.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) }
        return Follow(
            id: Follow.ID(self.id),
            accountID: Account.ID(self.accountId),
            targetAccountID: Account.ID(self.targetAccountId),
            showReblogs: self.showReblogs,
            notify: self.notify,
            languages: languages,
            createdAt: Date(millisecondsSince1970: self.createdAt)
        )
    }
}

extension DBSession {
    /// Inserts a follow, or updates its options when it exists; returns true when it is new.
    package func upsertFollow(_ follow: Follow) async throws -> Bool {
        let languages = try follow.languages.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        let inserted = try await self.sql.raw(
            """
            INSERT INTO follows (id, account_id, target_account_id, show_reblogs, notify, languages, created_at)
            VALUES (\(bind: follow.id.rawValue), \(bind: follow.accountID.rawValue), \(bind: follow.targetAccountID.rawValue),
                \(bind: follow.showReblogs), \(bind: follow.notify), \(bind: languages),
                \(bind: follow.createdAt.millisecondsSince1970))
            ON CONFLICT (account_id, target_account_id) DO NOTHING
            RETURNING id
            """
        ).all()
        if inserted.isEmpty {
            try await self.sql.raw(
                """
                UPDATE follows SET show_reblogs = \(bind: follow.showReblogs), notify = \(bind: follow.notify),
                    languages = \(bind: languages)
                WHERE account_id = \(bind: follow.accountID.rawValue) AND target_account_id = \(bind: follow.targetAccountID.rawValue)
                """
            ).run()
            return false
        }
        try await self.adjustFollowCounts(follow.accountID, follow.targetAccountID, by: 1)
        return true
    }

    /// Removes a follow; returns whether there was one.
    package func deleteFollow(from account: Account.ID, to target: Account.ID) async throws -> Bool {
        let deleted = try await self.sql.raw(
            """
            DELETE FROM follows WHERE account_id = \(bind: account.rawValue) AND target_account_id = \(bind: target.rawValue)
            RETURNING id
            """
        ).all()
        guard !deleted.isEmpty else { return false }
        try await self.adjustFollowCounts(account, target, by: -1)
        return true
    }

    private func adjustFollowCounts(_ account: Account.ID, _ target: Account.ID, by delta: Int) async throws {
        try await self.sql.raw(
            """
            UPDATE accounts SET following_count = CASE WHEN following_count + \(bind: delta) < 0 THEN 0
                ELSE following_count + \(bind: delta) END, row_version = \(unsafeRaw: self.newRowVersion)
            WHERE id = \(bind: account.rawValue)
            """
        ).run()
        try await self.sql.raw(
            """
            UPDATE accounts SET followers_count = CASE WHEN followers_count + \(bind: delta) < 0 THEN 0
                ELSE followers_count + \(bind: delta) END, row_version = \(unsafeRaw: self.newRowVersion)
            WHERE id = \(bind: target.rawValue)
            """
        ).run()
    }

    /// The follow from `account` to `target`, if any.
    package func follow(from account: Account.ID, to target: Account.ID) async throws -> Follow? {
        try await self.sql.raw(
            """
            SELECT * FROM follows WHERE account_id = \(bind: account.rawValue) AND target_account_id = \(bind: target.rawValue)
            """
        ).first()?.decode(model: FollowRow.self).follow()
    }

    /// Follows from `account` to any of `targets`, keyed by target.
    package func follows(from account: Account.ID, to targets: [Account.ID]) async throws -> [Account.ID: Follow] {
        guard !targets.isEmpty else { return [:] }
        let rows = try await self.sql.select().column("*").from("follows")
            .where("account_id", .equal, account.rawValue)
            .where(SQLColumn("target_account_id"), .in, SQLIntegerList.group(targets.map(\.rawValue))).all()
        var result: [Account.ID: Follow] = [:]
        for row in rows {
            let follow = try row.decode(model: FollowRow.self).follow()
            result[follow.targetAccountID] = follow
        }
        return result
    }

    /// Which of `accounts` follow `target`.
    package func followers(of target: Account.ID, among accounts: [Account.ID]) async throws -> Set<Account.ID> {
        guard !accounts.isEmpty else { return [] }
        let rows = try await self.sql.select().column("account_id").from("follows")
            .where("target_account_id", .equal, target.rawValue)
            .where(SQLColumn("account_id"), .in, SQLIntegerList.group(accounts.map(\.rawValue))).all()
        return Set(try rows.map { Account.ID(try $0.decode(column: "account_id", as: Int64.self)) })
    }

    /// A page of an account's followers (`followers: true`) or of whom it follows, newest follow first,
    /// paged by follow id. Returns (follow id, account) pairs.
    package func followPage(of account: Account.ID, followers: Bool, page: PageRequest) async throws
        -> [(Int64, Account)]
    {
        let (mine, other) = followers ? ("target_account_id", "account_id") : ("account_id", "target_account_id")
        var query = Statement(
            "SELECT \(unsafeRaw: AccountRow.columns("a")), f.id FROM follows f JOIN accounts a ON a.id = f.\(unsafeRaw: other) WHERE f.\(unsafeRaw: mine) = "
        )
        query.appendInterpolation(bind: account.rawValue)
        query.appendLiteral(" AND a.suspended_at IS NULL")
        return try await self.accountPage(query, column: "f.id", page: page)
    }

    /// Appends keyset pagination to a query: `max_id`/`since_id` newest first, `min_id` oldest first.
    static func paged<Query: PageableQuery>(_ base: Query, column: String, page: PageRequest) -> Query {
        var query = base
        if let max = page.maxID {
            query.appendLiteral(" AND \(column) < ")
            query.appendPageBound(max)
        }
        if let since = page.sinceID {
            query.appendLiteral(" AND \(column) > ")
            query.appendPageBound(since)
        }
        if let min = page.minID {
            query.appendLiteral(" AND \(column) > ")
            query.appendPageBound(min)
            query.appendLiteral(" ORDER BY \(column) ASC LIMIT ")
        } else {
            query.appendLiteral(" ORDER BY \(column) DESC LIMIT ")
        }
        query.appendPageBound(Int64(page.limit))
        return query
    }

    /// Rows of a `paged` query newest first (a `min_id` page is read oldest first, then reversed).
    static func ordered<Row>(_ rows: [Row], page: PageRequest) -> [Row] {
        page.minID != nil ? rows.reversed() : rows
    }

    /// A page of the accounts `base` reads, newest first: it selects `AccountRow.columnList` then the paging id
    /// `column`, and ends in a WHERE clause that `paged` extends.
    func accountPage(_ base: Statement, column: String, page: PageRequest) async throws -> [(Int64, Account)] {
        let rows = try await self.rows(Self.paged(base, column: column, page: page)) {
            (try $0.int64(AccountRow.columnNames.count), try AccountRow.account($0))
        }
        return Self.ordered(rows, page: page)
    }

}

extension DBSession {
    /// Local followers of `author` who asked to be told of each new post (`notify=true`).
    package func notifiedFollowers(of author: Account.ID) async throws -> [Account.ID] {
        try await self.sql.raw(
            """
            SELECT f.account_id AS a FROM follows f JOIN accounts a ON a.id = f.account_id
            WHERE f.target_account_id = \(bind: author.rawValue) AND f.notify = TRUE AND a.domain IS NULL
            """
        ).all().map { Account.ID(try $0.decode(column: "a", as: Int64.self)) }
    }

    /// Accounts the viewer follows that also follow `target` (`familiar_followers`), at most `limit`.
    package func familiarFollowers(of target: Account.ID, viewer: Account.ID, limit: Int) async throws -> [Account] {
        try await self.accounts(
            """
            SELECT \(unsafeRaw: AccountRow.columns("a")) FROM follows mine JOIN follows theirs ON theirs.account_id = mine.target_account_id
            JOIN accounts a ON a.id = mine.target_account_id
            WHERE mine.account_id = \(bind: viewer.rawValue) AND theirs.target_account_id = \(bind: target.rawValue)
            AND a.suspended_at IS NULL
            ORDER BY a.followers_count DESC, a.id LIMIT \(bind: limit)
            """
        )
    }
}

/// What `DBSession.paged` extends: SQLKit's query strings, and the statements `DBSession.rows` runs.
protocol PageableQuery {
    mutating func appendLiteral(_ literal: String)
    /// Binds an id bound or a limit.
    mutating func appendPageBound(_ value: Int64)
}

extension SQLQueryString: PageableQuery {
    mutating func appendPageBound(_ value: Int64) { self.appendInterpolation(bind: value) }
}

extension Statement: PageableQuery {
    mutating func appendPageBound(_ value: Int64) { self.appendInterpolation(bind: value) }
}
