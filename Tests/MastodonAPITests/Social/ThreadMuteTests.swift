import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@Suite struct ThreadMuteTests {
    @Test(
        "a muted thread stops mention, favourite and reblog notifications until unmuted",
        arguments: TestDatabase.available
    )
    func mutedThreadIsQuiet(_ db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                let root = try await api.status(alice.token, "a thread")
                let muted = try await api.post("/api/v1/statuses/\(root)/mute", alice.token)
                #expect(muted.status == .ok)
                #expect(muted.json["muted"] as? Bool == true)

                let reply = try await api.status(bob.token, "@alice noisy", [("in_reply_to_id", root)])
                _ = try await api.status(bob.token, "@alice deeper", [("in_reply_to_id", reply)])
                _ = try await api.post("/api/v1/statuses/\(root)/favourite", bob.token)
                _ = try await api.post("/api/v1/statuses/\(root)/reblog", bob.token)
                #expect(try await api.get("/api/v1/notifications", alice.token).jsonArray.isEmpty)
                // Elsewhere, bob's mentions still notify.
                _ = try await api.status(bob.token, "@alice other topic")
                #expect(try await api.get("/api/v1/notifications", alice.token).jsonArray.count == 1)

                let unmuted = try await api.post("/api/v1/statuses/\(root)/unmute", alice.token)
                #expect(unmuted.json["muted"] as? Bool == false)
                _ = try await api.status(bob.token, "@alice back again", [("in_reply_to_id", root)])
                #expect(try await api.get("/api/v1/notifications", alice.token).jsonArray.count == 2)
                #expect(try await api.post("/api/v1/statuses/\(root)/mute", nil).status == .unauthorized)
            }
        }
    }
}
