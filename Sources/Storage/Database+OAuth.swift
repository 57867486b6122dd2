import Core
import Foundation
import SQLKit

struct ApplicationRow: Decodable {
    var id: Int64
    var name: String
    var website: String?
    var redirectUris: String
    var scopes: String
    var clientId: String
    var clientSecretHash: String
    var createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case id, name, website
        case redirectUris = "redirect_uris"
        case scopes
        case clientId = "client_id"
        case clientSecretHash = "client_secret_hash"
        case createdAt = "created_at"
    }

    func application() -> OAuthApplication {
        OAuthApplication(
            id: OAuthApplication.ID(self.id),
            name: self.name,
            website: self.website,
            redirectURIs: self.redirectUris.split(separator: "\n").map(String.init),
            scopes: ScopeSet.stored(self.scopes),
            clientID: self.clientId,
            clientSecretHash: self.clientSecretHash,
            createdAt: Date(millisecondsSince1970: self.createdAt)
        )
    }
}

struct CodeRow: Decodable {
    var id: Int64
    var applicationId: Int64
    var userId: Int64
    var redirectUri: String
    var scopes: String
    var codeChallenge: String?
    var codeChallengeMethod: String?
    var expiresAt: Int64
    var usedAt: Int64?

    enum CodingKeys: String, CodingKey {
        case id
        case applicationId = "application_id"
        case userId = "user_id"
        case redirectUri = "redirect_uri"
        case scopes
        case codeChallenge = "code_challenge"
        case codeChallengeMethod = "code_challenge_method"
        case expiresAt = "expires_at"
        case usedAt = "used_at"
    }

    func code() -> AuthorizationCode {
        AuthorizationCode(
            id: AuthorizationCode.ID(self.id),
            applicationID: OAuthApplication.ID(self.applicationId),
            userID: User.ID(self.userId),
            redirectURI: self.redirectUri,
            scopes: ScopeSet.stored(self.scopes),
            codeChallenge: self.codeChallenge,
            codeChallengeMethod: self.codeChallengeMethod,
            expiresAt: Date(millisecondsSince1970: self.expiresAt),
            usedAt: self.usedAt.map(Date.init(millisecondsSince1970:))
        )
    }
}

/// A live token and what decides whether whoever it acts for may act: the answer to "who is calling?" on
/// every request.
package struct TokenGrant: Sendable, Equatable {
    /// The user a token acts for, and the standing of the user and its account.
    package struct Holder: Sendable, Equatable {
        package let userID: User.ID
        package let accountID: Account.ID
        package let confirmed: Bool
        package let approved: Bool
        package let suspended: Bool
    }

    package let tokenID: AccessToken.ID
    package let applicationID: OAuthApplication.ID?
    package let scopes: ScopeSet
    /// Nil for an application's own token (client credentials).
    package let holder: Holder?
}

extension DBSession {
    /// Inserts an application.
    package func insertApplication(_ app: OAuthApplication) async throws {
        try await self.sql.raw(
            """
            INSERT INTO oauth_applications (id, name, website, redirect_uris, scopes, client_id, client_secret_hash,
                created_at)
            VALUES (\(bind: app.id.rawValue), \(bind: app.name), \(bind: app.website),
                \(bind: app.redirectURIs.joined(separator: "\n")), \(bind: app.scopes.description),
                \(bind: app.clientID), \(bind: app.clientSecretHash), \(bind: app.createdAt.millisecondsSince1970))
            """
        ).run()
    }

    /// The application with this client id.
    package func application(clientID: String) async throws -> OAuthApplication? {
        try await self.sql.raw("SELECT * FROM oauth_applications WHERE client_id = \(bind: clientID)").first()?
            .decode(model: ApplicationRow.self).application()
    }

    /// The application with this id.
    package func application(id: OAuthApplication.ID) async throws -> OAuthApplication? {
        try await self.sql.raw("SELECT * FROM oauth_applications WHERE id = \(bind: id.rawValue)").first()?
            .decode(model: ApplicationRow.self).application()
    }

