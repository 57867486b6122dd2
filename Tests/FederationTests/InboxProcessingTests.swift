import Core
import Federation
import Foundation
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing

/// Verified activities applied by the inbox processor: what each one changes, the origin rules that make
/// it change nothing, and idempotence. Results are read through the Mastodon API where it shows them.
@Suite struct InboxProcessingTests {
    /// An app with alice (local) and mallory (remote, stored), and a client.
    struct Harness {
        let t: TestApp
        let api: SocialAPI
        let alice: (id: String, token: String)
        let mallory: FakeRemote
        let malloryID: String

        var aliceURI: String { "http://tern.test/users/alice" }

        /// Posts as alice and returns the status's id and ActivityPub URI.
        func alicePosts(_ text: String, visibility: String = "public") async throws -> (id: String, uri: String) {
            let response = try await self.api.postStatus(self.alice.token, text, visibility: visibility)
            guard response.status == .ok, let id = response.json["id"] as? String,
                let uri = response.json["uri"] as? String
            else { throw TestFailure("posting answered \(response.status): \(response.text)") }
            return (id, uri)
        }

        /// Alice's view of one of her statuses.
        func aliceStatus(_ id: String) async throws -> [String: Any] {
            try await self.api.statusJSON(id, self.alice.token)
        }

        func notificationTypes() async throws -> [String] {
            try await self.api.notifications(self.alice.token).map(\.type)
        }

        func follow(id: String = "follows/1") -> JSON {
            self.mallory.activity("Follow", id: self.mallory.uri(id), object: .string(self.aliceURI))
        }
    }

