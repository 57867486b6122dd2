import Core
import Foundation
import SQLKit

struct ListRow: Decodable {
    var id: Int64
    var accountId: Int64
    var title: String
    var repliesPolicy: String
    var exclusive: Bool

    enum CodingKeys: String, CodingKey {
        case id
        case accountId = "account_id"
        case title
        case repliesPolicy = "replies_policy"
        case exclusive
    }

    func list() -> AccountList {
        AccountList(
            id: AccountList.ID(self.id),
            accountID: Account.ID(self.accountId),
            title: self.title,
            repliesPolicy: AccountList.RepliesPolicy(rawValue: self.repliesPolicy) ?? .list,
            exclusive: self.exclusive
        )
    }
}

extension DBSession {
    /// The account's lists, by title.
    package func lists(of account: Account.ID) async throws -> [AccountList] {
        try await self.sql.raw("SELECT * FROM lists WHERE account_id = \(bind: account.rawValue) ORDER BY title, id")
            .all().map { try $0.decode(model: ListRow.self).list() }
    }

    /// One of the account's lists.
    package func list(id: AccountList.ID, of account: Account.ID) async throws -> AccountList? {
        try await self.sql.raw(
            "SELECT * FROM lists WHERE id = \(bind: id.rawValue) AND account_id = \(bind: account.rawValue)"
        ).first()?.decode(model: ListRow.self).list()
    }

    /// Inserts or updates a list.
    package func saveList(_ list: AccountList) async throws {
        try await self.sql.raw(
            """
            INSERT INTO lists (id, account_id, title, replies_policy, exclusive, created_at)
            VALUES (\(bind: list.id.rawValue), \(bind: list.accountID.rawValue), \(bind: list.title),
                \(bind: list.repliesPolicy.rawValue), \(bind: list.exclusive), \(bind: self.nowMillis))
            ON CONFLICT (id) DO UPDATE SET title = \(bind: list.title),
                replies_policy = \(bind: list.repliesPolicy.rawValue), exclusive = \(bind: list.exclusive)
            """
        ).run()
    }

    /// Deletes a list and its memberships.
    package func deleteList(_ id: AccountList.ID) async throws {
        try await self.sql.raw("DELETE FROM lists WHERE id = \(bind: id.rawValue)").run()
    }

    /// Adds members to a list (idempotent).
    package func addListMembers(_ list: AccountList.ID, accounts: [Account.ID], ids: () -> Int64) async throws {
        for account in Set(accounts) {
            try await self.sql.raw(
                """
                INSERT INTO list_accounts (id, list_id, account_id) VALUES (\(bind: ids()), \(bind: list.rawValue),
                    \(bind: account.rawValue))
                ON CONFLICT (list_id, account_id) DO NOTHING
                """
            ).run()
        }
    }

    /// Removes members from a list.
    package func removeListMembers(_ list: AccountList.ID, accounts: [Account.ID]) async throws {
        guard !accounts.isEmpty else { return }
        var query = SQLQueryString("DELETE FROM list_accounts WHERE list_id = ")
        query.appendInterpolation(bind: list.rawValue)
        query.appendLiteral(" AND account_id IN (")
        query.appendInterpolation(ids: accounts.map(\.rawValue))
        query.appendLiteral(")")
        try await self.sql.raw(query).run()
    }

    /// Removes an account from every list of `owner` (after an unfollow or a block).
    package func removeFromLists(of owner: Account.ID, member: Account.ID) async throws {
        try await self.sql.raw(
            """
            DELETE FROM list_accounts WHERE account_id = \(bind: member.rawValue)
            AND list_id IN (SELECT id FROM lists WHERE account_id = \(bind: owner.rawValue))
            """
        ).run()
    }

    /// A page of a list's members, paged by membership id.
    package func listMembers(_ list: AccountList.ID, page: PageRequest) async throws -> [(Int64, Account)] {
        var query = Statement(
            "SELECT \(unsafeRaw: AccountRow.columns("a")), la.id FROM list_accounts la JOIN accounts a ON a.id = la.account_id WHERE la.list_id = "
        )
        query.appendInterpolation(bind: list.rawValue)
        return try await self.accountPage(query, column: "la.id", page: page)
    }

