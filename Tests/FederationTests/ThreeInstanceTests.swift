import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Three Tern instances: one post reaches followers on two other servers, each once, and a conversation
/// spans all three.
@Suite struct ThreeInstanceTests {
    @Test(
        "followers on two servers each receive a post once; a followers-only post skips a non-follower",
        arguments: TestDatabase.available
    )
    func fanOutToTwoServers(db: TestDatabase) async throws {
        try await Trio.run(db) { t in
            let (alpha, beta, gamma) = (t.apis[0], t.apis[1], t.apis[2])
            let bob = try await t.apps[1].user("bob")
            let alice = try await t.apps[0].user("alice")
            let carol = try await t.apps[2].user("carol")
            let dave = try await t.apps[2].user("dave")
            for (api, user) in [(alpha, alice), (gamma, carol)] {
                let bobID = try await api.lookup("bob@beta.test", user.token)
                _ = try await api.post("/api/v1/accounts/\(bobID)/follow", user.token)
            }
            try await t.settle()
            #expect(try await beta.ids("/api/v1/accounts/\(bob.id)/followers", bob.token).count == 2)

            _ = try await beta.status(bob.token, "to both servers")
            _ = try await beta.status(bob.token, "followers of bob only", visibility: "private")
            try await t.settle()
            for (api, user) in [(alpha, alice), (gamma, carol)] {
                let home = try await api.homeContents(user.token)
                #expect(home.filter { $0.contains("to both servers") }.count == 1)
                #expect(home.contains { $0.contains("followers of bob only") })
            }
            // Dave is on gamma, which received the followers-only post for carol, but he may not see it.
            let daveBob = try await gamma.lookup("bob@beta.test", dave.token)
            let seenByDave = try await gamma.get("/api/v1/accounts/\(daveBob)/statuses", dave.token)
            let texts = seenByDave.jsonArray.compactMap { $0["content"] as? String }
            #expect(texts.contains { $0.contains("to both servers") })
            #expect(!texts.contains { $0.contains("followers of bob only") })
        }
    }

    @Test("a reply from a third server mentioning two others notifies both", arguments: TestDatabase.available)
    func conversationAcrossThree(db: TestDatabase) async throws {
        try await Trio.run(db) { t in
            let (alpha, beta, gamma) = (t.apis[0], t.apis[1], t.apis[2])
            let alice = try await t.apps[0].user("alice")
            let bob = try await t.apps[1].user("bob")
            let carol = try await t.apps[2].user("carol")
            _ = try await gamma.status(carol.token, "hello @alice@alpha.test and @bob@beta.test")
            try await t.settle()
            #expect(try await alpha.notifications(alice.token).map(\.type) == ["mention"])
            #expect(try await beta.notifications(bob.token).map(\.type) == ["mention"])
        }
    }
}
