import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import Processing
import TestSupport
import Testing

/// The streaming hub: who hears of what. Absence is checked by ordering: a message that must not come
/// is followed by one that must, and the next message received has to be that one.
@Suite struct StreamingTests {
    /// The next message, or nil when the stream ended.
    static func next(_ iterator: inout AsyncStream<StreamMessage>.Iterator) async -> StreamMessage? {
        await iterator.next()
    }

    static func statusText(_ message: StreamMessage?) -> String? {
        guard case .status(let view)? = message?.payload else { return nil }
        return (view.reblog ?? view).status.text
    }

    @Test(
        "a follower's user stream gets followed posts, mentions as notifications, deletes; not strangers' private posts",
        arguments: TestDatabase.available
    )
    func userStream(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.follow(alice.token, bob.id)
                let (id, stream) = await t.processor.streams.subscribe(
                    viewer: Account.ID(alice.id),
                    streams: [.user]
                )
                var messages = stream.makeAsyncIterator()
                _ = try await api.status(carol.token, "carol for her followers", visibility: "private")
                let first = try await api.status(bob.token, "bob says hi")
                var message = await Self.next(&messages)
                #expect(message?.event == "update")
                #expect(message?.stream == ["user"])
                #expect(Self.statusText(message) == "bob says hi")

                _ = try await api.status(bob.token, "hey @alice")
                // The post lands in alice's feed (update) and mentions her (notification), in that order.
                message = await Self.next(&messages)
                #expect(message?.event == "update")
                message = await Self.next(&messages)
                #expect(message?.event == "notification")
                if case .notification(let view)? = message?.payload {
                    #expect(view.notification.kind == .mention)
                } else {
                    Issue.record("expected a notification payload")
                }

                #expect(try await api.delete("/api/v1/statuses/\(first)", bob.token).status == .ok)
                message = await Self.next(&messages)
                #expect(message?.event == "delete")
                if case .id(let deleted)? = message?.payload { #expect(deleted == first) }
                await t.processor.streams.unsubscribe(id)
            }
        }
    }

    @Test(
        "public and hashtag streams get public posts only; anonymous listeners are fine",
        arguments: TestDatabase.available
    )
    func publicStreams(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                let (_, publicStream) = await t.processor.streams.subscribe(viewer: nil, streams: [.publicLocal])
                let (_, tagStream) = await t.processor.streams.subscribe(viewer: nil, streams: [.hashtag("birds")])
                var everything = publicStream.makeAsyncIterator()
                var birds = tagStream.makeAsyncIterator()
                _ = try await api.status(bob.token, "quiet #birds", visibility: "unlisted")
                _ = try await api.status(bob.token, "loud, no tag")
                _ = try await api.status(bob.token, "loud #birds")
                #expect(Self.statusText(await Self.next(&everything)) == "loud, no tag")
                #expect(Self.statusText(await Self.next(&everything)) == "loud #birds")
                let tagged = await Self.next(&birds)
                #expect(Self.statusText(tagged) == "loud #birds")
                #expect(tagged?.stream == ["hashtag", "birds"])
            }
        }
    }

    @Test("an author the listener blocks is never streamed to them", arguments: TestDatabase.available)
    func blocksApply(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            try await t.client { client in
                let api = SocialAPI(client)
                #expect(try await api.post("/api/v1/accounts/\(bob.id)/block", alice.token).status == .ok)
                let (_, stream) = await t.processor.streams.subscribe(
                    viewer: Account.ID(alice.id),
                    streams: [.publicAll]
                )
                var messages = stream.makeAsyncIterator()
                _ = try await api.status(bob.token, "from the blocked")
                _ = try await api.status(carol.token, "from someone else")
                #expect(Self.statusText(await Self.next(&messages)) == "from someone else")
            }
        }
    }

    @Test(
        "members of an exclusive list stream to the list, not to home, as the home timeline reads",
        arguments: TestDatabase.available
    )
    func exclusiveListLeavesHome(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.follow(alice.token, bob.id)
                try await api.follow(alice.token, carol.id)
                let list = try await api.list(alice.token, "Bob", [("exclusive", "true")])
                try await api.addToList(alice.token, list, [bob.id])
                let listID = try #require(Int64(list))
                let (home, homeStream) = await t.processor.streams.subscribe(
                    viewer: Account.ID(alice.id),
                    streams: [.user]
                )
                let (listen, listStream) = await t.processor.streams.subscribe(
                    viewer: Account.ID(alice.id),
                    streams: [.list(listID)]
                )
                var homeMessages = homeStream.makeAsyncIterator()
                var listMessages = listStream.makeAsyncIterator()
                _ = try await api.status(bob.token, "bob, for the list only")
                _ = try await api.status(carol.token, "carol, at home")
                #expect(Self.statusText(await Self.next(&listMessages)) == "bob, for the list only")
                #expect(Self.statusText(await Self.next(&homeMessages)) == "carol, at home")
                let timeline = try await api.get("/api/v1/timelines/home", alice.token)
                let texts = timeline.jsonArray.compactMap { $0["content"] as? String }
                #expect(texts.count == 1)
                #expect(texts.first?.contains("carol, at home") == true)
                await t.processor.streams.unsubscribe(home)
                await t.processor.streams.unsubscribe(listen)
            }
        }
    }

    @Test(
        "a list stream gets its members' posts (by its replies policy) and only its owner may listen",
        arguments: TestDatabase.available
    )
    func listStream(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.follow(alice.token, bob.id)
                try await api.follow(alice.token, carol.id)
                let made = try await api.post(
                    "/api/v1/lists",
                    alice.token,
                    [("title", "Bob"), ("replies_policy", "none")]
                )
                let list = try #require(made.json["id"] as? String)
                let added = try await api.post(
                    "/api/v1/lists/\(list)/accounts",
                    alice.token,
                    [("account_ids[]", bob.id)]
                )
                #expect(added.status == .ok)
                let listID = try #require(Int64(list))
                let hub = t.processor.streams
                #expect(try await hub.permits(.list(listID), viewer: Account.ID(alice.id)))
                #expect(!(try await hub.permits(.list(listID), viewer: Account.ID(carol.id))))
                #expect(!(try await hub.permits(.list(listID), viewer: nil)))

                let (_, stream) = await hub.subscribe(viewer: Account.ID(alice.id), streams: [.list(listID)])
                var messages = stream.makeAsyncIterator()
                let carols = try await api.status(carol.token, "carol is not on the list")
                _ = try await api.status(bob.token, "@carol a reply the list leaves out", [("in_reply_to_id", carols)])
                _ = try await api.status(bob.token, "bob on the list")
                let message = await Self.next(&messages)
                #expect(Self.statusText(message) == "bob on the list")
                #expect(message?.stream == ["list", list])
                #expect(message?.event == "update")

                // Over HTTP: the owner's stream opens; someone else's answers 404; no list id is 422.
                let other = try await client.execute(
                    uri: "/api/v1/streaming/list?list=\(list)",
                    method: .get,
                    headers: .bearer(carol.token)
                )
                #expect(other.status == .notFound)
                let missing = try await client.execute(
                    uri: "/api/v1/streaming/list",
                    method: .get,
                    headers: .bearer(alice.token)
                )
                #expect(missing.status == .unprocessableContent)
                let anonymous = try await client.execute(uri: "/api/v1/streaming/list?list=\(list)", method: .get)
                #expect(anonymous.status == .unauthorized)
            }
        }
    }

    @Test(
        "the SSE endpoints: health, unknown stream 422, personal stream without a token 401",
        arguments: TestDatabase.available
    )
    func endpoints(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                let health = try await client.execute(uri: "/api/v1/streaming/health", method: .get)
                #expect(health.status == .ok && health.text == "OK")
                #expect(try await client.execute(uri: "/api/v1/streaming/user", method: .get).status == .unauthorized)
                let bad = try await client.execute(uri: "/api/v1/streaming/user?access_token=nope", method: .get)
                #expect(bad.status == .unauthorized)
                let untagged = try await client.execute(uri: "/api/v1/streaming/hashtag", method: .get)
                #expect(untagged.status == .unprocessableContent)
            }
        }
    }
}
