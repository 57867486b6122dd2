import Core
import Foundation
import SQLKit

extension DBSession {
    /// Records (or refreshes the options of) a follow request; returns true when it is new.
    package func upsertFollowRequest(_ request: Follow) async throws -> Bool {
        let languages = try request.languages.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        let inserted = try await self.sql.raw(
            """
            INSERT INTO follow_requests (id, account_id, target_account_id, show_reblogs, notify, languages, created_at)
            VALUES (\(bind: request.id.rawValue), \(bind: request.accountID.rawValue),
                \(bind: request.targetAccountID.rawValue), \(bind: request.showReblogs), \(bind: request.notify),
                \(bind: languages), \(bind: request.createdAt.millisecondsSince1970))
            ON CONFLICT (account_id, target_account_id)
            DO UPDATE SET show_reblogs = \(bind: request.showReblogs), notify = \(bind: request.notify),
                languages = \(bind: languages)
            RETURNING id
            """
        ).all()
        let id = try inserted.first?.decode(column: "id", as: Int64.self)
        return id == request.id.rawValue
    }

    /// The pending request from `account` to `target`, if any.
    package func followRequest(from account: Account.ID, to target: Account.ID) async throws -> Follow? {
        try await self.sql.raw(
            """
            SELECT * FROM follow_requests
            WHERE account_id = \(bind: account.rawValue) AND target_account_id = \(bind: target.rawValue)
            """
        ).first()?.decode(model: FollowRow.self).follow()
    }

    /// Removes a pending request; returns whether there was one.
    package func deleteFollowRequest(from account: Account.ID, to target: Account.ID) async throws -> Bool {
        let rows = try await self.sql.raw(
            """
            DELETE FROM follow_requests
            WHERE account_id = \(bind: account.rawValue) AND target_account_id = \(bind: target.rawValue) RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    /// Which of `targets` the account asked to follow (`outgoing`), or which of `accounts` asked to follow it.
    package func pendingRequests(of account: Account.ID, among others: [Account.ID], outgoing: Bool) async throws
        -> Set<Account.ID>
    {
        guard !others.isEmpty else { return [] }
        let (mine, theirs) = outgoing ? ("account_id", "target_account_id") : ("target_account_id", "account_id")
        let rows = try await self.sql.select().column(SQLColumn(theirs)).from("follow_requests")
            .where(SQLColumn(mine), .equal, SQLBind(account.rawValue))
            .where(SQLColumn(theirs), .in, SQLIntegerList.group(others.map(\.rawValue))).all()
        return Set(try rows.map { Account.ID(try $0.decode(column: theirs, as: Int64.self)) })
    }

    /// A page of accounts waiting for `target` to accept them, newest first, paged by request id.
    package func followRequestPage(to target: Account.ID, page: PageRequest) async throws -> [(Int64, Account)] {
        var query = Statement(
            "SELECT \(unsafeRaw: AccountRow.columns("a")), r.id FROM follow_requests r JOIN accounts a ON a.id = r.account_id WHERE r.target_account_id = "
        )
        query.appendInterpolation(bind: target.rawValue)
        return try await self.accountPage(query, column: "r.id", page: page)
    }

    /// How many requests wait for `target` (`source.follow_requests_count`).
    package func followRequestCount(to target: Account.ID) async throws -> Int {
        try await self.sql.raw(
            "SELECT COUNT(*) AS n FROM follow_requests WHERE target_account_id = \(bind: target.rawValue)"
        ).first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
