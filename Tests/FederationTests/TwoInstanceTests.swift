import Core
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Two Tern instances federating in-process, driven only through the Mastodon API.
@Suite struct TwoInstanceTests {
    @Test(
        "a remote follow is pending until Accept, then the followed account's posts reach the home feed",
        arguments: TestDatabase.available
    )
    func followAcceptAndDeliver(db: TestDatabase) async throws {
        try await Pair.run(db) { p in
            let alice = try await p.alpha.user("alice")
            let bob = try await p.beta.user("bob")
            let bobOnAlpha = try await p.a.lookup("bob@beta.test", alice.token)
            let follow = try await p.a.post("/api/v1/accounts/\(bobOnAlpha)/follow", alice.token)
            #expect(follow.status == .ok)
            #expect(follow.json["requested"] as? Bool == true)
            #expect(follow.json["following"] as? Bool == false)
            try await p.settle()
            let relationship = try await p.a.relationship(bobOnAlpha, alice.token)
            #expect(relationship["following"] as? Bool == true)
            #expect(relationship["requested"] as? Bool == false)
            // Beta sees alice as a follower.
            let aliceOnBeta = try await p.b.lookup("alice@alpha.test", bob.token)
            let followers = try await p.b.ids("/api/v1/accounts/\(bob.id)/followers", bob.token)
            #expect(followers == [aliceOnBeta])
            let notifications = try await p.b.notifications(bob.token)
            #expect(notifications.map(\.type) == ["follow"])

            _ = try await p.b.status(bob.token, "hello from beta")
            try await p.settle()
            #expect(try await p.a.homeContents(alice.token).contains { $0.contains("hello from beta") })
        }
    }

    @Test(
        "a locked account's remote follower waits for approval; authorizing sends Accept",
        arguments: TestDatabase.available
    )
    func lockedAccount(db: TestDatabase) async throws {
        try await Pair.run(db) { p in
            let alice = try await p.alpha.user("alice")
            let bob = try await p.beta.user("bob")
            let lock = try await p.b.client.execute(
                uri: "/api/v1/accounts/update_credentials",
                method: .patch,
                headers: .bearer(bob.token, contentType: formType),
                body: formBody([("locked", "true")])
            )
            #expect(lock.status == .ok)
            let bobOnAlpha = try await p.followFromAlpha("bob@beta.test", alice.token)
            #expect(try await p.a.relationship(bobOnAlpha, alice.token)["requested"] as? Bool == true)
            let requests = try await p.b.ids("/api/v1/follow_requests", bob.token)
            #expect(requests.count == 1)
            let authorize = try await p.b.post("/api/v1/follow_requests/\(requests[0])/authorize", bob.token)
            #expect(authorize.status == .ok)
            try await p.settle()
            let relationship = try await p.a.relationship(bobOnAlpha, alice.token)
            #expect(relationship["following"] as? Bool == true)
            #expect(relationship["requested"] as? Bool == false)
        }
    }

