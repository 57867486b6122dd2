import Core
import HTTPCommon
import Hummingbird
import Processing

/// What every HTML form page shares: the session cookie, the CSRF cookie and its check, form parsing
/// and the cookies' attributes.
///
/// Forms carry a CSRF token that must match the `_tern_csrf` cookie (double submit); the browser
/// session is the `_tern_session` cookie (HttpOnly, SameSite=Lax, Secure over https).
struct BrowserSession: Sendable {
    let oauth: OAuthProcessor
    let renderer: PageRenderer
    let secureCookies: Bool

    static let sessionCookie = "_tern_session"
    static let csrfCookie = "_tern_csrf"

    /// The signed-in user, if the session cookie names a live session of a user who may sign in.
    func user(_ request: Request) async throws -> User? {
        guard let cookie = request.cookies[Self.sessionCookie] else { return nil }
        return try await self.oauth.webSessionUser(cookie.value)
    }

    /// The CSRF value a page should embed, and whether it is new (then the response sets the cookie).
    /// An existing cookie is reused so that several open forms stay valid.
    func csrf(_ request: Request) -> (value: String, isNew: Bool) {
        if let value = request.cookies[Self.csrfCookie]?.value, value.count >= 32 { return (value, false) }
        return (Secrets.token(), true)
    }

    /// The CSRF value of a submitted form's cookie, to render again in a page answering it.
    func submittedCSRF(_ request: Request) -> String {
        request.cookies[Self.csrfCookie]?.value ?? ""
    }

    /// `response` with the CSRF cookie set when the value is new.
    func withCSRF(_ response: Response, _ csrf: (value: String, isNew: Bool)) -> Response {
        guard csrf.isNew else { return response }
        var response = response
        response.setCookie(self.cookie(Self.csrfCookie, csrf.value))
        return response
    }

    /// The form's fields; an unreadable or oversized body reads as an empty form (which then fails
    /// the CSRF check).
    func form(_ request: Request, context: AppRequestContext, limit: Int = 65_536) async throws -> RequestParameters {
        do {
            return try await request.parameters(context: context, limit: limit)
        } catch {
            return RequestParameters()
        }
    }

    func csrfMatches(_ request: Request, _ form: RequestParameters) -> Bool {
        guard let cookie = request.cookies[Self.csrfCookie]?.value, cookie.count >= 32,
            let sent = try? form.string("authenticity_token")
        else { return false }
        return Secrets.constantTimeEquals(cookie, sent)
    }

    /// The page answered to a form without a matching CSRF token.
    func forbidden() -> Response {
        self.renderer.page(
            "error",
            title: "Request refused",
            status: .forbidden,
            ["message": "The form expired or was sent from another site. Go back, reload the page and try again."]
        )
    }

    /// Signs `user` in: a new session and its cookie on `response`.
    func signIn(_ user: User, on response: inout Response) async throws {
        let secret = try await self.oauth.startWebSession(for: user)
        response.setCookie(self.cookie(Self.sessionCookie, secret))
    }

    /// Ends the request's session, if any, and clears its cookie on `response`.
    func signOut(_ request: Request, on response: inout Response) async throws {
        if let cookie = request.cookies[Self.sessionCookie] { try await self.oauth.endWebSession(cookie.value) }
        response.setCookie(self.cookie(Self.sessionCookie, "", maxAge: 0))
    }

    /// The hash under which the request's session is stored (to keep it when others end).
    func sessionHash(_ request: Request) -> String? {
        request.cookies[Self.sessionCookie].map { Secrets.sha256Hex($0.value) }
    }

    func cookie(_ name: String, _ value: String, maxAge: Int? = nil) -> Cookie {
        Cookie(
            name: name,
            value: value,
            maxAge: maxAge,
            path: "/",
            secure: self.secureCookies,
            httpOnly: true,
            sameSite: .lax
        )
    }

    /// Only local paths: never `//host` or an absolute URL (no open redirects).
    static func safeReturn(_ path: String?) -> String {
        guard let path, path.hasPrefix("/"), !path.hasPrefix("//"), !path.hasPrefix("/\\"), path.count <= 4000 else {
            return "/"
        }
        return path
    }
}
