import Core
import Foundation
import Storage

/// OAuth 2 as Mastodon does it: apps, tokens (authorization code with PKCE, client credentials,
/// password), revocation, and turning a bearer token into a `Viewer`.
package struct OAuthProcessor: Sendable {
    let context: ProcessingContext

    init(_ context: ProcessingContext) {
        self.context = context
    }

    /// How long an authorization code stays usable.
    static let codeLifetime: TimeInterval = 600

    /// The result of `token`: what `/oauth/token` answers.
    package struct IssuedToken: Sendable, Equatable {
        package let accessToken: String
        package let scopes: ScopeSet
        package let createdAt: Date
    }

    /// An OAuth protocol error, answered as `{"error": code, "error_description": ...}`.
    package struct OAuthError: Error, Equatable, Sendable {
        package let code: String
        package let description: String
        /// 400, or 401 for `invalid_client`.
        package var status: Int { self.code == "invalid_client" ? 401 : 400 }

        package init(_ code: String, _ description: String) {
            self.code = code
            self.description = description
        }
    }

    // MARK: Applications

    /// Registers a client application; returns it with its client secret (shown once, stored hashed).
    package func registerApp(name: String, redirectURIs: [String], scopes: String?, website: String?) async throws
        -> (OAuthApplication, clientSecret: String)
    {
        let trimmedName = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmedName.isEmpty else {
            throw DomainError.validation("Validation failed: Application name can't be blank")
        }
        guard trimmedName.count <= 60 else {
            throw DomainError.validation("Validation failed: Application name is too long (maximum is 60 characters)")
        }
        let uris = redirectURIs.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        guard !uris.isEmpty else { throw DomainError.validation("Validation failed: Redirect URI can't be blank") }
        guard uris.count <= 10, uris.allSatisfy(Self.isAcceptableRedirectURI) else {
            throw DomainError.validation("Validation failed: Redirect URI must be an absolute URI.")
        }
        let scopeSet: ScopeSet
        if let scopes, !scopes.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let parsed = ScopeSet(parsing: scopes) else {
                throw DomainError.validation("Validation failed: Scopes doesn't match configured on the server.")
            }
            scopeSet = parsed
        } else {
            scopeSet = ScopeSet(["read"])
        }
        if let website, !website.isEmpty, URL(string: website)?.scheme == nil || website.count > 2000 {
            throw DomainError.validation("Validation failed: Website is invalid")
        }
        let secret = Secrets.token()
        let app = OAuthApplication(
            id: self.context.ids.next(),
            name: trimmedName,
            website: website?.isEmpty == true ? nil : website,
            redirectURIs: uris,
            scopes: scopeSet,
            clientID: Secrets.token(),
            clientSecretHash: Secrets.sha256Hex(secret),
            createdAt: self.context.clock.now()
        )
        try await self.context.db.transaction { try await $0.insertApplication(app) }
        return (app, secret)
    }

    /// Absolute URIs without fragments: https, http, custom app schemes (`com.example.app:/oauth`), or oob.
    static func isAcceptableRedirectURI(_ uri: String) -> Bool {
        if uri == OAuthApplication.outOfBand { return true }
        guard uri.count <= 2000, !uri.contains("#"), !uri.contains(where: { $0.isWhitespace }),
            let url = URL(string: uri), let scheme = url.scheme, !scheme.isEmpty
        else { return false }
        let lowered = scheme.lowercased()
        if lowered == "javascript" || lowered == "data" || lowered == "vbscript" || lowered == "file" { return false }
        if lowered == "http" || lowered == "https" { return url.host?.isEmpty == false }
        return true
    }

    /// The application a token belongs to.
    package func application(of viewer: Viewer) async throws -> OAuthApplication {
        guard let id = viewer.applicationID,
            let app = try await self.context.db.read({ try await $0.application(id: id) })
        else { throw DomainError.notFound }
        return app
    }

    /// The application with this client id, if any (the consent page).
    package func application(clientID: String) async throws -> OAuthApplication? {
        guard !clientID.isEmpty, clientID.count <= 128 else { return nil }
        return try await self.context.db.read { try await $0.application(clientID: clientID) }
    }

    // MARK: Bearer tokens

    /// The `Viewer` behind a bearer token, or `nil` when the token is unknown or revoked.
    package func authenticate(bearer token: String) async throws -> Viewer? {
        guard !token.isEmpty, token.utf8.count <= 256 else { return nil }
        guard
            let grant = try await self.context.db.readStatement({
                try await $0.tokenGrant(hash: Secrets.sha256Hex(token))
            })
        else { return nil }
        let holder = grant.holder
        return Viewer(
            tokenID: grant.tokenID,
            applicationID: grant.applicationID,
            userID: holder?.userID,
            accountID: holder?.accountID,
            scopes: grant.scopes,
            state: holder.map { Self.state(suspended: $0.suspended, confirmed: $0.confirmed, approved: $0.approved) }
                ?? .application
        )
    }

    static func state(of user: User?, _ account: Account?) -> Viewer.State {
        guard let user, let account else { return .application }
        return Self.state(suspended: account.isSuspended, confirmed: user.confirmedAt != nil, approved: user.approved)
    }

    /// Whether a user may act, from its account's suspension, its confirmed email and its approval.
    static func state(suspended: Bool, confirmed: Bool, approved: Bool) -> Viewer.State {
        if suspended { return .disabled }
        if !confirmed { return .unconfirmed }
        if !approved { return .pendingApproval }
        return .functional
    }

    /// Makes a token for a user (or for an app alone when `user` is nil) and stores its hash.
    func issueToken(app: OAuthApplication?, user: User?, scopes: ScopeSet) async throws -> IssuedToken {
        let secret = Secrets.token()
        let token = AccessToken(
            id: self.context.ids.next(),
            applicationID: app?.id,
            userID: user?.id,
            scopes: scopes,
            createdAt: self.context.clock.now()
        )
        try await self.context.db.transaction { try await $0.insertToken(token, hash: Secrets.sha256Hex(secret)) }
        return IssuedToken(accessToken: secret, scopes: scopes, createdAt: token.createdAt)
    }

    /// A token for a freshly registered user (`POST /api/v1/accounts`), with the app token's scopes.
    package func issueRegistrationToken(for user: User, by viewer: Viewer) async throws -> IssuedToken {
        let app = try await self.application(of: viewer)
        return try await self.issueToken(app: app, user: user, scopes: app.scopes)
    }

    // MARK: /oauth/token

    /// The parameters of `POST /oauth/token`.
    package struct TokenRequest: Sendable {
        package var grantType: String
        package var clientID: String?
        package var clientSecret: String?
        package var code: String?
        package var redirectURI: String?
        package var codeVerifier: String?
        package var scope: String?
        package var username: String?
        package var password: String?

        package init(grantType: String) {
            self.grantType = grantType
        }
    }

    /// Exchanges a grant for a token.
    package func token(_ request: TokenRequest) async throws -> IssuedToken {
        switch request.grantType {
        case "authorization_code": return try await self.exchangeCode(request)
        case "client_credentials":
            let app = try await self.authenticateClient(request, allowPublic: false)
            return try await self.issueToken(
                app: app,
                user: nil,
                scopes: try self.requestedScopes(request.scope, of: app)
            )
        case "password":
            let app = try await self.authenticateClient(request, allowPublic: false)
            let scopes = try self.requestedScopes(request.scope, of: app)
            guard let login = request.username, let password = request.password else {
                throw OAuthError("invalid_request", "Missing username or password.")
            }
            let user: User
            do {
                user = try await self.checkPassword(login: login, password: password)
            } catch let error as DomainError {
                throw OAuthError("invalid_grant", error.userMessage)
            }
            // A password alone is not enough for these accounts: the browser flow asks for the code.
            if try await TwoFactorProcessor(self.context).isEnabled(for: user) {
                throw OAuthError(
                    "invalid_grant",
                    "This account uses two-factor authentication: sign in through the browser instead."
                )
            }
            return try await self.issueToken(app: app, user: user, scopes: scopes)
        case "":
            throw OAuthError("invalid_request", "Missing grant_type.")
        default:
            throw OAuthError("unsupported_grant_type", "The authorization grant type is not supported.")
        }
    }

    private func exchangeCode(_ request: TokenRequest) async throws -> IssuedToken {
        guard let codeText = request.code, !codeText.isEmpty else {
            throw OAuthError("invalid_request", "Missing code.")
        }
        // PKCE lets a public client (no secret) exchange a code; otherwise the secret is required.
        let app = try await self.authenticateClient(request, allowPublic: request.codeVerifier != nil)
        let consumed = try await self.context.db.transaction {
            try await $0.consumeAuthorizationCode(hash: Secrets.sha256Hex(codeText))
        }
        guard let code = consumed, code.applicationID == app.id, code.expiresAt > self.context.clock.now() else {
            throw OAuthError(
                "invalid_grant",
                "The provided authorization grant is invalid, expired, revoked, or was issued to another client."
            )
        }
        if let redirect = request.redirectURI, redirect != code.redirectURI {
            throw OAuthError("invalid_grant", "The redirect URI does not match the one of the authorization request.")
        }
        if let challenge = code.codeChallenge {
            guard let verifier = request.codeVerifier, (43...128).contains(verifier.count),
                Secrets.constantTimeEquals(Secrets.pkceChallenge(verifier), challenge)
            else { throw OAuthError("invalid_grant", "The code verifier does not match the code challenge.") }
        } else if request.codeVerifier != nil && request.clientSecret == nil {
            throw OAuthError("invalid_grant", "No code challenge was sent with the authorization request.")
        }
        guard let user = try await self.context.db.read({ try await $0.user(id: code.userID) }) else {
            throw OAuthError("invalid_grant", "The user no longer exists.")
        }
        return try await self.issueToken(app: app, user: user, scopes: code.scopes)
    }

    /// Finds the app by client id and checks its secret (or skips the secret for PKCE public clients).
    private func authenticateClient(_ request: TokenRequest, allowPublic: Bool) async throws -> OAuthApplication {
        guard let clientID = request.clientID, let app = try await self.application(clientID: clientID) else {
            throw OAuthError("invalid_client", "Client authentication failed due to unknown client.")
        }
        if let secret = request.clientSecret {
            guard Secrets.constantTimeEquals(Secrets.sha256Hex(secret), app.clientSecretHash) else {
                throw OAuthError("invalid_client", "Client authentication failed due to wrong client secret.")
            }
        } else if !allowPublic {
            throw OAuthError("invalid_client", "Client authentication failed: no client secret.")
        }
        return app
    }

    /// The scopes asked for, defaulting to `read`, and only ones the app registered.
    func requestedScopes(_ scope: String?, of app: OAuthApplication) throws -> ScopeSet {
        let text = scope?.trimmingCharacters(in: .whitespaces) ?? ""
        let scopes = text.isEmpty ? ScopeSet(["read"]) : ScopeSet(parsing: text)
        guard let scopes, !scopes.isEmpty, app.scopes.covers(scopes) else {
            throw OAuthError("invalid_scope", "The requested scope is invalid, unknown, or malformed.")
        }
        return scopes
    }

    // MARK: Revocation

    /// Revokes a token the client holds. Unknown tokens are not an error (RFC 7009).
    package func revoke(token: String, clientID: String?, clientSecret: String?) async throws {
        var request = TokenRequest(grantType: "")
        request.clientID = clientID
        request.clientSecret = clientSecret
        let app = try await self.authenticateClient(request, allowPublic: false)
        _ = try await self.context.db.transaction {
            try await $0.revokeToken(hash: Secrets.sha256Hex(token), applicationID: app.id)
        }
    }

    // MARK: Passwords

    /// The user with this email or username if the password matches and the user may sign in.
    package func checkPassword(login: String, password: String) async throws -> User {
        let trimmed = String(login.trimmingWhitespace())
        guard !trimmed.isEmpty, trimmed.count <= 320, !password.isEmpty, password.utf8.count <= 1024 else {
            throw DomainError.unauthorized("Invalid email or password.")
        }
        let found: (User, Account)? = try await self.context.db.read { session in
            let user: User?
            if trimmed.utf8.contains(UInt8(ascii: "@")) {
                user = try await session.user(email: trimmed)
            } else if let account = try await session.account(username: trimmed, domain: nil) {
                user = try await session.user(accountID: account.id)
            } else {
                user = nil
            }
            guard let user, let account = try await session.account(id: user.accountID) else { return nil }
            return (user, account)
        }
        guard let (user, account) = found else {
            _ = await self.context.passwords.verify(password, hash: Self.dummyHash)  // same time as a real check
            throw DomainError.unauthorized("Invalid email or password.")
        }
        guard await self.context.passwords.verify(password, hash: user.passwordHash) else {
            throw DomainError.unauthorized("Invalid email or password.")
        }
        switch Self.state(of: user, account) {
        case .functional, .application: return user
        case .disabled: throw DomainError.forbidden("Your login is currently disabled")
        case .unconfirmed: throw DomainError.forbidden("Your login is missing a confirmed e-mail address")
        case .pendingApproval: throw DomainError.forbidden("Your login is currently pending approval")
        }
    }

    /// A bcrypt hash of nothing anyone knows, checked when the login is unknown.
    static let dummyHash = "$2b$10$CwTycUXWue0Thq9StjUM0uJ8.uW6o1VcQ3wF3h0eXDG0N2tNQ1Mqa"
}
