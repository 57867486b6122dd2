import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

extension SocialAPI {
    /// The viewer's relationship to one account, as JSON.
    func relationship(_ token: String, to id: String) async throws -> [String: Any] {
        let response = try await self.get("/api/v1/accounts/relationships?id[]=\(id)", token)
        guard response.status == .ok, let first = response.jsonArray.first else {
            throw TestFailure("relationships answered \(response.status): \(response.text)")
        }
        return first
    }

    /// The ids of the public timeline as `token` (or anonymous) sees it.
    func publicTimeline(_ token: String? = nil) async throws -> [String] {
        try await self.ids("/api/v1/timelines/public", token)
    }
}

@Suite struct BlocksTests {
    @Test(
        "block sets blocking/blocked_by, ends follows both ways and empties both home feeds",
        arguments: TestDatabase.available
    )
    func blockEndsFollows(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.follow(alice.token, bob.id)
                try await api.follow(bob.token, alice.id)
                let fromAlice = try await api.status(alice.token, "alice writes")
                let fromBob = try await api.status(bob.token, "bob writes")
                #expect(try await api.home(alice.token) == [fromBob, fromAlice])
                #expect(try await api.home(bob.token) == [fromBob, fromAlice])
                #expect(try await api.account(alice.id)["followers_count"] as? Int == 1)
                #expect(try await api.account(alice.id)["following_count"] as? Int == 1)

                let response = try await api.post("/api/v1/accounts/\(bob.id)/block", alice.token)
                #expect(response.status == .ok)
                #expect(response.json["id"] as? String == bob.id)
                #expect(response.json["blocking"] as? Bool == true)
                #expect(response.json["following"] as? Bool == false)
                #expect(response.json["followed_by"] as? Bool == false)
                let other = try await api.relationship(bob.token, to: alice.id)
                #expect(other["blocked_by"] as? Bool == true)
                #expect(other["blocking"] as? Bool == false)
                #expect(other["following"] as? Bool == false)

                for id in [alice.id, bob.id] {
                    #expect(try await api.account(id)["followers_count"] as? Int == 0)
                    #expect(try await api.account(id)["following_count"] as? Int == 0)
                }
                #expect(try await api.ids("/api/v1/accounts/\(alice.id)/followers").isEmpty)
                #expect(try await api.ids("/api/v1/accounts/\(bob.id)/followers").isEmpty)
                #expect(try await api.home(alice.token) == [fromAlice])
                #expect(try await api.home(bob.token) == [fromBob])

                // Blocking twice changes nothing.
                let again = try await api.post("/api/v1/accounts/\(bob.id)/block", alice.token)
                #expect(again.status == .ok)
                #expect(again.json["blocking"] as? Bool == true)
                #expect(try await api.ids("/api/v1/blocks", alice.token) == [bob.id])
            }
        }
    }

    @Test(
        "the blocked account gets 404 for the blocker's statuses and an empty account list",
        arguments: TestDatabase.available
    )
    func blockedCannotSeeBlocker(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                let post = try await api.status(alice.token, "alice in public")
                #expect(try await api.get("/api/v1/statuses/\(post)", bob.token).status == .ok)
                #expect(try await api.accountStatuses(alice.id, bob.token) == [post])

                let block = try await api.post("/api/v1/accounts/\(bob.id)/block", alice.token)
                #expect(block.json["blocking"] as? Bool == true)

                expectError(try await api.get("/api/v1/statuses/\(post)", bob.token), .notFound)
                expectError(try await api.get("/api/v1/statuses/\(post)/context", bob.token), .notFound)
                expectError(try await api.post("/api/v1/statuses/\(post)/favourite", bob.token), .notFound)
                expectError(try await api.post("/api/v1/statuses/\(post)/reblog", bob.token), .notFound)
                let reply = try await api.postStatus(bob.token, "a reply", [("in_reply_to_id", post)])
                expectError(reply, .notFound)
                #expect(try await api.accountStatuses(alice.id, bob.token).isEmpty)

                // Nothing was stored by the refused calls.
                #expect(try await api.accountStatuses(bob.id, bob.token).isEmpty)
                let seen = try await api.get("/api/v1/statuses/\(post)", alice.token)
                #expect(seen.json["favourites_count"] as? Int == 0)
                #expect(seen.json["reblogs_count"] as? Int == 0)
                #expect(seen.json["replies_count"] as? Int == 0)
                // Others still see the status.
                #expect(try await api.get("/api/v1/statuses/\(post)").status == .ok)
                #expect(try await api.accountStatuses(alice.id, nil) == [post])

                expectError(try await api.post("/api/v1/accounts/\(alice.id)/follow", bob.token), .forbidden)
                #expect(try await api.account(alice.id)["followers_count"] as? Int == 0)
                #expect(try await api.relationship(bob.token, to: alice.id)["requested"] as? Bool == false)
                #expect(try await api.notifications(alice.token).isEmpty)
            }
        }
    }

    @Test(
        "block removes the blocked account's notifications; its new mentions create none",
        arguments: TestDatabase.available
    )
    func blockNotifications(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            try await t.client { client in
                let api = SocialAPI(client)
                let post = try await api.status(alice.token, "alice posts")
                _ = try await api.status(bob.token, "hello @alice")
                #expect(try await api.post("/api/v1/statuses/\(post)/favourite", bob.token).status == .ok)
                #expect(try await api.notifications(alice.token).map(\.type) == ["favourite", "mention"])

                _ = try await api.post("/api/v1/accounts/\(bob.id)/block", alice.token)
                #expect(try await api.notifications(alice.token).isEmpty)
                _ = try await api.status(bob.token, "still there, @alice?")
                _ = try await api.status(carol.token, "hi @alice")
                let after = try await api.notifications(alice.token)
                #expect(after.map(\.type) == ["mention"])
                #expect(after.map(\.from) == [carol.id])

                // After the block is lifted, nothing from bob comes back: it was deleted, not hidden.
                let lifted = try await api.post("/api/v1/accounts/\(bob.id)/unblock", alice.token)
                #expect(lifted.json["blocking"] as? Bool == false)
                #expect(try await api.notifications(alice.token).map(\.from) == [carol.id])
            }
        }
    }

    @Test("GET /api/v1/blocks pages with Link; unblock restores visibility", arguments: TestDatabase.available)
    func blockListAndUnblock(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            let dave = try await t.user("dave")
            try await t.client { client in
                let api = SocialAPI(client)
                let post = try await api.status(alice.token, "alice's post")
                #expect(try await api.ids("/api/v1/blocks", alice.token).isEmpty)
                for id in [bob.id, carol.id, dave.id] {
                    #expect(try await api.post("/api/v1/accounts/\(id)/block", alice.token).status == .ok)
                }
                #expect(try await api.ids("/api/v1/blocks", alice.token) == [dave.id, carol.id, bob.id])
                #expect(try await api.ids("/api/v1/blocks", bob.token).isEmpty)

                let first = try await api.get("/api/v1/blocks?limit=2", alice.token)
                #expect(first.jsonArray.compactMap { $0["id"] as? String } == [dave.id, carol.id])
                #expect(first.jsonArray.first?["username"] as? String == "dave")
                let next = try #require(links(first)["next"])
                #expect(links(first)["prev"] != nil)
                #expect(try await api.ids(pathAndQuery(next), alice.token) == [bob.id])

                let lifted = try await api.post("/api/v1/accounts/\(carol.id)/unblock", alice.token)
                #expect(lifted.status == .ok)
                #expect(lifted.json["blocking"] as? Bool == false)
                #expect(try await api.ids("/api/v1/blocks", alice.token) == [dave.id, bob.id])
                #expect(try await api.relationship(carol.token, to: alice.id)["blocked_by"] as? Bool == false)
                #expect(try await api.get("/api/v1/statuses/\(post)", carol.token).status == .ok)
                #expect(try await api.accountStatuses(alice.id, carol.token) == [post])
                expectError(try await api.get("/api/v1/statuses/\(post)", bob.token), .notFound)
                try await api.follow(carol.token, alice.id)

                let twice = try await api.post("/api/v1/accounts/\(carol.id)/unblock", alice.token)
                #expect(twice.status == .ok)
                #expect(twice.json["following"] as? Bool == false)
                #expect(twice.json["followed_by"] as? Bool == true)
            }
        }
    }

    @Test(
        "blocking yourself is 403, an unknown account 404, read-only 403, anonymous 401",
        arguments: TestDatabase.available
    )
    func blockRefusals(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let reader = try await t.user("reader", scopes: "read")
            try await t.client { client in
                let api = SocialAPI(client)
                expectError(try await api.post("/api/v1/accounts/\(alice.id)/block", alice.token), .forbidden)
                expectError(try await api.post("/api/v1/accounts/999999999/block", alice.token), .notFound)
                expectError(try await api.post("/api/v1/accounts/999999999/unblock", alice.token), .notFound)
                expectError(try await api.post("/api/v1/accounts/\(bob.id)/block", reader.token), .forbidden)
                expectError(try await api.post("/api/v1/accounts/\(bob.id)/block", nil), .unauthorized)
                expectError(try await api.get("/api/v1/blocks"), .unauthorized)
                #expect(try await api.ids("/api/v1/blocks", alice.token).isEmpty)
                #expect(try await api.ids("/api/v1/blocks", reader.token).isEmpty)
                #expect(try await api.relationship(bob.token, to: reader.id)["blocked_by"] as? Bool == false)
                #expect(try await api.relationship(bob.token, to: alice.id)["blocked_by"] as? Bool == false)
            }
        }
    }
}

