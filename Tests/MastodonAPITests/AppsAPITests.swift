import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@Suite struct AppsAPITests {
    @Test("POST /api/v1/apps with a form body answers the credential application", arguments: TestDatabase.available)
    func registerWithForm(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                let body = formBody([
                    ("client_name", "Form App"), ("redirect_uris", "https://app.example/callback"),
                    ("scopes", "read write"),
                ])
                let response = try await client.execute(
                    uri: "/api/v1/apps",
                    method: .post,
                    headers: formHeaders(),
                    body: body
                )
                #expect(response.status == .ok)
                let json = response.json
                #expect(json["name"] as? String == "Form App")
                #expect((json["client_id"] as? String)?.isEmpty == false)
                #expect((json["client_secret"] as? String)?.isEmpty == false)
                #expect(json["redirect_uris"] as? [String] == ["https://app.example/callback"])
                #expect(json["redirect_uri"] as? String == "https://app.example/callback")
                #expect(json["scopes"] as? [String] == ["read", "write"])
                #expect(json.keys.contains("website"))
                #expect(json["website"] is NSNull)
                #expect(json["id"] is String)
            }
        }
    }

    @Test("POST /api/v1/apps with a JSON body takes an array of redirect URIs", arguments: TestDatabase.available)
    func registerWithJSON(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                let body = try jsonBody([
                    "client_name": "JSON App",
                    "redirect_uris": ["https://app.example/one", "https://app.example/two"],
                    "scopes": "read write:accounts", "website": "https://app.example",
                ])
                let response = try await client.execute(
                    uri: "/api/v1/apps",
                    method: .post,
                    headers: .contentType(jsonType),
                    body: body
                )
                #expect(response.status == .ok)
                let json = response.json
                #expect(json["name"] as? String == "JSON App")
                #expect(json["redirect_uris"] as? [String] == ["https://app.example/one", "https://app.example/two"])
                #expect(json["redirect_uri"] as? String == "https://app.example/one\nhttps://app.example/two")
                #expect(json["scopes"] as? [String] == ["read", "write:accounts"])
                #expect(json["website"] as? String == "https://app.example")
                #expect((json["client_secret"] as? String)?.isEmpty == false)
            }
        }
    }

    @Test("POST /api/v1/apps with query-string parameters and no body", arguments: TestDatabase.available)
    func registerWithQuery(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                let query = formString([("client_name", "Query App"), ("redirect_uris", outOfBand), ("scopes", "read")])
                let response = try await client.execute(uri: "/api/v1/apps?" + query, method: .post)
                #expect(response.status == .ok)
                #expect(response.json["name"] as? String == "Query App")
                #expect(response.json["redirect_uris"] as? [String] == [outOfBand])
                #expect(response.json["scopes"] as? [String] == ["read"])
                #expect((response.json["client_id"] as? String)?.isEmpty == false)
            }
        }
    }

    @Test("several redirect URIs: a form array, and one newline-separated string", arguments: TestDatabase.available)
    func severalRedirectURIs(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                let array = try await client.execute(
                    uri: "/api/v1/apps",
                    method: .post,
                    headers: formHeaders(),
                    body: formBody([
                        ("client_name", "Array"), ("redirect_uris[]", "https://a.example/1"),
                        ("redirect_uris[]", "https://a.example/2"),
                    ])
                )
                #expect(array.status == .ok)
                #expect(array.json["redirect_uris"] as? [String] == ["https://a.example/1", "https://a.example/2"])

                let lines = try await client.execute(
                    uri: "/api/v1/apps",
                    method: .post,
                    headers: formHeaders(),
                    body: formBody([
                        ("client_name", "Lines"),
                        ("redirect_uris", "https://b.example/1\nhttps://b.example/2\n" + outOfBand),
                    ])
                )
                #expect(lines.status == .ok)
                #expect(
                    lines.json["redirect_uris"] as? [String] == [
                        "https://b.example/1", "https://b.example/2", outOfBand,
                    ]
                )
            }
        }
    }

    @Test("a custom-scheme redirect URI such as com.example.app:/oauth is accepted", arguments: TestDatabase.available)
    func customScheme(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                let response = try await client.execute(
                    uri: "/api/v1/apps",
                    method: .post,
                    headers: formHeaders(),
                    body: formBody([("client_name", "Native"), ("redirect_uris", "com.example.app:/oauth")])
                )
                #expect(response.status == .ok)
                #expect(response.json["redirect_uris"] as? [String] == ["com.example.app:/oauth"])
                #expect(response.json["scopes"] as? [String] == ["read"])
            }
        }
    }

    @Test(
        "registration is refused with 422 without a name, with javascript: or an unknown scope",
        arguments: TestDatabase.available
    )
    func refusedRegistrations(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                let cases: [[(String, String)]] = [
                    [("redirect_uris", "https://app.example/callback")],
                    [("client_name", "   "), ("redirect_uris", "https://app.example/callback")],
                    [("client_name", "Evil"), ("redirect_uris", "javascript:alert(1)")],
                    [("client_name", "Greedy"), ("redirect_uris", outOfBand), ("scopes", "read admin:everything")],
                    [("client_name", "No redirect")],
                ]
                for pairs in cases {
                    let response = try await client.execute(
                        uri: "/api/v1/apps",
                        method: .post,
                        headers: formHeaders(),
                        body: formBody(pairs)
                    )
                    #expect(response.status == .unprocessableContent, "\(pairs)")
                    #expect((response.json["error"] as? String)?.isEmpty == false, "\(pairs)")
                    #expect(response.json["client_id"] == nil)
                    #expect(response.json["client_secret"] == nil)
                }
                let noName = try await client.execute(
                    uri: "/api/v1/apps",
                    method: .post,
                    headers: formHeaders(),
                    body: formBody([("redirect_uris", outOfBand)])
                )
                #expect((noName.json["error"] as? String)?.contains("name") == true)
                let scope = try await client.execute(
                    uri: "/api/v1/apps",
                    method: .post,
                    headers: formHeaders(),
                    body: formBody([("client_name", "Greedy"), ("redirect_uris", outOfBand), ("scopes", "bogus")])
                )
                #expect((scope.json["error"] as? String)?.contains("Scopes") == true)
            }
        }
    }

    @Test(
        "GET /api/v1/apps/verify_credentials with an app token shows the app without its secret",
        arguments: TestDatabase.available
    )
    func verifyAppCredentials(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                let app = try await t.registerApp(client, name: "Verified App", scopes: "read write")
                let tokenResponse = try await client.execute(
                    uri: "/oauth/token",
                    method: .post,
                    headers: formHeaders(),
                    body: formBody([
                        ("grant_type", "client_credentials"), ("client_id", app.clientID),
                        ("client_secret", app.clientSecret), ("scope", "read"),
                    ])
                )
                #expect(tokenResponse.status == .ok)
                let token = try #require(tokenResponse.json["access_token"] as? String)
                let response = try await client.execute(
                    uri: "/api/v1/apps/verify_credentials",
                    method: .get,
                    headers: .bearer(token)
                )
                #expect(response.status == .ok)
                #expect(response.json["name"] as? String == "Verified App")
                #expect(response.json["scopes"] as? [String] == ["read", "write"])
                #expect(response.json["client_secret"] == nil)
                #expect(response.json["client_id"] == nil)

                let anonymous = try await client.execute(uri: "/api/v1/apps/verify_credentials", method: .get)
                #expect(anonymous.status == .unauthorized)
                #expect(anonymous.json["name"] == nil)
            }
        }
    }
}
