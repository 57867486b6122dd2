import Core
import Foundation
import SQLKit

/// One followed account as the following export lists it.
package struct FollowExportRow: Sendable, Equatable {
    package var accountID: Account.ID
    package var username: String
    /// `nil` for a local account.
    package var domain: String?
    package var showReblogs: Bool
    package var notify: Bool
    package var languages: [String]
}

extension DBSession {
    /// Everyone `account` follows, oldest follow first, with the follow's options.
    package func followingForExport(_ account: Account.ID) async throws -> [FollowExportRow] {
        try await self.sql.raw(
            """
            SELECT a.id, a.username, a.domain, f.show_reblogs, f.notify, f.languages FROM follows f
            JOIN accounts a ON a.id = f.target_account_id
            WHERE f.account_id = \(bind: account.rawValue) ORDER BY f.id
            """
        ).all().map { row in
            let languages = try row.decode(column: "languages", as: String?.self)
            return FollowExportRow(
                accountID: Account.ID(try row.decode(column: "id", as: Int64.self)),
                username: try row.decode(column: "username", as: String.self),
                domain: try row.decode(column: "domain", as: String?.self),
                showReblogs: try row.decode(column: "show_reblogs", as: Bool.self),
                notify: try row.decode(column: "notify", as: Bool.self),
                languages: languages.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
            )
        }
    }

    /// Accounts `account` mutes (with whether their notifications are hidden too) or blocks (always
    /// "hidden"), oldest first.
    package func relationsForExport(_ account: Account.ID, mutes: Bool) async throws -> [(
        accountID: Account.ID, username: String, domain: String?, hideNotifications: Bool
    )] {
        let sql: SQLQueryString =
            mutes
            ? """
            SELECT a.id, a.username, a.domain, m.hide_notifications FROM mutes m JOIN accounts a ON a.id = m.target_account_id
            WHERE m.account_id = \(bind: account.rawValue) ORDER BY m.id
            """
            : """
            SELECT a.id, a.username, a.domain, TRUE AS hide_notifications FROM blocks b
            JOIN accounts a ON a.id = b.target_account_id WHERE b.account_id = \(bind: account.rawValue) ORDER BY b.id
            """
        return try await self.sql.raw(sql).all().map { row in
            (
                Account.ID(try row.decode(column: "id", as: Int64.self)),
                try row.decode(column: "username", as: String.self),
                try row.decode(column: "domain", as: String?.self),
                try row.decode(column: "hide_notifications", as: Bool.self)
            )
        }
    }

    /// Every member of every list of `account`: (list title, username, domain), by list then member.
    package func listMembersForExport(_ account: Account.ID) async throws -> [(
        title: String, username: String, domain: String?
    )] {
        try await self.sql.raw(
            """
            SELECT l.title, a.username, a.domain FROM lists l
            JOIN list_accounts la ON la.list_id = l.id JOIN accounts a ON a.id = la.account_id
            WHERE l.account_id = \(bind: account.rawValue) ORDER BY l.id, la.id
            """
        ).all().map { row in
            (
                try row.decode(column: "title", as: String.self),
                try row.decode(column: "username", as: String.self),
                try row.decode(column: "domain", as: String?.self)
            )
        }
    }

    /// The ActivityPub ids of the statuses `account` bookmarked (`favourites: false`) or favourited,
    /// oldest first.
    package func statusURIsForExport(_ account: Account.ID, favourites: Bool) async throws -> [String] {
        let sql: SQLQueryString =
            favourites
            ? """
            SELECT s.uri FROM favourites x JOIN statuses s ON s.id = x.status_id
            WHERE x.account_id = \(bind: account.rawValue) ORDER BY x.id
            """
            : """
            SELECT s.uri FROM bookmarks x JOIN statuses s ON s.id = x.status_id
            WHERE x.account_id = \(bind: account.rawValue) ORDER BY x.id
            """
        return try await self.sql.raw(sql).all().map { try $0.decode(column: "uri", as: String.self) }
    }

    /// The domains `account` blocks, oldest first.
    package func accountDomainBlocksForExport(_ account: Account.ID) async throws -> [String] {
        try await self.sql.raw(
            "SELECT domain FROM account_domain_blocks WHERE account_id = \(bind: account.rawValue) ORDER BY id"
        ).all().map { try $0.decode(column: "domain", as: String.self) }
    }
}
