import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// The authorization-code flow through the HTML sign-in and consent pages, with PKCE.
@Suite struct AuthorizationFlowTests {
    static let callback = "https://client.example/callback"
    /// A PKCE pair computed independently: base64url(SHA-256(verifier)) without padding.
    static let verifier = "tern-test-verifier-0123456789-abcdefghijklmnopqrstu"
    static let challenge = "HVnGzd-8QEMy1LS6Bs90v6jvsDu8oqnWvATz6XqQjyw"

    static func authorizePath(_ app: RegisteredApp, state: String = "xyz-state") -> String {
        "/oauth/authorize?"
            + formString([
                ("client_id", app.clientID), ("redirect_uri", callback), ("response_type", "code"),
                ("scope", "read write"), ("state", state), ("code_challenge", challenge),
                ("code_challenge_method", "S256"),
            ])
    }

    /// Signs alice in through the pages; returns the cookies (csrf and session).
    static func signIn(_ client: any TestClientProtocol, returnTo: String) async throws -> [String: String] {
        let page = try await client.execute(uri: returnTo, method: .get)
        var cookies = setCookies(page)
        let csrf = try #require(cookies["_tern_csrf"])
        let response = try await client.execute(
            uri: "/auth/sign_in",
            method: .post,
            headers: cookieHeaders(cookies, form: true),
            body: formBody([
                ("authenticity_token", csrf), ("username", "alice"), ("password", testPassword),
                ("return_to", returnTo),
            ])
        )
        #expect(response.status == .seeOther)
        cookies.merge(setCookies(response)) { _, new in new }
        return cookies
    }

    /// Posts the consent form; returns the redirect location.
    static func decide(
        _ client: any TestClientProtocol,
        _ app: RegisteredApp,
        cookies: [String: String],
        decision: String,
        state: String = "xyz-state"
    ) async throws -> String {
        let response = try await client.execute(
            uri: "/oauth/authorize",
            method: .post,
            headers: cookieHeaders(cookies, form: true),
            body: formBody([
                ("authenticity_token", cookies["_tern_csrf"] ?? ""), ("client_id", app.clientID),
                ("redirect_uri", callback), ("response_type", "code"), ("scope", "read write"), ("state", state),
                ("code_challenge", challenge), ("code_challenge_method", "S256"), ("decision", decision),
            ])
        )
        #expect(response.status == .found)
        return try #require(response.headers[.location])
    }

    static func exchange(
        _ client: any TestClientProtocol,
        _ app: RegisteredApp,
        code: String,
        verifier: String
    ) async throws -> TestResponse {
        try await client.execute(
            uri: "/oauth/token",
            method: .post,
            headers: formHeaders(),
            body: formBody([
                ("grant_type", "authorization_code"), ("client_id", app.clientID), ("redirect_uri", callback),
                ("code", code), ("code_verifier", verifier),
            ])
        )
    }

