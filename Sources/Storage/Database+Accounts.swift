import Core
import Foundation
import SQLKit

/// An `accounts` row as stored.
struct AccountRow: Decodable {
    var id: Int64
    var username: String
    var domain: String?
    var displayName: String
    var note: String
    var noteHtml: String
    var fields: String
    var locked: Bool
    var bot: Bool
    var discoverable: Bool
    var indexable: Bool
    var hideCollections: Bool
    var uri: String
    var url: String?
    var createdAt: Int64
    var updatedAt: Int64
    var suspendedAt: Int64?
    var deletedAt: Int64?
    var movedAt: Int64?
    var followersCount: Int
    var followingCount: Int
    var statusesCount: Int
    var lastStatusAt: Int64?
    var actorType: String?
    var inboxUrl: String?
    var sharedInboxUrl: String?
    var outboxUrl: String?
    var followersUrl: String?
    var followingUrl: String?
    var featuredUrl: String?
    var avatarRemoteUrl: String?
    var headerRemoteUrl: String?
    var avatarKey: String?
    var headerKey: String?
    var alsoKnownAs: String?
    var movedToUri: String?
    var fetchedAt: Int64?

    enum CodingKeys: String, CodingKey {
        case id, username, domain
        case displayName = "display_name"
        case note
        case noteHtml = "note_html"
        case fields, locked, bot
        case discoverable, indexable
        case hideCollections = "hide_collections"
        case uri, url
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case suspendedAt = "suspended_at"
        case deletedAt = "deleted_at"
        case movedAt = "moved_at"
        case followersCount = "followers_count"
        case followingCount = "following_count"
        case statusesCount = "statuses_count"
        case lastStatusAt = "last_status_at"
        case actorType = "actor_type"
        case inboxUrl = "inbox_url"
        case sharedInboxUrl = "shared_inbox_url"
        case outboxUrl = "outbox_url"
        case followersUrl = "followers_url"
        case followingUrl = "following_url"
        case featuredUrl = "featured_url"
        case avatarRemoteUrl = "avatar_remote_url"
        case headerRemoteUrl = "header_remote_url"
        case avatarKey = "avatar_key"
        case headerKey = "header_key"
        case alsoKnownAs = "also_known_as"
        case movedToUri = "moved_to_uri"
        case fetchedAt = "fetched_at"
    }

    /// Profile fields as JSON: dates as milliseconds.
    struct FieldRow: Codable {
        var name: String
        var value: String
        var valueHtml: String?
        var verifiedAt: Int64?
    }

    static func encodeFields(_ fields: [Account.Field]) throws -> String {
        let rows = fields.map {
            FieldRow(
                name: $0.name,
                value: $0.value,
                valueHtml: $0.valueHTML,
                verifiedAt: $0.verifiedAt?.millisecondsSince1970
            )
        }
        return String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)
    }

    func account() throws -> Account {
        let fieldRows: [FieldRow]
        do {
            fieldRows = try JSONDecoder().decode([FieldRow].self, from: Data(self.fields.utf8))
        } catch {
            throw StorageError.corruptRow("accounts.fields of \(self.id)")
        }
        var account = Account(
            id: Account.ID(self.id),
            username: self.username,
            domain: self.domain,
            displayName: self.displayName,
            note: self.note,
            noteHTML: self.noteHtml,
            fields: fieldRows.map {
                Account.Field(
                    name: $0.name,
                    value: $0.value,
                    valueHTML: $0.valueHtml,
                    verifiedAt: $0.verifiedAt.map(Date.init(millisecondsSince1970:))
                )
            },
            locked: self.locked,
            bot: self.bot,
            discoverable: self.discoverable,
            indexable: self.indexable,
            hideCollections: self.hideCollections,
            uri: self.uri,
            url: self.url,
            createdAt: Date(millisecondsSince1970: self.createdAt),
            updatedAt: Date(millisecondsSince1970: self.updatedAt),
            suspendedAt: self.suspendedAt.map(Date.init(millisecondsSince1970:)),
            followersCount: self.followersCount,
            followingCount: self.followingCount,
            statusesCount: self.statusesCount,
            lastStatusAt: self.lastStatusAt.map(Date.init(millisecondsSince1970:))
        )
        if self.domain != nil {
            account.actorType = self.actorType ?? "Person"
            account.endpoints = ActorEndpoints(
                inbox: self.inboxUrl,
                sharedInbox: self.sharedInboxUrl,
                outbox: self.outboxUrl,
                followers: self.followersUrl,
                following: self.followingUrl,
                featured: self.featuredUrl
            )
            account.avatarRemoteURL = self.avatarRemoteUrl
            account.headerRemoteURL = self.headerRemoteUrl
            account.fetchedAt = self.fetchedAt.map(Date.init(millisecondsSince1970:))
        } else {
            if let type = self.actorType { account.actorType = type }
        }
        // A local account's pictures, or a remote account's cached copies.
        account.avatarKey = self.avatarKey
        account.headerKey = self.headerKey
        if let aliases = self.alsoKnownAs, aliases != "[]" {
            account.alsoKnownAs = (try? JSONDecoder().decode([String].self, from: Data(aliases.utf8))) ?? []
        }
        account.movedToURI = self.movedToUri
        account.deletedAt = self.deletedAt.map(Date.init(millisecondsSince1970:))
        account.movedAt = self.movedAt.map(Date.init(millisecondsSince1970:))
        return account
    }

    static func encodeAliases(_ aliases: [String]) -> String {
        guard !aliases.isEmpty, let data = try? JSONEncoder().encode(aliases) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }
}