    @Test(
        "replies, mentions, favourites, boosts, edits and deletes cross both ways",
        arguments: TestDatabase.available
    )
    func interactions(db: TestDatabase) async throws {
        try await Pair.run(db) { p in
            let alice = try await p.alpha.user("alice")
            let bob = try await p.beta.user("bob")
            _ = try await p.followFromAlpha("bob@beta.test", alice.token)

            // Bob posts; alice (alpha) replies mentioning him; bob gets a mention notification.
            let original = try await p.b.status(bob.token, "the original")
            try await p.settle()
            let home = try await p.a.get("/api/v1/timelines/home", alice.token)
            let remoteOriginal = try #require(
                home.jsonArray.first { ($0["content"] as? String)?.contains("the original") == true }
            )
            let remoteID = try #require(remoteOriginal["id"] as? String)
            #expect(remoteOriginal["uri"] as? String == "http://beta.test/users/bob/statuses/\(original)")
            _ = try await p.a.status(alice.token, "@bob@beta.test a reply", [("in_reply_to_id", remoteID)])
            try await p.settle()
            let bobNotifications = try await p.b.notifications(bob.token)
            #expect(bobNotifications.map(\.type).contains("mention"))
            let context = try await p.b.get("/api/v1/statuses/\(original)/context", bob.token)
            #expect((context.json["descendants"] as? [[String: Any]])?.count == 1)

            // Alice favourites and boosts bob's post: bob is told of both, the counts move.
            _ = try await p.a.post("/api/v1/statuses/\(remoteID)/favourite", alice.token)
            _ = try await p.a.post("/api/v1/statuses/\(remoteID)/reblog", alice.token)
            try await p.settle()
            let types = Set(try await p.b.notifications(bob.token).map(\.type))
            #expect(types.isSuperset(of: ["favourite", "reblog", "mention"]))
            let counted = try await p.b.get("/api/v1/statuses/\(original)", bob.token)
            #expect(counted.json["favourites_count"] as? Int == 1)
            #expect(counted.json["reblogs_count"] as? Int == 1)

            // Un-favouriting travels too.
            _ = try await p.a.post("/api/v1/statuses/\(remoteID)/unfavourite", alice.token)
            try await p.settle()
            let uncounted = try await p.b.get("/api/v1/statuses/\(original)", bob.token)
            #expect(uncounted.json["favourites_count"] as? Int == 0)

            // Bob edits: alpha shows the new text and a history of two versions.
            let edit = try await p.b.client.execute(
                uri: "/api/v1/statuses/\(original)",
                method: .put,
                headers: .bearer(bob.token, contentType: formType),
                body: formBody([("status", "the original, edited")])
            )
            #expect(edit.status == .ok)
            try await p.settle()
            let edited = try await p.a.get("/api/v1/statuses/\(remoteID)", alice.token)
            #expect((edited.json["content"] as? String)?.contains("edited") == true)
            #expect(edited.json["edited_at"] is String)
            let history = try await p.a.get("/api/v1/statuses/\(remoteID)/history", alice.token)
            #expect(history.jsonArray.count == 2)

            // Bob deletes: it is gone on alpha.
            #expect(try await p.b.delete("/api/v1/statuses/\(original)", bob.token).status == .ok)
            try await p.settle()
            #expect(try await p.a.get("/api/v1/statuses/\(remoteID)", alice.token).status == .notFound)
        }
    }

    @Test("a followers-only post reaches followers only; a block stops delivery", arguments: TestDatabase.available)
    func privatePostsAndBlocks(db: TestDatabase) async throws {
        try await Pair.run(db) { p in
            let alice = try await p.alpha.user("alice")
            let carol = try await p.alpha.user("carol")
            let bob = try await p.beta.user("bob")
            let bobOnAlpha = try await p.followFromAlpha("bob@beta.test", alice.token)

            _ = try await p.b.status(bob.token, "for followers only", visibility: "private")
            try await p.settle()
            #expect(try await p.a.homeContents(alice.token).contains { $0.contains("for followers only") })
            // Carol does not follow bob: the post is not shown to her, not even on bob's profile.
            let carolView = try await p.a.accountStatuses(bobOnAlpha, carol.token)
            #expect(carolView.isEmpty)

            // Bob blocks alice: she stops following and gets nothing more.
            let aliceOnBeta = try await p.b.lookup("alice@alpha.test", bob.token)
            #expect(try await p.b.post("/api/v1/accounts/\(aliceOnBeta)/block", bob.token).status == .ok)
            try await p.settle()
            #expect(try await p.a.relationship(bobOnAlpha, alice.token)["following"] as? Bool == false)
            _ = try await p.b.status(bob.token, "after the block")
            try await p.settle()
            #expect(!(try await p.a.homeContents(alice.token).contains { $0.contains("after the block") }))
        }
    }

    @Test("a peer that is down receives its deliveries once it is back", arguments: TestDatabase.available)
    func peerDownAndBack(db: TestDatabase) async throws {
        let clock = TestClock()
        _ = clock
        try await Pair.run(db) { p in
            let alice = try await p.alpha.user("alice")
            let bob = try await p.beta.user("bob")
            _ = try await p.followFromAlpha("bob@beta.test", alice.token)

            p.network.setDown("alpha.test", true)
            _ = try await p.b.status(bob.token, "sent while alpha was down")
            try await p.settle()
            #expect(!(try await p.a.homeContents(alice.token).contains { $0.contains("while alpha was down") }))
            let pending = try await p.beta.db.read { try await $0.pendingJobCounts() }
            #expect(pending["deliver"] == 1)

            p.network.setDown("alpha.test", false)
            try await p.beta.db.transaction { try await $0.makeAllJobsDue() }
            try await p.settle()
            #expect(try await p.a.homeContents(alice.token).contains { $0.contains("while alpha was down") })
            #expect(try await p.beta.db.read { try await $0.pendingJobCounts() }["deliver"] == nil)
        }
    }

    @Test(
        "a poll travels as a Question; a remote vote counts on the author's server and comes back",
        arguments: TestDatabase.available
    )
    func polls(db: TestDatabase) async throws {
        try await Pair.run(db) { p in
            let alice = try await p.alpha.user("alice")
            let bob = try await p.beta.user("bob")
            _ = try await p.followFromAlpha("bob@beta.test", alice.token)
            let original = try await p.b.status(
                bob.token,
                "tea or coffee?",
                [("poll[options][]", "tea"), ("poll[options][]", "coffee"), ("poll[expires_in]", "3600")]
            )
            try await p.settle()
            let home = try await p.a.get("/api/v1/timelines/home", alice.token)
            let remote = try #require(
                home.jsonArray.first { ($0["content"] as? String)?.contains("tea or coffee") == true }
            )
            let poll = try #require(remote["poll"] as? [String: Any])
            let options = (poll["options"] as? [[String: Any]])?.compactMap { $0["title"] as? String }
            #expect(options == ["tea", "coffee"])
            let pollID = try #require(poll["id"] as? String)
            let vote = try await p.a.post("/api/v1/polls/\(pollID)/votes", alice.token, [("choices[]", "1")])
            #expect(vote.status == .ok)
            try await p.settle()
            let onBeta = try await p.b.get("/api/v1/statuses/\(original)", bob.token)
            let bobPoll = try #require(onBeta.json["poll"] as? [String: Any])
            #expect(bobPoll["votes_count"] as? Int == 1)
            let counts = (bobPoll["options"] as? [[String: Any]])?.compactMap { $0["votes_count"] as? Int }
            #expect(counts == [0, 1])
        }
    }

    @Test(
        "a picture travels as a Document with alt text and blurhash, is cached and served here, and pruned",
        arguments: TestDatabase.available
    )
    func attachments(db: TestDatabase) async throws {
        try await Pair.run(db) { p in
            let alice = try await p.alpha.user("alice")
            let bob = try await p.beta.user("bob")
            _ = try await p.followFromAlpha("bob@beta.test", alice.token)
            let media = try await p.beta.processor.media.upload(
                .init(
                    data: TestImages.png(width: 300, height: 200, gradient: true),
                    description: "a gradient",
                    focus: "0.5,0"
                ),
                by: try #require(Account.ID(bob.id)),
                processNow: true
            )
            let url = try #require(media.url)
            _ = try await p.b.status(bob.token, "with a picture", [("media_ids[]", media.attachment.id.description)])
            try await p.settle()
            let home = try await p.a.get("/api/v1/timelines/home", alice.token)
            let remote = try #require(
                home.jsonArray.first { ($0["content"] as? String)?.contains("with a picture") == true }
            )
            let attached = try #require((remote["media_attachments"] as? [[String: Any]])?.first)
            #expect(attached["type"] as? String == "image")
            // The cache job fetched and processed it: alpha serves its own copy.
            let cached = try #require(attached["url"] as? String)
            #expect(cached.hasPrefix("http://alpha.test/system/"))
            #expect((attached["preview_url"] as? String)?.hasPrefix("http://alpha.test/system/") == true)
            #expect(attached["remote_url"] as? String == url)
            #expect(attached["description"] as? String == "a gradient")
            let original = (attached["meta"] as? [String: Any])?["original"] as? [String: Any]
            #expect(original?["width"] as? Int == 300)
            let path = String(cached.dropFirst("http://alpha.test".count))
            let served = try await p.a.get(path)
            #expect(served.status == .ok)
            #expect(served.headers[.contentType]?.hasPrefix("image/") == true)

            // A prune lets the copy go: the picture is shown from beta again.
            let freed = try await p.alpha.processor.mediaCache.prune(olderThan: Date().addingTimeInterval(86_400))
            #expect(freed.files == 2 && freed.bytes > 0)
            #expect(try await p.a.get(path).status == .notFound)
            let again = try await p.a.get("/api/v1/statuses/\(try #require(remote["id"] as? String))", alice.token)
            let shown = try #require((again.json["media_attachments"] as? [[String: Any]])?.first)
            #expect(shown["url"] as? String == url)
            #expect(
                try await p.alpha.processor.mediaCache.prune(olderThan: Date().addingTimeInterval(86_400)).files == 0
            )
        }
    }

    @Test(
        "a remote avatar and header are cached here, processed, and replaced when they change",
        arguments: TestDatabase.available
    )
    func profileImages(db: TestDatabase) async throws {
        try await Pair.run(db) { p in
            let alice = try await p.alpha.user("alice")
            let bob = try await p.beta.user("bob")
            func setAvatar(_ png: Data) async throws {
                var headers = HTTPFields()
                headers[.contentType] = "multipart/form-data; boundary=\(TestImages.boundary)"
                headers[.authorization] = "Bearer \(bob.token)"
                let response = try await p.b.client.execute(
                    uri: "/api/v1/accounts/update_credentials",
                    method: .patch,
                    headers: headers,
                    body: TestImages.multipart(
                        file: png,
                        filename: "me.png",
                        fields: [("display_name", "Bob")],
                        fileField: "avatar"
                    )
                )
                #expect(response.status == .ok, "\(response.text)")
            }
            try await setAvatar(TestImages.png(width: 800, height: 800, gradient: true))
            let bobID = try await p.followFromAlpha("bob@beta.test", alice.token)
            try await p.settle()
            let seen = try await p.a.get("/api/v1/accounts/\(bobID)", alice.token)
            let avatar = try #require(seen.json["avatar"] as? String)
            #expect(avatar.hasPrefix("http://alpha.test/system/"), "\(avatar)")
            let path = String(avatar.dropFirst("http://alpha.test".count))
            let served = try await p.a.get(path)
            #expect(served.status == .ok)
            let size = ProfileImageSize.png(Data(buffer: served.body))
            #expect(size?.0 == 400 && size?.1 == 400, "the cached avatar is processed to 400 px")

            // A new avatar reaches alpha with an Update; the new one is cached and the old copy removed.
            try await setAvatar(TestImages.png(width: 500, height: 500, rgb: (10, 200, 10)))
            try await p.settle()
            let again = try await p.a.get("/api/v1/accounts/\(bobID)", alice.token)
            let newAvatar = try #require(again.json["avatar"] as? String)
            #expect(newAvatar.hasPrefix("http://alpha.test/system/") && newAvatar != avatar, "\(newAvatar)")
            #expect(try await p.a.get(path).status == .notFound)
        }
    }
}

/// The size a PNG's header gives.
enum ProfileImageSize {
    static func png(_ data: Data) -> (Int, Int)? {
        let bytes = [UInt8](data)
        guard bytes.count > 24, bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) else { return nil }
        func int(_ at: Int) -> Int { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (int(16), int(20))
    }
}
