import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@Suite struct NotificationsTests {
    /// Alice receives a mention and a follow from bob, and a favourite and a reblog from carol.
    static func setUp(_ t: TestApp, _ api: SocialAPI) async throws -> (
        alice: (id: String, token: String), bob: (id: String, token: String), carol: (id: String, token: String),
        post: String, mention: String
    ) {
        let alice = try await t.user("alice")
        let bob = try await t.user("bob")
        let carol = try await t.user("carol")
        let mention = try await api.status(bob.token, "hey @alice")
        try await api.follow(bob.token, alice.id)
        let post = try await api.status(alice.token, "my post")
        #expect(try await api.post("/api/v1/statuses/\(post)/favourite", carol.token).status == .ok)
        #expect(try await api.post("/api/v1/statuses/\(post)/reblog", carol.token).status == .ok)
        return (alice, bob, carol, post, mention)
    }

    @Test("mention, follow, favourite and reblog reach the right account", arguments: TestDatabase.available)
    func kinds(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                let api = SocialAPI(client)
                let s = try await Self.setUp(t, api)
                let notes = try await api.notifications(s.alice.token)
                #expect(notes.map(\.type) == ["reblog", "favourite", "follow", "mention"])
                #expect(notes.map(\.from) == [s.carol.id, s.carol.id, s.bob.id, s.bob.id])
                #expect(try await api.notifications(s.bob.token).isEmpty)
                #expect(try await api.notifications(s.carol.token).isEmpty)

                let response = try await api.get("/api/v1/notifications", s.alice.token)
                let rows = response.jsonArray
                #expect((rows.last?["status"] as? [String: Any])?["id"] as? String == s.mention)
                #expect((rows.first?["status"] as? [String: Any])?["id"] as? String == s.post)
                #expect(rows[2]["status"] == nil || rows[2]["status"] is NSNull)
                for row in rows {
                    #expect((row["created_at"] as? String)?.hasSuffix("Z") == true)
                    #expect(row["group_key"] is String)
                    #expect((row["account"] as? [String: Any])?["acct"] is String)
                }
            }
        }
    }

    @Test("types, exclude_types and account_id filter the list", arguments: TestDatabase.available)
    func filters(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                let api = SocialAPI(client)
                let s = try await Self.setUp(t, api)
                let token = s.alice.token
                #expect(try await api.notifications(token, "?types[]=mention").map(\.type) == ["mention"])
                let two = try await api.notifications(token, "?types[]=mention&types[]=follow")
                #expect(two.map(\.type) == ["follow", "mention"])
                let excluded = try await api.notifications(token, "?exclude_types[]=follow")
                #expect(excluded.map(\.type) == ["reblog", "favourite", "mention"])
                let fromCarol = try await api.notifications(token, "?account_id=\(s.carol.id)")
                #expect(fromCarol.map(\.type) == ["reblog", "favourite"])
                let unknownType = try await api.notifications(token, "?types[]=poll")
                #expect(unknownType.isEmpty)
                #expect(try await api.notifications(token, "?limit=1").map(\.type) == ["reblog"])
                expectError(try await api.get("/api/v1/notifications?account_id=abc", token), .unprocessableContent)
                expectError(try await api.get("/api/v1/notifications"), .unauthorized)
            }
        }
    }

    @Test("show, dismiss, clear and unread_count", arguments: TestDatabase.available)
    func manage(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                let api = SocialAPI(client)
                let s = try await Self.setUp(t, api)
                let token = s.alice.token
                let count = try await api.get("/api/v1/notifications/unread_count", token)
                #expect(count.status == .ok)
                #expect(count.json["count"] as? Int == 4)

                let notes = try await api.notifications(token)
                let follow = try #require(notes.first { $0.type == "follow" })
                let shown = try await api.get("/api/v1/notifications/\(follow.id)", token)
                #expect(shown.status == .ok)
                #expect(shown.json["id"] as? String == follow.id)
                #expect(shown.json["type"] as? String == "follow")
                expectError(try await api.get("/api/v1/notifications/\(follow.id)", s.bob.token), .notFound)
                expectError(try await api.get("/api/v1/notifications/999999999", token), .notFound)
                expectError(try await api.get("/api/v1/notifications/abc", token), .notFound)

                let foreign = try await api.post("/api/v1/notifications/\(follow.id)/dismiss", s.bob.token)
                expectError(foreign, .notFound)
                expectError(try await api.post("/api/v1/notifications/999999999/dismiss", token), .notFound)
                #expect(try await api.get("/api/v1/notifications/\(follow.id)", token).status == .ok)

                let dismissed = try await api.post("/api/v1/notifications/\(follow.id)/dismiss", token)
                #expect(dismissed.status == .ok)
                expectError(try await api.get("/api/v1/notifications/\(follow.id)", token), .notFound)
                #expect(try await api.notifications(token).map(\.type) == ["reblog", "favourite", "mention"])
                #expect(try await api.get("/api/v1/notifications/unread_count", token).json["count"] as? Int == 3)

                let cleared = try await api.post("/api/v1/notifications/clear", token)
                #expect(cleared.status == .ok)
                #expect(try await api.notifications(token).isEmpty)
                #expect(try await api.get("/api/v1/notifications/unread_count", token).json["count"] as? Int == 0)
            }
        }
    }

    @Test("clearing one account's notifications leaves the others'", arguments: TestDatabase.available)
    func clearIsPerAccount(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.follow(alice.token, bob.id)
                try await api.follow(bob.token, alice.id)
                #expect(try await api.post("/api/v1/notifications/clear", alice.token).status == .ok)
                #expect(try await api.notifications(alice.token).isEmpty)
                #expect(try await api.notifications(bob.token).map(\.type) == ["follow"])
            }
        }
    }

    @Test("a mention in a direct status notifies only the mentioned account", arguments: TestDatabase.available)
    func directMention(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.follow(carol.token, alice.id)
                let id = try await api.status(alice.token, "@bob secret", visibility: "direct")
                let notes = try await api.get("/api/v1/notifications", bob.token).jsonArray
                #expect(notes.count == 1)
                #expect(notes.first?["type"] as? String == "mention")
                #expect((notes.first?["status"] as? [String: Any])?["id"] as? String == id)
                #expect(try await api.notifications(carol.token).isEmpty)
                #expect(try await api.notifications(alice.token).map(\.type) == ["follow"])
            }
        }
    }
}
