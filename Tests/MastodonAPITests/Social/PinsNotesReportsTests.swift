import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Storage
import TestSupport
import Testing

extension SocialAPI {
    /// The ids of an account's pinned statuses as `token` sees them.
    func pinned(_ id: String, _ token: String?) async throws -> [String] {
        try await self.accountStatuses(id, token, "?pinned=true")
    }
}

extension TestApp {
    /// How many reports are stored (no API reads them back).
    func reportCount() async throws -> Int {
        try await self.db.read {
            try await $0.sql.raw("SELECT COUNT(*) AS n FROM reports").first()?.decode(column: "n", as: Int.self) ?? -1
        }
    }
}

@Suite struct PinsTests {
    @Test("pinning an own public status shows pinned: true and lists it as pinned", arguments: TestDatabase.available)
    func pin(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                let post = try await api.status(alice.token, "pin me")
                let other = try await api.status(alice.token, "not pinned")
                let before = try await api.get("/api/v1/statuses/\(post)", alice.token)
                #expect(before.json["pinned"] as? Bool == false)

                let pinned = try await api.post("/api/v1/statuses/\(post)/pin", alice.token)
                #expect(pinned.status == .ok, "\(pinned.text)")
                #expect(pinned.json["id"] as? String == post)
                #expect(pinned.json["pinned"] as? Bool == true)
                #expect(try await api.get("/api/v1/statuses/\(post)", alice.token).json["pinned"] as? Bool == true)
                #expect(try await api.get("/api/v1/statuses/\(other)", alice.token).json["pinned"] as? Bool == false)

                #expect(try await api.pinned(alice.id, alice.token) == [post])
                #expect(try await api.pinned(alice.id, bob.token) == [post])
                #expect(try await api.pinned(alice.id, nil) == [post])
                let listed = try await api.get("/api/v1/accounts/\(alice.id)/statuses?pinned=true", alice.token)
                #expect(listed.jsonArray.first?["pinned"] as? Bool == true)

                // `pinned` is only for the author: others never see the key.
                let seen = try await api.get("/api/v1/statuses/\(post)", bob.token)
                #expect(seen.status == .ok)
                #expect(seen.json.keys.contains("pinned") == false)
                #expect(try await api.get("/api/v1/statuses/\(post)").json.keys.contains("pinned") == false)
                let fromBob = try await api.get("/api/v1/accounts/\(alice.id)/statuses?pinned=true", bob.token)
                #expect(fromBob.jsonArray.first?.keys.contains("pinned") == false)

                let unpinned = try await api.post("/api/v1/statuses/\(post)/unpin", alice.token)
                #expect(unpinned.status == .ok)
                #expect(unpinned.json["pinned"] as? Bool == false)
                #expect(try await api.pinned(alice.id, alice.token).isEmpty)
                #expect(try await api.get("/api/v1/statuses/\(post)", alice.token).json["pinned"] as? Bool == false)
            }
        }
    }

    @Test("pinning another user's status or a direct message is refused", arguments: TestDatabase.available)
    func refused(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                let bobs = try await api.status(bob.token, "bob's post")
                expectError(try await api.post("/api/v1/statuses/\(bobs)/pin", alice.token), .unprocessableContent)
                #expect(try await api.pinned(alice.id, alice.token).isEmpty)
                #expect(try await api.pinned(bob.id, bob.token).isEmpty)

                let direct = try await api.status(alice.token, "@bob secret", visibility: "direct")
                expectError(try await api.post("/api/v1/statuses/\(direct)/pin", alice.token), .unprocessableContent)
                #expect(try await api.pinned(alice.id, alice.token).isEmpty)

                // A reblog is not the booster's own status either.
                let boost = try await api.post("/api/v1/statuses/\(bobs)/reblog", alice.token)
                let boostID = try #require(boost.json["id"] as? String)
                expectError(try await api.post("/api/v1/statuses/\(boostID)/pin", alice.token), .unprocessableContent)
                #expect(try await api.pinned(alice.id, alice.token).isEmpty)

                expectError(try await api.post("/api/v1/statuses/999999/pin", alice.token), .notFound)
            }
        }
    }

    @Test("a sixth pin is refused and the first five stay", arguments: TestDatabase.available)
    func limit(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                var posts: [String] = []
                for index in 1...6 { posts.append(try await api.status(alice.token, "post \(index)")) }
                for post in posts.prefix(5) {
                    let response = try await api.post("/api/v1/statuses/\(post)/pin", alice.token)
                    #expect(response.status == .ok, "\(response.text)")
                }
                // Pinning an already pinned status again is no sixth pin.
                #expect(try await api.post("/api/v1/statuses/\(posts[0])/pin", alice.token).status == .ok)

                expectError(
                    try await api.post("/api/v1/statuses/\(posts[5])/pin", alice.token),
                    .unprocessableContent,
                    "maximum"
                )
                let pinned = try await api.pinned(alice.id, alice.token)
                #expect(Set(pinned) == Set(posts.prefix(5)))
                #expect(pinned.count == 5)
                #expect(try await api.get("/api/v1/statuses/\(posts[5])", alice.token).json["pinned"] as? Bool == false)
            }
        }
    }
}

