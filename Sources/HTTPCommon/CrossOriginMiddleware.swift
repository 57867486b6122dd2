import Hummingbird

/// Cross-origin access for browser clients (Elk, Phanpy and the like), where Mastodon allows it:
/// the client API, the token and revoke endpoints, discovery documents and ActivityPub actors.
///
/// Any origin may call these without credentials (`Access-Control-Allow-Origin: *`, never cookies):
/// they authorise with a bearer token, so a page on another origin learns nothing a token does not
/// already allow. Preflights are answered here, before routing. HTML pages and the web app's
/// own forms stay same-origin.
package struct CrossOriginMiddleware<Context: RequestContext>: RouterMiddleware {
    static var exposedHeaders: String {
        "Link, X-RateLimit-Reset, X-RateLimit-Limit, X-RateLimit-Remaining, X-Request-Id, Idempotency-Key"
    }
    static var allowedMethods: String { "GET, POST, PUT, PATCH, DELETE, OPTIONS" }

    package init() {}

    /// Whether `path` is one Mastodon serves to other origins.
    package static func isShared(_ path: String) -> Bool {
        path.hasPrefix("/api/") || path == "/oauth/token" || path == "/oauth/revoke"
            || path.hasPrefix("/.well-known/") || path.hasPrefix("/nodeinfo/") || path.hasPrefix("/users/")
            || path.hasPrefix("/@")
    }

    package func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard Self.isShared(request.uri.path), request.headers[.origin] != nil else {
            return try await next(request, context)
        }
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            var headers: HTTPFields = [
                .accessControlAllowOrigin: "*",
                .accessControlAllowMethods: Self.allowedMethods,
                .accessControlMaxAge: "7200",
                .vary: "Origin",
            ]
            if let requested = request.headers[.accessControlRequestHeaders] {
                headers[.accessControlAllowHeaders] = requested
            }
            return Response(status: .noContent, headers: headers)
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.accessControlAllowOrigin] = "*"
        response.headers[.accessControlExposeHeaders] = Self.exposedHeaders
        return response
    }
}
