import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@Suite struct FollowsTests {
    @Test("follow fills home with earlier and new posts; unfollow takes them out", arguments: TestDatabase.available)
    func followAndUnfollow(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                let early = try await api.status(alice.token, "before the follow")
                let hidden = try await api.status(alice.token, "followers", visibility: "private")
                _ = try await api.status(alice.token, "@carol only", visibility: "direct")
                let own = try await api.status(bob.token, "bob's own")

                let response = try await api.post("/api/v1/accounts/\(alice.id)/follow", bob.token)
                #expect(response.status == .ok)
                #expect(response.json["id"] as? String == alice.id)
                #expect(response.json["following"] as? Bool == true)
                #expect(response.json["followed_by"] as? Bool == false)
                #expect(response.json["showing_reblogs"] as? Bool == true)
                #expect(try await api.account(alice.id)["followers_count"] as? Int == 1)
                #expect(try await api.account(bob.id)["following_count"] as? Int == 1)
                #expect(try await api.home(bob.token) == [own, hidden, early])

                let later = try await api.status(alice.token, "after the follow")
                let later2 = try await api.status(alice.token, "after, for followers", visibility: "private")
                #expect(try await api.home(bob.token) == [later2, later, own, hidden, early])
                #expect(try await api.notifications(alice.token).map(\.type) == ["follow"])

                let again = try await api.post("/api/v1/accounts/\(alice.id)/follow", bob.token)
                #expect(again.json["following"] as? Bool == true)
                #expect(try await api.account(alice.id)["followers_count"] as? Int == 1)
                #expect(try await api.notifications(alice.token).count == 1)

                let undone = try await api.post("/api/v1/accounts/\(alice.id)/unfollow", bob.token)
                #expect(undone.status == .ok)
                #expect(undone.json["following"] as? Bool == false)
                #expect(try await api.home(bob.token) == [own])
                #expect(try await api.account(alice.id)["followers_count"] as? Int == 0)
                #expect(try await api.account(bob.id)["following_count"] as? Int == 0)
                _ = try await api.status(alice.token, "after the unfollow")
                #expect(try await api.home(bob.token) == [own])
                let twice = try await api.post("/api/v1/accounts/\(alice.id)/unfollow", bob.token)
                #expect(twice.status == .ok)
            }
        }
    }

    @Test("followers, following and relationships agree", arguments: TestDatabase.available)
    func listsAndRelationships(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.follow(bob.token, alice.id)
                try await api.follow(carol.token, alice.id)
                try await api.follow(alice.token, bob.id)

                #expect(try await api.ids("/api/v1/accounts/\(alice.id)/followers") == [carol.id, bob.id])
                #expect(try await api.ids("/api/v1/accounts/\(alice.id)/following") == [bob.id])
                #expect(try await api.ids("/api/v1/accounts/\(bob.id)/following", bob.token) == [alice.id])
                #expect(try await api.ids("/api/v1/accounts/\(carol.id)/followers").isEmpty)
                #expect(try await api.ids("/api/v1/accounts/\(alice.id)/followers?limit=1") == [carol.id])
                expectError(try await api.get("/api/v1/accounts/999999/followers"), .notFound)

                let uri = "/api/v1/accounts/relationships?id[]=\(bob.id)&id[]=\(carol.id)&id[]=999999"
                let response = try await api.get(uri, alice.token)
                #expect(response.status == .ok)
                let rows = response.jsonArray
                #expect(rows.count == 2)
                #expect(rows.first?["id"] as? String == bob.id)
                #expect(rows.first?["following"] as? Bool == true)
                #expect(rows.first?["followed_by"] as? Bool == true)
                #expect(rows.last?["id"] as? String == carol.id)
                #expect(rows.last?["following"] as? Bool == false)
                #expect(rows.last?["followed_by"] as? Bool == true)
                expectError(try await api.get(uri), .unauthorized)
            }
        }
    }

    @Test("following yourself is 403 and stores nothing", arguments: TestDatabase.available)
    func followSelf(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                expectError(try await api.post("/api/v1/accounts/\(alice.id)/follow", alice.token), .forbidden)
                #expect(try await api.account(alice.id)["followers_count"] as? Int == 0)
                #expect(try await api.account(alice.id)["following_count"] as? Int == 0)
                #expect(try await api.ids("/api/v1/accounts/\(alice.id)/following").isEmpty)
                #expect(try await api.notifications(alice.token).isEmpty)
            }
        }
    }

    @Test("following an unknown account is 404; without a token 401; read-only 403", arguments: TestDatabase.available)
    func followRefusals(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let reader = try await t.user("reader", scopes: "read")
            try await t.client { client in
                let api = SocialAPI(client)
                expectError(try await api.post("/api/v1/accounts/999999999/follow", alice.token), .notFound)
                expectError(try await api.post("/api/v1/accounts/nobody/follow", alice.token), .notFound)
                expectError(try await api.post("/api/v1/accounts/\(reader.id)/follow", nil), .unauthorized)
                expectError(try await api.post("/api/v1/accounts/\(alice.id)/follow", reader.token), .forbidden)
                expectError(try await api.post("/api/v1/accounts/999999999/unfollow", alice.token), .notFound)
                #expect(try await api.account(alice.id)["following_count"] as? Int == 0)
                #expect(try await api.account(alice.id)["followers_count"] as? Int == 0)
                #expect(try await api.account(reader.id)["followers_count"] as? Int == 0)
            }
        }
    }

    @Test("following a locked account only requests it: no follow, no posts in home", arguments: TestDatabase.available)
    func lockedAccount(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                let lock = try await client.execute(
                    uri: "/api/v1/accounts/update_credentials",
                    method: .patch,
                    headers: formHeaders(token: alice.token),
                    body: formBody([("locked", "true")])
                )
                #expect(lock.json["locked"] as? Bool == true)
                _ = try await api.status(alice.token, "for followers", visibility: "private")
                let response = try await api.post("/api/v1/accounts/\(alice.id)/follow", bob.token)
                #expect(response.status == .ok)
                #expect(response.json["following"] as? Bool == false)
                #expect(response.json["requested"] as? Bool == true)
                #expect(try await api.account(alice.id)["followers_count"] as? Int == 0)
                #expect(try await api.ids("/api/v1/accounts/\(alice.id)/followers").isEmpty)
                let relationship = try await api.get("/api/v1/accounts/relationships?id[]=\(alice.id)", bob.token)
                #expect(relationship.jsonArray.first?["following"] as? Bool == false)
                #expect(relationship.jsonArray.first?["requested"] as? Bool == true)
                #expect(try await api.home(bob.token).isEmpty)
                #expect(try await api.accountStatuses(alice.id, bob.token).isEmpty)
                #expect(try await api.notifications(alice.token).map(\.type) == ["follow_request"])
            }
        }
    }

    @Test("reblogs=false keeps the account's reblogs out of home", arguments: TestDatabase.available)
    func hideReblogs(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            try await t.client { client in
                let api = SocialAPI(client)
                let bobs = try await api.status(bob.token, "bob's first")
                let early = try await api.post("/api/v1/statuses/\(bobs)/reblog", alice.token)
                #expect(early.status == .ok)
                let original = try await api.status(alice.token, "alice writes")

                let response = try await api.post(
                    "/api/v1/accounts/\(alice.id)/follow",
                    carol.token,
                    [
                        ("reblogs", "false")
                    ]
                )
                #expect(response.json["following"] as? Bool == true)
                #expect(response.json["showing_reblogs"] as? Bool == false)
                let second = try await api.status(bob.token, "bob's second")
                _ = try await api.post("/api/v1/statuses/\(second)/reblog", alice.token)
                let more = try await api.status(alice.token, "alice again")
                #expect(try await api.home(carol.token) == [more, original])
            }
        }
    }

    @Test("with reblogs shown, the account's reblogs reach home", arguments: TestDatabase.available)
    func showReblogs(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.follow(carol.token, alice.id)
                let bobs = try await api.status(bob.token, "bob's post")
                let boost = try await api.post("/api/v1/statuses/\(bobs)/reblog", alice.token)
                let wrapper = try #require(boost.json["id"] as? String)
                #expect(try await api.home(carol.token) == [wrapper])
            }
        }
    }
}
