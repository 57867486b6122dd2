import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@Suite struct ErrorHandlingTests {
    /// Posts `body` to `/api/v1/apps` as `contentType`.
    static func postApps(
        _ client: any TestClientProtocol,
        _ body: ByteBuffer,
        contentType: String
    ) async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/apps", method: .post, headers: .contentType(contentType), body: body)
    }

    /// Whether the body is a JSON object with a non-empty `error` string (and no app was registered).
    static func isJSONError(_ response: TestResponse) -> Bool {
        response.headers[.contentType]?.hasPrefix("application/json") == true
            && (response.json["error"] as? String)?.isEmpty == false && response.json["client_id"] == nil
    }

    @Test("unknown API paths are 404 Record not found, for GET and POST", arguments: TestDatabase.available)
    func unknownPath(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                for method in [HTTPRequest.Method.get, .post, .delete] {
                    let response = try await client.execute(uri: "/api/v1/nope", method: method)
                    #expect(response.status == .notFound, "\(method)")
                    #expect(response.json["error"] as? String == "Record not found", "\(method)")
                    #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                }
                let nested = try await client.execute(uri: "/api/v2/nope/deeper", method: .get)
                #expect(nested.status == .notFound)
                #expect(nested.json["error"] as? String == "Record not found")
            }
        }
    }

    @Test("a malformed JSON body is 400 with a JSON error", arguments: TestDatabase.available)
    func malformedJSON(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                let response = try await Self.postApps(
                    client,
                    .text("{\"client_name\": \"Broken\", \"redirect_uris\": "),
                    contentType: jsonType
                )
                #expect(response.status == .badRequest)
                #expect(Self.isJSONError(response))
                #expect(response.json["error"] as? String == "The request body is not valid JSON")
                let array = try await Self.postApps(client, .text("[1, 2]"), contentType: jsonType)
                #expect(array.status == .badRequest)
                #expect(Self.isJSONError(array))
            }
        }
    }

    @Test("JSON nested 40 levels deep is 400", arguments: TestDatabase.available)
    func deepJSON(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                let deep = String(repeating: "{\"a\":", count: 39) + "1" + String(repeating: "}", count: 39)
                let body = "{\"client_name\":\"Deep\",\"redirect_uris\":\"\(outOfBand)\",\"x\":\(deep)}"
                let response = try await Self.postApps(client, .text(body), contentType: jsonType)
                #expect(response.status == .badRequest)
                #expect(Self.isJSONError(response))
                #expect(response.json["error"] as? String == "The JSON body is nested too deeply")
            }
        }
    }

    @Test("a body over 1 MiB is 413 with a JSON error", arguments: TestDatabase.available)
    func bodyTooLarge(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                let padding = String(repeating: "x", count: 1_048_576 + 1024)
                let body = formBody([("client_name", "Big"), ("redirect_uris", outOfBand), ("website", padding)])
                let response = try await Self.postApps(client, body, contentType: formType)
                #expect(response.status == .contentTooLarge)
                #expect(Self.isJSONError(response))
                #expect(response.json["error"] as? String == "Request body too large")
            }
        }
    }

    @Test("an unsupported content type with a body is 415", arguments: TestDatabase.available)
    func unsupportedMediaType(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                let response = try await Self.postApps(
                    client,
                    .text("client_name=Plain&redirect_uris=\(outOfBand)"),
                    contentType: "text/plain"
                )
                #expect(response.status == .unsupportedMediaType)
                #expect(Self.isJSONError(response))
                #expect(response.json["error"] as? String == "Unsupported content type")
            }
        }
    }

    @Test("a parameter of the wrong type is 422", arguments: TestDatabase.available)
    func wrongParameterType(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let (_, token) = try await t.account("alice")
            try await t.client { client in
                let response = try await client.execute(
                    uri: "/api/v1/accounts/search?q=a&limit=abc",
                    method: .get,
                    headers: .bearer(token)
                )
                #expect(response.status == .unprocessableContent)
                #expect(response.json["error"] as? String == "limit must be an integer")

                let flag = try await client.execute(
                    uri: "/api/v1/accounts/update_credentials",
                    method: .patch,
                    headers: formHeaders(token: token),
                    body: formBody([("locked", "maybe"), ("display_name", "Should Not Stick")])
                )
                #expect(flag.status == .unprocessableContent)
                #expect(flag.json["error"] as? String == "locked must be a boolean")
                let me = try await verifyCredentials(client, token)
                #expect(me.json["display_name"] as? String == "")
                #expect(me.json["locked"] as? Bool == false)
            }
        }
    }
}
