import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@Suite struct InstanceAPITests {
    @Test("GET /api/v1/instance describes the server", arguments: TestDatabase.available)
    func v1(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            _ = try await t.account("alice")
            try await t.client { client in
                let response = try await client.execute(uri: "/api/v1/instance", method: .get)
                #expect(response.status == .ok)
                let json = response.json
                #expect((json["version"] as? String)?.contains("Tern") == true)
                #expect(json["uri"] as? String == "tern.test")
                #expect((json["urls"] as? [String: Any])?["streaming_api"] as? String == "ws://tern.test")
                let configuration = try #require(json["configuration"] as? [String: Any])
                #expect((configuration["statuses"] as? [String: Any])?["max_characters"] as? Int == 500)
                #expect(json.keys.contains("contact_account"))
                #expect(json["email"] as? String == "admin@tern.test")
                #expect((json["stats"] as? [String: Any])?["user_count"] as? Int == 1)
                #expect(json["registrations"] as? Bool == true)
                #expect(json["rules"] as? [Any] != nil)
            }
        }
    }

    @Test("GET /api/v2/instance describes the server", arguments: TestDatabase.available)
    func v2(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                let response = try await client.execute(uri: "/api/v2/instance", method: .get)
                #expect(response.status == .ok)
                let json = response.json
                #expect(json["domain"] as? String == "tern.test")
                #expect((json["version"] as? String)?.contains("Tern") == true)
                #expect((json["api_versions"] as? [String: Any])?["mastodon"] as? Int == 2)
                let registrations = try #require(json["registrations"] as? [String: Any])
                #expect(registrations["enabled"] as? Bool == true)
                #expect(registrations["approval_required"] as? Bool == false)
                let configuration = try #require(json["configuration"] as? [String: Any])
                #expect((configuration["urls"] as? [String: Any])?["streaming"] as? String == "ws://tern.test")
                #expect((configuration["statuses"] as? [String: Any])?["max_characters"] as? Int == 500)
                let usage = try #require(json["usage"] as? [String: Any])
                #expect((usage["users"] as? [String: Any])?["active_month"] is Int)
                let contact = try #require(json["contact"] as? [String: Any])
                #expect(contact["email"] as? String == "admin@tern.test")
                #expect(contact.keys.contains("account"))
            }
        }
    }

    @Test("peers is an empty list, activity has twelve weeks of strings", arguments: TestDatabase.available)
    func peersAndActivity(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                let peers = try await client.execute(uri: "/api/v1/instance/peers", method: .get)
                #expect(peers.status == .ok)
                #expect(peers.text == "[]")

                let activity = try await client.execute(uri: "/api/v1/instance/activity", method: .get)
                #expect(activity.status == .ok)
                let weeks = activity.jsonArray
                #expect(weeks.count == 12)
                for week in weeks {
                    for key in ["week", "statuses", "logins", "registrations"] {
                        let value = week[key] as? String
                        #expect(value != nil && Int(value ?? "") != nil, "\(key)")
                    }
                }
                let starts = weeks.compactMap { ($0["week"] as? String).flatMap(Int.init) }
                #expect(starts == starts.sorted(by: >))
            }
        }
    }

    @Test("rules and custom emojis are lists", arguments: TestDatabase.available)
    func rulesAndEmojis(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                let rules = try await client.execute(uri: "/api/v1/instance/rules", method: .get)
                #expect(rules.status == .ok)
                #expect(rules.text.hasPrefix("["))
                let instance = try await client.execute(uri: "/api/v1/instance", method: .get)
                #expect(rules.jsonArray.count == (instance.json["rules"] as? [Any])?.count)

                let emojis = try await client.execute(uri: "/api/v1/custom_emojis", method: .get)
                #expect(emojis.status == .ok)
                #expect(emojis.text == "[]")
            }
        }
    }
}
