import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// `POST /api/v1/accounts` with an app token.
@Suite struct RegistrationTests {
    static func register(
        _ client: any TestClientProtocol,
        token: String,
        _ pairs: [(String, String)]
    ) async throws -> TestResponse {
        try await client.execute(
            uri: "/api/v1/accounts",
            method: .post,
            headers: formHeaders(token: token),
            body: formBody(pairs)
        )
    }

    static func signUp(
        _ username: String,
        email: String? = nil,
        password: String = "long enough pw",
        agreement: Bool = true
    ) -> [(String, String)] {
        var pairs = [
            ("username", username), ("email", email ?? "\(username)@example.org"), ("password", password),
            ("locale", "en"),
        ]
        if agreement { pairs.append(("agreement", "true")) }
        return pairs
    }

    static func lookupStatus(_ client: any TestClientProtocol, _ acct: String) async throws -> HTTPResponse.Status {
        try await client.execute(uri: "/api/v1/accounts/lookup?acct=\(acct)", method: .get).status
    }

    @Test("sign-up answers a token that works on verify_credentials", arguments: TestDatabase.available)
    func success(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                let appToken = try await t.appToken(client)
                let response = try await Self.register(client, token: appToken, Self.signUp("bob"))
                #expect(response.status == .ok)
                #expect(response.json["token_type"] as? String == "Bearer")
                #expect(response.json["scope"] as? String == "read write")
                #expect(response.json["created_at"] is Int)
                let token = try #require(response.json["access_token"] as? String)
                let me = try await verifyCredentials(client, token)
                #expect(me.status == .ok)
                #expect(me.json["username"] as? String == "bob")
                #expect(me.json["acct"] as? String == "bob")
            }
        }
    }

    @Test("a taken username is 422 with details.username ERR_TAKEN", arguments: TestDatabase.available)
    func duplicateUsername(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let (_, aliceToken) = try await t.account("alice")
            try await t.client { client in
                let appToken = try await t.appToken(client)
                let response = try await Self.register(
                    client,
                    token: appToken,
                    Self.signUp("alice", email: "other@example.org")
                )
                #expect(response.status == .unprocessableContent)
                #expect((response.json["error"] as? String)?.hasPrefix("Validation failed") == true)
                let details = try #require(response.json["details"] as? [String: Any])
                let username = try #require(details["username"] as? [[String: Any]])
                #expect(username.first?["error"] as? String == "ERR_TAKEN")
                #expect(username.first?["description"] as? String == "has already been taken")
                #expect(response.json["access_token"] == nil)
                // Still one alice, and the other address cannot sign in.
                let search = try await client.execute(
                    uri: "/api/v1/accounts/search?q=alice",
                    method: .get,
                    headers: .bearer(aliceToken)
                )
                #expect(search.jsonArray.count == 1)
                let app = try await t.registerApp(client)
                let login = try await client.execute(
                    uri: "/oauth/token",
                    method: .post,
                    headers: formHeaders(),
                    body: formBody([
                        ("grant_type", "password"), ("client_id", app.clientID), ("client_secret", app.clientSecret),
                        ("username", "other@example.org"), ("password", "long enough pw"),
                    ])
                )
                #expect(login.status == .badRequest)
            }
        }
    }

    @Test("sign-up without agreement is 422 and creates nothing", arguments: TestDatabase.available)
    func missingAgreement(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                let appToken = try await t.appToken(client)
                let response = try await Self.register(client, token: appToken, Self.signUp("carol", agreement: false))
                #expect(response.status == .unprocessableContent)
                let details = try #require(response.json["details"] as? [String: Any])
                #expect((details["agreement"] as? [[String: Any]])?.first?["error"] as? String == "ERR_ACCEPTED")
                #expect(try await Self.lookupStatus(client, "carol") == .notFound)
            }
        }
    }

    @Test("a short password is 422 with details.password and creates nothing", arguments: TestDatabase.available)
    func shortPassword(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                let appToken = try await t.appToken(client)
                let response = try await Self.register(client, token: appToken, Self.signUp("dave", password: "short"))
                #expect(response.status == .unprocessableContent)
                let details = try #require(response.json["details"] as? [String: Any])
                let password = try #require(details["password"] as? [[String: Any]])
                #expect(password.first?["error"] as? String == "ERR_TOO_SHORT")
                #expect(details["username"] == nil)
                #expect(try await Self.lookupStatus(client, "dave") == .notFound)
            }
        }
    }

    @Test("a user token cannot register accounts", arguments: TestDatabase.available)
    func userTokenRefused(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let (_, token) = try await t.account("alice")
            try await t.client { client in
                let response = try await Self.register(client, token: token, Self.signUp("erin"))
                #expect(response.status == .forbidden)
                #expect(response.json["access_token"] == nil)
                #expect(try await Self.lookupStatus(client, "erin") == .notFound)
                let anonymous = try await client.execute(
                    uri: "/api/v1/accounts",
                    method: .post,
                    headers: formHeaders(),
                    body: formBody(Self.signUp("erin"))
                )
                #expect(anonymous.status == .unauthorized)
                #expect(try await Self.lookupStatus(client, "erin") == .notFound)
            }
        }
    }

    @Test("with registrations closed sign-up is 403 and creates nothing", arguments: TestDatabase.available)
    func closed(db: TestDatabase) async throws {
        try await TestApp.run(db, registrations: .closed) { t in
            try await t.client { client in
                let appToken = try await t.appToken(client)
                let response = try await Self.register(client, token: appToken, Self.signUp("frank"))
                #expect(response.status == .forbidden)
                #expect(response.json["error"] as? String == "Registrations are closed on this server")
                #expect(try await Self.lookupStatus(client, "frank") == .notFound)
                let instance = try await client.execute(uri: "/api/v2/instance", method: .get)
                #expect((instance.json["registrations"] as? [String: Any])?["enabled"] as? Bool == false)
            }
        }
    }

    @Test("in approval mode a reason is required, and the new account is pending", arguments: TestDatabase.available)
    func approvalMode(db: TestDatabase) async throws {
        try await TestApp.run(db, registrations: .approval) { t in
            try await t.client { client in
                let appToken = try await t.appToken(client)
                let noReason = try await Self.register(client, token: appToken, Self.signUp("gina"))
                #expect(noReason.status == .unprocessableContent)
                let details = try #require(noReason.json["details"] as? [String: Any])
                #expect((details["reason"] as? [[String: Any]])?.first?["error"] as? String == "ERR_BLANK")
                #expect(noReason.json["access_token"] == nil)

                let withReason = try await Self.register(
                    client,
                    token: appToken,
                    Self.signUp("gina") + [("reason", "I would like to join.")]
                )
                #expect(withReason.status == .ok)
                let token = try #require(withReason.json["access_token"] as? String)
                let me = try await verifyCredentials(client, token)
                #expect(me.status == .forbidden)
                #expect(me.json["error"] as? String == "Your login is currently pending approval")
            }
        }
    }

    @Test(
        "with mail on, an app sign-up waits for its address; emails/confirmations resends",
        arguments: TestDatabase.available
    )
    func confirmationByMail(db: TestDatabase) async throws {
        let mail = RecordingMailTransport()
        try await TestApp.run(db, mail: mail) { t in
            try await t.client { client in
                let appToken = try await t.appToken(client)
                let response = try await Self.register(client, token: appToken, Self.signUp("hana"))
                #expect(response.status == .ok)
                let token = try #require(response.json["access_token"] as? String)
                let me = try await verifyCredentials(client, token)
                #expect(me.status == .forbidden)
                #expect(me.json["error"] as? String == "Your login is missing a confirmed e-mail address")

                // Resend to a corrected address; a taken or malformed one is refused.
                let _ = try await t.account("taken")
                for bad in ["taken@example.org", "no-at-sign"] {
                    let refused = try await client.execute(
                        uri: "/api/v1/emails/confirmations",
                        method: .post,
                        headers: formHeaders(token: token),
                        body: formBody([("email", bad)])
                    )
                    #expect(refused.status == .unprocessableContent, "\(bad)")
                }
                let resent = try await client.execute(
                    uri: "/api/v1/emails/confirmations",
                    method: .post,
                    headers: formHeaders(token: token),
                    body: formBody([("email", "hana@fixed.example")])
                )
                #expect(resent.status == .ok)
                #expect(resent.json.isEmpty)
                try await t.jobs.drain()
                #expect(mail.link(to: "hana@example.org", containing: "/auth/confirmation") != nil)
                let link = try #require(mail.link(to: "hana@fixed.example", containing: "/auth/confirmation"))
                let confirmed = try await client.execute(uri: String(link.dropFirst(16)), method: .get)
                #expect(confirmed.status == .ok)
                #expect(try await verifyCredentials(client, token).status == .ok)

                // Once confirmed, resending is refused; an app token has no user to confirm.
                let again = try await client.execute(
                    uri: "/api/v1/emails/confirmations",
                    method: .post,
                    headers: formHeaders(token: token)
                )
                #expect(again.status == .forbidden)
                let appOnly = try await client.execute(
                    uri: "/api/v1/emails/confirmations",
                    method: .post,
                    headers: formHeaders(token: appToken)
                )
                #expect(appOnly.status == .unprocessableContent)
                let anonymous = try await client.execute(uri: "/api/v1/emails/confirmations", method: .post)
                #expect(anonymous.status == .unauthorized)
            }
        }
    }
}
