import Core
import Federation
import Foundation
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing

/// Documents shaped like those Mastodon, GoToSocial, Pleroma/Akkoma and Misskey publish and send, written
/// from their documented shapes: each is parsed, then processed, and the result read through the API.
@Suite struct FixtureTests {
    // MARK: Parsing

    @Test("the actor document parses", arguments: Fixture.all)
    func actorParses(fixture: Fixture) throws {
        let document = try JSON.parse(Data(fixture.actorDocument().utf8))
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let remote = try #require(
            RemoteActor.parse(document, fetchedFrom: fixture.host, id: Account.ID(1), now: now)
        )
        let expected = fixture.actor
        #expect(remote.account.username == expected.username)
        #expect(remote.account.domain == fixture.host)
        #expect(remote.account.uri == fixture.actorURI)
        #expect(remote.account.displayName == expected.displayName)
        #expect(remote.account.endpoints.inbox == expected.inbox)
        #expect(remote.account.endpoints.sharedInbox == expected.sharedInbox)
        #expect(remote.account.endpoints.followers == "\(fixture.actorURI)/followers")
        #expect(remote.account.endpoints.featured == expected.featured)
        #expect(remote.account.locked == expected.locked)
        #expect(remote.account.discoverable == expected.discoverable)
        #expect(remote.account.bot == false)
        #expect(remote.account.url == expected.profileURL)
        #expect(remote.keyID == expected.keyID)
        #expect(remote.publicKeyPEM == SignatureTestKeys.publicSPKI)
        #expect(remote.account.fields.map(\.name) == expected.fields.map(\.name))
        for (field, value) in zip(remote.account.fields, expected.fields) {
            #expect(field.value.contains(value.valueIncludes), "\(field.value)")
        }
        #expect(remote.account.note.contains(expected.noteIncludes), "\(remote.account.note)")
        #expect(!remote.account.note.contains("<script"))
        #expect(remote.account.avatarRemoteURL?.hasPrefix("https://") == true)
        #expect(remote.account.createdAt == (expected.published ?? now))
    }

    @Test("the Create's note parses", arguments: Fixture.all)
    func noteParses(fixture: Fixture) throws {
        let reply = "http://tern.test/users/alice/statuses/123"
        let activity = try JSON.parse(Data(fixture.createActivity(reply: reply).utf8))
        #expect(activity.type == "Create")
        #expect(activity["actor"]?.id == fixture.actorURI)
        let object = try #require(activity["object"])
        let note = try #require(RemoteNote.parse(object))
        let expected = fixture.note
        #expect(note.uri == expected.uri)
        #expect(note.url == expected.url)
        #expect(note.attributedTo == fixture.actorURI)
        #expect(note.mentions == ["http://tern.test/users/alice"])
        #expect(note.hashtags == expected.hashtags)
        #expect(note.inReplyTo == (expected.isReply ? reply : nil))
        #expect(note.language == expected.language)
        #expect(note.spoilerText.isEmpty)
        #expect(note.sensitive == false)
        for fragment in expected.contentIncludes {
            #expect(note.content.contains(fragment), "\(fragment) not in \(note.content)")
        }
        for fragment in ["<script", "_misskey", "<img", "data-user", "ugc"] {
            #expect(!note.content.contains(fragment), "\(fragment) in \(note.content)")
        }
        let published = try #require(note.published)
        #expect(abs(published.timeIntervalSince(expected.published)) < 0.001, "\(published)")
        let visibility = Audience.visibility(to: note.to, cc: note.cc, followers: "\(fixture.actorURI)/followers")
        #expect(visibility == expected.visibility)
    }

    // MARK: Processing

    /// An app on a test clock with alice, one post of hers, the fixture's actor stored, and a client.
    struct Harness {
        let t: TestApp
        let api: SocialAPI
        let alice: (id: String, token: String)
        /// Alice's post the fixtures reply to: its id and URI.
        let parent: (id: String, uri: String)
        /// The fixture's actor as the API knows it.
        let remoteID: String
        let fixture: Fixture

        func process(_ activity: String) async throws {
            try await self.t.processor.inbox.process(InboxItem(activity: activity, signer: self.fixture.actorURI))
        }

        /// The remote actor's statuses as alice sees them.
        func remoteStatuses() async throws -> [[String: Any]] {
            let response = try await self.api.get("/api/v1/accounts/\(self.remoteID)/statuses", self.alice.token)
            guard response.status == .ok else { throw TestFailure("statuses answered \(response.status)") }
            return response.jsonArray
        }
    }

    static func run(_ db: TestDatabase, _ fixture: Fixture, _ body: @Sendable (Harness) async throws -> Void)
        async throws
    {
        try await TestApp.run(db, clock: TestClock().clock) { t in
            let alice = try await t.user("alice")
            let document = try JSON.parse(Data(fixture.actorDocument().utf8))
            try await t.processor.context.federation.resolver.store(document, from: fixture.actorURI)
            try await t.client { client in
                let api = SocialAPI(client)
                let posted = try await api.postStatus(alice.token, "a post to reply to")
                guard let id = posted.json["id"] as? String, let uri = posted.json["uri"] as? String else {
                    throw TestFailure("posting answered \(posted.status)")
                }
                let remoteID = try await api.lookup(fixture.acct, alice.token)
                try await body(
                    Harness(t: t, api: api, alice: alice, parent: (id, uri), remoteID: remoteID, fixture: fixture)
                )
            }
        }
    }

    @Test(
        "the actor is stored with its profile",
        arguments: TestDatabase.available.flatMap { db in Fixture.all.map { (db, $0) } }
    )
    func actorStored(db: TestDatabase, fixture: Fixture) async throws {
        try await Self.run(db, fixture) { h in
            let account = try await h.api.account(h.remoteID)
            #expect(account["username"] as? String == fixture.actor.username)
            #expect(account["acct"] as? String == fixture.acct)
            #expect(account["display_name"] as? String == fixture.actor.displayName)
            #expect(account["locked"] as? Bool == fixture.actor.locked)
            #expect(account["bot"] as? Bool == false)
            let fields = account["fields"] as? [[String: Any]] ?? []
            #expect(fields.compactMap { $0["name"] as? String } == fixture.actor.fields.map(\.name))
            // The remote avatar is shown from its server (not the default picture).
            let avatar = try #require(account["avatar"] as? String)
            #expect(avatar.hasPrefix("https://") && avatar.contains(fixture.host), "\(avatar)")
        }
    }

    @Test(
        "the Create is stored: content, mentions, tags, reply and visibility",
        arguments: TestDatabase.available.flatMap { db in Fixture.all.map { (db, $0) } }
    )
    func createStored(db: TestDatabase, fixture: Fixture) async throws {
        try await Self.run(db, fixture) { h in
            try await h.process(fixture.createActivity(reply: h.parent.uri))
            let statuses = try await h.remoteStatuses()
            #expect(statuses.count == 1)
            let status = try #require(statuses.first)
            let expected = fixture.note
            #expect(status["uri"] as? String == expected.uri)
            #expect(status["url"] as? String == expected.url ?? expected.uri)
            #expect(status["visibility"] as? String == expected.visibility.rawValue)
            let content = try #require(status["content"] as? String)
            for fragment in expected.contentIncludes {
                #expect(content.contains(fragment), "\(fragment) not in \(content)")
            }
            let mentions = status["mentions"] as? [[String: Any]] ?? []
            #expect(mentions.compactMap { $0["acct"] as? String } == ["alice"])
            #expect(mentions.compactMap { $0["id"] as? String } == [h.alice.id])
            let tags = status["tags"] as? [[String: Any]] ?? []
            #expect(tags.compactMap { $0["name"] as? String } == expected.hashtags)
            #expect((status["in_reply_to_id"] as? String) == (expected.isReply ? h.parent.id : nil))
            // Attachments are shown from their own server: one per Document/Image with a URL, in order.
            let activity = try JSONSerialization.jsonObject(
                with: Data(fixture.createActivity(reply: h.parent.uri).utf8)
            )
            let note = (activity as? [String: Any])?["object"] as? [String: Any]
            let documents = (note?["attachment"] as? [[String: Any]] ?? []).filter {
                ["Document", "Image"].contains($0["type"] as? String ?? "")
            }
            let expectedURLs = documents.compactMap { document -> String? in
                if let url = document["url"] as? String { return url }
                return ((document["url"] as? [[String: Any]])?.first)?["href"] as? String
            }
            let media = try #require(status["media_attachments"] as? [[String: Any]])
            #expect(media.compactMap { $0["remote_url"] as? String } == expectedURLs)
            #expect(media.compactMap { $0["url"] as? String } == expectedURLs)
            #expect((status["emojis"] as? [Any])?.isEmpty == true)
            #expect((status["created_at"] as? String)?.hasPrefix(expected.publishedPrefix) == true)
            // Alice was mentioned: she is told.
            let notifications = try await h.api.notifications(h.alice.token)
            #expect(notifications.map(\.type) == ["mention"])
            #expect(notifications.map(\.from) == [h.remoteID])
            // A repeated delivery stores nothing more.
            try await h.process(fixture.createActivity(reply: h.parent.uri))
            #expect(try await h.remoteStatuses().count == 1)
            #expect(try await h.api.notifications(h.alice.token).count == 1)
        }
    }

    @Test(
        "an Update edits the note and a Delete removes it",
        arguments: TestDatabase.available.flatMap { db in Fixture.all.map { (db, $0) } }
    )
    func updateAndDelete(db: TestDatabase, fixture: Fixture) async throws {
        try await Self.run(db, fixture) { h in
            try await h.process(fixture.createActivity(reply: h.parent.uri))
            let id = try #require(try await h.remoteStatuses().first?["id"] as? String)
            if let update = fixture.updateNote {
                try await h.process(update.replacingOccurrences(of: "{{REPLY}}", with: h.parent.uri))
                let edited = try await h.api.statusJSON(id, h.alice.token)
                #expect((edited["content"] as? String)?.contains("(edited)") == true, "\(edited["content"] ?? "")")
                #expect(edited["edited_at"] is String)
                let history = try await h.api.get("/api/v1/statuses/\(id)/history", h.alice.token)
                #expect(history.jsonArray.count == 2)
            }
            try await h.process(fixture.delete)
            #expect(try await h.api.get("/api/v1/statuses/\(id)", h.alice.token).status == .notFound)
            #expect(try await h.remoteStatuses().isEmpty)
        }
    }

    @Test(
        "Follow, Undo and Accept shapes change the relationship",
        arguments: TestDatabase.available.flatMap { db in Fixture.all.map { (db, $0) } }
    )
    func relationship(db: TestDatabase, fixture: Fixture) async throws {
        try await Self.run(db, fixture) { h in
            try await h.process(fixture.follow)
            var relationship = try await h.api.relationship(h.remoteID, h.alice.token)
            #expect(relationship["followed_by"] as? Bool == true)
            try await h.process(fixture.undoFollow)
            relationship = try await h.api.relationship(h.remoteID, h.alice.token)
            #expect(relationship["followed_by"] as? Bool == false)
            #expect(try await h.api.ids("/api/v1/accounts/\(h.alice.id)/followers", h.alice.token).isEmpty)

            // Alice follows the remote actor: pending until its Accept (which names her Follow by its id).
            let follow = try await h.api.post("/api/v1/accounts/\(h.remoteID)/follow", h.alice.token)
            #expect(follow.json["requested"] as? Bool == true)
            let aliceID = try #require(Account.ID(h.alice.id))
            let remoteID = try #require(Account.ID(h.remoteID))
            let followURI = try #require(try await h.t.db.read { try await $0.followURI(from: aliceID, to: remoteID) })
            try await h.process(fixture.accept.replacingOccurrences(of: "{{FOLLOW}}", with: followURI))
            relationship = try await h.api.relationship(h.remoteID, h.alice.token)
            #expect(relationship["following"] as? Bool == true)
            #expect(relationship["requested"] as? Bool == false)
        }
    }

    @Test(
        "an Update of the actor changes its profile",
        arguments: TestDatabase.available.flatMap { db in Fixture.all.map { (db, $0) } }
    )
    func profileUpdate(db: TestDatabase, fixture: Fixture) async throws {
        try await Self.run(db, fixture) { h in
            guard case .object(var document) = try JSON.parse(Data(fixture.actorDocument().utf8)) else {
                throw TestFailure("the actor is not an object")
            }
            document["name"] = "Renamed"
            document["@context"] = nil
            let update: JSON = [
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": .string(fixture.updatePersonID), "type": "Update", "actor": .string(fixture.actorURI),
                "to": [.string(ActivityStreams.publicCollection)], "object": .object(document),
            ]
            try await h.process(update.serialized())
            #expect(try await h.api.account(h.remoteID)["display_name"] as? String == "Renamed")
        }
    }

    @Test("Misskey's extensions are ignored: the note's HTML content is what is shown")
    func misskeyExtensions() throws {
        let activity = try JSON.parse(Data(Fixture.misskey.createActivity(reply: "").utf8))
        let object = try #require(activity["object"])
        #expect(object["_misskey_content"]?.string != nil)
        #expect(object["quoteUrl"]?.string != nil)
        #expect(object["source"]?["mediaType"]?.string == "text/x.misskeymarkdown")
        let note = try #require(RemoteNote.parse(object))
        #expect(note.content.contains("<a href=\"http://tern.test/@alice\""))
        #expect(note.content != object["_misskey_content"]?.string)
        let actor = try JSON.parse(Data(Fixture.misskey.actorDocument().utf8))
        #expect(actor["isCat"]?.bool == true)
        #expect(actor["publicKey"]?.object != nil)
    }
}

