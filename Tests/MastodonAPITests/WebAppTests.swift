import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// The browser app's page and files, its sign-in without a consent step, and cross-origin access.
@Suite struct WebAppTests {
    @Test(
        "every /web route answers the app's page with a CSP that allows no inline script",
        arguments: TestDatabase.available
    )
    func page(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                for path in ["/web", "/web/home", "/web/@alice/123", "/web/tags/caf%C3%A9?x=1"] {
                    let response = try await client.execute(uri: path, method: .get)
                    #expect(response.status == .ok, "\(path)")
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                    #expect(response.text.contains("<script type=\"module\" src=\"/web/assets/app.js\">"))
                    let csp = try #require(response.headers[.contentSecurityPolicy])
                    #expect(csp.contains("script-src 'self'"))
                    #expect(!csp.contains("unsafe-inline"))
                    #expect(!csp.contains("unsafe-eval"))
                    #expect(csp.contains("frame-ancestors 'none'"))
                }
                let script = try await client.execute(uri: "/web/assets/app.js", method: .get)
                #expect(script.status == .ok)
                #expect(script.headers[.contentType] == "text/javascript")
                #expect(script.headers[.cacheControl] == "no-cache")
                #expect(script.headers[.eTag] != nil)
                // A missing file is a 404, never the page (a script must not receive HTML).
                let missing = try await client.execute(uri: "/web/assets/missing.js", method: .get)
                #expect(missing.status == .notFound)
                #expect(!missing.text.contains("<html"))
                let traversal = try await client.execute(uri: "/web/assets/../index.html", method: .get)
                #expect(traversal.status == .notFound || !traversal.text.contains("<script"))
            }
        }
    }

    @Test(
        "a signed-in person is not asked to approve the web app; other apps still ask",
        arguments: TestDatabase.available
    )
    func webAppSkipsConsent(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            _ = try await t.account("alice")
            try await t.client { client in
                let callback = "http://tern.test/web/callback"
                let web = try await t.registerApp(client, name: "Tern Web", redirect: callback)
                let path =
                    "/oauth/authorize?"
                    + formString([
                        ("client_id", web.clientID), ("redirect_uri", callback), ("response_type", "code"),
                        ("scope", "read write"), ("state", "s1"),
                        ("code_challenge", AuthorizationFlowTests.challenge), ("code_challenge_method", "S256"),
                    ])
                // Signed out: the sign-in page, never a code.
                let signedOut = try await client.execute(uri: path, method: .get)
                #expect(signedOut.status == .ok)
                #expect(signedOut.text.contains("action=\"/auth/sign_in\""))

                let cookies = try await AuthorizationFlowTests.signIn(client, returnTo: path)
                let approved = try await client.execute(uri: path, method: .get, headers: cookieHeaders(cookies))
                #expect(approved.status == .found)
                let location = try #require(approved.headers[.location])
                #expect(location.hasPrefix(callback + "?"))
                #expect(queryItems(location)["state"] == "s1")
                let code = try #require(queryItems(location)["code"])
                let exchanged = try await client.execute(
                    uri: "/oauth/token",
                    method: .post,
                    headers: formHeaders(),
                    body: formBody([
                        ("grant_type", "authorization_code"), ("client_id", web.clientID), ("redirect_uri", callback),
                        ("code", code), ("code_verifier", AuthorizationFlowTests.verifier),
                    ])
                )
                #expect(exchanged.status == .ok)
                #expect(exchanged.json["access_token"] is String)

                // Another app, same person: the consent page.
                let other = try await t.registerApp(client, redirect: AuthorizationFlowTests.callback)
                let consent = try await client.execute(
                    uri: AuthorizationFlowTests.authorizePath(other),
                    method: .get,
                    headers: cookieHeaders(cookies)
                )
                #expect(consent.status == .ok)
                #expect(consent.text.contains("name=\"decision\""))
            }
        }
    }

    @Test("the client API answers other origins without credentials; pages do not", arguments: TestDatabase.available)
    func crossOrigin(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                var preflight = HTTPFields()
                preflight[.origin] = "https://elk.example"
                preflight[.accessControlRequestMethod] = "POST"
                preflight[.accessControlRequestHeaders] = "authorization, content-type, idempotency-key"
                let answer = try await client.execute(uri: "/api/v1/statuses", method: .options, headers: preflight)
                #expect(answer.status == .noContent)
                #expect(answer.headers[.accessControlAllowOrigin] == "*")
                #expect(answer.headers[.accessControlAllowMethods]?.contains("POST") == true)
                #expect(answer.headers[.accessControlAllowHeaders] == "authorization, content-type, idempotency-key")
                #expect(answer.headers[.accessControlAllowCredentials] == nil)

                var origin = HTTPFields()
                origin[.origin] = "https://elk.example"
                let instance = try await client.execute(uri: "/api/v2/instance", method: .get, headers: origin)
                #expect(instance.status == .ok)
                #expect(instance.headers[.accessControlAllowOrigin] == "*")
                #expect(instance.headers[.accessControlExposeHeaders]?.contains("Link") == true)
                // Errors carry the headers too, so the page can read them.
                let unauthorised = try await client.execute(
                    uri: "/api/v1/accounts/verify_credentials",
                    method: .get,
                    headers: origin
                )
                #expect(unauthorised.status == .unauthorized)
                #expect(unauthorised.headers[.accessControlAllowOrigin] == "*")
                // HTML pages and their forms stay same-origin.
                let signIn = try await client.execute(uri: "/auth/sign_in", method: .get, headers: origin)
                #expect(signIn.headers[.accessControlAllowOrigin] == nil)
                let page = try await client.execute(uri: "/oauth/authorize", method: .options, headers: preflight)
                #expect(page.headers[.accessControlAllowOrigin] == nil)
            }
        }
    }
}