    /// Stores a token under the hash of its secret.
    package func insertToken(_ token: AccessToken, hash: String) async throws {
        try await self.sql.raw(
            """
            INSERT INTO oauth_access_tokens (id, token_hash, application_id, user_id, scopes, created_at, last_used_at)
            VALUES (\(bind: token.id.rawValue), \(bind: hash), \(bind: token.applicationID?.rawValue),
                \(bind: token.userID?.rawValue), \(bind: token.scopes.description),
                \(bind: token.createdAt.millisecondsSince1970), \(bind: token.createdAt.millisecondsSince1970))
            """
        ).run()
    }

    /// The unrevoked token with this hash, with its user's and account's standing (one query).
    ///
    /// Every signed-in request runs it, so it reads only the eight columns that decide who is calling, not the
    /// token's, user's and account's rows (about fifty columns, which it used to compare with kept copies).
    package func tokenGrant(hash: String) async throws -> TokenGrant? {
        try await self.row(
            """
            SELECT t.id, t.application_id, t.scopes, u.id, a.id, u.confirmed_at, u.approved, a.suspended_at
            FROM oauth_access_tokens t
            LEFT JOIN users u ON u.id = t.user_id
            LEFT JOIN accounts a ON a.id = u.account_id
            WHERE t.token_hash = \(bind: hash) AND t.revoked_at IS NULL
            """
        ) { row in
            let holder = try row.optionalInt64(3).map { userID in
                TokenGrant.Holder(
                    userID: User.ID(userID),
                    accountID: Account.ID(try row.int64(4)),
                    confirmed: !row.isNull(5),
                    approved: try row.bool(6),
                    suspended: !row.isNull(7)
                )
            }
            return TokenGrant(
                tokenID: AccessToken.ID(try row.int64(0)),
                applicationID: try row.optionalInt64(1).map { OAuthApplication.ID($0) },
                scopes: ScopeSet.stored(try row.string(2)),
                holder: holder
            )
        }
    }

