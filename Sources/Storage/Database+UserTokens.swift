import Core
import Foundation
import SQLKit

/// A `user_tokens` row as stored.
struct UserTokenRow: Decodable {
    var tokenHash: String
    var userId: Int64
    var purpose: String
    var email: String?
    var createdAt: Int64
    var expiresAt: Int64
    var attempts: Int?

    enum CodingKeys: String, CodingKey {
        case tokenHash = "token_hash"
        case userId = "user_id"
        case purpose, email, attempts
        case createdAt = "created_at"
        case expiresAt = "expires_at"
    }

    func token() -> UserToken? {
        guard let purpose = UserToken.Purpose(rawValue: self.purpose) else { return nil }
        var token = UserToken(
            hash: self.tokenHash,
            userID: User.ID(self.userId),
            purpose: purpose,
            email: self.email,
            createdAt: Date(millisecondsSince1970: self.createdAt),
            expiresAt: Date(millisecondsSince1970: self.expiresAt)
        )
        token.attempts = self.attempts ?? 0
        return token
    }
}

extension DBSession {
    /// Stores a one-time email secret, replacing the user's earlier ones of the same purpose:
    /// only the newest link works.
    package func replaceUserToken(_ token: UserToken) async throws {
        try await self.deleteUserTokens(userID: token.userID, purpose: token.purpose)
        try await self.sql.raw(
            """
            INSERT INTO user_tokens (token_hash, user_id, purpose, email, created_at, expires_at)
            VALUES (\(bind: token.hash), \(bind: token.userID.rawValue), \(bind: token.purpose.rawValue),
                \(bind: token.email), \(bind: token.createdAt.millisecondsSince1970),
                \(bind: token.expiresAt.millisecondsSince1970))
            """
        ).run()
    }

    /// Removes and returns the token with this hash and purpose if it has not expired: a link works once.
    /// An expired token is removed too, and nil returned.
    package func takeUserToken(hash: String, purpose: UserToken.Purpose) async throws -> UserToken? {
        let row = try await self.sql.raw(
            """
            DELETE FROM user_tokens WHERE token_hash = \(bind: hash) AND purpose = \(bind: purpose.rawValue)
            RETURNING *
            """
        ).first()?.decode(model: UserTokenRow.self)
        guard let token = row?.token(), token.expiresAt.millisecondsSince1970 > self.nowMillis else { return nil }
        return token
    }

    /// The user's pending token of this purpose, if any (the address an email change waits for).
    package func pendingUserToken(userID: User.ID, purpose: UserToken.Purpose) async throws -> UserToken? {
        try await self.sql.raw(
            """
            SELECT * FROM user_tokens WHERE user_id = \(bind: userID.rawValue) AND purpose = \(bind: purpose.rawValue)
                AND expires_at > \(bind: self.nowMillis)
            ORDER BY created_at DESC LIMIT 1
            """
        ).first()?.decode(model: UserTokenRow.self).token()
    }

    /// The live token with this hash and purpose, left in place (a sign-in challenge survives a wrong code).
    package func userToken(hash: String, purpose: UserToken.Purpose) async throws -> UserToken? {
        try await self.sql.raw(
            """
            SELECT * FROM user_tokens WHERE token_hash = \(bind: hash) AND purpose = \(bind: purpose.rawValue)
                AND expires_at > \(bind: self.nowMillis)
            """
        ).first()?.decode(model: UserTokenRow.self).token()
    }

    /// Counts a wrong code against a token; returns the new count.
    package func countFailedAttempt(hash: String) async throws -> Int {
        let row = try await self.sql.raw(
            "UPDATE user_tokens SET attempts = attempts + 1 WHERE token_hash = \(bind: hash) RETURNING attempts"
        ).first()
        return try row?.decode(column: "attempts", as: Int.self) ?? 0
    }

    /// Removes one token.
    package func deleteUserToken(hash: String) async throws {
        try await self.sql.raw("DELETE FROM user_tokens WHERE token_hash = \(bind: hash)").run()
    }

    /// Forgets the user's tokens of this purpose.
    package func deleteUserTokens(userID: User.ID, purpose: UserToken.Purpose) async throws {
        try await self.sql.raw(
            """
            DELETE FROM user_tokens WHERE user_id = \(bind: userID.rawValue) AND purpose = \(bind: purpose.rawValue)
            """
        ).run()
    }

    /// Sets a user's address to one they proved they read and marks it confirmed (keeping an earlier
    /// confirmation time). Does not approve: under approval mode an admin still decides.
    /// Throws `StorageError.duplicate` when another user took the address meanwhile.
    package func confirmEmail(_ id: User.ID, email: String) async throws {
        try await self.sql.raw(
            """
            UPDATE users SET email = \(bind: email), confirmed_at = COALESCE(confirmed_at, \(bind: self.nowMillis))
            WHERE id = \(bind: id.rawValue)
            """
        ).run()
    }
}
