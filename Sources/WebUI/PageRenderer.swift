import Foundation
import Hummingbird
import Mustache

/// Renders the server's HTML pages from the templates shipped in this module.
package struct PageRenderer: Sendable {
    let library: MustacheLibrary
    let instanceTitle: String
    /// Whether the server sends mail: the sign-in page then offers password reset and a new
    /// confirmation link.
    let mailEnabled: Bool
    /// Whether anyone may ask for an account (open or approval mode): the sign-in page links sign-up.
    let signUpOpen: Bool

    /// Loads every template; a missing template is a packaging bug found at start-up.
    package static func load(instanceTitle: String, mailEnabled: Bool = false, signUpOpen: Bool = false)
        async throws -> PageRenderer
    {
        guard let resources = Bundle.module.resourcePath else {
            preconditionFailure("WebUI resources are missing from the build")
        }
        let library = try await MustacheLibrary(directory: resources + "/Templates")
        return PageRenderer(
            library: library,
            instanceTitle: instanceTitle,
            mailEnabled: mailEnabled,
            signUpOpen: signUpOpen
        )
    }

    /// An HTML response of `template` with `values` (escaped by Mustache).
    func page(_ template: String, title: String, status: HTTPResponse.Status = .ok, _ values: [String: Any]) -> Response
    {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .cacheControl: "no-store",
                .init("X-Frame-Options")!: "DENY",
                .contentSecurityPolicy:
                    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self' *; "
                    + "frame-ancestors 'none'; base-uri 'none'",
                .init("Referrer-Policy")!: "same-origin",
            ],
            body: self.render(template, title: title, values)
        )
    }

    /// `template` filled with `values`, the page title and the instance's name.
    private func render(_ template: String, title: String, _ values: [String: Any]) -> ResponseBody {
        var object = values
        object["pageTitle"] = title
        object["instanceTitle"] = self.instanceTitle
        object["mailEnabled"] = self.mailEnabled
        object["signUpOpen"] = self.signUpOpen
        return .init(byteBuffer: ByteBuffer(string: self.library.render(object, withTemplate: template) ?? ""))
    }

    static let publicContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data: https: http:; media-src 'self' https: http:; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// A public page (profile, post, hashtag, about): no script at all, styles from `/assets/`,
    /// cacheable for a minute by the browser only (what it shows can be deleted).
    func publicPage(_ template: String, title: String, _ values: [String: Any]) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .cacheControl: "private, max-age=60",
                .contentSecurityPolicy: Self.publicContentSecurityPolicy,
                .init("X-Frame-Options")!: "DENY",
                .init("Referrer-Policy")!: "strict-origin-when-cross-origin",
                .init("X-Content-Type-Options")!: "nosniff",
            ],
            body: self.render(template, title: title, values)
        )
    }
}
