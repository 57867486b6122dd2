import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@Suite struct PostStatusTests {
    @Test("a form post renders paragraphs, a local mention, a hashtag and a link", arguments: TestDatabase.available)
    func formPostRendersContent(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let bob = try await t.user("bob")
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                let response = try await api.postStatus(
                    alice.token,
                    "Hello @bob, see #Tern at https://example.com/page",
                    visibility: "unlisted",
                    [("language", "en")]
                )
                #expect(response.status == .ok)
                let json = response.json
                let content = try #require(json["content"] as? String)
                #expect(content.hasPrefix("<p>") && content.hasSuffix("</p>"))
                #expect(content.contains("<a href=\"http://tern.test/@bob\" class=\"u-url mention\">"))
                #expect(content.contains("@<span>bob</span>"))
                #expect(
                    content.contains("<a href=\"http://tern.test/tags/tern\" class=\"mention hashtag\" rel=\"tag\">")
                )
                #expect(content.contains("<a href=\"https://example.com/page\""))
                let mentions = try #require(json["mentions"] as? [[String: Any]])
                #expect(mentions.count == 1)
                #expect(mentions.first?["id"] as? String == bob.id)
                #expect(mentions.first?["username"] as? String == "bob")
                #expect(mentions.first?["acct"] as? String == "bob")
                #expect(mentions.first?["url"] as? String == "http://tern.test/@bob")
                let tags = try #require(json["tags"] as? [[String: Any]])
                #expect(tags.count == 1)
                #expect(tags.first?["name"] as? String == "tern")
                #expect(tags.first?["url"] as? String == "http://tern.test/tags/tern")
                #expect(json["visibility"] as? String == "unlisted")
                #expect(json["language"] as? String == "en")
                #expect(json["sensitive"] as? Bool == false)
                #expect(json["spoiler_text"] as? String == "")
                #expect((json["account"] as? [String: Any])?["id"] as? String == alice.id)
            }
        }
    }

    @Test("a JSON post keeps spoiler_text, sensitive and visibility", arguments: TestDatabase.available)
    func jsonPost(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let response = try await client.execute(
                    uri: "/api/v1/statuses",
                    method: .post,
                    headers: .bearer(alice.token, contentType: jsonType),
                    body: try jsonBody([
                        "status": "Behind a warning", "spoiler_text": "cw", "sensitive": true,
                        "visibility": "private", "language": "fr",
                    ])
                )
                #expect(response.status == .ok)
                #expect(response.json["spoiler_text"] as? String == "cw")
                #expect(response.json["sensitive"] as? Bool == true)
                #expect(response.json["visibility"] as? String == "private")
                #expect(response.json["language"] as? String == "fr")
                #expect(response.json["content"] as? String == "<p>Behind a warning</p>")
                let id = try #require(response.json["id"] as? String)
                let again = try await SocialAPI(client).get("/api/v1/statuses/\(id)", alice.token)
                #expect(again.json["spoiler_text"] as? String == "cw")
                #expect(again.json["visibility"] as? String == "private")
            }
        }
    }

    @Test("a spoiler alone makes the status sensitive", arguments: TestDatabase.available)
    func spoilerImpliesSensitive(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let response = try await SocialAPI(client).postStatus(alice.token, "text", [("spoiler_text", "cw")])
                #expect(response.status == .ok)
                #expect(response.json["sensitive"] as? Bool == true)
            }
        }
    }

    @Test("every visibility value is accepted and echoed", arguments: TestDatabase.available)
    func visibilities(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                for visibility in ["public", "unlisted", "private", "direct"] {
                    let response = try await api.postStatus(alice.token, "a \(visibility) post", visibility: visibility)
                    #expect(response.status == .ok)
                    #expect(response.json["visibility"] as? String == visibility)
                }
                let plain = try await api.postStatus(alice.token, "default")
                #expect(plain.json["visibility"] as? String == "public")
                #expect(try await api.accountStatuses(alice.id, alice.token).count == 5)
            }
        }
    }

    /// Posts that must be refused with 422, each leaving nothing behind.
    static let refusals: [(label: String, pairs: [(String, String)], fragment: String)] = [
        ("invalid visibility", [("status", "hi"), ("visibility", "friends")], "Visibility"),
        ("empty text", [("status", "")], "blank"),
        ("blank text", [("status", "  \n ")], "blank"),
        ("501 characters", [("status", String(repeating: "a", count: 501))], "character limit"),
        (
            "text plus spoiler over the limit",
            [("status", String(repeating: "a", count: 490)), ("spoiler_text", "0123456789a")], "character limit"
        ),
        ("media ids", [("status", "with media"), ("media_ids[]", "1")], "Media"),
        ("bad language", [("status", "hi"), ("language", "not a language!")], "Language"),
    ]

    @Test("invalid posts are refused with 422 and store nothing", arguments: TestDatabase.available)
    func refusedPosts(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                for refusal in Self.refusals {
                    let response = try await api.post("/api/v1/statuses", alice.token, refusal.pairs)
                    #expect(response.status == .unprocessableContent, "\(refusal.label): \(response.text)")
                    expectError(response, .unprocessableContent, refusal.fragment)
                }
                #expect(try await api.accountStatuses(alice.id, alice.token).isEmpty)
                #expect(try await api.account(alice.id)["statuses_count"] as? Int == 0)
                #expect(try await api.home(alice.token).isEmpty)
            }
        }
    }

    @Test("500 characters with a long URL counted as 23 are accepted", arguments: TestDatabase.available)
    func characterLimitCountsURLs(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let url = "https://example.com/" + String(repeating: "x", count: 200)
                let exact = String(repeating: "a", count: 476) + " " + url
                let response = try await SocialAPI(client).postStatus(alice.token, exact)
                #expect(response.status == .ok, "\(response.text)")
                let over = String(repeating: "a", count: 477) + " " + url
                expectError(try await SocialAPI(client).postStatus(alice.token, over), .unprocessableContent)
                #expect(try await SocialAPI(client).accountStatuses(alice.id, alice.token).count == 1)
            }
        }
    }

    @Test("a reply to an unknown or invisible status is 404 and stores nothing", arguments: TestDatabase.available)
    func replyToMissing(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let bob = try await t.user("bob")
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                let secret = try await api.status(bob.token, "for followers", visibility: "private")
                for target in ["999999999", "nope", secret] {
                    let response = try await api.postStatus(alice.token, "reply", [("in_reply_to_id", target)])
                    expectError(response, .notFound)
                }
                #expect(try await api.accountStatuses(alice.id, alice.token).isEmpty)
                let parent = try await api.status(bob.token, "public parent")
                let reply = try await api.postStatus(alice.token, "a reply", [("in_reply_to_id", parent)])
                #expect(reply.status == .ok)
                #expect(reply.json["in_reply_to_id"] as? String == parent)
                #expect(reply.json["in_reply_to_account_id"] as? String == bob.id)
                let reread = try await api.get("/api/v1/statuses/\(parent)")
                #expect(reread.json["replies_count"] as? Int == 1)
            }
        }
    }

    @Test("the same Idempotency-Key twice gives the same status once", arguments: TestDatabase.available)
    func idempotency(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                var headers = HTTPFields.bearer(alice.token, contentType: formType)
                headers[HTTPFields.Element.Name("Idempotency-Key")!] = "key-1"
                var ids: [String] = []
                for _ in 0..<2 {
                    let response = try await client.execute(
                        uri: "/api/v1/statuses",
                        method: .post,
                        headers: headers,
                        body: formBody([("status", "only once")])
                    )
                    #expect(response.status == .ok)
                    ids.append(response.json["id"] as? String ?? "")
                }
                #expect(ids[0] == ids[1])
                #expect(!ids[0].isEmpty)
                let api = SocialAPI(client)
                #expect(try await api.accountStatuses(alice.id, alice.token) == [ids[0]])
                let other = try await api.status(alice.token, "only once")
                #expect(other != ids[0])
            }
        }
    }

    @Test("posting needs a user token with write scope", arguments: TestDatabase.available)
    func authorization(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let reader = try await t.user("reader", scopes: "read")
            try await t.client { client in
                let api = SocialAPI(client)
                expectError(try await api.postStatus(nil, "anonymous"), .unauthorized)
                expectError(try await api.postStatus("not-a-token", "bad token"), .unauthorized)
                expectError(try await api.postStatus(reader.token, "read only"), .forbidden)
                let appToken = try await t.appToken(client)
                expectError(try await api.postStatus(appToken, "app only"), .unprocessableContent)
                #expect(try await api.accountStatuses(reader.id, reader.token).isEmpty)
                #expect(try await api.ids("/api/v1/timelines/public").isEmpty)
            }
        }
    }

    @Test("a status has every documented field, null where empty", arguments: TestDatabase.available)
    func entityShape(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let response = try await SocialAPI(client).postStatus(alice.token, "shape")
                #expect(response.status == .ok)
                let json = response.json
                let keys = [
                    "id", "uri", "url", "created_at", "edited_at", "account", "content", "visibility", "sensitive",
                    "spoiler_text", "media_attachments", "application", "mentions", "tags", "emojis",
                    "reblogs_count", "favourites_count", "replies_count", "in_reply_to_id", "in_reply_to_account_id",
                    "reblog", "poll", "card", "language", "favourited", "reblogged", "muted", "bookmarked", "pinned",
                ]
                for key in keys { #expect(json.keys.contains(key), "missing \(key)") }
                for key in ["in_reply_to_id", "in_reply_to_account_id", "reblog", "poll", "card", "edited_at"] {
                    #expect(json[key] is NSNull, "\(key) should be null")
                }
                #expect(json["application"] is NSNull || json["application"] is [String: Any])
                let id = try #require(json["id"] as? String)
                #expect(Int64(id) != nil)
                #expect((json["account"] as? [String: Any])?["id"] is String)
                #expect(json["uri"] as? String == "http://tern.test/users/alice/statuses/\(id)")
                #expect(json["url"] as? String == "http://tern.test/@alice/\(id)")
                let created = try #require(json["created_at"] as? String)
                #expect(created.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil, "\(created)")
                for key in ["media_attachments", "mentions", "tags", "emojis"] {
                    #expect((json[key] as? [Any])?.isEmpty == true, "\(key)")
                }
                for key in ["reblogs_count", "favourites_count", "replies_count"] { #expect(json[key] as? Int == 0) }
                for key in ["favourited", "reblogged", "muted", "bookmarked", "pinned"] {
                    #expect(json[key] as? Bool == false, "\(key)")
                }
                #expect(json["text"] == nil)
            }
        }
    }
}