extension SQLRow {
    func decodeAccount() throws -> Account {
        try self.decode(model: AccountRow.self).account()
    }
}

extension DBSession {
    /// The account with this id, if any.
    package func account(id: Account.ID) async throws -> Account? {
        try await self.sql.raw("SELECT * FROM accounts WHERE id = \(bind: id.rawValue)").first()?.decodeAccount()
    }

    /// Accounts by id, in no particular order; unknown ids are skipped.
    package func accounts(ids: [Account.ID]) async throws -> [Account] {
        guard !ids.isEmpty else { return [] }
        return try await self.sql.select().column("*").from("accounts")
            .where("id", .in, ids.map(\.rawValue))
            .all().map { try $0.decodeAccount() }
    }

    /// The account with this username on this domain (`nil` = local), case-insensitively.
    package func account(username: String, domain: String?) async throws -> Account? {
        let row: (any SQLRow)?
        if let domain {
            row = try await self.sql.raw(
                """
                SELECT * FROM accounts WHERE lower(username) = \(bind: username.lowercased())
                AND lower(domain) = \(bind: domain.lowercased())
                """
            ).first()
        } else {
            row = try await self.sql.raw(
                "SELECT * FROM accounts WHERE lower(username) = \(bind: username.lowercased()) AND domain IS NULL"
            ).first()
        }
        return try row?.decodeAccount()
    }

    /// Inserts a new account. Throws `StorageError.duplicate` when the username or URI is taken.
    package func insertAccount(_ account: Account) async throws {
        try await self.sql.raw(
            """
            INSERT INTO accounts (id, username, domain, display_name, note, note_html, fields, locked, bot, discoverable,
                indexable, hide_collections, uri, url, created_at, updated_at, suspended_at, actor_type, inbox_url,
                shared_inbox_url, outbox_url, followers_url, following_url, featured_url, avatar_remote_url,
                header_remote_url, also_known_as, moved_to_uri, fetched_at)
            VALUES (\(bind: account.id.rawValue), \(bind: account.username), \(bind: account.domain),
                \(bind: account.displayName), \(bind: account.note), \(bind: account.noteHTML),
                \(bind: try AccountRow.encodeFields(account.fields)),
                \(bind: account.locked), \(bind: account.bot), \(bind: account.discoverable), \(bind: account.indexable),
                \(bind: account.hideCollections), \(bind: account.uri), \(bind: account.url),
                \(bind: account.createdAt.millisecondsSince1970), \(bind: account.updatedAt.millisecondsSince1970),
                \(bind: account.suspendedAt?.millisecondsSince1970), \(bind: account.actorType),
                \(bind: account.endpoints.inbox), \(bind: account.endpoints.sharedInbox),
                \(bind: account.endpoints.outbox), \(bind: account.endpoints.followers),
                \(bind: account.endpoints.following), \(bind: account.endpoints.featured),
                \(bind: account.avatarRemoteURL), \(bind: account.headerRemoteURL),
                \(bind: AccountRow.encodeAliases(account.alsoKnownAs)), \(bind: account.movedToURI),
                \(bind: account.fetchedAt?.millisecondsSince1970))
            """
        ).run()
    }

