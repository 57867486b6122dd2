import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@Suite struct OAuthTokenTests {
    /// `POST /oauth/token` with a form body.
    static func token(_ client: any TestClientProtocol, _ pairs: [(String, String)]) async throws -> TestResponse {
        try await client.execute(uri: "/oauth/token", method: .post, headers: formHeaders(), body: formBody(pairs))
    }

    @Test(
        "the password grant answers a Bearer token with its scope and an integer created_at",
        arguments: TestDatabase.available
    )
    func passwordGrant(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            _ = try await t.account("alice")
            try await t.client { client in
                let app = try await t.registerApp(client)
                let response = try await Self.token(
                    client,
                    [
                        ("grant_type", "password"), ("client_id", app.clientID), ("client_secret", app.clientSecret),
                        ("username", "alice"), ("password", testPassword), ("scope", "read write"),
                    ]
                )
                #expect(response.status == .ok)
                let json = response.json
                #expect(json["token_type"] as? String == "Bearer")
                #expect(json["scope"] as? String == "read write")
                let createdAt = try #require(json["created_at"] as? Int)
                #expect(abs(Double(createdAt) - Date().timeIntervalSince1970) < 600)
                #expect(!response.text.contains("\"created_at\":\""))
                let token = try #require(json["access_token"] as? String)
                let me = try await verifyCredentials(client, token)
                #expect(me.status == .ok)
                #expect(me.json["username"] as? String == "alice")
            }
        }
    }

    @Test("a wrong password is invalid_grant (400) and issues no token", arguments: TestDatabase.available)
    func wrongPassword(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            _ = try await t.account("alice")
            try await t.client { client in
                let app = try await t.registerApp(client)
                let response = try await Self.token(
                    client,
                    [
                        ("grant_type", "password"), ("client_id", app.clientID), ("client_secret", app.clientSecret),
                        ("username", "alice"), ("password", "wrong horse 2"),
                    ]
                )
                #expect(response.status == .badRequest)
                #expect(response.json["error"] as? String == "invalid_grant")
                #expect(response.json["error_description"] is String)
                #expect(response.json["access_token"] == nil)
            }
        }
    }

    @Test("a wrong client secret is invalid_client (401)", arguments: TestDatabase.available)
    func wrongClientSecret(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            _ = try await t.account("alice")
            try await t.client { client in
                let app = try await t.registerApp(client)
                let response = try await Self.token(
                    client,
                    [
                        ("grant_type", "password"), ("client_id", app.clientID), ("client_secret", "not-the-secret"),
                        ("username", "alice"), ("password", testPassword),
                    ]
                )
                #expect(response.status == .unauthorized)
                #expect(response.json["error"] as? String == "invalid_client")
                #expect(response.json["access_token"] == nil)
            }
        }
    }

    @Test("a scope the app did not register is invalid_scope (400)", arguments: TestDatabase.available)
    func unregisteredScope(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            _ = try await t.account("alice")
            try await t.client { client in
                let app = try await t.registerApp(client, scopes: "read")
                let response = try await Self.token(
                    client,
                    [
                        ("grant_type", "password"), ("client_id", app.clientID), ("client_secret", app.clientSecret),
                        ("username", "alice"), ("password", testPassword), ("scope", "read write"),
                    ]
                )
                #expect(response.status == .badRequest)
                #expect(response.json["error"] as? String == "invalid_scope")
                #expect(response.json["access_token"] == nil)
            }
        }
    }

    @Test("an unsupported grant_type is refused with 400", arguments: TestDatabase.available)
    func unsupportedGrant(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                let app = try await t.registerApp(client)
                let response = try await Self.token(
                    client,
                    [("grant_type", "implicit"), ("client_id", app.clientID), ("client_secret", app.clientSecret)]
                )
                #expect(response.status == .badRequest)
                #expect(response.json["error"] as? String == "unsupported_grant_type")
                #expect(response.json["access_token"] == nil)
            }
        }
    }

    @Test(
        "a client_credentials token cannot act as a user (422) but can register accounts",
        arguments: TestDatabase.available
    )
    func clientCredentials(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                let token = try await t.appToken(client)
                let me = try await verifyCredentials(client, token)
                #expect(me.status == .unprocessableContent)
                #expect(me.json["error"] as? String == "This method requires an authenticated user")
                #expect(me.json["username"] == nil)

                let signUp = try await client.execute(
                    uri: "/api/v1/accounts",
                    method: .post,
                    headers: formHeaders(token: token),
                    body: formBody([
                        ("username", "newcomer"), ("email", "newcomer@example.org"), ("password", "long enough pw"),
                        ("agreement", "true"), ("locale", "en"),
                    ])
                )
                #expect(signUp.status == .ok)
                #expect(signUp.json["token_type"] as? String == "Bearer")
                let lookup = try await client.execute(uri: "/api/v1/accounts/lookup?acct=newcomer", method: .get)
                #expect(lookup.status == .ok)
                #expect(lookup.json["username"] as? String == "newcomer")
            }
        }
    }

    @Test("POST /oauth/revoke ends a token: it then answers 401", arguments: TestDatabase.available)
    func revoke(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            _ = try await t.account("alice")
            try await t.client { client in
                let app = try await t.registerApp(client)
                let token = try await t.passwordToken(client, app: app, username: "alice")
                #expect(try await verifyCredentials(client, token).status == .ok)

                let wrongClient = try await client.execute(
                    uri: "/oauth/revoke",
                    method: .post,
                    headers: formHeaders(),
                    body: formBody([("client_id", app.clientID), ("client_secret", "nope"), ("token", token)])
                )
                #expect(wrongClient.status == .unauthorized)
                #expect(try await verifyCredentials(client, token).status == .ok)

                let response = try await client.execute(
                    uri: "/oauth/revoke",
                    method: .post,
                    headers: formHeaders(),
                    body: formBody([("client_id", app.clientID), ("client_secret", app.clientSecret), ("token", token)])
                )
                #expect(response.status == .ok)
                #expect(response.text == "{}")
                let after = try await verifyCredentials(client, token)
                #expect(after.status == .unauthorized)
                #expect(after.json["error"] as? String == "The access token is invalid")
            }
        }
    }
}