@Suite struct MutesTests {
    @Test(
        "mute sets muting and muting_notifications (true by default, false on request)",
        arguments: TestDatabase.available
    )
    func muteRelationship(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                let before = try await api.relationship(alice.token, to: bob.id)
                #expect(before["muting"] as? Bool == false)

                let response = try await api.post("/api/v1/accounts/\(bob.id)/mute", alice.token)
                #expect(response.status == .ok)
                #expect(response.json["id"] as? String == bob.id)
                #expect(response.json["muting"] as? Bool == true)
                #expect(response.json["muting_notifications"] as? Bool == true)
                #expect(try await api.relationship(bob.token, to: alice.id)["muting"] as? Bool == false)

                let quieter = try await api.post(
                    "/api/v1/accounts/\(bob.id)/mute",
                    alice.token,
                    [("notifications", "false")]
                )
                #expect(quieter.json["muting"] as? Bool == true)
                #expect(quieter.json["muting_notifications"] as? Bool == false)
                #expect(try await api.ids("/api/v1/mutes", alice.token) == [bob.id])

                let undone = try await api.post("/api/v1/accounts/\(bob.id)/unmute", alice.token)
                #expect(undone.status == .ok)
                #expect(undone.json["muting"] as? Bool == false)
                #expect(undone.json["muting_notifications"] as? Bool == false)
                #expect(try await api.ids("/api/v1/mutes", alice.token).isEmpty)
            }
        }
    }

    @Test(
        "a muted account's posts and reblogs leave home and public timelines but stay fetchable",
        arguments: TestDatabase.available
    )
    func muteHidesPosts(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.follow(alice.token, bob.id)
                try await api.follow(alice.token, carol.id)
                let fromCarol = try await api.status(carol.token, "carol's post")
                let fromBob = try await api.status(bob.token, "bob's post")
                let bobBoost = try #require(
                    try await api.post("/api/v1/statuses/\(fromCarol)/reblog", bob.token).json["id"] as? String
                )
                let carolBoost = try #require(
                    try await api.post("/api/v1/statuses/\(fromBob)/reblog", carol.token).json["id"] as? String
                )
                #expect(try await api.home(alice.token) == [carolBoost, bobBoost, fromBob, fromCarol])
                #expect(try await api.publicTimeline(alice.token) == [fromBob, fromCarol])

                let mute = try await api.post("/api/v1/accounts/\(bob.id)/mute", alice.token)
                #expect(mute.json["muting"] as? Bool == true)
                #expect(try await api.home(alice.token) == [fromCarol])
                #expect(try await api.publicTimeline(alice.token) == [fromCarol])
                let later = try await api.status(bob.token, "bob again")
                #expect(try await api.home(alice.token) == [fromCarol])
                #expect(try await api.publicTimeline(alice.token) == [fromCarol])

                // Fetching by id still works; others are unaffected; the mute does not end the follow.
                #expect(try await api.get("/api/v1/statuses/\(fromBob)", alice.token).status == .ok)
                #expect(try await api.get("/api/v1/statuses/\(later)", alice.token).status == .ok)
                #expect(try await api.publicTimeline(carol.token) == [later, fromBob, fromCarol])
                #expect(try await api.publicTimeline() == [later, fromBob, fromCarol])
                #expect(try await api.relationship(alice.token, to: bob.id)["following"] as? Bool == true)

                _ = try await api.post("/api/v1/accounts/\(bob.id)/unmute", alice.token)
                #expect(try await api.publicTimeline(alice.token) == [later, fromBob, fromCarol])
            }
        }
    }

    @Test("notifications from a muted account are hidden unless notifications=false", arguments: TestDatabase.available)
    func muteNotifications(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            try await t.client { client in
                let api = SocialAPI(client)
                _ = try await api.status(bob.token, "hello @alice")
                _ = try await api.status(carol.token, "hey @alice")
                #expect(try await api.notifications(alice.token).map(\.from) == [carol.id, bob.id])

                _ = try await api.post("/api/v1/accounts/\(bob.id)/mute", alice.token)
                #expect(try await api.notifications(alice.token).map(\.from) == [carol.id])
                _ = try await api.status(bob.token, "more for @alice")
                #expect(try await api.notifications(alice.token).map(\.from) == [carol.id])

                _ = try await api.post("/api/v1/accounts/\(bob.id)/mute", alice.token, [("notifications", "false")])
                #expect(try await api.notifications(alice.token).map(\.from) == [bob.id, carol.id, bob.id])

                _ = try await api.post("/api/v1/accounts/\(bob.id)/unmute", alice.token)
                #expect(try await api.notifications(alice.token).count == 3)
            }
        }
    }

    @Test("a mute with duration=60 expires", arguments: TestDatabase.available)
    func muteExpires(db: TestDatabase) async throws {
        let clock = TestClock()
        try await TestApp.run(db, clock: clock.clock) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                let post = try await api.status(bob.token, "bob posts")
                _ = try await api.status(bob.token, "hi @alice")
                let mute = try await api.post("/api/v1/accounts/\(bob.id)/mute", alice.token, [("duration", "60")])
                #expect(mute.status == .ok)
                #expect(mute.json["muting"] as? Bool == true)
                #expect(try await api.publicTimeline(alice.token).isEmpty)
                #expect(try await api.notifications(alice.token).isEmpty)
                #expect(try await api.ids("/api/v1/mutes", alice.token) == [bob.id])

                clock.advance(by: 30)
                #expect(try await api.relationship(alice.token, to: bob.id)["muting"] as? Bool == true)
                #expect(try await api.publicTimeline(alice.token).isEmpty)

                clock.advance(by: 31)
                let after = try await api.relationship(alice.token, to: bob.id)
                #expect(after["muting"] as? Bool == false)
                #expect(after["muting_notifications"] as? Bool == false)
                #expect(try await api.publicTimeline(alice.token).count == 2)
                #expect(try await api.publicTimeline(alice.token).last == post)
                #expect(try await api.notifications(alice.token).map(\.from) == [bob.id])
                #expect(try await api.ids("/api/v1/mutes", alice.token).isEmpty)
            }
        }
    }

    @Test("GET /api/v1/mutes lists newest first with Link; refusals store nothing", arguments: TestDatabase.available)
    func muteListAndRefusals(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            let reader = try await t.user("reader", scopes: "read")
            try await t.client { client in
                let api = SocialAPI(client)
                expectError(try await api.post("/api/v1/accounts/\(alice.id)/mute", alice.token), .forbidden)
                expectError(try await api.post("/api/v1/accounts/999999999/mute", alice.token), .notFound)
                expectError(try await api.post("/api/v1/accounts/999999999/unmute", alice.token), .notFound)
                expectError(try await api.post("/api/v1/accounts/\(bob.id)/mute", reader.token), .forbidden)
                expectError(try await api.post("/api/v1/accounts/\(bob.id)/mute", nil), .unauthorized)
                expectError(
                    try await api.post("/api/v1/accounts/\(bob.id)/mute", alice.token, [("duration", "-5")]),
                    .unprocessableContent
                )
                expectError(try await api.get("/api/v1/mutes"), .unauthorized)
                #expect(try await api.ids("/api/v1/mutes", alice.token).isEmpty)
                #expect(try await api.relationship(alice.token, to: bob.id)["muting"] as? Bool == false)

                _ = try await api.post("/api/v1/accounts/\(bob.id)/mute", alice.token)
                _ = try await api.post("/api/v1/accounts/\(carol.id)/mute", alice.token)
                #expect(try await api.ids("/api/v1/mutes", alice.token) == [carol.id, bob.id])
                let first = try await api.get("/api/v1/mutes?limit=1", alice.token)
                #expect(first.jsonArray.compactMap { $0["id"] as? String } == [carol.id])
                let next = try #require(links(first)["next"])
                #expect(try await api.ids(pathAndQuery(next), alice.token) == [bob.id])
                #expect(try await api.ids("/api/v1/blocks", alice.token).isEmpty)

                _ = try await api.post("/api/v1/accounts/\(carol.id)/unmute", alice.token)
                #expect(try await api.ids("/api/v1/mutes", alice.token) == [bob.id])
            }
        }
    }
}

@Suite struct MuteFanOutTests {
    @Test(
        "a post made during a mute never reaches the muter's home, even after unmuting",
        arguments: TestDatabase.available
    )
    func postDuringMuteStaysOut(_ db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let muter = try await t.user("muter")
            let loud = try await t.user("loud")
            try await t.client { client in
                let api = SocialAPI(client)
                _ = try await api.post("/api/v1/accounts/\(loud.id)/follow", muter.token)
                _ = try await api.post("/api/v1/accounts/\(loud.id)/mute", muter.token)
                let during = try await api.status(loud.token, "said while muted")
                _ = try await api.post("/api/v1/accounts/\(loud.id)/unmute", muter.token)
                let after = try await api.status(loud.token, "said after the mute")
                let home = try await api.home(muter.token)
                #expect(home.contains(after))
                #expect(!home.contains(during))
            }
        }
    }
}