@Suite struct AccountNotesTests {
    @Test(
        "a note shows in relationships, an empty comment clears it, unknown accounts are 404",
        arguments: TestDatabase.available
    )
    func note(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                #expect(try await api.relationship(alice.token, to: bob.id)["note"] as? String == "")

                let set = try await api.post(
                    "/api/v1/accounts/\(bob.id)/note",
                    alice.token,
                    [("comment", "met at a café")]
                )
                #expect(set.status == .ok, "\(set.text)")
                #expect(set.json["id"] as? String == bob.id)
                #expect(set.json["note"] as? String == "met at a café")
                #expect(try await api.relationship(alice.token, to: bob.id)["note"] as? String == "met at a café")
                // The note is private to its writer.
                #expect(try await api.relationship(bob.token, to: alice.id)["note"] as? String == "")

                let changed = try await api.post("/api/v1/accounts/\(bob.id)/note", alice.token, [("comment", "new")])
                #expect(changed.json["note"] as? String == "new")

                let cleared = try await api.post("/api/v1/accounts/\(bob.id)/note", alice.token, [("comment", "")])
                #expect(cleared.status == .ok)
                #expect(cleared.json["note"] as? String == "")
                #expect(try await api.relationship(alice.token, to: bob.id)["note"] as? String == "")

                expectError(
                    try await api.post("/api/v1/accounts/999999/note", alice.token, [("comment", "who?")]),
                    .notFound
                )
                expectError(
                    try await api.post("/api/v1/accounts/\(bob.id)/note", nil, [("comment", "anonymous")]),
                    .unauthorized
                )
                #expect(try await api.relationship(alice.token, to: bob.id)["note"] as? String == "")
            }
        }
    }
}

@Suite struct ReportsTests {
    @Test("a report about the target's statuses answers the Report entity", arguments: TestDatabase.available)
    func file(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                let first = try await api.status(bob.token, "spam one")
                let second = try await api.status(bob.token, "spam two")
                let response = try await api.post(
                    "/api/v1/reports",
                    alice.token,
                    [
                        ("account_id", bob.id), ("status_ids[]", first), ("status_ids[]", second),
                        ("category", "spam"), ("comment", "buy now"),
                    ]
                )
                #expect(response.status == .ok, "\(response.text)")
                #expect((response.json["id"] as? String)?.isEmpty == false)
                #expect((response.json["target_account"] as? [String: Any])?["id"] as? String == bob.id)
                #expect(response.json["category"] as? String == "spam")
                #expect(response.json["comment"] as? String == "buy now")
                #expect(response.json["status_ids"] as? [String] == [first, second])
                #expect(response.json["action_taken"] as? Bool == false)
                #expect(response.json.keys.contains("action_taken_at"))
                #expect(response.json["action_taken_at"] is NSNull)
                #expect(response.json["forwarded"] as? Bool == false)
                #expect(try await t.reportCount() == 1)

                // Without a category, a report is "other".
                let plain = try await api.post("/api/v1/reports", alice.token, [("account_id", bob.id)])
                #expect(plain.status == .ok)
                #expect(plain.json["category"] as? String == "other")
                #expect(try await t.reportCount() == 2)
            }
        }
    }

    @Test(
        "reports about the wrong statuses, unknown accounts, oneself or with bad fields are refused",
        arguments: TestDatabase.available
    )
    func refused(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            try await t.client { client in
                let api = SocialAPI(client)
                let bobs = try await api.status(bob.token, "bob's post")
                let carols = try await api.status(carol.token, "carol's post")
                let hidden = try await api.status(bob.token, "for followers", visibility: "private")
                func report(_ pairs: [(String, String)]) async throws -> TestResponse {
                    try await api.post("/api/v1/reports", alice.token, pairs)
                }

                expectError(try await report([("account_id", bob.id), ("status_ids[]", carols)]), .notFound)
                expectError(
                    try await report([("account_id", bob.id), ("status_ids[]", bobs), ("status_ids[]", carols)]),
                    .notFound
                )
                expectError(try await report([("account_id", "999999")]), .notFound)
                expectError(try await report([("account_id", alice.id)]), .unprocessableContent)
                expectError(
                    try await report([("account_id", bob.id), ("category", "rudeness")]),
                    .unprocessableContent
                )
                expectError(
                    try await report([("account_id", bob.id), ("comment", String(repeating: "x", count: 1001))]),
                    .unprocessableContent
                )
                expectError(try await report([("account_id", bob.id), ("status_ids[]", hidden)]), .notFound)
                expectError(try await report([("account_id", bob.id), ("status_ids[]", "999999")]), .notFound)
                expectError(
                    try await api.post("/api/v1/reports", nil, [("account_id", bob.id)]),
                    .unauthorized
                )
                #expect(try await t.reportCount() == 0)

                // A comment of exactly 1000 characters is fine.
                let edge = try await report([("account_id", bob.id), ("comment", String(repeating: "x", count: 1000))])
                #expect(edge.status == .ok)
                #expect(try await t.reportCount() == 1)
            }
        }
    }
}

