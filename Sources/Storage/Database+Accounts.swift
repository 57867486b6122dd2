import Core
import Foundation
import SQLKit

/// An `accounts` row as stored.
struct AccountRow: PositionalRow {
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

    static let columnNames = [
        "id", "username", "domain", "display_name", "note", "note_html", "fields", "locked", "bot", "discoverable",
        "indexable", "hide_collections", "uri", "url", "created_at", "updated_at", "suspended_at", "deleted_at",
        "moved_at", "followers_count", "following_count", "statuses_count", "last_status_at", "actor_type",
        "inbox_url", "shared_inbox_url", "outbox_url", "followers_url", "following_url", "featured_url",
        "avatar_remote_url", "header_remote_url", "avatar_key", "header_key", "also_known_as", "moved_to_uri",
        "fetched_at",
        // Last: read by `KeptRows`, not by `init`.
        "row_version",
    ]

    init(_ row: ColumnReader, at start: Int = 0) throws {
        self.id = try row.int64(start + 0)
        self.username = try row.string(start + 1)
        self.domain = try row.optionalString(start + 2)
        self.displayName = try row.string(start + 3)
        self.note = try row.string(start + 4)
        self.noteHtml = try row.string(start + 5)
        self.fields = try row.string(start + 6)
        self.locked = try row.bool(start + 7)
        self.bot = try row.bool(start + 8)
        self.discoverable = try row.bool(start + 9)
        self.indexable = try row.bool(start + 10)
        self.hideCollections = try row.bool(start + 11)
        self.uri = try row.string(start + 12)
        self.url = try row.optionalString(start + 13)
        self.createdAt = try row.int64(start + 14)
        self.updatedAt = try row.int64(start + 15)
        self.suspendedAt = try row.optionalInt64(start + 16)
        self.deletedAt = try row.optionalInt64(start + 17)
        self.movedAt = try row.optionalInt64(start + 18)
        self.followersCount = try row.int(start + 19)
        self.followingCount = try row.int(start + 20)
        self.statusesCount = try row.int(start + 21)
        self.lastStatusAt = try row.optionalInt64(start + 22)
        self.actorType = try row.optionalString(start + 23)
        self.inboxUrl = try row.optionalString(start + 24)
        self.sharedInboxUrl = try row.optionalString(start + 25)
        self.outboxUrl = try row.optionalString(start + 26)
        self.followersUrl = try row.optionalString(start + 27)
        self.followingUrl = try row.optionalString(start + 28)
        self.featuredUrl = try row.optionalString(start + 29)
        self.avatarRemoteUrl = try row.optionalString(start + 30)
        self.headerRemoteUrl = try row.optionalString(start + 31)
        self.avatarKey = try row.optionalString(start + 32)
        self.headerKey = try row.optionalString(start + 33)
        self.alsoKnownAs = try row.optionalString(start + 34)
        self.movedToUri = try row.optionalString(start + 35)
        self.fetchedAt = try row.optionalInt64(start + 36)
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
        var fieldRows: [FieldRow] = []
        do {
            if self.fields != "[]" {
                fieldRows = try JSONDecoder().decode([FieldRow].self, from: Data(self.fields.utf8))
            }
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

extension DBSession {
    /// The accounts `query` reads; it selects `AccountRow.columnList` first (any other columns after).
    func accounts(_ query: Statement) async throws -> [Account] {
        try await self.rows(query) { try AccountRow.account($0) }
    }
}

extension DBSession {
    /// The account with this id, if any.
    package func account(id: Account.ID) async throws -> Account? {
        try await self.accounts(
            "SELECT \(unsafeRaw: AccountRow.columnList) FROM accounts WHERE id = \(bind: id.rawValue)"
        )
        .first
    }

    /// Accounts by id, in no particular order; unknown ids are skipped.
    package func accounts(ids: [Account.ID]) async throws -> [Account] {
        try await self.keptModels(ids.map(\.rawValue), table: "accounts", in: KeptRows.accounts) { missing in
            try await self.accounts(
                "SELECT \(unsafeRaw: AccountRow.columnList) FROM \(idTable: missing, as: "ids") CROSS JOIN accounts WHERE id = ids.value"
            )
        }
    }

    /// The account with this username on this domain (`nil` = local), case-insensitively.
    package func account(username: String, domain: String?) async throws -> Account? {
        if let domain {
            return try await self.accounts(
                """
                SELECT \(unsafeRaw: AccountRow.columnList) FROM accounts WHERE lower(username) = \(bind: username.lowercased())
                AND lower(domain) = \(bind: domain.lowercased())
                """
            ).first
        }
        return try await self.accounts(
            """
            SELECT \(unsafeRaw: AccountRow.columnList) FROM accounts
            WHERE lower(username) = \(bind: username.lowercased()) AND domain IS NULL
            """
        ).first
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
        var sql = Statement(
            """
            SELECT \(unsafeRaw: AccountRow.columns("a")), \(unsafeRaw: UserRow.columns("u"))
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
        return try await self.rows(sql) { row in
            (try AccountRow.account(row), try UserRow(row, at: AccountRow.columnNames.count).user())
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