@Suite struct ScopeEnforcementTests {
    @Test("a read-only token may not update credentials (403) and nothing changes", arguments: TestDatabase.available)
    func readOnlyCannotWrite(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let (_, token) = try await t.account("alice", scopes: "read")
            try await t.client { client in
                let response = try await client.execute(
                    uri: "/api/v1/accounts/update_credentials",
                    method: .patch,
                    headers: formHeaders(token: token),
                    body: formBody([("display_name", "Changed")])
                )
                #expect(response.status == .forbidden)
                #expect(response.json["error"] as? String == "This action is outside the authorized scopes")
                let me = try await verifyCredentials(client, token)
                #expect(me.status == .ok)
                #expect(me.json["display_name"] as? String == "")
            }
        }
    }

    @Test("no token is 401 and a garbage bearer token is 401", arguments: TestDatabase.available)
    func missingAndGarbageTokens(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                let anonymous = try await client.execute(uri: "/api/v1/accounts/verify_credentials", method: .get)
                #expect(anonymous.status == .unauthorized)
                #expect(anonymous.json["error"] as? String == "The access token is invalid")
                let garbage = try await verifyCredentials(client, "garbage-token-that-was-never-issued")
                #expect(garbage.status == .unauthorized)
                #expect(garbage.json["error"] as? String == "The access token is invalid")
                // A token that is sent must be valid, even where none is needed.
                let instance = try await client.execute(
                    uri: "/api/v1/instance",
                    method: .get,
                    headers: .bearer("garbage")
                )
                #expect(instance.status == .unauthorized)
                var basic = HTTPFields()
                basic[.authorization] = "Token abc"
                let wrongScheme = try await client.execute(
                    uri: "/api/v1/accounts/verify_credentials",
                    method: .get,
                    headers: basic
                )
                #expect(wrongScheme.status == .unauthorized)
            }
        }
    }

    @Test("a profile-only token can call verify_credentials and nothing else", arguments: TestDatabase.available)
    func profileScope(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let (_, token) = try await t.account("alice", scopes: "profile")
            try await t.client { client in
                let me = try await verifyCredentials(client, token)
                #expect(me.status == .ok)
                #expect(me.json["username"] as? String == "alice")
                let preferences = try await client.execute(
                    uri: "/api/v1/preferences",
                    method: .get,
                    headers: .bearer(token)
                )
                #expect(preferences.status == .forbidden)
                let update = try await client.execute(
                    uri: "/api/v1/accounts/update_credentials",
                    method: .patch,
                    headers: formHeaders(token: token),
                    body: formBody([("display_name", "Changed")])
                )
                #expect(update.status == .forbidden)
            }
        }
    }
}
