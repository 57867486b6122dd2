import Core
import HTTPCommon
import Hummingbird
import Processing

/// Reads `Authorization: Bearer …` and sets `context.viewer`. A token that is sent but unknown or
/// revoked is refused here with 401; requests without a token go on anonymous.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let oauth: OAuthProcessor

    func handle(
        _ request: Request,
        context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw DomainError.unauthorized("The access token is invalid")
        }
        guard
            let viewer = try await self.oauth.authenticate(
                bearer: String(parts[1].trimmingWhitespace())
            )
        else { throw DomainError.unauthorized("The access token is invalid") }
        var context = context
        context.viewer = viewer
        return try await next(request, context)
    }
}

extension AppRequestContext {
    /// The viewer if the token grants `scope`: 401 without a token, 403 when the scope is missing.
    func require(scope: String) throws -> Viewer {
        guard let viewer = self.viewer else { throw DomainError.unauthorized("The access token is invalid") }
        guard viewer.scopes.allows(scope) else {
            throw DomainError.forbidden("This action is outside the authorized scopes")
        }
        return viewer
    }

    /// Like `require(scope:)`, and the token must act for a user who may use the API now.
    func requireUser(scope: String) throws -> Viewer {
        let viewer = try self.require(scope: scope)
        switch viewer.state {
        case .functional: return viewer
        case .application: throw DomainError.unprocessable("This method requires an authenticated user")
        case .disabled: throw DomainError.forbidden("Your login is currently disabled")
        case .unconfirmed: throw DomainError.forbidden("Your login is missing a confirmed e-mail address")
        case .pendingApproval: throw DomainError.forbidden("Your login is currently pending approval")
        }
    }
}
