import Foundation
import HTTPCommon
import Hummingbird
import Logging

/// The browser app: one HTML page for every `/web/...` route, and its scripts, styles and icons
/// under `/web/assets/`.
///
/// The app is plain files (no build step). It signs in through OAuth like any other client and
/// talks to the server only through the Mastodon API, so the page itself carries nothing
/// personal and is the same for everyone. The Content-Security-Policy allows scripts and styles
/// from this origin only; pictures and media may come from other servers (remote accounts).
package struct WebAppPages: Sendable {
    /// The folder holding `index.html` and `assets/`.
    let folder: String
    /// The page, read once, unless the folder is a development copy (then read on every request).
    let cachedIndex: ByteBuffer?

    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: https: http:; "
        + "media-src 'self' https: http:; connect-src 'self' ws: wss:; font-src 'self'; manifest-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// The built-in copy of the app, or `folder` when given (development).
    package init(folder: String?) throws {
        if let folder {
            self.folder = folder
            self.cachedIndex = nil
        } else {
            guard let resources = Bundle.module.resourcePath else {
                preconditionFailure("WebUI resources are missing from the build")
            }
            self.folder = resources + "/WebApp"
            self.cachedIndex = ByteBuffer(
                bytes: try Data(contentsOf: URL(fileURLWithPath: self.folder + "/index.html"))
            )
        }
    }

    /// Serves the assets (revalidated with ETags: file names are not versioned) as router middleware.
    package func assetsMiddleware<Context: RequestContext>(logger: Logger) -> some RouterMiddleware<Context> {
        FileMiddleware(
            self.folder + "/assets",
            urlBasePath: "/web/assets",
            cacheControl: .init([(MediaType(type: .any), [.noCache])]),
            searchForIndexHtml: false,
            logger: logger
        )
    }

    package func addRoutes(to router: Router<AppRequestContext>) {
        router.get("web", use: self.index)
        router.get("web/**", use: self.index)
    }

    @Sendable func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        // A missing asset is a 404, not the page: a script must never receive HTML.
        guard !request.uri.path.hasPrefix("/web/assets/") else { throw HTTPError(.notFound) }
        let body =
            try self.cachedIndex
            ?? ByteBuffer(bytes: try Data(contentsOf: URL(fileURLWithPath: self.folder + "/index.html")))
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .cacheControl: "no-cache",
                .contentSecurityPolicy: Self.contentSecurityPolicy,
                .init("X-Frame-Options")!: "DENY",
                .init("Referrer-Policy")!: "same-origin",
                .init("X-Content-Type-Options")!: "nosniff",
            ],
            body: .init(byteBuffer: body)
        )
    }
}
