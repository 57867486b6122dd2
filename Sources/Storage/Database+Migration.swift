import Core
import Foundation
import SQLKit

extension DBSession {
    /// Sets the actor URIs a local account says it also is (`alsoKnownAs`).
    package func updateAliases(_ account: Account.ID, _ aliases: [String]) async throws {
        try await self.sql.raw(
            """
            UPDATE accounts SET also_known_as = \(bind: AccountRow.encodeAliases(aliases)),
                updated_at = \(bind: self.nowMillis) WHERE id = \(bind: account.rawValue)
            """
        ).run()
    }

    /// Records that an account moved to `target` (its actor URI); `at` is kept for local accounts' cooldown.
    package func setMoved(_ account: Account.ID, to target: String, at date: Date?) async throws {
        try await self.sql.raw(
            """
            UPDATE accounts SET moved_to_uri = \(bind: target), moved_at = \(bind: date?.millisecondsSince1970),
                updated_at = \(bind: self.nowMillis) WHERE id = \(bind: account.rawValue)
            """
        ).run()
    }

    /// Local accounts following `account`, with their follow's options, oldest follow first.
    package func localFollows(of account: Account.ID) async throws -> [Follow] {
        try await self.sql.raw(
            """
            SELECT f.* FROM follows f JOIN accounts a ON a.id = f.account_id
            WHERE f.target_account_id = \(bind: account.rawValue) AND a.domain IS NULL ORDER BY f.id
            """
        ).all().map { try $0.decode(model: FollowRow.self).follow() }
    }
}
