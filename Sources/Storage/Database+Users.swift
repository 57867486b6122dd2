import Core
import Foundation
import SQLKit
import Synchronization

/// Settings texts already decoded, by their text.
private let decodedSettings = Mutex<[String: UserSettings]>([:])

/// A `users` row as stored.
struct UserRow: PositionalRow {
    var id: Int64
    var accountId: Int64
    var email: String
    var passwordHash: String
    var role: String
    var confirmedAt: Int64?
    var approved: Bool
    var reason: String?
    var locale: String
    var settings: String
    var createdAt: Int64

    static let columnNames = [
        "id", "account_id", "email", "password_hash", "role", "confirmed_at", "approved", "reason", "locale",
        "settings", "created_at",
    ]

    init(_ row: ColumnReader, at start: Int = 0) throws {
        self.id = try row.int64(start + 0)
        self.accountId = try row.int64(start + 1)
        self.email = try row.string(start + 2)
        self.passwordHash = try row.string(start + 3)
        self.role = try row.string(start + 4)
        self.confirmedAt = try row.optionalInt64(start + 5)
        self.approved = try row.bool(start + 6)
        self.reason = try row.optionalString(start + 7)
        self.locale = try row.string(start + 8)
        self.settings = try row.string(start + 9)
        self.createdAt = try row.int64(start + 10)
    }

    /// The settings a `settings` column holds. Decoded once per distinct text (most users share a few): a
    /// `JSONDecoder` run on every signed-in request measured at 8 % of the CPU of a small one.
    static func settings(decoding text: String) -> UserSettings {
        if let decoded = decodedSettings.withLock({ $0[text] }) { return decoded }
        let decoded = (try? JSONDecoder().decode(UserSettings.self, from: Data(text.utf8))) ?? UserSettings()
        decodedSettings.withLock { cache in
            if cache.count >= 1_000 { cache.removeAll() }
            cache[text] = decoded
        }
        return decoded
    }

    func user() throws -> User {
        let settings = Self.settings(decoding: self.settings)
        return User(
            id: User.ID(self.id),
            accountID: Account.ID(self.accountId),
            email: self.email,
            passwordHash: self.passwordHash,
            role: User.Role(rawValue: self.role) ?? .user,
            confirmedAt: self.confirmedAt.map(Date.init(millisecondsSince1970:)),
            approved: self.approved,
            reason: self.reason,
            locale: self.locale,
            settings: settings,
            createdAt: Date(millisecondsSince1970: self.createdAt)
        )
    }
}

extension DBSession {
    /// The users `query` reads; it selects `UserRow.columnList`.
    func users(_ query: Statement) async throws -> [User] {
        try await self.rows(query) { try UserRow($0).user() }
    }

    /// The user with this id.
    package func user(id: User.ID) async throws -> User? {
        try await self.users("SELECT \(unsafeRaw: UserRow.columnList) FROM users WHERE id = \(bind: id.rawValue)").first
    }

    /// The user of a local account.
    package func user(accountID: Account.ID) async throws -> User? {
        try await self.users(
            "SELECT \(unsafeRaw: UserRow.columnList) FROM users WHERE account_id = \(bind: accountID.rawValue)"
        ).first
    }

    /// The user with this email, case-insensitively.
    package func user(email: String) async throws -> User? {
        try await self.users(
            "SELECT \(unsafeRaw: UserRow.columnList) FROM users WHERE lower(email) = \(bind: email.lowercased())"
        ).first
    }

    /// Inserts a user. Throws `StorageError.duplicate` when the email is taken.
    package func insertUser(_ user: User) async throws {
        try await self.sql.raw(
            """
            INSERT INTO users (id, account_id, email, password_hash, role, confirmed_at, approved, reason, locale,
                settings, created_at)
            VALUES (\(bind: user.id.rawValue), \(bind: user.accountID.rawValue), \(bind: user.email),
                \(bind: user.passwordHash), \(bind: user.role.rawValue), \(bind: user.confirmedAt?.millisecondsSince1970),
                \(bind: user.approved), \(bind: user.reason), \(bind: user.locale),
                \(bind: try Self.encodeSettings(user.settings)), \(bind: user.createdAt.millisecondsSince1970))
            """
        ).run()
    }

    /// Replaces a user's password hash.
    package func updatePassword(_ id: User.ID, hash: String) async throws {
        try await self.sql.raw("UPDATE users SET password_hash = \(bind: hash) WHERE id = \(bind: id.rawValue)").run()
    }

    /// Marks a user's email as confirmed (and approves them: the admin vouches for the account).
    package func confirmUser(_ id: User.ID) async throws {
        try await self.sql.raw(
            """
            UPDATE users SET confirmed_at = COALESCE(confirmed_at, \(bind: self.nowMillis)), approved = TRUE
            WHERE id = \(bind: id.rawValue)
            """
        ).run()
    }

    /// Writes a user's preferences and locale.
    package func updateSettings(_ id: User.ID, settings: UserSettings, locale: String) async throws {
        try await self.sql.raw(
            """
            UPDATE users SET settings = \(bind: try Self.encodeSettings(settings)), locale = \(bind: locale)
            WHERE id = \(bind: id.rawValue)
            """
        ).run()
    }

    private static func encodeSettings(_ settings: UserSettings) throws -> String {
        String(decoding: try JSONEncoder().encode(settings), as: UTF8.self)
    }
}

extension DBSession {
    /// Approves a sign-up (approval mode). Returns false when the user was already approved.
    package func approveUser(_ id: User.ID) async throws -> Bool {
        let rows = try await self.sql.raw(
            "UPDATE users SET approved = TRUE WHERE id = \(bind: id.rawValue) AND approved = FALSE RETURNING id"
        ).all()
        return !rows.isEmpty
    }

    /// Removes a sign-up that was never approved: the account, its user, keys and tokens (by the
    /// foreign keys' cascades). Only unapproved users: false otherwise.
    package func deleteUnapprovedAccount(_ accountID: Account.ID) async throws -> Bool {
        let rows = try await self.sql.raw(
            """
            DELETE FROM accounts WHERE id = \(bind: accountID.rawValue) AND domain IS NULL
                AND EXISTS (SELECT 1 FROM users u WHERE u.account_id = accounts.id AND u.approved = FALSE)
            RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }
}