    @Test("sign in, consent, approve, exchange with PKCE; a code works once", arguments: TestDatabase.available)
    func fullFlow(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            _ = try await t.account("alice")
            try await t.client { client in
                let app = try await t.registerApp(client, name: "Flow Client", redirect: Self.callback)
                let path = Self.authorizePath(app)

                let signInPage = try await client.execute(uri: path, method: .get)
                #expect(signInPage.status == .ok)
                #expect(signInPage.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(signInPage.text.contains("action=\"/auth/sign_in\""))
                #expect(signInPage.text.contains("name=\"authenticity_token\""))
                let csrf = try #require(setCookies(signInPage)["_tern_csrf"])
                #expect(csrf.count >= 32)
                #expect(setCookies(signInPage)["_tern_session"] == nil)

                let signIn = try await client.execute(
                    uri: "/auth/sign_in",
                    method: .post,
                    headers: cookieHeaders(["_tern_csrf": csrf], form: true),
                    body: formBody([
                        ("authenticity_token", csrf), ("username", "alice"), ("password", testPassword),
                        ("return_to", path),
                    ])
                )
                #expect(signIn.status == .seeOther)
                #expect(signIn.headers[.location] == path)
                let session = try #require(setCookies(signIn)["_tern_session"])
                #expect(!session.isEmpty)
                let cookies = ["_tern_csrf": csrf, "_tern_session": session]

                let consent = try await client.execute(uri: path, method: .get, headers: cookieHeaders(cookies))
                #expect(consent.status == .ok)
                #expect(consent.text.contains("Authorize Flow Client"))
                #expect(consent.text.contains("@alice"))
                #expect(consent.text.contains("<code>read</code>"))
                #expect(consent.text.contains("<code>write</code>"))
                #expect(consent.text.contains("action=\"/oauth/authorize\""))

                let location = try await Self.decide(client, app, cookies: cookies, decision: "approve")
                #expect(location.hasPrefix(Self.callback + "?"))
                let items = queryItems(location)
                #expect(items["state"] == "xyz-state")
                let code = try #require(items["code"])

                let exchanged = try await Self.exchange(client, app, code: code, verifier: Self.verifier)
                #expect(exchanged.status == .ok)
                #expect(exchanged.json["scope"] as? String == "read write")
                #expect(exchanged.json["token_type"] as? String == "Bearer")
                let token = try #require(exchanged.json["access_token"] as? String)
                let me = try await verifyCredentials(client, token)
                #expect(me.status == .ok)
                #expect(me.json["username"] as? String == "alice")

                let again = try await Self.exchange(client, app, code: code, verifier: Self.verifier)
                #expect(again.status == .badRequest)
                #expect(again.json["error"] as? String == "invalid_grant")
                #expect(again.json["access_token"] == nil)
            }
        }
    }

    @Test("a code exchanged with the wrong PKCE verifier is refused with 400", arguments: TestDatabase.available)
    func wrongVerifier(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            _ = try await t.account("alice")
            try await t.client { client in
                let app = try await t.registerApp(client, redirect: Self.callback)
                let cookies = try await Self.signIn(client, returnTo: Self.authorizePath(app))
                let location = try await Self.decide(client, app, cookies: cookies, decision: "approve")
                let code = try #require(queryItems(location)["code"])
                let wrong = String(Self.verifier.reversed())
                let response = try await Self.exchange(client, app, code: code, verifier: wrong)
                #expect(response.status == .badRequest)
                #expect(response.json["error"] as? String == "invalid_grant")
                #expect(response.json["access_token"] == nil)
            }
        }
    }

    @Test("denying redirects with error=access_denied and the state", arguments: TestDatabase.available)
    func deny(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            _ = try await t.account("alice")
            try await t.client { client in
                let app = try await t.registerApp(client, redirect: Self.callback)
                let cookies = try await Self.signIn(client, returnTo: Self.authorizePath(app, state: "s2"))
                let location = try await Self.decide(client, app, cookies: cookies, decision: "deny", state: "s2")
                #expect(location.hasPrefix(Self.callback + "?"))
                let items = queryItems(location)
                #expect(items["error"] == "access_denied")
                #expect(items["state"] == "s2")
                #expect(items["code"] == nil)
            }
        }
    }

    @Test("signing in without a matching CSRF token is 403 and starts no session", arguments: TestDatabase.available)
    func csrfMismatch(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            _ = try await t.account("alice")
            try await t.client { client in
                let page = try await client.execute(uri: "/auth/sign_in", method: .get)
                let csrf = try #require(setCookies(page)["_tern_csrf"])
                let fields = [("username", "alice"), ("password", testPassword), ("return_to", "/")]
                let mismatched = try await client.execute(
                    uri: "/auth/sign_in",
                    method: .post,
                    headers: cookieHeaders(["_tern_csrf": csrf], form: true),
                    body: formBody([("authenticity_token", String(csrf.reversed()))] + fields)
                )
                #expect(mismatched.status == .forbidden)
                #expect(setCookies(mismatched)["_tern_session"] == nil)
                let noCookie = try await client.execute(
                    uri: "/auth/sign_in",
                    method: .post,
                    headers: formHeaders(),
                    body: formBody([("authenticity_token", csrf)] + fields)
                )
                #expect(noCookie.status == .forbidden)
                #expect(setCookies(noCookie)["_tern_session"] == nil)
            }
        }
    }

    @Test(
        "a wrong password answers the sign-in page with 401 and no session cookie",
        arguments: TestDatabase.available
    )
    func wrongPassword(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            _ = try await t.account("alice")
            try await t.client { client in
                let page = try await client.execute(uri: "/auth/sign_in", method: .get)
                let csrf = try #require(setCookies(page)["_tern_csrf"])
                let response = try await client.execute(
                    uri: "/auth/sign_in",
                    method: .post,
                    headers: cookieHeaders(["_tern_csrf": csrf], form: true),
                    body: formBody([
                        ("authenticity_token", csrf), ("username", "alice"), ("password", "wrong horse 2"),
                        ("return_to", "/"),
                    ])
                )
                #expect(response.status == .unauthorized)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(response.text.contains("Invalid email or password."))
                #expect(setCookies(response)["_tern_session"] == nil)
            }
        }
    }

    @Test("return_to=//evil.example is not followed: the redirect goes to /", arguments: TestDatabase.available)
    func openRedirect(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            _ = try await t.account("alice")
            try await t.client { client in
                for target in ["//evil.example", "https://evil.example/", "/\\evil.example"] {
                    let page = try await client.execute(uri: "/auth/sign_in", method: .get)
                    let csrf = try #require(setCookies(page)["_tern_csrf"])
                    let response = try await client.execute(
                        uri: "/auth/sign_in",
                        method: .post,
                        headers: cookieHeaders(["_tern_csrf": csrf], form: true),
                        body: formBody([
                            ("authenticity_token", csrf), ("username", "alice"), ("password", testPassword),
                            ("return_to", target),
                        ])
                    )
                    #expect(response.status == .seeOther, "\(target)")
                    #expect(response.headers[.location] == "/", "\(target)")
                }
            }
        }
    }

    @Test("an unknown client_id answers a 400 HTML page, never a redirect", arguments: TestDatabase.available)
    func unknownClient(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                let path =
                    "/oauth/authorize?"
                    + formString([
                        ("client_id", "no-such-client"), ("redirect_uri", Self.callback), ("response_type", "code"),
                    ])
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(response.headers[.location] == nil)
                #expect(response.text.contains("Unknown client."))
            }
        }
    }
}