@Suite struct UnimplementedFeaturesTests {
    @Test(
        "translate is 503 with a JSON error; quotes are empty for visible statuses, 404 otherwise",
        arguments: TestDatabase.available
    )
    func translateAndQuotes(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                let open = try await api.status(alice.token, "bonjour")
                let hidden = try await api.status(alice.token, "followers only", visibility: "private")

                expectError(try await api.post("/api/v1/statuses/\(open)/translate", bob.token), .serviceUnavailable)
                expectError(try await api.post("/api/v1/statuses/\(hidden)/translate", bob.token), .notFound)

                let quotes = try await api.get("/api/v1/statuses/\(open)/quotes", bob.token)
                #expect(quotes.status == .ok)
                #expect(quotes.text.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
                #expect(try await api.get("/api/v1/statuses/\(open)/quotes").status == .ok)
                expectError(try await api.get("/api/v1/statuses/\(hidden)/quotes", bob.token), .notFound)
                expectError(try await api.get("/api/v1/statuses/\(hidden)/quotes"), .notFound)
                expectError(try await api.get("/api/v1/statuses/999999/quotes", bob.token), .notFound)
            }
        }
    }

    @Test(
        "the link timeline and notification requests are empty; the v2 policy has its keys",
        arguments: TestDatabase.available
    )
    func emptyEndpoints(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                _ = try await api.status(bob.token, "see https://example.com/article @alice")

                let link = try await api.get(
                    "/api/v1/timelines/link?url=https%3A%2F%2Fexample.com%2Farticle",
                    alice.token
                )
                #expect(link.status == .ok, "\(link.text)")
                #expect(link.jsonArray.isEmpty)
                #expect(link.text.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")

                let requests = try await api.get("/api/v1/notifications/requests", alice.token)
                #expect(requests.status == .ok)
                #expect(requests.text.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
                expectError(try await api.get("/api/v1/notifications/requests"), .unauthorized)

                let policy = try await api.get("/api/v2/notifications/policy", alice.token)
                #expect(policy.status == .ok, "\(policy.text)")
                #expect(
                    Set(policy.json.keys) == [
                        "for_not_following", "for_not_followers", "for_new_accounts", "for_private_mentions",
                        "for_limited_accounts", "summary",
                    ]
                )
                for key in [
                    "for_not_following", "for_not_followers", "for_new_accounts", "for_private_mentions",
                    "for_limited_accounts",
                ] {
                    #expect(["accept", "filter", "drop"].contains(policy.json[key] as? String ?? ""), "\(key)")
                }
                let summary = try #require(policy.json["summary"] as? [String: Any])
                #expect(summary["pending_requests_count"] as? Int == 0)
                #expect(summary["pending_notifications_count"] as? Int == 0)
                expectError(try await api.get("/api/v2/notifications/policy"), .unauthorized)
            }
        }
    }
}
