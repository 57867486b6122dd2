import Core
import HTTPCommon
import Hummingbird

/// Router-wide: a request under `/api` or `/oauth` that matched no route (or a route with another
/// method) answers Mastodon's JSON 404 instead of an empty body.
package struct APIFallbackMiddleware: RouterMiddleware {
    package typealias Context = AppRequestContext

    package init() {}

    package func handle(
        _ request: Request,
        context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        guard path.hasPrefix("/api/") || path.hasPrefix("/oauth/") else { return try await next(request, context) }
        do {
            let response = try await next(request, context)
            if response.status == .notFound || response.status == .methodNotAllowed,
                response.headers[.contentType] == nil
            {
                return MastodonErrorMiddleware.response(for: .notFound)
            }
            return response
        } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
            return MastodonErrorMiddleware.response(for: .notFound)
        }
    }
}