// MARK: - Fixtures

/// One implementation's documents and what reading them must give.
struct Fixture: Sendable, CustomTestStringConvertible {
    struct Field: Sendable {
        let name: String
        let valueIncludes: String
    }

    struct ExpectedActor: Sendable {
        let username: String
        let displayName: String
        let inbox: String
        let sharedInbox: String?
        let keyID: String
        let locked: Bool
        let discoverable: Bool
        let featured: String?
        let profileURL: String
        let fields: [Field]
        let noteIncludes: String
        let published: Date?
    }

    struct ExpectedNote: Sendable {
        let uri: String
        let url: String?
        let contentIncludes: [String]
        let hashtags: [String]
        let isReply: Bool
        let visibility: Visibility
        let language: String?
        let published: Date
        /// How the API's `created_at` starts (to the second).
        let publishedPrefix: String
    }

    let name: String
    let host: String
    let actorURI: String
    let acct: String
    let actorTemplate: String
    let createTemplate: String
    let follow: String
    let undoFollow: String
    let accept: String
    let delete: String
    let updateNote: String?
    let updatePersonID: String
    let actor: ExpectedActor
    let note: ExpectedNote

    var testDescription: String { self.name }

    /// The actor document, with the test key.
    func actorDocument() -> String {
        self.actorTemplate.replacingOccurrences(of: "{{PEM}}", with: Self.pemJSON)
    }

