import Core
import Foundation
import Storage

extension OAuthProcessor {
    /// A checked `GET /oauth/authorize` request, ready for the consent page.
    package struct AuthorizeRequest: Sendable, Equatable {
        package let application: OAuthApplication
        package let redirectURI: String
        package let scopes: ScopeSet
        package let state: String?
        package let codeChallenge: String?
        package let codeChallengeMethod: String?
        package let forceLogin: Bool
    }

    /// The raw parameters of an authorization request.
    package struct AuthorizeParameters: Sendable {
        package var clientID: String?
        package var redirectURI: String?
        package var responseType: String?
        package var scope: String?
        package var state: String?
        package var codeChallenge: String?
        package var codeChallengeMethod: String?
        package var forceLogin = false

        package init() {}
    }

    /// Why an authorization request cannot go on. `redirect` is set when the client may be told by
    /// redirect (its redirect URI checked out); otherwise the page shows the error.
    package struct AuthorizeError: Error, Sendable, Equatable {
        package let code: String
        package let description: String
        package let redirect: String?
    }

    /// Checks client, redirect URI, response type, scopes and PKCE before anything is shown.
    package func checkAuthorize(_ parameters: AuthorizeParameters) async throws -> AuthorizeRequest {
        guard let clientID = parameters.clientID, let app = try await self.application(clientID: clientID) else {
            throw AuthorizeError(code: "invalid_client", description: "Unknown client.", redirect: nil)
        }
        let redirectURI: String
        if let asked = parameters.redirectURI, !asked.isEmpty {
            guard app.redirectURIs.contains(asked) else {
                throw AuthorizeError(
                    code: "invalid_redirect_uri",
                    description: "The redirect URI is not one the application registered.",
                    redirect: nil
                )
            }
            redirectURI = asked
        } else if app.redirectURIs.count == 1 {
            redirectURI = app.redirectURIs[0]
        } else {
            throw AuthorizeError(code: "invalid_redirect_uri", description: "Missing redirect_uri.", redirect: nil)
        }
        func fail(_ code: String, _ description: String) -> AuthorizeError {
            AuthorizeError(
                code: code,
                description: description,
                redirect: redirectURI == OAuthApplication.outOfBand
                    ? nil
                    : Self.appending(
                        ["error": code, "error_description": description, "state": parameters.state],
                        to: redirectURI
                    )
            )
        }
        guard parameters.responseType == "code" else {
            throw fail("unsupported_response_type", "The authorization server does not support this response type.")
        }
        let scopes: ScopeSet
        do {
            scopes = try self.requestedScopes(parameters.scope, of: app)
        } catch {
            throw fail("invalid_scope", "The requested scope is invalid, unknown, or malformed.")
        }
        if let challenge = parameters.codeChallenge, !challenge.isEmpty {
            guard (parameters.codeChallengeMethod ?? "plain") == "S256" else {
                throw fail("invalid_request", "Only the S256 code challenge method is supported.")
            }
            guard (43...128).contains(challenge.count) else {
                throw fail("invalid_request", "The code challenge is malformed.")
            }
        }
        if let state = parameters.state, state.count > 1000 {
            throw fail("invalid_request", "The state parameter is too long.")
        }
        let challenge = parameters.codeChallenge.flatMap { $0.isEmpty ? nil : $0 }
        return AuthorizeRequest(
            application: app,
            redirectURI: redirectURI,
            scopes: scopes,
            state: parameters.state,
            codeChallenge: challenge,
            codeChallengeMethod: challenge == nil ? nil : "S256",
            forceLogin: parameters.forceLogin
        )
    }