@Suite struct ReadStatusTests {
    @Test(
        "a public status is readable anonymously; unknown and non-numeric ids are 404",
        arguments: TestDatabase.available
    )
    func show(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                let id = try await api.status(alice.token, "hello")
                let response = try await api.get("/api/v1/statuses/\(id)")
                #expect(response.status == .ok)
                #expect(response.json["id"] as? String == id)
                #expect(response.json["content"] as? String == "<p>hello</p>")
                #expect(response.json["favourited"] == nil)
                expectError(try await api.get("/api/v1/statuses/123456789"), .notFound)
                expectError(try await api.get("/api/v1/statuses/abc"), .notFound)
            }
        }
    }

    @Test("GET /api/v1/statuses returns the visible ones of id[]", arguments: TestDatabase.available)
    func many(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                let a = try await api.status(alice.token, "a")
                let b = try await api.status(alice.token, "b")
                let hidden = try await api.status(alice.token, "c", visibility: "private")
                let ids = try await api.ids("/api/v1/statuses?id[]=\(a)&id[]=\(b)&id[]=\(hidden)&id[]=42")
                #expect(ids == [a, b])
                #expect(try await api.ids("/api/v1/statuses?id[]=\(b)&id[]=\(hidden)", alice.token) == [b, hidden])
            }
        }
    }

    @Test("deleting your own status returns its text; then it is gone", arguments: TestDatabase.available)
    func deleteOwn(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                let id = try await api.status(alice.token, "to be *deleted*")
                let response = try await api.delete("/api/v1/statuses/\(id)", alice.token)
                #expect(response.status == .ok)
                #expect(response.json["id"] as? String == id)
                #expect(response.json["text"] as? String == "to be *deleted*")
                expectError(try await api.get("/api/v1/statuses/\(id)", alice.token), .notFound)
                #expect(try await api.accountStatuses(alice.id, alice.token).isEmpty)
                #expect(try await api.home(alice.token).isEmpty)
                #expect(try await api.account(alice.id)["statuses_count"] as? Int == 0)
            }
        }
    }

    @Test("deleting someone else's status is 404 and it stays", arguments: TestDatabase.available)
    func deleteOthers(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                let id = try await api.status(alice.token, "mine")
                expectError(try await api.delete("/api/v1/statuses/\(id)", bob.token), .notFound)
                expectError(try await api.delete("/api/v1/statuses/\(id)", nil), .unauthorized)
                #expect(try await api.get("/api/v1/statuses/\(id)").status == .ok)
                #expect(try await api.accountStatuses(alice.id, nil) == [id])
            }
        }
    }

    @Test("context lists ancestors oldest first and descendants", arguments: TestDatabase.available)
    func context(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                let root = try await api.status(alice.token, "root")
                let first = try await api.status(bob.token, "first", [("in_reply_to_id", root)])
                let second = try await api.status(alice.token, "second", [("in_reply_to_id", first)])
                let sibling = try await api.status(bob.token, "sibling", [("in_reply_to_id", root)])

                let middle = try await api.get("/api/v1/statuses/\(first)/context")
                #expect(middle.status == .ok)
                let ancestors = (middle.json["ancestors"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
                let descendants = (middle.json["descendants"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
                #expect(ancestors == [root])
                #expect(descendants == [second])

                let leaf = try await api.get("/api/v1/statuses/\(second)/context", bob.token)
                let chain = (leaf.json["ancestors"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
                #expect(chain == [root, first])
                #expect((leaf.json["descendants"] as? [Any])?.isEmpty == true)

                let top = try await api.get("/api/v1/statuses/\(root)/context")
                let below = Set((top.json["descendants"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? [])
                #expect(below == [first, second, sibling])
                #expect((top.json["ancestors"] as? [Any])?.isEmpty == true)
                expectError(try await api.get("/api/v1/statuses/987654321/context"), .notFound)
            }
        }
    }

    @Test("source is only for the author", arguments: TestDatabase.available)
    func source(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                let id = try await api.status(alice.token, "raw #text", [("spoiler_text", "warning")])
                let response = try await api.get("/api/v1/statuses/\(id)/source", alice.token)
                #expect(response.status == .ok)
                #expect(response.json["id"] as? String == id)
                #expect(response.json["text"] as? String == "raw #text")
                #expect(response.json["spoiler_text"] as? String == "warning")
                expectError(try await api.get("/api/v1/statuses/\(id)/source", bob.token), .notFound)
                expectError(try await api.get("/api/v1/statuses/\(id)/source"), .unauthorized)
            }
        }
    }
}

@Suite struct InteractionTests {
    @Test("favourite and unfavourite are idempotent and notify the author once", arguments: TestDatabase.available)
    func favourite(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                let id = try await api.status(alice.token, "like me")
                for _ in 0..<2 {
                    let response = try await api.post("/api/v1/statuses/\(id)/favourite", bob.token)
                    #expect(response.status == .ok)
                    #expect(response.json["favourites_count"] as? Int == 1)
                    #expect(response.json["favourited"] as? Bool == true)
                }
                let seen = try await api.get("/api/v1/statuses/\(id)", alice.token)
                #expect(seen.json["favourites_count"] as? Int == 1)
                #expect(seen.json["favourited"] as? Bool == false)
                let notes = try await api.notifications(alice.token)
                #expect(notes.map(\.type) == ["favourite"])
                #expect(notes.first?.from == bob.id)
                #expect(try await api.ids("/api/v1/favourites", bob.token) == [id])
                let by = try await api.ids("/api/v1/statuses/\(id)/favourited_by")
                #expect(by == [bob.id])

                for _ in 0..<2 {
                    let response = try await api.post("/api/v1/statuses/\(id)/unfavourite", bob.token)
                    #expect(response.status == .ok)
                    #expect(response.json["favourites_count"] as? Int == 0)
                    #expect(response.json["favourited"] as? Bool == false)
                }
                #expect(try await api.notifications(alice.token).isEmpty)
                #expect(try await api.ids("/api/v1/favourites", bob.token).isEmpty)
                #expect(try await api.ids("/api/v1/statuses/\(id)/favourited_by").isEmpty)
            }
        }
    }

    @Test("favouriting your own status sends no notification", arguments: TestDatabase.available)
    func favouriteOwn(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                let id = try await api.status(alice.token, "self love")
                let response = try await api.post("/api/v1/statuses/\(id)/favourite", alice.token)
                #expect(response.json["favourites_count"] as? Int == 1)
                #expect(try await api.notifications(alice.token).isEmpty)
            }
        }
    }

    @Test("reblog returns a wrapper, is idempotent, and unreblog undoes it", arguments: TestDatabase.available)
    func reblog(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.follow(carol.token, bob.id)
                let id = try await api.status(alice.token, "boost me")
                let first = try await api.post("/api/v1/statuses/\(id)/reblog", bob.token)
                #expect(first.status == .ok)
                let wrapper = try #require(first.json["id"] as? String)
                #expect(wrapper != id)
                let inner = try #require(first.json["reblog"] as? [String: Any])
                #expect(inner["id"] as? String == id)
                #expect(inner["reblogs_count"] as? Int == 1)
                #expect(inner["reblogged"] as? Bool == true)
                #expect(first.json["reblogged"] as? Bool == true)
                #expect((first.json["account"] as? [String: Any])?["id"] as? String == bob.id)
                let second = try await api.post("/api/v1/statuses/\(id)/reblog", bob.token)
                #expect(second.json["id"] as? String == wrapper)
                #expect((second.json["reblog"] as? [String: Any])?["reblogs_count"] as? Int == 1)
                #expect(try await api.ids("/api/v1/statuses/\(id)/reblogged_by") == [bob.id])
                #expect(try await api.home(carol.token) == [wrapper])
                #expect(try await api.notifications(alice.token).map(\.type) == ["reblog"])

                let undone = try await api.post("/api/v1/statuses/\(id)/unreblog", bob.token)
                #expect(undone.status == .ok)
                #expect(undone.json["id"] as? String == id)
                #expect(undone.json["reblogged"] as? Bool == false)
                #expect(undone.json["reblogs_count"] as? Int == 0)
                let again = try await api.post("/api/v1/statuses/\(id)/unreblog", bob.token)
                #expect(again.status == .ok)
                expectError(try await api.get("/api/v1/statuses/\(wrapper)"), .notFound)
                #expect(try await api.ids("/api/v1/statuses/\(id)/reblogged_by").isEmpty)
                #expect(try await api.home(carol.token).isEmpty)
                #expect(try await api.notifications(alice.token).isEmpty)
            }
        }
    }

    @Test("a private status can be reblogged by its author only", arguments: TestDatabase.available)
    func reblogPrivate(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.follow(bob.token, alice.id)
                let id = try await api.status(alice.token, "followers only", visibility: "private")
                let refused = try await api.post("/api/v1/statuses/\(id)/reblog", bob.token)
                #expect(refused.status == .forbidden || refused.status == .notFound)
                expectError(refused, refused.status)
                #expect(try await api.ids("/api/v1/statuses/\(id)/reblogged_by", bob.token).isEmpty)
                #expect(try await api.accountStatuses(bob.id, bob.token).isEmpty)

                let own = try await api.post("/api/v1/statuses/\(id)/reblog", alice.token)
                #expect(own.status == .ok)
                #expect(own.json["visibility"] as? String == "private")
                #expect((own.json["reblog"] as? [String: Any])?["id"] as? String == id)
                let direct = try await api.status(alice.token, "@bob psst", visibility: "direct")
                expectError(try await api.post("/api/v1/statuses/\(direct)/reblog", bob.token), .forbidden)
            }
        }
    }

    @Test("bookmarks are private to the viewer and listed newest first", arguments: TestDatabase.available)
    func bookmarks(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                let a = try await api.status(alice.token, "a")
                let b = try await api.status(alice.token, "b")
                for id in [b, a, a] {
                    let response = try await api.post("/api/v1/statuses/\(id)/bookmark", bob.token)
                    #expect(response.status == .ok)
                    #expect(response.json["bookmarked"] as? Bool == true)
                }
                #expect(try await api.ids("/api/v1/bookmarks", bob.token) == [a, b])
                #expect(try await api.ids("/api/v1/bookmarks", alice.token).isEmpty)
                #expect(try await api.get("/api/v1/statuses/\(a)", alice.token).json["bookmarked"] as? Bool == false)
                let removed = try await api.post("/api/v1/statuses/\(a)/unbookmark", bob.token)
                #expect(removed.json["bookmarked"] as? Bool == false)
                #expect(try await api.ids("/api/v1/bookmarks", bob.token) == [b])
                expectError(try await api.get("/api/v1/bookmarks"), .unauthorized)
                #expect(try await api.notifications(alice.token).isEmpty)
            }
        }
    }

    @Test("favourites list is the viewer's, newest favourite first", arguments: TestDatabase.available)
    func favourites(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                let a = try await api.status(alice.token, "a")
                let b = try await api.status(alice.token, "b")
                _ = try await api.post("/api/v1/statuses/\(b)/favourite", bob.token)
                _ = try await api.post("/api/v1/statuses/\(a)/favourite", bob.token)
                #expect(try await api.ids("/api/v1/favourites", bob.token) == [a, b])
                #expect(try await api.ids("/api/v1/favourites", alice.token).isEmpty)
                expectError(try await api.get("/api/v1/favourites"), .unauthorized)
                let by = try await api.ids("/api/v1/statuses/\(a)/favourited_by", alice.token)
                #expect(by == [bob.id])
            }
        }
    }
}