    /// The Create, replying (where the fixture replies) to `reply`.
    func createActivity(reply: String) -> String {
        self.createTemplate.replacingOccurrences(of: "{{REPLY}}", with: reply)
    }

    /// The test key's PEM, escaped for a JSON string.
    static let pemJSON = SignatureTestKeys.publicSPKI.replacingOccurrences(of: "\n", with: "\\n")

    static let all: [Fixture] = [mastodon, gotosocial, pleroma, misskey]

    static func date(_ text: String) -> Date {
        ActorDocument.parseTimestamp(text) ?? .distantPast
    }
}

// MARK: Mastodon

extension Fixture {
    static let mastodon = Fixture(
        name: "Mastodon",
        host: "mastodon.example",
        actorURI: "https://mastodon.example/users/bob",
        acct: "bob@mastodon.example",
        actorTemplate: #"""
            {
              "@context": [
                "https://www.w3.org/ns/activitystreams",
                "https://w3id.org/security/v1",
                {
                  "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
                  "toot": "http://joinmastodon.org/ns#",
                  "featured": {"@id": "toot:featured", "@type": "@id"},
                  "featuredTags": {"@id": "toot:featuredTags", "@type": "@id"},
                  "alsoKnownAs": {"@id": "as:alsoKnownAs", "@type": "@id"},
                  "movedTo": {"@id": "as:movedTo", "@type": "@id"},
                  "schema": "http://schema.org#",
                  "PropertyValue": "schema:PropertyValue",
                  "value": "schema:value",
                  "discoverable": "toot:discoverable",
                  "suspended": "toot:suspended",
                  "memorial": "toot:memorial",
                  "indexable": "toot:indexable",
                  "attributionDomains": {"@id": "toot:attributionDomains", "@type": "@id"},
                  "focalPoint": {"@container": "@list", "@id": "toot:focalPoint"}
                }
              ],
              "id": "https://mastodon.example/users/bob",
              "type": "Person",
              "following": "https://mastodon.example/users/bob/following",
              "followers": "https://mastodon.example/users/bob/followers",
              "inbox": "https://mastodon.example/users/bob/inbox",
              "outbox": "https://mastodon.example/users/bob/outbox",
              "featured": "https://mastodon.example/users/bob/collections/featured",
              "featuredTags": "https://mastodon.example/users/bob/collections/tags",
              "preferredUsername": "bob",
              "name": "Bob Example",
              "summary": "<p>Posting about <a href=\"https://mastodon.example/tags/swift\" class=\"mention hashtag\" rel=\"tag\">#<span>swift</span></a><script>alert(1)</script></p>",
              "url": "https://mastodon.example/@bob",
              "manuallyApprovesFollowers": false,
              "discoverable": true,
              "indexable": true,
              "published": "2023-04-01T00:00:00Z",
              "memorial": false,
              "devices": "https://mastodon.example/users/bob/collections/devices",
              "publicKey": {
                "id": "https://mastodon.example/users/bob#main-key",
                "owner": "https://mastodon.example/users/bob",
                "publicKeyPem": "{{PEM}}"
              },
              "tag": [],
              "attachment": [
                {
                  "type": "PropertyValue",
                  "name": "Website",
                  "value": "<a href=\"https://bob.example\" target=\"_blank\" rel=\"nofollow noopener me\" translate=\"no\"><span class=\"invisible\">https://</span><span class=\"\">bob.example</span><span class=\"invisible\"></span></a>"
                },
                {"type": "PropertyValue", "name": "Pronouns", "value": "he/him"}
              ],
              "endpoints": {"sharedInbox": "https://mastodon.example/inbox"},
              "icon": {
                "type": "Image",
                "mediaType": "image/png",
                "url": "https://files.mastodon.example/accounts/avatars/000/000/001/original/avatar.png"
              },
              "image": {
                "type": "Image",
                "mediaType": "image/png",
                "url": "https://files.mastodon.example/accounts/headers/000/000/001/original/header.png"
              }
            }
            """#,
        createTemplate: #"""
            {
              "@context": [
                "https://www.w3.org/ns/activitystreams",
                {
                  "ostatus": "http://ostatus.org#",
                  "atomUri": "ostatus:atomUri",
                  "inReplyToAtomUri": "ostatus:inReplyToAtomUri",
                  "conversation": "ostatus:conversation",
                  "sensitive": "as:sensitive",
                  "toot": "http://joinmastodon.org/ns#",
                  "votersCount": "toot:votersCount",
                  "blurhash": "toot:blurhash",
                  "focalPoint": {"@container": "@list", "@id": "toot:focalPoint"},
                  "Hashtag": "as:Hashtag",
                  "Emoji": "toot:Emoji"
                }
              ],
              "id": "https://mastodon.example/users/bob/statuses/112233445566778899/activity",
              "type": "Create",
              "actor": "https://mastodon.example/users/bob",
              "published": "2026-09-20T08:30:00Z",
              "to": ["https://www.w3.org/ns/activitystreams#Public"],
              "cc": ["https://mastodon.example/users/bob/followers", "http://tern.test/users/alice"],
              "object": {
                "id": "https://mastodon.example/users/bob/statuses/112233445566778899",
                "type": "Note",
                "summary": null,
                "inReplyTo": "{{REPLY}}",
                "published": "2026-09-20T08:30:00Z",
                "url": "https://mastodon.example/@bob/112233445566778899",
                "attributedTo": "https://mastodon.example/users/bob",
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
                "cc": ["https://mastodon.example/users/bob/followers", "http://tern.test/users/alice"],
                "sensitive": false,
                "atomUri": "https://mastodon.example/users/bob/statuses/112233445566778899",
                "inReplyToAtomUri": "{{REPLY}}",
                "conversation": "tag:mastodon.example,2026-09-20:objectId=4242:objectType=Conversation",
                "content": "<p><span class=\"h-card\" translate=\"no\"><a href=\"http://tern.test/@alice\" class=\"u-url mention\">@<span>alice</span></a></span> Nice post! <a href=\"https://mastodon.example/tags/Swift\" class=\"mention hashtag\" rel=\"tag\">#<span>Swift</span></a> :blobcat:</p>",
                "contentMap": {
                  "en": "<p><span class=\"h-card\" translate=\"no\"><a href=\"http://tern.test/@alice\" class=\"u-url mention\">@<span>alice</span></a></span> Nice post! <a href=\"https://mastodon.example/tags/Swift\" class=\"mention hashtag\" rel=\"tag\">#<span>Swift</span></a> :blobcat:</p>"
                },
                "attachment": [
                  {
                    "type": "Document",
                    "mediaType": "image/png",
                    "url": "https://files.mastodon.example/media_attachments/files/000/000/001/original/photo.png",
                    "name": "A cat asleep on a keyboard",
                    "blurhash": "UBL_:rOpGG-oBUNG,qRj2so|=eE1w^n4S5NH",
                    "focalPoint": [0.0, -0.25],
                    "width": 640,
                    "height": 480
                  }
                ],
                "tag": [
                  {"type": "Mention", "href": "http://tern.test/users/alice", "name": "@alice@tern.test"},
                  {"type": "Hashtag", "href": "https://mastodon.example/tags/swift", "name": "#Swift"},
                  {
                    "id": "https://mastodon.example/emojis/1",
                    "type": "Emoji",
                    "name": ":blobcat:",
                    "updated": "2024-01-01T00:00:00Z",
                    "icon": {
                      "type": "Image",
                      "mediaType": "image/png",
                      "url": "https://files.mastodon.example/custom_emojis/images/000/000/001/original/blobcat.png"
                    }
                  }
                ],
                "replies": {
                  "id": "https://mastodon.example/users/bob/statuses/112233445566778899/replies",
                  "type": "Collection",
                  "first": {
                    "type": "CollectionPage",
                    "next": "https://mastodon.example/users/bob/statuses/112233445566778899/replies?only_other_accounts=true&page=true",
                    "partOf": "https://mastodon.example/users/bob/statuses/112233445566778899/replies",
                    "items": []
                  }
                },
                "likes": {
                  "id": "https://mastodon.example/users/bob/statuses/112233445566778899/likes",
                  "type": "Collection",
                  "totalItems": 0
                },
                "shares": {
                  "id": "https://mastodon.example/users/bob/statuses/112233445566778899/shares",
                  "type": "Collection",
                  "totalItems": 0
                }
              },
              "signature": {
                "type": "RsaSignature2017",
                "creator": "https://mastodon.example/users/bob#main-key",
                "created": "2026-09-20T08:30:01Z",
                "signatureValue": "c2lnbmF0dXJlIG5vdCBjaGVja2Vk"
              }
            }
            """#,
        follow: #"""
            {
              "@context": "https://www.w3.org/ns/activitystreams",
              "id": "https://mastodon.example/5d9f0a4e-2b1c-4d8e-9f3a-6b7c8d9e0f1a",
              "type": "Follow",
              "actor": "https://mastodon.example/users/bob",
              "object": "http://tern.test/users/alice"
            }
            """#,
        undoFollow: #"""
            {
              "@context": "https://www.w3.org/ns/activitystreams",
              "id": "https://mastodon.example/users/bob#follows/4242/undo",
              "type": "Undo",
              "actor": "https://mastodon.example/users/bob",
              "object": {
                "id": "https://mastodon.example/5d9f0a4e-2b1c-4d8e-9f3a-6b7c8d9e0f1a",
                "type": "Follow",
                "actor": "https://mastodon.example/users/bob",
                "object": "http://tern.test/users/alice"
              }
            }
            """#,
        accept: #"""
            {
              "@context": "https://www.w3.org/ns/activitystreams",
              "id": "https://mastodon.example/users/bob#accepts/follows/4243",
              "type": "Accept",
              "actor": "https://mastodon.example/users/bob",
              "object": {
                "id": "{{FOLLOW}}",
                "type": "Follow",
                "actor": "http://tern.test/users/alice",
                "object": "https://mastodon.example/users/bob"
              }
            }
            """#,
        delete: #"""
            {
              "@context": [
                "https://www.w3.org/ns/activitystreams",
                {"ostatus": "http://ostatus.org#", "atomUri": "ostatus:atomUri"}
              ],
              "id": "https://mastodon.example/users/bob/statuses/112233445566778899#delete",
              "type": "Delete",
              "actor": "https://mastodon.example/users/bob",
              "to": ["https://www.w3.org/ns/activitystreams#Public"],
              "object": {
                "id": "https://mastodon.example/users/bob/statuses/112233445566778899",
                "type": "Tombstone",
                "atomUri": "https://mastodon.example/users/bob/statuses/112233445566778899"
              },
              "signature": {
                "type": "RsaSignature2017",
                "creator": "https://mastodon.example/users/bob#main-key",
                "created": "2026-09-20T10:00:00Z",
                "signatureValue": "c2lnbmF0dXJlIG5vdCBjaGVja2Vk"
              }
            }
            """#,
        updateNote: #"""
            {
              "@context": ["https://www.w3.org/ns/activitystreams", {"atomUri": "ostatus:atomUri", "sensitive": "as:sensitive"}],
              "id": "https://mastodon.example/users/bob/statuses/112233445566778899#updates/1789893000",
              "type": "Update",
              "actor": "https://mastodon.example/users/bob",
              "published": "2026-09-20T09:00:00Z",
              "to": ["https://www.w3.org/ns/activitystreams#Public"],
              "cc": ["https://mastodon.example/users/bob/followers", "http://tern.test/users/alice"],
              "object": {
                "id": "https://mastodon.example/users/bob/statuses/112233445566778899",
                "type": "Note",
                "summary": null,
                "inReplyTo": "{{REPLY}}",
                "published": "2026-09-20T08:30:00Z",
                "updated": "2026-09-20T09:00:00Z",
                "url": "https://mastodon.example/@bob/112233445566778899",
                "attributedTo": "https://mastodon.example/users/bob",
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
                "cc": ["https://mastodon.example/users/bob/followers", "http://tern.test/users/alice"],
                "sensitive": false,
                "content": "<p><span class=\"h-card\" translate=\"no\"><a href=\"http://tern.test/@alice\" class=\"u-url mention\">@<span>alice</span></a></span> Nice post! (edited)</p>",
                "contentMap": {"en": "<p>Nice post! (edited)</p>"},
                "attachment": [],
                "tag": [{"type": "Mention", "href": "http://tern.test/users/alice", "name": "@alice@tern.test"}]
              }
            }
            """#,
        updatePersonID: "https://mastodon.example/users/bob#updates/1789900000",
        actor: ExpectedActor(
            username: "bob",
            displayName: "Bob Example",
            inbox: "https://mastodon.example/users/bob/inbox",
            sharedInbox: "https://mastodon.example/inbox",
            keyID: "https://mastodon.example/users/bob#main-key",
            locked: false,
            discoverable: true,
            featured: "https://mastodon.example/users/bob/collections/featured",
            profileURL: "https://mastodon.example/@bob",
            fields: [
                Field(name: "Website", valueIncludes: "bob.example"), Field(name: "Pronouns", valueIncludes: "he/him"),
            ],
            noteIncludes: "Posting about",
            published: date("2023-04-01T00:00:00Z")
        ),
        note: ExpectedNote(
            uri: "https://mastodon.example/users/bob/statuses/112233445566778899",
            url: "https://mastodon.example/@bob/112233445566778899",
            contentIncludes: [
                "Nice post!", "href=\"https://mastodon.example/tags/Swift\"", "rel=\"nofollow noopener\"",
            ],
            hashtags: ["swift"],
            isReply: true,
            visibility: .public,
            language: "en",
            published: date("2026-09-20T08:30:00Z"),
            publishedPrefix: "2026-09-20T08:30:00"
        )
    )
}

// MARK: GoToSocial

extension Fixture {
    static let gotosocial = Fixture(
        name: "GoToSocial",
        host: "gts.example",
        actorURI: "https://gts.example/users/gary",
        acct: "gary@gts.example",
        actorTemplate: #"""
            {
              "@context": [
                "https://w3id.org/security/v1",
                "https://www.w3.org/ns/activitystreams",
                {
                  "alsoKnownAs": {"@id": "as:alsoKnownAs", "@type": "@id"},
                  "discoverable": "toot:discoverable",
                  "featured": {"@id": "toot:featured", "@type": "@id"},
                  "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
                  "movedTo": {"@id": "as:movedTo", "@type": "@id"},
                  "schema": "http://schema.org#",
                  "PropertyValue": "schema:PropertyValue",
                  "value": "schema:value",
                  "toot": "http://joinmastodon.org/ns#"
                }
              ],
              "attachment": [{"name": "pronouns", "type": "PropertyValue", "value": "they/them"}],
              "discoverable": true,
              "featured": "https://gts.example/users/gary/collections/featured",
              "followers": "https://gts.example/users/gary/followers",
              "following": "https://gts.example/users/gary/following",
              "icon": {
                "mediaType": "image/jpeg",
                "type": "Image",
                "url": "https://gts.example/fileserver/01HAAAAAAAAAAAAAAAAAAAAAAA/attachment/original/01HBBBBBBBBBBBBBBBBBBBBBBB.jpeg"
              },
              "id": "https://gts.example/users/gary",
              "image": {
                "mediaType": "image/jpeg",
                "type": "Image",
                "url": "https://gts.example/fileserver/01HAAAAAAAAAAAAAAAAAAAAAAA/header/original/01HCCCCCCCCCCCCCCCCCCCCCCC.jpeg"
              },
              "inbox": "https://gts.example/users/gary/inbox",
              "manuallyApprovesFollowers": true,
              "name": "Gary",
              "outbox": "https://gts.example/users/gary/outbox",
              "preferredUsername": "gary",
              "publicKey": {
                "id": "https://gts.example/users/gary/main-key",
                "owner": "https://gts.example/users/gary",
                "publicKeyPem": "{{PEM}}"
              },
              "published": "2024-02-03T04:05:06Z",
              "summary": "<p>slow and steady</p>",
              "tag": [],
              "type": "Person",
              "url": "https://gts.example/@gary"
            }
            """#,
        createTemplate: #"""
            {
              "@context": "https://www.w3.org/ns/activitystreams",
              "actor": "https://gts.example/users/gary",
              "cc": ["https://www.w3.org/ns/activitystreams#Public", "http://tern.test/users/alice"],
              "id": "https://gts.example/users/gary/statuses/01J0ABCDEF0123456789ABCDEF/activity",
              "object": {
                "attachment": [
                  {
                    "blurhash": "LKO2?U%2Tw=w]~RBVZRi};RPxuwH",
                    "mediaType": "image/jpeg",
                    "name": "a sloth hanging from a branch",
                    "type": "Image",
                    "url": "https://gts.example/fileserver/01HAAAAAAAAAAAAAAAAAAAAAAA/attachment/original/01HDDDDDDDDDDDDDDDDDDDDDDD.jpeg"
                  }
                ],
                "attributedTo": "https://gts.example/users/gary",
                "cc": ["https://www.w3.org/ns/activitystreams#Public", "http://tern.test/users/alice"],
                "content": "<p>hey <span class=\"h-card\"><a href=\"http://tern.test/@alice\" class=\"u-url mention\" rel=\"nofollow noreferrer noopener\" target=\"_blank\">@<span>alice</span></a></span>, look at <a href=\"https://gts.example/tags/sloths\" class=\"mention hashtag\" rel=\"tag nofollow noreferrer noopener\" target=\"_blank\">#<span>Sloths</span></a></p>",
                "contentMap": {
                  "en": "<p>hey <span class=\"h-card\"><a href=\"http://tern.test/@alice\" class=\"u-url mention\" rel=\"nofollow noreferrer noopener\" target=\"_blank\">@<span>alice</span></a></span>, look at <a href=\"https://gts.example/tags/sloths\" class=\"mention hashtag\" rel=\"tag nofollow noreferrer noopener\" target=\"_blank\">#<span>Sloths</span></a></p>"
                },
                "id": "https://gts.example/users/gary/statuses/01J0ABCDEF0123456789ABCDEF",
                "interactionPolicy": {
                  "canAnnounce": {"always": ["https://www.w3.org/ns/activitystreams#Public"], "approvalRequired": []},
                  "canLike": {"always": ["https://www.w3.org/ns/activitystreams#Public"], "approvalRequired": []},
                  "canReply": {"always": ["https://www.w3.org/ns/activitystreams#Public"], "approvalRequired": []}
                },
                "published": "2026-09-20T11:00:00Z",
                "replies": {
                  "first": {
                    "id": "https://gts.example/users/gary/statuses/01J0ABCDEF0123456789ABCDEF/replies?page=true",
                    "next": "https://gts.example/users/gary/statuses/01J0ABCDEF0123456789ABCDEF/replies?only_other_accounts=false&page=true",
                    "partOf": "https://gts.example/users/gary/statuses/01J0ABCDEF0123456789ABCDEF/replies",
                    "type": "CollectionPage"
                  },
                  "id": "https://gts.example/users/gary/statuses/01J0ABCDEF0123456789ABCDEF/replies",
                  "type": "Collection"
                },
                "sensitive": false,
                "summary": "",
                "tag": [
                  {"href": "http://tern.test/users/alice", "name": "@alice@tern.test", "type": "Mention"},
                  {"href": "https://gts.example/tags/sloths", "name": "#Sloths", "type": "Hashtag"}
                ],
                "to": "https://gts.example/users/gary/followers",
                "type": "Note",
                "url": "https://gts.example/@gary/statuses/01J0ABCDEF0123456789ABCDEF"
              },
              "published": "2026-09-20T11:00:00Z",
              "to": "https://gts.example/users/gary/followers",
              "type": "Create"
            }
            """#,
        follow: #"""
            {
              "@context": "https://www.w3.org/ns/activitystreams",
              "actor": "https://gts.example/users/gary",
              "id": "https://gts.example/users/gary/follow/01J0FFFFFFFFFFFFFFFFFFFFFF",
              "object": "http://tern.test/users/alice",
              "type": "Follow"
            }
            """#,
        undoFollow: #"""
            {
              "@context": "https://www.w3.org/ns/activitystreams",
              "actor": "https://gts.example/users/gary",
              "id": "https://gts.example/users/gary/follow/01J0FFFFFFFFFFFFFFFFFFFFFF#Undo",
              "object": {
                "actor": "https://gts.example/users/gary",
                "id": "https://gts.example/users/gary/follow/01J0FFFFFFFFFFFFFFFFFFFFFF",
                "object": "http://tern.test/users/alice",
                "type": "Follow"
              },
              "to": "http://tern.test/users/alice",
              "type": "Undo"
            }
            """#,
        accept: #"""
            {
              "@context": "https://www.w3.org/ns/activitystreams",
              "actor": "https://gts.example/users/gary",
              "id": "https://gts.example/users/gary/accepts/01J0AAAAAAAAAAAAAAAAAAAAAA",
              "object": {
                "actor": "http://tern.test/users/alice",
                "id": "{{FOLLOW}}",
                "object": "https://gts.example/users/gary",
                "type": "Follow"
              },
              "to": "http://tern.test/users/alice",
              "type": "Accept"
            }
            """#,
        delete: #"""
            {
              "@context": "https://www.w3.org/ns/activitystreams",
              "actor": "https://gts.example/users/gary",
              "cc": ["https://www.w3.org/ns/activitystreams#Public", "http://tern.test/users/alice"],
              "id": "https://gts.example/users/gary/statuses/01J0ABCDEF0123456789ABCDEF#Delete",
              "object": "https://gts.example/users/gary/statuses/01J0ABCDEF0123456789ABCDEF",
              "to": "https://gts.example/users/gary/followers",
              "type": "Delete"
            }
            """#,
        updateNote: #"""
            {
              "@context": "https://www.w3.org/ns/activitystreams",
              "actor": "https://gts.example/users/gary",
              "cc": ["https://www.w3.org/ns/activitystreams#Public", "http://tern.test/users/alice"],
              "id": "https://gts.example/users/gary/statuses/01J0ABCDEF0123456789ABCDEF/edits/01J0EEEEEEEEEEEEEEEEEEEEEE",
              "object": {
                "attachment": [],
                "attributedTo": "https://gts.example/users/gary",
                "cc": ["https://www.w3.org/ns/activitystreams#Public", "http://tern.test/users/alice"],
                "content": "<p>hey <span class=\"h-card\"><a href=\"http://tern.test/@alice\" class=\"u-url mention\">@<span>alice</span></a></span>, look at this (edited)</p>",
                "id": "https://gts.example/users/gary/statuses/01J0ABCDEF0123456789ABCDEF",
                "published": "2026-09-20T11:00:00Z",
                "sensitive": false,
                "summary": "",
                "tag": [{"href": "http://tern.test/users/alice", "name": "@alice@tern.test", "type": "Mention"}],
                "to": "https://gts.example/users/gary/followers",
                "type": "Note",
                "updated": "2026-09-20T11:30:00Z",
                "url": "https://gts.example/@gary/statuses/01J0ABCDEF0123456789ABCDEF"
              },
              "to": "https://gts.example/users/gary/followers",
              "type": "Update"
            }
            """#,
        updatePersonID: "https://gts.example/users/gary#updates/01J0UUUUUUUUUUUUUUUUUUUUUU",
        actor: ExpectedActor(
            username: "gary",
            displayName: "Gary",
            inbox: "https://gts.example/users/gary/inbox",
            sharedInbox: nil,
            keyID: "https://gts.example/users/gary/main-key",
            locked: true,
            discoverable: true,
            featured: "https://gts.example/users/gary/collections/featured",
            profileURL: "https://gts.example/@gary",
            fields: [Field(name: "pronouns", valueIncludes: "they/them")],
            noteIncludes: "slow and steady",
            published: date("2024-02-03T04:05:06Z")
        ),
        note: ExpectedNote(
            uri: "https://gts.example/users/gary/statuses/01J0ABCDEF0123456789ABCDEF",
            url: "https://gts.example/@gary/statuses/01J0ABCDEF0123456789ABCDEF",
            contentIncludes: ["hey ", "look at", "href=\"https://gts.example/tags/sloths\""],
            hashtags: ["sloths"],
            isReply: false,
            visibility: .unlisted,
            language: "en",
            published: date("2026-09-20T11:00:00Z"),
            publishedPrefix: "2026-09-20T11:00:00"
        )
    )
}

// MARK: Pleroma / Akkoma

extension Fixture {
    static let pleroma = Fixture(
        name: "Pleroma",
        host: "pleroma.example",
        actorURI: "https://pleroma.example/users/pat",
        acct: "pat@pleroma.example",
        actorTemplate: #"""
            {
              "@context": [
                "https://www.w3.org/ns/activitystreams",
                "https://pleroma.example/schemas/litepub-0.1.jsonld",
                {"@language": "und"}
              ],
              "alsoKnownAs": [],
              "attachment": [{"name": "Matrix", "type": "PropertyValue", "value": "@pat:matrix.example"}],
              "capabilities": {"acceptsChatMessages": true},
              "discoverable": false,
              "endpoints": {
                "oauthAuthorizationEndpoint": "https://pleroma.example/oauth/authorize",
                "oauthRegistrationEndpoint": "https://pleroma.example/api/v1/apps",
                "oauthTokenEndpoint": "https://pleroma.example/oauth/token",
                "sharedInbox": "https://pleroma.example/inbox",
                "uploadMedia": "https://pleroma.example/api/ap/upload_media"
              },
              "featured": "https://pleroma.example/users/pat/collections/featured",
              "followers": "https://pleroma.example/users/pat/followers",
              "following": "https://pleroma.example/users/pat/following",
              "icon": {"type": "Image", "url": "https://pleroma.example/media/1a2b3c/avatar.png"},
              "id": "https://pleroma.example/users/pat",
              "image": {"type": "Image", "url": "https://pleroma.example/media/4d5e6f/banner.png"},
              "inbox": "https://pleroma.example/users/pat/inbox",
              "manuallyApprovesFollowers": false,
              "name": "Pat",
              "outbox": "https://pleroma.example/users/pat/outbox",
              "preferredUsername": "pat",
              "publicKey": {
                "id": "https://pleroma.example/users/pat#main-key",
                "owner": "https://pleroma.example/users/pat",
                "publicKeyPem": "{{PEM}}"
              },
              "summary": "Just pat.<br/>Likes <b>bold</b> things.",
              "tag": [],
              "type": "Person",
              "url": "https://pleroma.example/users/pat",
              "vcard:bday": null,
              "webfinger": "acct:pat@pleroma.example"
            }
            """#,
        createTemplate: #"""
            {
              "@context": [
                "https://www.w3.org/ns/activitystreams",
                "https://pleroma.example/schemas/litepub-0.1.jsonld",
                {"@language": "und"}
              ],
              "actor": "https://pleroma.example/users/pat",
              "cc": ["https://pleroma.example/users/pat/followers"],
              "context": "https://pleroma.example/contexts/2f1e4c8a-5b6d-4e7f-8a9b-0c1d2e3f4a5b",
              "directMessage": false,
              "id": "https://pleroma.example/activities/6f1d2c3b-4a5e-4f60-8172-93a4b5c6d7e8",
              "object": {
                "actor": "https://pleroma.example/users/pat",
                "attachment": [
                  {
                    "mediaType": "image/png",
                    "name": "",
                    "type": "Document",
                    "url": [{"href": "https://pleroma.example/media/aa/bb.png", "mediaType": "image/png", "type": "Link"}]
                  }
                ],
                "attributedTo": "https://pleroma.example/users/pat",
                "cc": ["https://pleroma.example/users/pat/followers"],
                "content": "<span class=\"h-card\"><a class=\"u-url mention\" data-user=\"9zYxWv\" href=\"http://tern.test/@alice\" rel=\"ugc\">@<span>alice</span></a></span> agreed, <a class=\"hashtag\" data-tag=\"fediverse\" href=\"https://pleroma.example/tag/fediverse\" rel=\"tag ugc\">#Fediverse</a> :blobcat:<br/>second line",
                "context": "https://pleroma.example/contexts/2f1e4c8a-5b6d-4e7f-8a9b-0c1d2e3f4a5b",
                "conversation": "https://pleroma.example/contexts/2f1e4c8a-5b6d-4e7f-8a9b-0c1d2e3f4a5b",
                "id": "https://pleroma.example/objects/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                "inReplyTo": "{{REPLY}}",
                "published": "2026-09-20T12:34:56.123456Z",
                "sensitive": false,
                "source": {
                  "content": "@alice@tern.test agreed, #Fediverse :blobcat:\nsecond line",
                  "mediaType": "text/plain"
                },
                "summary": "",
                "tag": [
                  {"href": "http://tern.test/users/alice", "name": "@alice@tern.test", "type": "Mention"},
                  {"href": "https://pleroma.example/tags/fediverse", "name": "#fediverse", "type": "Hashtag"},
                  {
                    "icon": {"type": "Image", "url": "https://pleroma.example/emoji/blobcat.png"},
                    "id": "https://pleroma.example/emoji/blobcat.png",
                    "name": ":blobcat:",
                    "type": "Emoji",
                    "updated": "1970-01-01T00:00:00Z"
                  }
                ],
                "to": ["https://www.w3.org/ns/activitystreams#Public", "http://tern.test/users/alice"],
                "type": "Note"
              },
              "published": "2026-09-20T12:34:56.123456Z",
              "to": ["https://www.w3.org/ns/activitystreams#Public", "http://tern.test/users/alice"],
              "type": "Create"
            }
            """#,
        follow: #"""
            {
              "@context": [
                "https://www.w3.org/ns/activitystreams",
                "https://pleroma.example/schemas/litepub-0.1.jsonld",
                {"@language": "und"}
              ],
              "actor": "https://pleroma.example/users/pat",
              "cc": [],
              "id": "https://pleroma.example/activities/1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9",
              "object": "http://tern.test/users/alice",
              "state": "pending",
              "to": ["http://tern.test/users/alice"],
              "type": "Follow"
            }
            """#,
        undoFollow: #"""
            {
              "@context": [
                "https://www.w3.org/ns/activitystreams",
                "https://pleroma.example/schemas/litepub-0.1.jsonld",
                {"@language": "und"}
              ],
              "actor": "https://pleroma.example/users/pat",
              "cc": [],
              "id": "https://pleroma.example/activities/7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
              "object": {
                "actor": "https://pleroma.example/users/pat",
                "cc": [],
                "id": "https://pleroma.example/activities/1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9",
                "object": "http://tern.test/users/alice",
                "state": "accept",
                "to": ["http://tern.test/users/alice"],
                "type": "Follow"
              },
              "to": ["http://tern.test/users/alice"],
              "type": "Undo"
            }
            """#,
        accept: #"""
            {
              "@context": [
                "https://www.w3.org/ns/activitystreams",
                "https://pleroma.example/schemas/litepub-0.1.jsonld",
                {"@language": "und"}
              ],
              "actor": "https://pleroma.example/users/pat",
              "cc": [],
              "id": "https://pleroma.example/activities/9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a",
              "object": "{{FOLLOW}}",
              "to": ["http://tern.test/users/alice"],
              "type": "Accept"
            }
            """#,
        delete: #"""
            {
              "@context": [
                "https://www.w3.org/ns/activitystreams",
                "https://pleroma.example/schemas/litepub-0.1.jsonld",
                {"@language": "und"}
              ],
              "actor": "https://pleroma.example/users/pat",
              "cc": [],
              "id": "https://pleroma.example/activities/3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f",
              "object": "https://pleroma.example/objects/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
              "to": ["https://www.w3.org/ns/activitystreams#Public", "https://pleroma.example/users/pat/followers"],
              "type": "Delete"
            }
            """#,
        updateNote: #"""
            {
              "@context": [
                "https://www.w3.org/ns/activitystreams",
                "https://pleroma.example/schemas/litepub-0.1.jsonld",
                {"@language": "und"}
              ],
              "actor": "https://pleroma.example/users/pat",
              "cc": ["https://pleroma.example/users/pat/followers"],
              "id": "https://pleroma.example/activities/5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
              "object": {
                "actor": "https://pleroma.example/users/pat",
                "attributedTo": "https://pleroma.example/users/pat",
                "cc": ["https://pleroma.example/users/pat/followers"],
                "content": "agreed, <a class=\"hashtag\" href=\"https://pleroma.example/tag/fediverse\" rel=\"tag ugc\">#Fediverse</a> (edited)",
                "formerRepresentations": {"orderedItems": [], "totalItems": 0, "type": "OrderedCollection"},
                "id": "https://pleroma.example/objects/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                "inReplyTo": "{{REPLY}}",
                "published": "2026-09-20T12:34:56.123456Z",
                "sensitive": false,
                "summary": "",
                "tag": [{"href": "https://pleroma.example/tags/fediverse", "name": "#fediverse", "type": "Hashtag"}],
                "to": ["https://www.w3.org/ns/activitystreams#Public", "http://tern.test/users/alice"],
                "type": "Note",
                "updated": "2026-09-20T13:00:00.654321Z"
              },
              "to": ["https://www.w3.org/ns/activitystreams#Public", "http://tern.test/users/alice"],
              "type": "Update"
            }
            """#,
        updatePersonID: "https://pleroma.example/activities/2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e",
        actor: ExpectedActor(
            username: "pat",
            displayName: "Pat",
            inbox: "https://pleroma.example/users/pat/inbox",
            sharedInbox: "https://pleroma.example/inbox",
            keyID: "https://pleroma.example/users/pat#main-key",
            locked: false,
            discoverable: false,
            featured: "https://pleroma.example/users/pat/collections/featured",
            profileURL: "https://pleroma.example/users/pat",
            fields: [Field(name: "Matrix", valueIncludes: "@pat:matrix.example")],
            noteIncludes: "<b>bold</b>",
            published: nil
        ),
        note: ExpectedNote(
            uri: "https://pleroma.example/objects/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
            url: nil,
            contentIncludes: ["agreed, ", "href=\"https://pleroma.example/tag/fediverse\"", "second line"],
            hashtags: ["fediverse"],
            isReply: true,
            visibility: .public,
            language: nil,
            published: date("2026-09-20T12:34:56Z").addingTimeInterval(0.123456),
            publishedPrefix: "2026-09-20T12:34:56"
        )
    )
}

// MARK: Misskey

extension Fixture {
    static let misskey = Fixture(
        name: "Misskey",
        host: "misskey.example",
        actorURI: "https://misskey.example/users/9h3k2l0abc",
        acct: "nyan@misskey.example",
        actorTemplate: #"""
            {
              "@context": [
                "https://www.w3.org/ns/activitystreams",
                "https://w3id.org/security/v1",
                {
                  "Key": "sec:Key",
                  "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
                  "sensitive": "as:sensitive",
                  "Hashtag": "as:Hashtag",
                  "quoteUrl": "as:quoteUrl",
                  "toot": "http://joinmastodon.org/ns#",
                  "Emoji": "toot:Emoji",
                  "featured": "toot:featured",
                  "discoverable": "toot:discoverable",
                  "schema": "http://schema.org#",
                  "PropertyValue": "schema:PropertyValue",
                  "value": "schema:value",
                  "misskey": "https://misskey-hub.net/ns#",
                  "_misskey_content": "misskey:_misskey_content",
                  "_misskey_quote": "misskey:_misskey_quote",
                  "_misskey_reaction": "misskey:_misskey_reaction",
                  "_misskey_votes": "misskey:_misskey_votes",
                  "_misskey_summary": "misskey:_misskey_summary",
                  "_misskey_followedMessage": "misskey:_misskey_followedMessage",
                  "_misskey_requireSigninToViewContents": "misskey:_misskey_requireSigninToViewContents",
                  "isCat": "misskey:isCat",
                  "vcard": "http://www.w3.org/2006/vcard/ns#"
                }
              ],
              "type": "Person",
              "id": "https://misskey.example/users/9h3k2l0abc",
              "inbox": "https://misskey.example/users/9h3k2l0abc/inbox",
              "outbox": "https://misskey.example/users/9h3k2l0abc/outbox",
              "followers": "https://misskey.example/users/9h3k2l0abc/followers",
              "following": "https://misskey.example/users/9h3k2l0abc/following",
              "featured": "https://misskey.example/users/9h3k2l0abc/collections/featured",
              "sharedInbox": "https://misskey.example/inbox",
              "endpoints": {"sharedInbox": "https://misskey.example/inbox"},
              "url": "https://misskey.example/@nyan",
              "preferredUsername": "nyan",
              "name": "Nyan :blobcat:",
              "summary": "<p><span>meow meow</span></p>",
              "_misskey_summary": "meow meow",
              "_misskey_followedMessage": null,
              "_misskey_requireSigninToViewContents": false,
              "icon": {
                "type": "Image",
                "url": "https://misskey.example/files/thumbnail-0f1e2d3c.webp",
                "sensitive": false,
                "name": null
              },
              "image": null,
              "tag": [
                {
                  "id": "https://misskey.example/emojis/blobcat",
                  "type": "Emoji",
                  "name": ":blobcat:",
                  "updated": "2024-01-01T00:00:00.000Z",
                  "icon": {"type": "Image", "mediaType": "image/png", "url": "https://misskey.example/files/blobcat.png"}
                }
              ],
              "manuallyApprovesFollowers": true,
              "discoverable": true,
              "publicKey": {
                "id": "https://misskey.example/users/9h3k2l0abc#main-key",
                "type": "Key",
                "owner": "https://misskey.example/users/9h3k2l0abc",
                "publicKeyPem": "{{PEM}}"
              },
              "isCat": true,
              "attachment": [
                {
                  "type": "PropertyValue",
                  "name": "Website",
                  "value": "<a href=\"https://nyan.example\" rel=\"me nofollow noopener\" target=\"_blank\">https://nyan.example</a>"
                }
              ],
              "vcard:bday": "2000-02-22",
              "vcard:Address": "on the keyboard"
            }
            """#,
        createTemplate: #"""
            {
              "@context": [
                "https://www.w3.org/ns/activitystreams",
                "https://w3id.org/security/v1",
                {
                  "Key": "sec:Key",
                  "sensitive": "as:sensitive",
                  "Hashtag": "as:Hashtag",
                  "quoteUrl": "as:quoteUrl",
                  "toot": "http://joinmastodon.org/ns#",
                  "Emoji": "toot:Emoji",
                  "misskey": "https://misskey-hub.net/ns#",
                  "_misskey_content": "misskey:_misskey_content",
                  "_misskey_quote": "misskey:_misskey_quote",
                  "isCat": "misskey:isCat"
                }
              ],
              "id": "https://misskey.example/notes/9m8n7b6v5c/activity",
              "actor": "https://misskey.example/users/9h3k2l0abc",
              "type": "Create",
              "published": "2026-09-20T13:14:15.678Z",
              "object": {
                "id": "https://misskey.example/notes/9m8n7b6v5c",
                "type": "Note",
                "attributedTo": "https://misskey.example/users/9h3k2l0abc",
                "content": "<p><a href=\"http://tern.test/@alice\" class=\"u-url mention\">@alice@tern.test</a><span> meow </span><a href=\"https://misskey.example/tags/misskey\" rel=\"tag\">#misskey</a><span> :blobcat:<br>RE: </span><a href=\"https://misskey.example/notes/9aaaaaaaaa\">https://misskey.example/notes/9aaaaaaaaa</a></p>",
                "_misskey_content": "@alice@tern.test meow #misskey :blobcat:",
                "source": {
                  "content": "@alice@tern.test meow #misskey :blobcat:",
                  "mediaType": "text/x.misskeymarkdown"
                },
                "_misskey_quote": "https://misskey.example/notes/9aaaaaaaaa",
                "quoteUrl": "https://misskey.example/notes/9aaaaaaaaa",
                "quoteUri": "https://misskey.example/notes/9aaaaaaaaa",
                "published": "2026-09-20T13:14:15.678Z",
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
                "cc": ["https://misskey.example/users/9h3k2l0abc/followers", "http://tern.test/users/alice"],
                "inReplyTo": null,
                "attachment": [
                  {
                    "type": "Document",
                    "mediaType": "image/webp",
                    "url": "https://misskey.example/files/webpublic-5a6b7c8d.webp",
                    "name": null,
                    "sensitive": false
                  }
                ],
                "sensitive": false,
                "tag": [
                  {"type": "Mention", "href": "http://tern.test/users/alice", "name": "@alice@tern.test"},
                  {"type": "Hashtag", "href": "https://misskey.example/tags/misskey", "name": "#misskey"},
                  {
                    "id": "https://misskey.example/emojis/blobcat",
                    "type": "Emoji",
                    "name": ":blobcat:",
                    "updated": "2024-01-01T00:00:00.000Z",
                    "icon": {"type": "Image", "mediaType": "image/png", "url": "https://misskey.example/files/blobcat.png"}
                  }
                ]
              },
              "to": ["https://www.w3.org/ns/activitystreams#Public"],
              "cc": ["https://misskey.example/users/9h3k2l0abc/followers", "http://tern.test/users/alice"]
            }
            """#,
        follow: #"""
            {
              "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
              "id": "https://misskey.example/follows/9h3k2l0abc/9zzzzzzzzz",
              "type": "Follow",
              "actor": "https://misskey.example/users/9h3k2l0abc",
              "object": "http://tern.test/users/alice"
            }
            """#,
        undoFollow: #"""
            {
              "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
              "id": "https://misskey.example/8d7c6b5a-4f3e-4d2c-9b1a-0f9e8d7c6b5a",
              "type": "Undo",
              "actor": "https://misskey.example/users/9h3k2l0abc",
              "object": {
                "id": "https://misskey.example/follows/9h3k2l0abc/9zzzzzzzzz",
                "type": "Follow",
                "actor": "https://misskey.example/users/9h3k2l0abc",
                "object": "http://tern.test/users/alice"
              },
              "published": "2026-09-20T13:30:00.000Z"
            }
            """#,
        accept: #"""
            {
              "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
              "id": "https://misskey.example/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
              "type": "Accept",
              "actor": "https://misskey.example/users/9h3k2l0abc",
              "object": {
                "id": "{{FOLLOW}}",
                "type": "Follow",
                "actor": "http://tern.test/users/alice",
                "object": "https://misskey.example/users/9h3k2l0abc"
              }
            }
            """#,
        delete: #"""
            {
              "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
              "id": "https://misskey.example/6e5d4c3b-2a19-4f8e-8d7c-6b5a4f3e2d1c",
              "type": "Delete",
              "actor": "https://misskey.example/users/9h3k2l0abc",
              "object": {"id": "https://misskey.example/notes/9m8n7b6v5c", "type": "Tombstone"},
              "published": "2026-09-20T14:00:00.000Z"
            }
            """#,
        updateNote: nil,
        updatePersonID: "https://misskey.example/0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
        actor: ExpectedActor(
            username: "nyan",
            displayName: "Nyan :blobcat:",
            inbox: "https://misskey.example/users/9h3k2l0abc/inbox",
            sharedInbox: "https://misskey.example/inbox",
            keyID: "https://misskey.example/users/9h3k2l0abc#main-key",
            locked: true,
            discoverable: true,
            featured: "https://misskey.example/users/9h3k2l0abc/collections/featured",
            profileURL: "https://misskey.example/@nyan",
            fields: [Field(name: "Website", valueIncludes: "https://nyan.example")],
            noteIncludes: "meow meow",
            published: nil
        ),
        note: ExpectedNote(
            uri: "https://misskey.example/notes/9m8n7b6v5c",
            url: nil,
            contentIncludes: [
                "meow", "href=\"https://misskey.example/tags/misskey\"", "<a href=\"http://tern.test/@alice\"",
            ],
            hashtags: ["misskey"],
            isReply: false,
            visibility: .public,
            language: nil,
            published: date("2026-09-20T13:14:15Z").addingTimeInterval(0.678),
            publishedPrefix: "2026-09-20T13:14:15"
        )
    )
}