    /// Revokes the token with this hash if it belongs to the application; returns whether one was revoked.
    package func revokeToken(hash: String, applicationID: OAuthApplication.ID) async throws -> Bool {
        let rows = try await self.sql.raw(
            """
            UPDATE oauth_access_tokens SET revoked_at = \(bind: self.nowMillis)
            WHERE token_hash = \(bind: hash) AND application_id = \(bind: applicationID.rawValue) AND revoked_at IS NULL
            RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    /// Revokes every token of a user (password reset, suspension).
    package func revokeTokens(userID: User.ID) async throws {
        try await self.sql.raw(
            """
            UPDATE oauth_access_tokens SET revoked_at = \(bind: self.nowMillis)
            WHERE user_id = \(bind: userID.rawValue) AND revoked_at IS NULL
            """
        ).run()
    }

    /// Stores an authorization code under the hash of its secret.
    package func insertAuthorizationCode(_ code: AuthorizationCode, hash: String) async throws {
        try await self.sql.raw(
            """
            INSERT INTO oauth_authorization_codes (id, code_hash, application_id, user_id, redirect_uri, scopes,
                code_challenge, code_challenge_method, expires_at)
            VALUES (\(bind: code.id.rawValue), \(bind: hash), \(bind: code.applicationID.rawValue),
                \(bind: code.userID.rawValue), \(bind: code.redirectURI), \(bind: code.scopes.description),
                \(bind: code.codeChallenge), \(bind: code.codeChallengeMethod),
                \(bind: code.expiresAt.millisecondsSince1970))
            """
        ).run()
    }

    /// Marks the code with this hash used and returns it, only if it was unused: a code works once.
    package func consumeAuthorizationCode(hash: String) async throws -> AuthorizationCode? {
        try await self.sql.raw(
            """
            UPDATE oauth_authorization_codes SET used_at = \(bind: self.nowMillis)
            WHERE code_hash = \(bind: hash) AND used_at IS NULL
            RETURNING *
            """
        ).first()?.decode(model: CodeRow.self).code()
    }

    /// Deletes codes past expiry and tokens revoked before `cutoff`; returns how many rows went.
    package func pruneOAuth(revokedBefore cutoff: Date) async throws -> Int {
        let codes = try await self.sql.raw(
            "DELETE FROM oauth_authorization_codes WHERE expires_at < \(bind: self.nowMillis) RETURNING id"
        ).all().count
        let tokens = try await self.sql.raw(
            """
            DELETE FROM oauth_access_tokens
            WHERE revoked_at IS NOT NULL AND revoked_at < \(bind: cutoff.millisecondsSince1970) RETURNING id
            """
        ).all().count
        return codes + tokens
    }

    /// Starts a browser session for a user.
    package func insertWebSession(id: Int64, hash: String, userID: User.ID) async throws {
        try await self.sql.raw(
            """
            INSERT INTO web_sessions (id, token_hash, user_id, created_at, last_seen_at)
            VALUES (\(bind: id), \(bind: hash), \(bind: userID.rawValue), \(bind: self.nowMillis), \(bind: self.nowMillis))
            """
        ).run()
    }

    /// The user of a browser session, if the session exists.
    package func webSessionUser(hash: String) async throws -> User? {
        try await self.users(
            """
            SELECT \(unsafeRaw: UserRow.columns("u")) FROM web_sessions s JOIN users u ON u.id = s.user_id
            WHERE s.token_hash = \(bind: hash)
            """
        ).first
    }

    /// Ends a browser session.
    package func deleteWebSession(hash: String) async throws {
        try await self.sql.raw("DELETE FROM web_sessions WHERE token_hash = \(bind: hash)").run()
    }

    /// Ends every browser session of a user but the one whose hash is `except`.
    package func deleteWebSessions(userID: User.ID, except kept: String? = nil) async throws {
        try await self.sql.raw(
            """
            DELETE FROM web_sessions WHERE user_id = \(bind: userID.rawValue)
                AND token_hash <> \(bind: kept ?? "")
            """
        ).run()
    }
}

extension DBSession {
    /// The applications holding live tokens of a user, most recently authorized first.
    package func authorizedApplications(userID: User.ID) async throws -> [AuthorizedApplication] {
        struct Row: Decodable {
            var applicationId: Int64
            var scopes: String
            var createdAt: Int64
            var lastUsedAt: Int64?
            enum CodingKeys: String, CodingKey {
                case applicationId = "application_id"
                case scopes
                case createdAt = "created_at"
                case lastUsedAt = "last_used_at"
            }
        }
        let rows = try await self.sql.raw(
            """
            SELECT application_id, scopes, created_at, last_used_at FROM oauth_access_tokens
            WHERE user_id = \(bind: userID.rawValue) AND revoked_at IS NULL AND application_id IS NOT NULL
            ORDER BY created_at
            """
        ).all(decoding: Row.self)
        var byApp: [Int64: AuthorizedApplication] = [:]
        var order: [Int64] = []
        for row in rows {
            let scopes = ScopeSet(parsing: row.scopes) ?? ScopeSet([])
            let used = row.lastUsedAt.map(Date.init(millisecondsSince1970:))
            if var entry = byApp[row.applicationId] {
                entry.scopes = ScopeSet(
                    entry.scopes.scopes + scopes.scopes.filter { !entry.scopes.scopes.contains($0) }
                )
                if let used, used > (entry.lastUsedAt ?? .distantPast) { entry.lastUsedAt = used }
                byApp[row.applicationId] = entry
            } else if let app = try await self.application(id: OAuthApplication.ID(row.applicationId)) {
                byApp[row.applicationId] = AuthorizedApplication(
                    application: app,
                    scopes: scopes,
                    authorizedAt: Date(millisecondsSince1970: row.createdAt),
                    lastUsedAt: used
                )
                order.append(row.applicationId)
            }
        }
        return order.reversed().compactMap { byApp[$0] }
    }

    /// Revokes every token a user gave one application; returns whether any was live.
    package func revokeTokens(userID: User.ID, applicationID: OAuthApplication.ID) async throws -> Bool {
        let rows = try await self.sql.raw(
            """
            UPDATE oauth_access_tokens SET revoked_at = \(bind: self.nowMillis)
            WHERE user_id = \(bind: userID.rawValue) AND application_id = \(bind: applicationID.rawValue)
                AND revoked_at IS NULL
            RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }
}
