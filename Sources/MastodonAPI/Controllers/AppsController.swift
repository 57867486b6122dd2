import Core
import HTTPCommon
import Hummingbird
import Processing

/// `/api/v1/apps` — https://docs.joinmastodon.org/methods/apps/
struct AppsController {
    let oauth: OAuthProcessor
    let push: PushProcessor

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("apps", use: self.create)
        group.get("apps/verify_credentials", use: self.verify)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let params = try await request.parameters(context: context)
        let redirects: [String]
        if let list = try params.strings("redirect_uris"), list.count > 1 {
            redirects = list
        } else {
            // One string may hold several URIs separated by newlines or spaces, as Mastodon accepts.
            let text = try params.strings("redirect_uris")?.first ?? params.string("redirect_uri") ?? ""
            redirects = text.split(whereSeparator: { $0 == "\n" || $0 == " " }).map(String.init)
        }
        let scopes = try params.strings("scopes")?.joined(separator: " ")
        let (app, secret) = try await self.oauth.registerApp(
            name: try params.string("client_name") ?? "",
            redirectURIs: redirects,
            scopes: scopes,
            website: try params.string("website")
        )
        return try ApplicationEntity(app, vapidKey: try await self.push.serverKey(), clientSecret: secret)
            .response(from: request, context: context)
    }

    @Sendable func verify(_ request: Request, context: AppRequestContext) async throws -> ApplicationEntity {
        guard let viewer = context.viewer else { throw DomainError.unauthorized("The access token is invalid") }
        return ApplicationEntity(
            try await self.oauth.application(of: viewer),
            vapidKey: try await self.push.serverKey()
        )
    }
}