    static func run(_ db: TestDatabase, _ body: @Sendable (Harness) async throws -> Void) async throws {
        let clock = TestClock()
        let mallory = try FakeRemote.mallory()
        try await TestApp.run(db, clock: clock.clock) { t in
            try await mallory.store(in: t)
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                let malloryID = try await api.lookup(mallory.acct, alice.token)
                try await body(Harness(t: t, api: api, alice: alice, mallory: mallory, malloryID: malloryID))
            }
        }
    }

    // MARK: Follow

    @Test("a Follow of a local account makes a follow, a notification and an Accept", arguments: TestDatabase.available)
    func follow(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            #expect(try await h.t.pendingJobs("deliver") == 0)
            try await h.mallory.deliver(h.follow(), to: h.t)
            let relationship = try await h.api.relationship(h.malloryID, h.alice.token)
            #expect(relationship["followed_by"] as? Bool == true)
            #expect(relationship["requested_by"] as? Bool != true)
            #expect(try await h.api.ids("/api/v1/accounts/\(h.alice.id)/followers", h.alice.token) == [h.malloryID])
            let notifications = try await h.api.notifications(h.alice.token)
            #expect(notifications.map(\.type) == ["follow"])
            #expect(notifications.map(\.from) == [h.malloryID])
            #expect(try await h.t.pendingJobs("deliver") == 1)
        }
    }

    @Test("a Follow of a locked account makes a follow request, not a follow", arguments: TestDatabase.available)
    func followLocked(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            let lock = try await h.api.client.execute(
                uri: "/api/v1/accounts/update_credentials",
                method: .patch,
                headers: .bearer(h.alice.token, contentType: formType),
                body: formBody([("locked", "true")])
            )
            #expect(lock.status == .ok)
            try await h.mallory.deliver(h.follow(), to: h.t)
            #expect(try await h.api.ids("/api/v1/follow_requests", h.alice.token) == [h.malloryID])
            let relationship = try await h.api.relationship(h.malloryID, h.alice.token)
            #expect(relationship["followed_by"] as? Bool == false)
            #expect(relationship["requested_by"] as? Bool == true)
            #expect(try await h.api.ids("/api/v1/accounts/\(h.alice.id)/followers", h.alice.token).isEmpty)
            #expect(try await h.notificationTypes() == ["follow_request"])
            #expect(try await h.t.pendingJobs("deliver") == 0)
        }
    }

    @Test("a repeated Follow leaves one follow and one notification", arguments: TestDatabase.available)
    func followRepeated(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            try await h.mallory.deliver(h.follow(), to: h.t)
            try await h.mallory.deliver(h.follow(), to: h.t)
            try await h.mallory.deliver(h.follow(id: "follows/2"), to: h.t)
            #expect(try await h.api.ids("/api/v1/accounts/\(h.alice.id)/followers", h.alice.token) == [h.malloryID])
            #expect(try await h.api.account(h.alice.id)["followers_count"] as? Int == 1)
            #expect(try await h.notificationTypes() == ["follow"])
        }
    }

    @Test("an Undo of a Follow ends the follow and withdraws its notification", arguments: TestDatabase.available)
    func undoFollow(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            let follow = h.follow()
            try await h.mallory.deliver(follow, to: h.t)
            #expect(try await h.api.relationship(h.malloryID, h.alice.token)["followed_by"] as? Bool == true)
            var inner = follow.object ?? [:]
            inner["@context"] = nil
            try await h.mallory.deliver(
                h.mallory.activity("Undo", id: h.mallory.uri("follows/1/undo"), object: .object(inner)),
                to: h.t
            )
            #expect(try await h.api.relationship(h.malloryID, h.alice.token)["followed_by"] as? Bool == false)
            #expect(try await h.api.ids("/api/v1/accounts/\(h.alice.id)/followers", h.alice.token).isEmpty)
            #expect(try await h.notificationTypes().isEmpty)
        }
    }

    @Test("a Block ends the local account's follow of the blocker", arguments: TestDatabase.available)
    func block(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            let follow = try await h.api.post("/api/v1/accounts/\(h.malloryID)/follow", h.alice.token)
            #expect(follow.status == .ok)
            #expect(follow.json["requested"] as? Bool == true)
            let accept = h.mallory.activity(
                "Accept",
                id: h.mallory.uri("accepts/1"),
                object: [
                    "id": "http://tern.test/users/alice#follows/1", "type": "Follow",
                    "actor": .string(h.aliceURI), "object": .string(h.mallory.actor),
                ]
            )
            try await h.mallory.deliver(accept, to: h.t)
            #expect(try await h.api.relationship(h.malloryID, h.alice.token)["following"] as? Bool == true)

            try await h.mallory.deliver(
                h.mallory.activity("Block", id: h.mallory.uri("blocks/1"), object: .string(h.aliceURI)),
                to: h.t
            )
            let relationship = try await h.api.relationship(h.malloryID, h.alice.token)
            #expect(relationship["following"] as? Bool == false)
            #expect(relationship["requested"] as? Bool == false)
            #expect(try await h.api.ids("/api/v1/accounts/\(h.alice.id)/following", h.alice.token).isEmpty)
        }
    }

    // MARK: Create

    @Test("a Create with hostile HTML stores sanitised content", arguments: TestDatabase.available)
    func createSanitises(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            let uri = h.mallory.uri("statuses/1")
            let hostile = """
                <p>hello <script>alert('script')</script><img src=x onerror="alert('img')">\
                <a href="javascript:alert('link')">click</a> \
                <a href="https://safe.example/page" rel="me" onclick="alert('click')">safe</a></p>
                """
            try await h.mallory.deliver(h.mallory.create(id: uri, content: hostile), to: h.t)
            let status = try await h.api.remoteStatus(uri: uri, h.alice.token)
            let content = try #require(status["content"] as? String)
            #expect(content.contains("hello"))
            for forbidden in ["<script", "alert(", "onerror", "onclick", "javascript:", "<img"] {
                #expect(!content.lowercased().contains(forbidden), "\(forbidden) in \(content)")
            }
            #expect(content.contains("href=\"https://safe.example/page\""))
            #expect(content.contains("rel=\"nofollow noopener\""))
            #expect(!content.contains("rel=\"me\""))
        }
    }

    @Test("a Create of an object on another host stores nothing", arguments: TestDatabase.available)
    func createObjectOnOtherHost(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            let foreign = "https://other.example/users/mallory/statuses/1"
            try await h.mallory.deliver(h.mallory.create(id: foreign, content: "<p>forged</p>"), to: h.t)
            // Also when the object is only referenced by its id (it would have to be fetched).
            try await h.mallory.deliver(
                h.mallory.activity("Create", id: h.mallory.uri("creates/1"), object: .string(foreign)),
                to: h.t
            )
            #expect(try await h.t.storedStatus(foreign) == nil)
            #expect(try await h.api.accountStatuses(h.malloryID, h.alice.token).isEmpty)

            // The same note on mallory's own host is stored.
            let own = h.mallory.uri("statuses/1")
            try await h.mallory.deliver(h.mallory.create(id: own, content: "<p>genuine</p>"), to: h.t)
            #expect(try await h.api.accountStatuses(h.malloryID, h.alice.token).count == 1)
        }
    }

    @Test("a Create of a note attributed to another actor stores nothing", arguments: TestDatabase.available)
    func createAttributedToOther(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            let eve = try FakeRemote.eve()
            try await eve.store(in: h.t)
            let uri = h.mallory.uri("statuses/1")
            try await h.mallory.deliver(
                h.mallory.create(id: uri, content: "<p>in eve's name</p>", attributedTo: eve.actor),
                to: h.t
            )
            #expect(try await h.t.storedStatus(uri) == nil)
            let eveID = try await h.api.lookup(eve.acct, h.alice.token)
            #expect(try await h.api.accountStatuses(eveID, h.alice.token).isEmpty)
            #expect(try await h.api.accountStatuses(h.malloryID, h.alice.token).isEmpty)
        }
    }

    // MARK: Update

    /// An Update of a note by `actor`, with new content and an `updated` time.
    static func update(
        by actor: FakeRemote,
        note uri: String,
        attributedTo: String,
        content: String,
        to: [String] = [FakeRemote.publicCollection],
        cc: [String] = [],
        updated: String = "2026-09-21T12:00:00Z"
    ) -> JSON {
        actor.activity(
            "Update",
            id: "\(actor.actor)/updates/\(updated)",
            object: [
                "id": .string(uri), "type": "Note", "attributedTo": .string(attributedTo),
                "content": .string(content), "to": .array(to.map(JSON.string)), "cc": .array(cc.map(JSON.string)),
                "published": "2026-09-21T10:00:00Z", "updated": .string(updated),
            ]
        )
    }

    @Test("an Update of someone else's note changes nothing", arguments: TestDatabase.available)
    func updateSomeoneElses(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            let eve = try FakeRemote.eve()
            try await eve.store(in: h.t)
            let uri = eve.uri("statuses/1")
            try await eve.deliver(eve.create(id: uri, content: "<p>words of eve</p>"), to: h.t)
            #expect(try await h.t.storedStatus(uri)?.content.contains("words of eve") == true)

            // Claimed as mallory's own note, or as eve's: neither may be edited by mallory.
            for author in [h.mallory.actor, eve.actor] {
                try await h.mallory.deliver(
                    Self.update(by: h.mallory, note: uri, attributedTo: author, content: "<p>hijacked</p>"),
                    to: h.t
                )
            }
            let stored = try #require(try await h.t.storedStatus(uri))
            #expect(stored.content.contains("words of eve"))
            #expect(stored.editedAt == nil)

            // Eve may edit it.
            try await eve.deliver(
                Self.update(by: eve, note: uri, attributedTo: eve.actor, content: "<p>edit by eve</p>"),
                to: h.t
            )
            #expect(try await h.t.storedStatus(uri)?.content.contains("edit by eve") == true)
        }
    }

    @Test("an Update that widens a followers-only note to public changes nothing", arguments: TestDatabase.available)
    func updateWidening(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            let uri = h.mallory.uri("statuses/1")
            try await h.mallory.deliver(
                h.mallory.create(id: uri, content: "<p>for followers</p>", to: [h.mallory.followers], cc: []),
                to: h.t
            )
            #expect(try await h.t.storedStatus(uri)?.visibility == .private)

            try await h.mallory.deliver(
                Self.update(by: h.mallory, note: uri, attributedTo: h.mallory.actor, content: "<p>for everyone</p>"),
                to: h.t
            )
            var stored = try #require(try await h.t.storedStatus(uri))
            #expect(stored.visibility == .private)
            #expect(stored.content.contains("for followers"))
            #expect(try await h.api.remoteTimeline(h.alice.token).isEmpty)

            // An edit keeping the audience is applied.
            try await h.mallory.deliver(
                Self.update(
                    by: h.mallory,
                    note: uri,
                    attributedTo: h.mallory.actor,
                    content: "<p>still for followers</p>",
                    to: [h.mallory.followers],
                    updated: "2026-09-21T13:00:00Z"
                ),
                to: h.t
            )
            stored = try #require(try await h.t.storedStatus(uri))
            #expect(stored.visibility == .private)
            #expect(stored.content.contains("still for followers"))
        }
    }

    // MARK: Delete

    @Test("a Delete of someone else's note leaves it in place", arguments: TestDatabase.available)
    func deleteSomeoneElses(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            let eve = try FakeRemote.eve()
            try await eve.store(in: h.t)
            let uri = eve.uri("statuses/1")
            try await eve.deliver(eve.create(id: uri, content: "<p>a post by eve</p>"), to: h.t)
            try await h.mallory.deliver(
                h.mallory.activity(
                    "Delete",
                    id: h.mallory.uri("deletes/1"),
                    object: ["id": .string(uri), "type": "Tombstone"]
                ),
                to: h.t
            )
            try await h.mallory.deliver(
                h.mallory.activity("Delete", id: h.mallory.uri("deletes/2"), object: .string(uri)),
                to: h.t
            )
            #expect(try await h.t.storedStatus(uri) != nil)
            _ = try await h.api.remoteStatus(uri: uri, h.alice.token)
        }
    }

    @Test("a Delete of the signer's own note removes it", arguments: TestDatabase.available)
    func deleteOwn(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            let uri = h.mallory.uri("statuses/1")
            try await h.mallory.deliver(h.mallory.create(id: uri, content: "<p>regrettable</p>"), to: h.t)
            let status = try await h.api.remoteStatus(uri: uri, h.alice.token)
            let id = try #require(status["id"] as? String)
            try await h.mallory.deliver(
                h.mallory.activity(
                    "Delete",
                    id: "\(uri)#delete",
                    object: ["id": .string(uri), "type": "Tombstone", "atomUri": .string(uri)]
                ),
                to: h.t
            )
            #expect(try await h.t.storedStatus(uri) == nil)
            #expect(try await h.api.get("/api/v1/statuses/\(id)", h.alice.token).status == .notFound)
            #expect(try await h.api.remoteTimeline(h.alice.token).isEmpty)
            #expect(try await h.api.account(h.malloryID)["statuses_count"] as? Int == 0)
        }
    }

    // MARK: Announce

    static func announceActivity(_ h: Harness, _ object: String, id: String = "announces/1") -> JSON {
        h.mallory.activity(
            "Announce",
            id: h.mallory.uri(id),
            object: .string(object),
            extra: ["to": [.string(FakeRemote.publicCollection)], "cc": [.string(h.mallory.followers)]]
        )
    }

    @Test("an Announce of a local followers-only status stores no reblog", arguments: TestDatabase.available)
    func announceFollowersOnly(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            // Even from a follower, who may see the status.
            try await h.mallory.deliver(h.follow(), to: h.t)
            let status = try await h.alicePosts("only for followers", visibility: "private")
            try await h.mallory.deliver(Self.announceActivity(h, status.uri), to: h.t)
            #expect(try await h.t.storedStatus(h.mallory.uri("announces/1")) == nil)
            #expect(try await h.aliceStatus(status.id)["reblogs_count"] as? Int == 0)
            #expect(try await h.api.ids("/api/v1/statuses/\(status.id)/reblogged_by", h.alice.token).isEmpty)
            #expect(try await h.notificationTypes() == ["follow"])
        }
    }

    @Test("an Announce of a public local status is a reblog and a notification", arguments: TestDatabase.available)
    func announcePublic(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            let status = try await h.alicePosts("boost me")
            try await h.mallory.deliver(Self.announceActivity(h, status.uri), to: h.t)
            #expect(try await h.aliceStatus(status.id)["reblogs_count"] as? Int == 1)
            let rebloggers = try await h.api.ids("/api/v1/statuses/\(status.id)/reblogged_by", h.alice.token)
            #expect(rebloggers == [h.malloryID])
            let notifications = try await h.api.notifications(h.alice.token)
            #expect(notifications.map(\.type) == ["reblog"])
            #expect(notifications.map(\.from) == [h.malloryID])
        }
    }

    @Test("a repeated Announce leaves one reblog and one notification", arguments: TestDatabase.available)
    func announceRepeated(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            let status = try await h.alicePosts("boost me once")
            try await h.mallory.deliver(Self.announceActivity(h, status.uri), to: h.t)
            try await h.mallory.deliver(Self.announceActivity(h, status.uri), to: h.t)
            try await h.mallory.deliver(Self.announceActivity(h, status.uri, id: "announces/2"), to: h.t)
            #expect(try await h.aliceStatus(status.id)["reblogs_count"] as? Int == 1)
            #expect(try await h.notificationTypes() == ["reblog"])
            #expect(try await h.t.storedStatus(h.mallory.uri("announces/2")) == nil)
        }
    }

    // MARK: Like

    static func likeActivity(_ h: Harness, _ object: String) -> JSON {
        h.mallory.activity("Like", id: h.mallory.uri("likes/1"), object: .string(object))
    }

    @Test("a Like of a public local status is a favourite and a notification", arguments: TestDatabase.available)
    func like(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            let status = try await h.alicePosts("like me")
            try await h.mallory.deliver(Self.likeActivity(h, status.uri), to: h.t)
            try await h.mallory.deliver(Self.likeActivity(h, status.uri), to: h.t)
            #expect(try await h.aliceStatus(status.id)["favourites_count"] as? Int == 1)
            let likers = try await h.api.ids("/api/v1/statuses/\(status.id)/favourited_by", h.alice.token)
            #expect(likers == [h.malloryID])
            let notifications = try await h.api.notifications(h.alice.token)
            #expect(notifications.map(\.type) == ["favourite"])
            #expect(notifications.map(\.from) == [h.malloryID])
        }
    }

    @Test("a Like of a followers-only status by a non-follower changes nothing", arguments: TestDatabase.available)
    func likeInvisible(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            let status = try await h.alicePosts("not for mallory", visibility: "private")
            try await h.mallory.deliver(Self.likeActivity(h, status.uri), to: h.t)
            #expect(try await h.aliceStatus(status.id)["favourites_count"] as? Int == 0)
            #expect(try await h.notificationTypes().isEmpty)
        }
    }

    @Test("an Undo of a Like removes the favourite and its notification", arguments: TestDatabase.available)
    func undoLike(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            let status = try await h.alicePosts("like me briefly")
            let like = Self.likeActivity(h, status.uri)
            try await h.mallory.deliver(like, to: h.t)
            #expect(try await h.aliceStatus(status.id)["favourites_count"] as? Int == 1)
            var inner = like.object ?? [:]
            inner["@context"] = nil
            try await h.mallory.deliver(
                h.mallory.activity("Undo", id: h.mallory.uri("likes/1/undo"), object: .object(inner)),
                to: h.t
            )
            #expect(try await h.aliceStatus(status.id)["favourites_count"] as? Int == 0)
            #expect(try await h.api.ids("/api/v1/statuses/\(status.id)/favourited_by", h.alice.token).isEmpty)
            #expect(try await h.notificationTypes().isEmpty)
        }
    }
}