    /// Writes the editable profile columns of an account.
    package func updateProfile(_ account: Account) async throws {
        try await self.sql.raw(
            """
            UPDATE accounts SET display_name = \(bind: account.displayName), note = \(bind: account.note),
                note_html = \(bind: account.noteHTML),
                fields = \(bind: try AccountRow.encodeFields(account.fields)), locked = \(bind: account.locked),
                bot = \(bind: account.bot), discoverable = \(bind: account.discoverable),
                indexable = \(bind: account.indexable), hide_collections = \(bind: account.hideCollections),
                updated_at = \(bind: self.nowMillis)
            WHERE id = \(bind: account.id.rawValue)
            """
        ).run()
    }

    /// Rewrites an account's profile fields (their verification marks), nothing else.
    package func updateFields(_ id: Account.ID, fields: [Account.Field]) async throws {
        try await self.sql.raw(
            "UPDATE accounts SET fields = \(bind: try AccountRow.encodeFields(fields)) WHERE id = \(bind: id.rawValue)"
        ).run()
    }

    /// Points a local account's avatar (or header) at `key` (nil: back to the default picture).
    package func updateProfileImage(_ id: Account.ID, header: Bool, key: String?) async throws {
        let sql: SQLQueryString =
            header
            ? "UPDATE accounts SET header_key = \(bind: key), updated_at = \(bind: self.nowMillis) WHERE id = \(bind: id.rawValue)"
            : "UPDATE accounts SET avatar_key = \(bind: key), updated_at = \(bind: self.nowMillis) WHERE id = \(bind: id.rawValue)"
        try await self.sql.raw(sql).run()
    }

    /// Sets or clears the suspension of an account.
    package func updateSuspension(_ id: Account.ID, suspended: Bool) async throws {
        let value: Int64? = suspended ? self.nowMillis : nil
        try await self.sql.raw("UPDATE accounts SET suspended_at = \(bind: value) WHERE id = \(bind: id.rawValue)")
            .run()
    }

    /// Local accounts, newest first, with their users; at most `limit`.
    package func localAccounts(limit: Int = 1000) async throws -> [(Account, User)] {
        try await self.localAccounts(LocalAccountQuery(limit: limit))
    }

    /// Local accounts with their users matching `query` (the admin API's filters), one page of them.
    package func localAccounts(_ query: LocalAccountQuery) async throws -> [(Account, User)] {
        var sql = SQLQueryString(
            """
            SELECT a.*, u.id AS u_id, u.account_id AS u_account_id, u.email AS u_email,
                u.password_hash AS u_password_hash, u.role AS u_role, u.confirmed_at AS u_confirmed_at,
                u.approved AS u_approved, u.reason AS u_reason, u.locale AS u_locale, u.settings AS u_settings,
                u.created_at AS u_created_at
            FROM accounts a JOIN users u ON u.account_id = a.id WHERE a.domain IS NULL
            """
        )
        if query.pendingOnly { sql.appendLiteral(" AND u.approved = FALSE") }
        if query.staffOnly { sql.appendLiteral(" AND u.role <> 'user'") }
        if let username = query.usernameContains {
            sql.appendLiteral(" AND lower(a.username) LIKE ")
            sql.appendInterpolation(bind: "%" + Self.likePrefix(username.lowercased()))
            sql.appendLiteral(" ESCAPE '\\'")
        }
        if let email = query.emailContains {
            sql.appendLiteral(" AND lower(u.email) LIKE ")
            sql.appendInterpolation(bind: "%" + Self.likePrefix(email.lowercased()))
            sql.appendLiteral(" ESCAPE '\\'")
        }
        if let maxID = query.maxID {
            sql.appendLiteral(" AND a.id < ")
            sql.appendInterpolation(bind: maxID)
        }
        if let sinceID = query.sinceID {
            sql.appendLiteral(" AND a.id > ")
            sql.appendInterpolation(bind: sinceID)
        }
        sql.appendLiteral(query.oldestFirst ? " ORDER BY a.id ASC LIMIT " : " ORDER BY a.id DESC LIMIT ")
        sql.appendInterpolation(bind: query.limit)
        return try await self.sql.raw(sql).all().map { row in
            (
                try row.decodeAccount(),
                try row.decode(model: UserRow.self, prefix: "u_").user()
            )
        }
    }

    /// `text%` with LIKE's wildcards escaped.
    static func likePrefix(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped + "%"
    }
}