    /// The user approved: issue a one-time code and say where to send the browser.
    package func approve(_ request: AuthorizeRequest, by user: User) async throws -> String {
        let code = Secrets.token()
        let grant = AuthorizationCode(
            id: self.context.ids.next(),
            applicationID: request.application.id,
            userID: user.id,
            redirectURI: request.redirectURI,
            scopes: request.scopes,
            codeChallenge: request.codeChallenge,
            codeChallengeMethod: request.codeChallengeMethod,
            expiresAt: self.context.clock.now().addingTimeInterval(Self.codeLifetime)
        )
        try await self.context.db.transaction {
            try await $0.insertAuthorizationCode(grant, hash: Secrets.sha256Hex(code))
        }
        if request.redirectURI == OAuthApplication.outOfBand {
            return Self.appending(["code": code], to: self.context.urls.oauthNative)
        }
        return Self.appending(["code": code, "state": request.state], to: request.redirectURI)
    }

    /// The user said no: where to send the browser.
    package func deny(_ request: AuthorizeRequest) -> String {
        let description = "The resource owner or authorization server denied the request."
        if request.redirectURI == OAuthApplication.outOfBand {
            return Self.appending(
                ["error": "access_denied", "error_description": description],
                to: self.context.urls.oauthNative
            )
        }
        return Self.appending(
            ["error": "access_denied", "error_description": description, "state": request.state],
            to: request.redirectURI
        )
    }

    /// Adds query parameters to a URI that may already have some (custom schemes included).
    static func appending(_ items: [String: String?], to uri: String) -> String {
        let query = items.keys.sorted().compactMap { key -> String? in
            guard let value = items[key] ?? nil else { return nil }
            let encoded = PercentEncoding.encode(value, keeping: PercentEncoding.isUnreserved)
            return "\(key)=\(encoded)"
        }.joined(separator: "&")
        return uri + (uri.contains("?") ? "&" : "?") + query
    }

    // MARK: Browser sessions

    /// Signs a user in for the browser; returns the session secret for the cookie.
    package func startWebSession(for user: User) async throws -> String {
        let secret = Secrets.token()
        try await self.context.db.transaction {
            try await $0.insertWebSession(id: self.context.ids.next(), hash: Secrets.sha256Hex(secret), userID: user.id)
        }
        return secret
    }

    /// The user behind a session cookie, if it is live and the user may still sign in.
    package func webSessionUser(_ secret: String) async throws -> User? {
        guard !secret.isEmpty, secret.count <= 128 else { return nil }
        return try await self.context.db.read { session in
            guard let user = try await session.webSessionUser(hash: Secrets.sha256Hex(secret)),
                let account = try await session.account(id: user.accountID),
                Self.state(of: user, account) == .functional
            else { return nil }
            return user
        }
    }

    /// Ends a browser session.
    package func endWebSession(_ secret: String) async throws {
        try await self.context.db.transaction { try await $0.deleteWebSession(hash: Secrets.sha256Hex(secret)) }
    }
}

extension OAuthProcessor {
    /// The account of a signed-in user (the consent page names it).
    package func accountOf(_ user: User) async throws -> Account {
        guard let account = try await self.context.db.read({ try await $0.account(id: user.accountID) }) else {
            throw DomainError.notFound
        }
        return account
    }
}

extension OAuthProcessor {
    /// The signed-in user of a browser session as a viewer of the account pages: every user scope,
    /// no token (the pages change only the user's own account).
    package func webViewer(_ user: User) -> Viewer {
        Viewer(
            tokenID: AccessToken.ID(0),
            applicationID: nil,
            userID: user.id,
            accountID: user.accountID,
            scopes: ScopeSet(["read", "write", "follow", "push", "profile"]),
            state: .functional
        )
    }

    /// The applications a user has authorized (live tokens), newest first.
    package func authorizedApplications(of user: User) async throws -> [AuthorizedApplication] {
        try await self.context.db.read { try await $0.authorizedApplications(userID: user.id) }
    }

    /// Revokes every token the user gave an application (the "authorized applications" page).
    package func revokeAuthorization(of user: User, application id: OAuthApplication.ID) async throws {
        let revoked = try await self.context.db.transaction {
            try await $0.revokeTokens(userID: user.id, applicationID: id)
        }
        guard revoked else { throw DomainError.notFound }
    }
}
