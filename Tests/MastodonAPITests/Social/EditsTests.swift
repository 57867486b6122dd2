import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

extension SocialAPI {
    /// `PUT uri` with a form body.
    func put(_ uri: String, _ token: String?, _ pairs: [(String, String)]) async throws -> TestResponse {
        try await self.client.execute(
            uri: uri,
            method: .put,
            headers: self.headers(token, contentType: formType),
            body: formBody(pairs)
        )
    }

    /// `PUT /api/v1/statuses/:id` with new text.
    func edit(_ token: String?, _ id: String, _ text: String) async throws -> TestResponse {
        try await self.put("/api/v1/statuses/\(id)", token, [("status", text)])
    }

    /// The edit history of a status; it must answer 200.
    func history(_ id: String, _ token: String?) async throws -> [[String: Any]] {
        let response = try await self.get("/api/v1/statuses/\(id)/history", token)
        guard response.status == .ok else {
            throw TestFailure("history answered \(response.status): \(response.text)")
        }
        return response.jsonArray
    }
}

@Suite struct EditsTests {
    @Test(
        "PUT by the author changes the content and keeps every version, oldest first",
        arguments: TestDatabase.available
    )
    func editAndHistory(db: TestDatabase) async throws {
        let clock = TestClock()
        try await TestApp.run(db, clock: clock.clock) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                let id = try await api.status(alice.token, "first draft")
                let original = try await api.get("/api/v1/statuses/\(id)", alice.token)
                #expect(original.json["edited_at"] is NSNull)
                let single = try await api.history(id, alice.token)
                #expect(single.count == 1)
                #expect((single.first?["content"] as? String)?.contains("first draft") == true)

                clock.advance(by: 60)
                let edited = try await api.edit(alice.token, id, "second draft")
                #expect(edited.status == .ok)
                #expect(edited.json["id"] as? String == id)
                #expect((edited.json["content"] as? String)?.contains("second draft") == true)
                #expect((edited.json["content"] as? String)?.contains("first") == false)
                let editedAt = try #require(edited.json["edited_at"] as? String)
                #expect(editedAt != original.json["created_at"] as? String)
                #expect(edited.json["created_at"] as? String == original.json["created_at"] as? String)
                let fetched = try await api.get("/api/v1/statuses/\(id)")
                #expect((fetched.json["content"] as? String)?.contains("second draft") == true)
                #expect(fetched.json["edited_at"] as? String == editedAt)

                let two = try await api.history(id, alice.token)
                #expect(two.count == 2)
                #expect((two.first?["content"] as? String)?.contains("first draft") == true)
                #expect((two.last?["content"] as? String)?.contains("second draft") == true)
                #expect(two.first?["created_at"] as? String == original.json["created_at"] as? String)
                #expect(two.last?["created_at"] as? String == editedAt)
                for version in two {
                    #expect((version["account"] as? [String: Any])?["id"] as? String == alice.id)
                }

                clock.advance(by: 60)
                #expect(try await api.edit(alice.token, id, "third draft").status == .ok)
                let three = try await api.history(id, nil)
                #expect(three.count == 3)
                let contents = three.compactMap { $0["content"] as? String }
                #expect(contents.count == 3)
                #expect(contents.first?.contains("first draft") == true)
                #expect(contents.dropFirst().first?.contains("second draft") == true)
                #expect(contents.last?.contains("third draft") == true)
                let times = three.compactMap { $0["created_at"] as? String }
                #expect(times == times.sorted())
                #expect(Set(times).count == 3)
            }
        }
    }

    @Test("refused edits answer an error and change nothing", arguments: TestDatabase.available)
    func refusedEdits(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let reader = try await t.user("reader", scopes: "read")
            try await t.client { client in
                let api = SocialAPI(client)
                let id = try await api.status(alice.token, "the original")
                expectError(try await api.edit(bob.token, id, "hijacked"), .notFound)
                expectError(try await api.edit(alice.token, id, ""), .unprocessableContent)
                expectError(try await api.edit(alice.token, id, "   \n "), .unprocessableContent)
                expectError(
                    try await api.edit(alice.token, id, String(repeating: "x", count: 501)),
                    .unprocessableContent
                )
                expectError(try await api.edit(nil, id, "anonymous"), .unauthorized)
                expectError(try await api.edit(reader.token, id, "read only"), .forbidden)
                expectError(try await api.edit(alice.token, "999999999", "nothing here"), .notFound)

                let status = try await api.get("/api/v1/statuses/\(id)")
                #expect((status.json["content"] as? String)?.contains("the original") == true)
                #expect(status.json["edited_at"] is NSNull)
                #expect(try await api.history(id, alice.token).count == 1)

                // A reblog is not editable by its author either.
                let boost = try #require(
                    try await api.post("/api/v1/statuses/\(id)/reblog", bob.token).json["id"] as? String
                )
                expectError(try await api.edit(bob.token, boost, "rewritten"), .notFound)
                #expect(try await api.history(id, alice.token).count == 1)
            }
        }
    }

    @Test("an edit re-links mentions and tags", arguments: TestDatabase.available)
    func relinks(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            _ = try await t.user("bob")
            let carol = try await t.user("carol")
            try await t.client { client in
                let api = SocialAPI(client)
                let id = try await api.status(alice.token, "hello @bob #oldtag")
                #expect(try await api.ids("/api/v1/timelines/tag/oldtag") == [id])

                let edited = try await api.edit(alice.token, id, "hello @carol #newtag")
                #expect(edited.status == .ok)
                let mentions = edited.json["mentions"] as? [[String: Any]] ?? []
                #expect(mentions.compactMap { $0["id"] as? String } == [carol.id])
                let tags = edited.json["tags"] as? [[String: Any]] ?? []
                #expect(tags.compactMap { $0["name"] as? String } == ["newtag"])
                #expect((edited.json["content"] as? String)?.contains("/tags/newtag") == true)
                #expect(try await api.ids("/api/v1/timelines/tag/newtag") == [id])
                #expect(try await api.ids("/api/v1/timelines/tag/oldtag").isEmpty)
            }
        }
    }

    @Test("accounts that reblogged a status get an update notification", arguments: TestDatabase.available)
    func updateNotifications(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            try await t.client { client in
                let api = SocialAPI(client)
                let id = try await api.status(alice.token, "worth sharing")
                #expect(try await api.post("/api/v1/statuses/\(id)/reblog", bob.token).status == .ok)
                #expect(try await api.post("/api/v1/statuses/\(id)/favourite", carol.token).status == .ok)
                #expect(try await api.edit(alice.token, id, "worth sharing, fixed").status == .ok)

                let response = try await api.get("/api/v1/notifications", bob.token)
                let notes = response.jsonArray
                #expect(notes.compactMap { $0["type"] as? String } == ["update"])
                #expect((notes.first?["account"] as? [String: Any])?["id"] as? String == alice.id)
                let status = notes.first?["status"] as? [String: Any]
                #expect(status?["id"] as? String == id)
                #expect((status?["content"] as? String)?.contains("fixed") == true)
                #expect(try await api.notifications(carol.token).isEmpty)
                #expect(try await api.notifications(alice.token).map(\.type).sorted() == ["favourite", "reblog"])
            }
        }
    }

    @Test("the history of a status the viewer cannot see is 404", arguments: TestDatabase.available)
    func invisibleHistory(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                let id = try await api.status(alice.token, "only followers", visibility: "private")
                #expect(try await api.edit(alice.token, id, "only followers, edited").status == .ok)
                #expect(try await api.history(id, alice.token).count == 2)
                expectError(try await api.get("/api/v1/statuses/\(id)/history", bob.token), .notFound)
                expectError(try await api.get("/api/v1/statuses/\(id)/history"), .notFound)
                expectError(try await api.get("/api/v1/statuses/999999999/history", alice.token), .notFound)
                expectError(try await api.edit(bob.token, id, "mine now"), .notFound)
                #expect(try await api.history(id, alice.token).count == 2)
            }
        }
    }
}
