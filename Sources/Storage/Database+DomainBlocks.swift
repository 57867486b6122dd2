import Core
import Foundation
import SQLKit

extension DBSession {
    /// Records that `account` blocks `domain` (lowercased); false when it already did.
    package func insertAccountDomainBlock(id: Int64, account: Account.ID, domain: String) async throws -> Bool {
        let rows = try await self.sql.raw(
            """
            INSERT INTO account_domain_blocks (id, account_id, domain, created_at)
            VALUES (\(bind: id), \(bind: account.rawValue), \(bind: domain.lowercased()), \(bind: self.nowMillis))
            ON CONFLICT (account_id, domain) DO NOTHING RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    /// Lifts a domain block; false when there was none.
    package func deleteAccountDomainBlock(account: Account.ID, domain: String) async throws -> Bool {
        let rows = try await self.sql.raw(
            """
            DELETE FROM account_domain_blocks WHERE account_id = \(bind: account.rawValue)
                AND domain = \(bind: domain.lowercased()) RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    /// A page of the domains `account` blocks, newest first, paged by row id.
    package func accountDomainBlocks(of account: Account.ID, page: PageRequest) async throws -> [(Int64, String)] {
        var sql = SQLQueryString("SELECT id, domain FROM account_domain_blocks WHERE account_id = ")
        sql.appendInterpolation(bind: account.rawValue)
        if let maxID = page.maxID {
            sql.appendLiteral(" AND id < ")
            sql.appendInterpolation(bind: maxID)
        }
        if let sinceID = page.sinceID ?? page.minID {
            sql.appendLiteral(" AND id > ")
            sql.appendInterpolation(bind: sinceID)
        }
        sql.appendLiteral(page.minID != nil ? " ORDER BY id ASC LIMIT " : " ORDER BY id DESC LIMIT ")
        sql.appendInterpolation(bind: page.limit)
        let rows = try await self.sql.raw(sql).all().map {
            (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "domain", as: String.self))
        }
        return page.minID != nil ? rows.reversed() : rows
    }

    /// Removes the follows of `account` by accounts on `domain` (a domain block drops those followers),
    /// with the counters; returns the removed followers.
    package func removeFollowers(of account: Account.ID, onDomain domain: String) async throws -> [Account.ID] {
        let followers = try await self.sql.raw(
            """
            SELECT f.account_id FROM follows f JOIN accounts a ON a.id = f.account_id
            WHERE f.target_account_id = \(bind: account.rawValue) AND lower(a.domain) = \(bind: domain.lowercased())
            """
        ).all().map { Account.ID(try $0.decode(column: "account_id", as: Int64.self)) }
        for follower in followers { _ = try await self.deleteFollow(from: follower, to: account) }
        return followers
    }
}
