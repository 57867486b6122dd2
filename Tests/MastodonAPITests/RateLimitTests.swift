import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@Suite struct RateLimitTests {
    static func run(_ db: TestDatabase, limit: Int, _ body: @Sendable (TestApp) async throws -> Void) async throws {
        try await TestApp.run(db, configure: { $0.authRateLimit = limit }, body)
    }

    @Test(
        "password checks beyond the allowance answer 429 JSON on the API and a 429 page on sign-in",
        arguments: TestDatabase.available
    )
    func tooManyAttempts(_ db: TestDatabase) async throws {
        try await Self.run(db, limit: 2) { t in
            try await t.client { client in
                let form = "grant_type=password&client_id=nope&client_secret=nope&username=x&password=y"
                var statuses: [HTTPResponse.Status] = []
                for _ in 0..<3 {
                    let response = try await client.execute(
                        uri: "/oauth/token",
                        method: .post,
                        headers: .contentType("application/x-www-form-urlencoded"),
                        body: ByteBuffer(string: form)
                    )
                    statuses.append(response.status)
                    if response.status == .tooManyRequests {
                        #expect(response.json["error"] as? String == "Too many requests")
                    }
                }
                #expect(statuses == [.unauthorized, .unauthorized, .tooManyRequests])
                // The allowance is shared by everything that checks a password from this address.
                let page = try await client.execute(
                    uri: "/auth/sign_in",
                    method: .post,
                    headers: .contentType("application/x-www-form-urlencoded"),
                    body: ByteBuffer(string: "username=x&password=y")
                )
                #expect(page.status == .tooManyRequests)
                #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
                // Reading is not limited.
                #expect(try await client.execute(uri: "/api/v1/instance", method: .get).status == .ok)
            }
        }
    }

    @Test("a limit of 0 turns the limiter off", arguments: TestDatabase.available)
    func unlimited(_ db: TestDatabase) async throws {
        try await Self.run(db, limit: 0) { t in
            try await t.client { client in
                for _ in 0..<30 {
                    let response = try await client.execute(
                        uri: "/oauth/token",
                        method: .post,
                        headers: .contentType("application/x-www-form-urlencoded"),
                        body: ByteBuffer(string: "grant_type=password&client_id=nope&client_secret=nope")
                    )
                    #expect(response.status == .unauthorized)
                }
            }
        }
    }
}
