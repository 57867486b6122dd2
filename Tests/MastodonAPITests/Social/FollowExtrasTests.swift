import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@Suite struct FollowExtrasTests {
    @Test(
        "notify=true brings a status notification for each new post, not for replies to others",
        arguments: TestDatabase.available
    )
    func statusNotifications(_ db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            try await t.client { client in
                let api = SocialAPI(client)
                _ = try await api.post("/api/v1/accounts/\(alice.id)/follow", bob.token, [("notify", "true")])
                _ = try await api.post("/api/v1/accounts/\(alice.id)/follow", carol.token)
                let post = try await api.status(alice.token, "news")
                let other = try await api.status(carol.token, "carol says")
                _ = try await api.status(alice.token, "@carol reply", [("in_reply_to_id", other)])
                _ = try await api.status(alice.token, "psst @carol", visibility: "direct")
                let bobs = try await api.get("/api/v1/notifications?types[]=status", bob.token).jsonArray
                #expect(bobs.count == 1)
                #expect((bobs.first?["status"] as? [String: Any])?["id"] as? String == post)
                #expect(try await api.get("/api/v1/notifications?types[]=status", carol.token).jsonArray.isEmpty)
            }
        }
    }

    @Test(
        "familiar_followers lists accounts I follow who follow them; remove_from_followers ends a follow",
        arguments: TestDatabase.available
    )
    func familiarAndRemove(_ db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            try await t.client { client in
                let api = SocialAPI(client)
                _ = try await api.post("/api/v1/accounts/\(bob.id)/follow", alice.token)
                _ = try await api.post("/api/v1/accounts/\(carol.id)/follow", bob.token)
                let familiar = try await api.get("/api/v1/accounts/familiar_followers?id[]=\(carol.id)", alice.token)
                #expect(familiar.status == .ok)
                let entry = try #require(familiar.jsonArray.first)
                #expect(entry["id"] as? String == carol.id)
                #expect((entry["accounts"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [bob.id])

                let removed = try await api.post("/api/v1/accounts/\(bob.id)/remove_from_followers", carol.token)
                #expect(removed.status == .ok)
                #expect(removed.json["followed_by"] as? Bool == false)
                let bobSees = try await api.get("/api/v1/accounts/relationships?id[]=\(carol.id)", bob.token)
                #expect(bobSees.jsonArray.first?["following"] as? Bool == false)
                #expect(
                    try await api.post("/api/v1/accounts/\(carol.id)/remove_from_followers", carol.token).status
                        == .forbidden
                )
                #expect(try await api.get("/api/v1/endorsements", alice.token).jsonArray.isEmpty)
                #expect(
                    try await api.get("/api/v1/accounts/familiar_followers?id[]=\(carol.id)", nil).status
                        == .unauthorized
                )
            }
        }
    }
}
