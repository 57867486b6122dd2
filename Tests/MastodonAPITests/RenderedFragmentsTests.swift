import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import MastodonAPI

/// Statuses and accounts are written from `RenderedFragments` when what they would be written from has not
/// changed: every change must still show, and nothing viewer-dependent may be shared.
@Suite struct RenderedFragmentsTests {
    @Test(
        "a status written again is byte for byte the same, and shows every later change to its counts, text and author",
        arguments: TestDatabase.available
    )
    func changesShow(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.follow(bob.token, alice.id)
                let posted = try await api.postStatus(alice.token, "First #words")
                #expect(posted.status == .ok)
                let id = try #require(posted.json["id"] as? String)
                // Written fresh by the post, then kept: the same bytes.
                let again = try await api.get("/api/v1/statuses/\(id)", alice.token)
                #expect(again.text == posted.text)

                // Bob's view has his own flags on the same kept members.
                let favourited = try await api.post("/api/v1/statuses/\(id)/favourite", bob.token)
                #expect(favourited.json["favourited"] as? Bool == true)
                #expect(favourited.json["favourites_count"] as? Int == 1)
                let asAlice = try await api.get("/api/v1/statuses/\(id)", alice.token)
                #expect(asAlice.json["favourited"] as? Bool == false)
                #expect(asAlice.json["favourites_count"] as? Int == 1)
                #expect(asAlice.json["pinned"] as? Bool == false)
                let asBob = try await api.get("/api/v1/statuses/\(id)", bob.token)
                #expect(asBob.json["pinned"] == nil)

                // The author's profile changes: every status of hers shows it.
                let renamed = try await client.execute(
                    uri: "/api/v1/accounts/update_credentials",
                    method: .patch,
                    headers: formHeaders(token: alice.token),
                    body: formBody([("display_name", "Alice Renamed")])
                )
                #expect(renamed.status == .ok)
                #expect(renamed.json["source"] != nil)
                let home = try await api.get("/api/v1/timelines/home", bob.token)
                let shown = try #require(home.jsonArray.first { $0["id"] as? String == id })
                #expect((shown["account"] as? [String: Any])?["display_name"] as? String == "Alice Renamed")
                #expect((shown["account"] as? [String: Any])?["statuses_count"] as? Int == 1)
                // The owner's own view (with `source`) is never handed to anyone else.
                let profile = try await api.get("/api/v1/accounts/\(alice.id)", bob.token)
                #expect(profile.json["display_name"] as? String == "Alice Renamed")
                #expect(profile.json["source"] == nil)

                // An edit changes the text and the tags.
                let edited = try await client.execute(
                    uri: "/api/v1/statuses/\(id)",
                    method: .put,
                    headers: .bearer(alice.token, contentType: formType),
                    body: formBody([("status", "Second #thoughts")])
                )
                #expect(edited.status == .ok)
                let afterEdit = try await api.get("/api/v1/statuses/\(id)", bob.token)
                #expect(afterEdit.json["content"] as? String == edited.json["content"] as? String)
                #expect((afterEdit.json["content"] as? String)?.contains("Second") == true)
                #expect((afterEdit.json["tags"] as? [[String: Any]])?.first?["name"] as? String == "thoughts")
                #expect(afterEdit.json["edited_at"] is String)
                #expect(afterEdit.json["favourites_count"] as? Int == 1)

                // A reblog wraps the kept status in a new one, and the reblogged count shows on both.
                let reblog = try await api.post("/api/v1/statuses/\(id)/reblog", bob.token)
                #expect(reblog.status == .ok)
                let original = try #require(reblog.json["reblog"] as? [String: Any])
                #expect(original["id"] as? String == id)
                #expect(original["reblogs_count"] as? Int == 1)
                #expect(original["reblogged"] as? Bool == true)
                #expect(reblog.json["content"] as? String == "")
                #expect((reblog.json["account"] as? [String: Any])?["id"] as? String == bob.id)
            }
        }
    }
}
