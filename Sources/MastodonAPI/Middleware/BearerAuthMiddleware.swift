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
        guard let token = Self.bearerToken(header),
            let viewer = try await self.oauth.authenticate(bearer: token)
        else { throw DomainError.unauthorized("The access token is invalid") }
        var context = context
        context.viewer = viewer
        return try await next(request, context)
    }

    /// The token of an `Authorization` value with the Bearer scheme (any case), without the spaces and tabs
    /// around it; nil for another scheme or none. Read byte by byte: every signed-in request passes here.
    static func bearerToken(_ value: String) -> String? {
        let bytes = value.utf8
        var index = bytes.startIndex
        for letter in "bearer".utf8 {
            guard index < bytes.endIndex, bytes[index] | 0x20 == letter else { return nil }
            index = bytes.index(after: index)
        }
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        guard index < bytes.endIndex, isBlank(bytes[index]) else { return nil }
        var end = bytes.endIndex
        while index < end, isBlank(bytes[index]) { index = bytes.index(after: index) }
        while end > index, isBlank(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        return String(Substring(bytes[index..<end]))
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
