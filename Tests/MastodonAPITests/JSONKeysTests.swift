import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Every key Mastodon sends is snake_case. Entities spell their keys out (in `CodingKeys`, or by hand
/// for statuses and accounts), so this walks real responses and fails on any key with an uppercase
/// letter: a new entity that forgot its `CodingKeys` shows up here.
@Suite struct JSONKeysTests {
    static func camelCaseKeys(_ value: Any, path: String = "") -> [String] {
        switch value {
        case let object as [String: Any]:
            return object.flatMap { key, item -> [String] in
                let here = path.isEmpty ? key : "\(path).\(key)"
                let own = key.contains(where: { $0.isUppercase }) ? [here] : []
                return own + Self.camelCaseKeys(item, path: here)
            }
        case let list as [Any]:
            return list.enumerated().flatMap { Self.camelCaseKeys($0.element, path: "\(path)[\($0.offset)]") }
        default:
            return []
        }
    }

    @Test("responses of the main endpoints use snake_case keys only", arguments: TestDatabase.available)
    func snakeCaseEverywhere(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { t in
            let (alice, aliceToken) = try await t.account("alice")
            let (_, bobToken) = try await t.account("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                _ = try await api.post("/api/v1/accounts/\(alice.id)/follow", bobToken)
                let posted = try await api.post("/api/v1/statuses", aliceToken, [("status", "hi @bob #keys")])
                let id = try #require(posted.json["id"] as? String)
                _ = try await api.post("/api/v1/statuses/\(id)/favourite", bobToken)
                _ = try await api.post("/api/v1/statuses/\(id)/reblog", bobToken)
                let paths: [(String, String?)] = [
                    ("/api/v1/instance", nil), ("/api/v2/instance", nil), ("/api/v1/instance/activity", nil),
                    ("/api/v1/accounts/verify_credentials", aliceToken), ("/api/v1/statuses/\(id)", bobToken),
                    ("/api/v1/statuses/\(id)/context", bobToken), ("/api/v1/statuses/\(id)/history", bobToken),
                    ("/api/v1/timelines/home", bobToken), ("/api/v1/notifications", aliceToken),
                    ("/api/v1/accounts/relationships?id[]=\(alice.id)", bobToken),
                    ("/api/v2/search?q=keys", aliceToken),
                    ("/api/v1/tags/keys", aliceToken), ("/api/v1/preferences", aliceToken),
                ]
                for (path, token) in paths {
                    let response = try await api.get(path, token)
                    #expect(response.status == .ok, "\(path)")
                    let body = try JSONSerialization.jsonObject(
                        with: Data(buffer: response.body),
                        options: [.fragmentsAllowed]
                    )
                    let bad = Self.camelCaseKeys(body).filter { !$0.hasSuffix("posting:default:visibility") }
                    #expect(bad.isEmpty, "\(path): \(bad.prefix(5))")
                }
            }
        }
    }
}