    /// The owner's lists that contain `member`.
    package func lists(of owner: Account.ID, containing member: Account.ID) async throws -> [AccountList] {
        try await self.sql.raw(
            """
            SELECT l.* FROM lists l JOIN list_accounts la ON la.list_id = l.id
            WHERE l.account_id = \(bind: owner.rawValue) AND la.account_id = \(bind: member.rawValue) ORDER BY l.title
            """
        ).all().map { try $0.decode(model: ListRow.self).list() }
    }

    /// A page of status ids by a list's members, newest first, following its replies policy.
    package func listTimeline(_ list: AccountList, page: PageRequest) async throws -> [Status.ID] {
        var query = SQLQueryString(
            "SELECT s.id AS id FROM statuses s JOIN list_accounts la ON la.account_id = s.account_id WHERE la.list_id = "
        )
        query.appendInterpolation(bind: list.id.rawValue)
        query.appendLiteral(" AND s.visibility IN ('public', 'unlisted', 'private')")
        switch list.repliesPolicy {
        case .none:
            query.appendLiteral(" AND (s.in_reply_to_account_id IS NULL OR s.in_reply_to_account_id = s.account_id)")
        case .list:
            // Replies to members, to oneself, and to the list's owner (as Mastodon shows them).
            query.appendLiteral(
                " AND (s.in_reply_to_account_id IS NULL OR s.in_reply_to_account_id = s.account_id OR s.in_reply_to_account_id = "
            )
            query.appendInterpolation(bind: list.accountID.rawValue)
            query.appendLiteral(
                " OR s.in_reply_to_account_id IN (SELECT account_id FROM list_accounts WHERE list_id = "
            )
            query.appendInterpolation(bind: list.id.rawValue)
            query.appendLiteral("))")
        case .followed:
            query.appendLiteral(
                " AND (s.in_reply_to_account_id IS NULL OR s.in_reply_to_account_id = s.account_id OR s.in_reply_to_account_id IN (SELECT target_account_id FROM follows WHERE account_id = "
            )
            query.appendInterpolation(bind: list.accountID.rawValue)
            query.appendLiteral("))")
        }
        let rows = try await self.sql.raw(Self.paged(query, column: "s.id", page: page)).all()
        return try Self.ordered(rows, page: page).map { Status.ID(try $0.decode(column: "id", as: Int64.self)) }
    }

    /// The account's markers for the given timelines.
    package func markers(of account: Account.ID, timelines: [String]) async throws -> [Marker] {
        guard !timelines.isEmpty else { return [] }
        var query = SQLQueryString(
            "SELECT timeline, last_read_id, version, updated_at FROM markers WHERE account_id = "
        )
        query.appendInterpolation(bind: account.rawValue)
        query.appendLiteral(" AND timeline IN (")
        query.appendInterpolation(binds: timelines)
        query.appendLiteral(")")
        return try await self.sql.raw(query).all().map { row in
            Marker(
                timeline: try row.decode(column: "timeline", as: String.self),
                lastReadID: try row.decode(column: "last_read_id", as: String.self),
                version: try row.decode(column: "version", as: Int.self),
                updatedAt: Date(millisecondsSince1970: try row.decode(column: "updated_at", as: Int64.self))
            )
        }
    }

    /// Moves a marker, bumping its version.
    package func saveMarker(of account: Account.ID, timeline: String, lastReadID: String) async throws {
        try await self.sql.raw(
            """
            INSERT INTO markers (account_id, timeline, last_read_id, version, updated_at)
            VALUES (\(bind: account.rawValue), \(bind: timeline), \(bind: lastReadID), 0, \(bind: self.nowMillis))
            ON CONFLICT (account_id, timeline) DO UPDATE SET last_read_id = \(bind: lastReadID),
                version = markers.version + 1, updated_at = \(bind: self.nowMillis)
            """
        ).run()
    }
}
