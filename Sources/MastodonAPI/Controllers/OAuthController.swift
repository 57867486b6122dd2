import Core
import Foundation
import HTTPCommon
import Hummingbird
import Processing

/// The JSON half of OAuth: `/oauth/token`, `/oauth/revoke` and the discovery document.
/// The HTML consent page lives in WebUI.
struct OAuthController {
    let oauth: OAuthProcessor
    let urls: URLBuilder
    let authLimiter: RateLimiter

    func addRoutes(to router: Router<AppRequestContext>) {
        let group = router.group("oauth").add(middleware: MastodonErrorMiddleware())
        group.group().add(middleware: RateLimitMiddleware(self.authLimiter)).post("token", use: self.token)
        group.post("revoke", use: self.revoke)
        router.group(".well-known").add(middleware: MastodonErrorMiddleware())
            .get("oauth-authorization-server", use: self.discovery)
    }

    @Sendable func token(_ request: Request, context: AppRequestContext) async throws -> TokenEntity {
        let params = try await request.parameters(context: context)
        var token = OAuthProcessor.TokenRequest(grantType: try params.string("grant_type") ?? "")
        token.clientID = try params.string("client_id")
        token.clientSecret = try params.string("client_secret")
        if let basic = Self.basicCredentials(request) {
            token.clientID = token.clientID ?? basic.id
            token.clientSecret = token.clientSecret ?? basic.secret
        }
        token.code = try params.string("code")
        token.redirectURI = try params.string("redirect_uri")
        token.codeVerifier = try params.string("code_verifier")
        token.scope =
            try params.strings("scope")?.joined(separator: " ") ?? params.strings("scopes")?.joined(separator: " ")
        token.username = try params.string("username")
        token.password = try params.string("password")
        let issued = try await self.oauth.token(token)
        return TokenEntity(
            accessToken: issued.accessToken,
            scope: issued.scopes.description,
            createdAt: Int(issued.createdAt.timeIntervalSince1970)
        )
    }

    @Sendable func revoke(_ request: Request, context: AppRequestContext) async throws -> Response {
        let params = try await request.parameters(context: context)
        let basic = Self.basicCredentials(request)
        guard let token = try params.string("token") else {
            throw OAuthProcessor.OAuthError("invalid_request", "Missing token.")
        }
        try await self.oauth.revoke(
            token: token,
            clientID: try params.string("client_id") ?? basic?.id,
            clientSecret: try params.string("client_secret") ?? basic?.secret
        )
        return MastodonErrorMiddleware.json(.ok, [:])
    }

    /// RFC 8414 metadata, as Mastodon 4.3 publishes it.
    @Sendable func discovery(_ request: Request, context: AppRequestContext) async throws -> Response {
        MastodonErrorMiddleware.json(
            .ok,
            [
                "issuer": self.urls.base + "/",
                "service_documentation": "https://docs.joinmastodon.org/",
                "authorization_endpoint": self.urls.oauthAuthorize,
                "token_endpoint": self.urls.oauthToken,
                "revocation_endpoint": self.urls.oauthRevoke,
                "app_registration_endpoint": self.urls.base + "/api/v1/apps",
                "scopes_supported": ScopeSet.known.sorted(),
                "response_types_supported": ["code"],
                "response_modes_supported": ["query", "fragment", "form_post"],
                "code_challenge_methods_supported": ["S256"],
                "grant_types_supported": ["authorization_code", "password", "client_credentials"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            ]
        )
    }

    /// `Authorization: Basic base64(client_id:client_secret)`.
    static func basicCredentials(_ request: Request) -> (id: String, secret: String)? {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("basic "),
            let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces))
        else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard let colon = text.firstIndex(of: ":") else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }
}
