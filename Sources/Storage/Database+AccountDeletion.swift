import Core
import Foundation
import SQLKit

extension DBSession {
    /// Deletes everything of an account. Every table referring to it cascades from its row, so nothing
    /// of it survives, including tables added later. Counters on other rows that its follows, favourites,
    /// reblogs and replies contributed to are lowered first.
    ///
    /// A local account leaves its tombstone: the row again under the same id, username and URI,
    /// suspended, empty, with `deleted_at` set and its signing key kept (for the `Delete` it still has to
    /// send), so the username stays reserved. A remote one (its server sent `Delete` of it) goes entirely.
    ///
    /// Returns the media store keys of its files (uploads, avatar, header), to be removed after commit.
    package func eraseAccount(_ account: Account, at now: Date) async throws -> [String] {
        let id = account.id.rawValue
        var keys = try await self.sql.raw(
            "SELECT file_key, preview_key FROM media_attachments WHERE account_id = \(bind: id)"
        ).all().flatMap { row -> [String] in
            [
                try? row.decode(column: "file_key", as: String.self),
                try? row.decode(column: "preview_key", as: String?.self),
            ]
            .compactMap { $0 ?? nil }
        }
        keys += [account.avatarKey, account.headerKey].compactMap { $0 }

        for statement: SQLQueryString in [
            """
            UPDATE accounts SET followers_count = CASE WHEN followers_count > 0 THEN followers_count - 1 ELSE 0 END
            WHERE id IN (SELECT target_account_id FROM follows WHERE account_id = \(bind: id))
            """,
            """
            UPDATE accounts SET following_count = CASE WHEN following_count > 0 THEN following_count - 1 ELSE 0 END
            WHERE id IN (SELECT account_id FROM follows WHERE target_account_id = \(bind: id))
            """,
            """
            UPDATE statuses SET favourites_count = CASE WHEN favourites_count > 0 THEN favourites_count - 1 ELSE 0 END
            WHERE id IN (SELECT status_id FROM favourites WHERE account_id = \(bind: id)) AND account_id <> \(bind: id)
            """,
            """
            UPDATE statuses SET reblogs_count = CASE WHEN reblogs_count > 0 THEN reblogs_count - 1 ELSE 0 END
            WHERE id IN (SELECT reblog_of_id FROM statuses WHERE account_id = \(bind: id) AND reblog_of_id IS NOT NULL)
                AND account_id <> \(bind: id)
            """,
            """
            UPDATE statuses SET replies_count = (
                SELECT count(*) FROM statuses r WHERE r.in_reply_to_id = statuses.id AND r.account_id <> \(bind: id))
            WHERE id IN (SELECT in_reply_to_id FROM statuses WHERE account_id = \(bind: id) AND in_reply_to_id IS NOT NULL)
                AND account_id <> \(bind: id)
            """,
        ] {
            try await self.sql.raw(statement).run()
        }

        let key = try await self.accountKey(of: account.id)
        try await self.sql.raw("DELETE FROM accounts WHERE id = \(bind: id)").run()
        guard account.isLocal else { return keys }
        var tombstone = Account(
            id: account.id,
            username: account.username,
            domain: nil,
            uri: account.uri,
            url: account.url,
            createdAt: account.createdAt,
            updatedAt: now
        )
        tombstone.suspendedAt = now
        tombstone.discoverable = false
        tombstone.indexable = false
        try await self.insertAccount(tombstone)
        try await self.sql.raw(
            "UPDATE accounts SET deleted_at = \(bind: now.millisecondsSince1970) WHERE id = \(bind: id)"
        ).run()
        if let key { try await self.insertAccountKey(key) }
        return keys
    }
}
