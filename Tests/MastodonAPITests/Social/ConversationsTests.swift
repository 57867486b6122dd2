import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@Suite struct ConversationsTests {
    @Test(
        "a direct message opens a conversation for each participant; read and delete are per account",
        arguments: TestDatabase.available
    )
    func conversationLifecycle(_ db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            try await t.client { client in
                let api = SocialAPI(client)
                let first = try await api.status(alice.token, "@bob psst", visibility: "direct")
                _ = try await api.status(alice.token, "@bob public hello")  // not direct: no conversation

                let bobs = try await api.get("/api/v1/conversations", bob.token)
                #expect(bobs.status == .ok)
                #expect(bobs.jsonArray.count == 1)
                let conversation = try #require(bobs.jsonArray.first)
                #expect(conversation["unread"] as? Bool == true)
                #expect(
                    (conversation["accounts"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [alice.id]
                )
                #expect((conversation["last_status"] as? [String: Any])?["id"] as? String == first)

                let alices = try await api.get("/api/v1/conversations", alice.token).jsonArray
                #expect(alices.count == 1)
                #expect(alices.first?["unread"] as? Bool == false)
                #expect(try await api.get("/api/v1/conversations", carol.token).jsonArray.isEmpty)

                let reply = try await api.status(
                    bob.token,
                    "@alice ok",
                    visibility: "direct",
                    [("in_reply_to_id", first)]
                )
                let updated = try await api.get("/api/v1/conversations", alice.token).jsonArray
                #expect(updated.count == 1)
                #expect((updated.first?["last_status"] as? [String: Any])?["id"] as? String == reply)
                #expect(updated.first?["unread"] as? Bool == true)

                let id = try #require(conversation["id"] as? String)
                #expect(try await api.post("/api/v1/conversations/\(id)/read", carol.token).status == .notFound)
                let read = try await api.post("/api/v1/conversations/\(id)/read", bob.token)
                #expect(read.status == .ok)
                #expect(read.json["unread"] as? Bool == false)
                #expect(try await api.delete("/api/v1/conversations/\(id)", carol.token).status == .notFound)
                #expect(try await api.delete("/api/v1/conversations/\(id)", bob.token).status == .ok)
                #expect(try await api.get("/api/v1/conversations", bob.token).jsonArray.isEmpty)
                #expect(try await api.get("/api/v1/conversations", alice.token).jsonArray.count == 1)
                #expect(try await api.get("/api/v1/statuses/\(first)", bob.token).status == .ok)  // statuses stay
            }
        }
    }
}
