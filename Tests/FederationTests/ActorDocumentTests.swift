import Core
import Federation
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing

/// The ActivityPub documents Tern publishes about its accounts: actors, collections, statuses, and the
/// WebFinger answer that leads to them.
@Suite struct ActorDocumentTests {
    static let activityJSON = "application/activity+json"
    static let ldJSON = "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\""
    static let base = "http://tern.test"

    /// GETs `uri` with `Accept: accept`.
    static func fetch(_ api: SocialAPI, _ uri: String, accept: String? = activityJSON) async throws -> TestResponse {
        var headers = HTTPFields()
        if let accept { headers[.accept] = accept }
        return try await api.client.execute(uri: uri, method: .get, headers: headers, body: nil)
    }

    /// GETs an ActivityPub document that must be served as one.
    static func document(_ api: SocialAPI, _ uri: String) async throws -> [String: Any] {
        let response = try await Self.fetch(api, uri)
        guard response.status == .ok else { throw TestFailure("\(uri) answered \(response.status)") }
        guard response.headers[.contentType]?.hasPrefix(Self.activityJSON) == true else {
            throw TestFailure("\(uri) served \(response.headers[.contentType] ?? "no content type")")
        }
        return response.json
    }

    static func run(_ db: TestDatabase, _ body: @Sendable (TestApp, SocialAPI) async throws -> Void) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in try await body(t, SocialAPI(client)) }
        }
    }

    // MARK: Actors

    @Test(
        "an account's actor document has everything Mastodon reads",
        arguments: TestDatabase.available,
        [ActorDocumentTests.activityJSON, ActorDocumentTests.ldJSON]
    )
    func actor(db: TestDatabase, accept: String) async throws {
        try await Self.run(db) { t, api in
            let alice = try await t.user("alice")
            let fields = try await api.client.execute(
                uri: "/api/v1/accounts/update_credentials",
                method: .patch,
                headers: .bearer(alice.token, contentType: formType),
                body: formBody([
                    ("display_name", "Alice"), ("note", "hello there"),
                    ("fields_attributes[0][name]", "Home"), ("fields_attributes[0][value]", "https://alice.example"),
                ])
            )
            #expect(fields.status == .ok)

            let response = try await Self.fetch(api, "/users/alice", accept: accept)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix(Self.activityJSON) == true)
            let actor = response.json
            let id = "\(Self.base)/users/alice"
            #expect(actor["id"] as? String == id)
            #expect(actor["type"] as? String == "Person")
            #expect(actor["preferredUsername"] as? String == "alice")
            #expect(actor["name"] as? String == "Alice")
            #expect((actor["summary"] as? String)?.contains("hello there") == true)
            #expect(actor["url"] as? String == "\(Self.base)/@alice")
            #expect(actor["inbox"] as? String == "\(id)/inbox")
            #expect(actor["outbox"] as? String == "\(id)/outbox")
            #expect(actor["followers"] as? String == "\(id)/followers")
            #expect(actor["following"] as? String == "\(id)/following")
            #expect(actor["featured"] as? String == "\(id)/collections/featured")
            #expect(actor["featuredTags"] as? String == "\(id)/collections/tags")
            #expect((actor["endpoints"] as? [String: Any])?["sharedInbox"] as? String == "\(Self.base)/inbox")
            #expect(actor["manuallyApprovesFollowers"] as? Bool == false)
            #expect(actor["discoverable"] is Bool)
            #expect(actor["indexable"] is Bool)
            #expect(ActorDocument.parseTimestamp(actor["published"] as? String) != nil)
            #expect(((actor["icon"] as? [String: Any])?["url"] as? String)?.hasPrefix("http") == true)
            #expect(((actor["image"] as? [String: Any])?["url"] as? String)?.hasPrefix("http") == true)
            let attachment = actor["attachment"] as? [[String: Any]] ?? []
            #expect(attachment.count == 1)
            #expect(attachment.first?["type"] as? String == "PropertyValue")
            #expect(attachment.first?["name"] as? String == "Home")
            #expect((attachment.first?["value"] as? String)?.contains("https://alice.example") == true)
            let key = try #require(actor["publicKey"] as? [String: Any])
            #expect(key["id"] as? String == "\(id)#main-key")
            #expect(key["owner"] as? String == id)
            let pem = try #require(key["publicKeyPem"] as? String)
            #expect(pem.hasPrefix("-----BEGIN PUBLIC KEY-----"))
            // The published key verifies what the account's stored key signs.
            let account = try #require(try await t.storedAccount(id))
            let signing = try await t.processor.context.federation.keys.signingKey(for: account)
            #expect(try VerifyingKey(publicKeyPEM: pem).verify(try signing.sign(Data("x".utf8)), for: Data("x".utf8)))
            let context = actor["@context"] as? [Any] ?? []
            #expect(context.first as? String == "https://www.w3.org/ns/activitystreams")
        }
    }

    @Test("a locked account's actor asks for approval of followers", arguments: TestDatabase.available)
    func lockedActor(db: TestDatabase) async throws {
        try await Self.run(db) { t, api in
            let alice = try await t.user("alice")
            let lock = try await api.client.execute(
                uri: "/api/v1/accounts/update_credentials",
                method: .patch,
                headers: .bearer(alice.token, contentType: formType),
                body: formBody([("locked", "true")])
            )
            #expect(lock.status == .ok)
            #expect(try await Self.document(api, "/users/alice")["manuallyApprovesFollowers"] as? Bool == true)
        }
    }

    @Test("a browser asking for an actor is sent to the profile page", arguments: TestDatabase.available)
    func actorAsHTML(db: TestDatabase) async throws {
        try await Self.run(db) { t, api in
            _ = try await t.user("alice")
            for accept in ["text/html", "text/html,application/xhtml+xml,*/*;q=0.8", nil] as [String?] {
                let response = try await Self.fetch(api, "/users/alice", accept: accept)
                #expect(response.status == .found)
                #expect(response.headers[.location] == "\(Self.base)/@alice")
            }
        }
    }

    @Test("unknown and suspended accounts have no documents", arguments: TestDatabase.available)
    func unknownAndSuspended(db: TestDatabase) async throws {
        try await Self.run(db) { t, api in
            _ = try await t.user("alice")
            #expect(try await Self.fetch(api, "/users/nobody").status == .notFound)
            #expect(try await Self.fetch(api, "/users/alice").status == .ok)
            try await t.processor.admin.setSuspended(username: "alice", true)
            for path in ["", "/outbox", "/followers", "/following", "/collections/featured"] {
                #expect(try await Self.fetch(api, "/users/alice\(path)").status == .notFound, "\(path)")
            }
            #expect(try await Self.fetch(api, "/users/alice", accept: "text/html").status == .notFound)
            let finger = try await api.get("/.well-known/webfinger?resource=acct:alice@tern.test")
            #expect(finger.status == .notFound)
        }
    }

    @Test("the instance actor is an Application with a key", arguments: TestDatabase.available)
    func instanceActor(db: TestDatabase) async throws {
        try await Self.run(db) { _, api in
            let actor = try await Self.document(api, "/actor")
            let id = "\(Self.base)/actor"
            #expect(actor["id"] as? String == id)
            #expect(actor["type"] as? String == "Application")
            #expect(actor["inbox"] is String)
            let key = try #require(actor["publicKey"] as? [String: Any])
            #expect(key["id"] as? String == "\(id)#main-key")
            #expect(key["owner"] as? String == id)
            let pem = try #require(key["publicKeyPem"] as? String)
            #expect(pem.hasPrefix("-----BEGIN PUBLIC KEY-----"))
            _ = try VerifyingKey(publicKeyPEM: pem)
            // The same key every time.
            let again = try await Self.document(api, "/actor")
            #expect((again["publicKey"] as? [String: Any])?["publicKeyPem"] as? String == pem)
        }
    }

    // MARK: Collections

    @Test(
        "the outbox counts the account's posts and pages only public and unlisted ones",
        arguments: TestDatabase.available
    )
    func outbox(db: TestDatabase) async throws {
        try await Self.run(db) { t, api in
            let alice = try await t.user("alice")
            _ = try await t.user("bob")
            var uris: [String: String] = [:]
            for (visibility, text) in [
                ("public", "a public post"), ("unlisted", "an unlisted post"),
                ("private", "a followers-only post"), ("direct", "@bob a direct message"),
            ] {
                let response = try await api.postStatus(alice.token, text, visibility: visibility)
                uris[visibility] = try #require(response.json["uri"] as? String)
            }
            let outbox = try await Self.document(api, "/users/alice/outbox")
            let id = "\(Self.base)/users/alice/outbox"
            #expect(outbox["id"] as? String == id)
            #expect(outbox["type"] as? String == "OrderedCollection")
            // Like Mastodon's, the total is the account's statuses_count (all visibilities).
            let account = try await api.account(alice.id)
            #expect(account["statuses_count"] as? Int == 4)
            #expect(outbox["totalItems"] as? Int == 4)
            #expect(outbox["first"] as? String == "\(id)?page=true")

            let page = try await Self.document(api, "/users/alice/outbox?page=true")
            #expect(page["type"] as? String == "OrderedCollectionPage")
            #expect(page["partOf"] as? String == id)
            let items = page["orderedItems"] as? [[String: Any]] ?? []
            #expect(items.allSatisfy { $0["type"] as? String == "Create" })
            #expect(items.allSatisfy { $0["actor"] as? String == "\(Self.base)/users/alice" })
            let objects = items.compactMap { ($0["object"] as? [String: Any])?["id"] as? String }
            #expect(Set(objects) == [uris["public"], uris["unlisted"]])
            #expect(objects.count == 2)
            #expect(page["next"] == nil)
        }
    }

    @Test("the outbox pages through every post; its last page holds the oldest", arguments: TestDatabase.available)
    func outboxPaging(db: TestDatabase) async throws {
        try await Self.run(db) { t, api in
            let alice = try await t.user("alice")
            var uris: [String] = []
            for number in 1...21 {
                let response = try await api.postStatus(alice.token, "post \(number)")
                uris.append(try #require(response.json["uri"] as? String))
            }
            let first = try await Self.document(api, "/users/alice/outbox?page=true")
            let firstObjects = Self.objectIDs(first)
            #expect(firstObjects == Array(uris.reversed().prefix(20)))
            let next = try #require(first["next"] as? String)
            let second = try await Self.document(api, pathAndQuery(next))
            #expect(Self.objectIDs(second) == [uris[0]])
            #expect(second["next"] == nil)

            let outbox = try await Self.document(api, "/users/alice/outbox")
            let last = try #require(outbox["last"] as? String)
            let lastPage = try await Self.document(api, pathAndQuery(last))
            let lastHasOldest = Self.objectIDs(lastPage).contains(uris[0])
            #expect(lastHasOldest)
        }
    }

    /// The ids of the objects of an outbox page's activities, in order.
    static func objectIDs(_ page: [String: Any]) -> [String] {
        (page["orderedItems"] as? [[String: Any]] ?? []).compactMap {
            ($0["object"] as? [String: Any])?["id"] as? String
        }
    }

    @Test("followers and following are counted and paged as actor URIs", arguments: TestDatabase.available)
    func followCollections(db: TestDatabase) async throws {
        try await Self.run(db) { t, api in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let mallory = try FakeRemote.mallory()
            try await mallory.store(in: t)
            try await mallory.deliver(
                mallory.activity("Follow", id: mallory.uri("follows/1"), object: "http://tern.test/users/alice"),
                to: t
            )
            try await api.follow(bob.token, alice.id)
            try await api.follow(alice.token, bob.id)

            let followers = try await Self.document(api, "/users/alice/followers")
            let followersID = "\(Self.base)/users/alice/followers"
            #expect(followers["id"] as? String == followersID)
            #expect(followers["type"] as? String == "OrderedCollection")
            #expect(followers["totalItems"] as? Int == 2)
            let first = try #require(followers["first"] as? String)
            let page = try await Self.document(api, pathAndQuery(first))
            #expect(page["type"] as? String == "OrderedCollectionPage")
            #expect(page["partOf"] as? String == followersID)
            let items = page["orderedItems"] as? [String] ?? []
            #expect(Set(items) == [mallory.actor, "\(Self.base)/users/bob"])

            let following = try await Self.document(api, "/users/alice/following")
            #expect(following["totalItems"] as? Int == 1)
            let followingPage = try await Self.document(api, "/users/alice/following?page=1")
            #expect(followingPage["orderedItems"] as? [String] == ["\(Self.base)/users/bob"])
            let bobFollowing = try await Self.document(api, "/users/bob/following?page=1")
            #expect(bobFollowing["orderedItems"] as? [String] == ["\(Self.base)/users/alice"])
        }
    }

    @Test("the featured collection holds the pinned public posts", arguments: TestDatabase.available)
    func featured(db: TestDatabase) async throws {
        try await Self.run(db) { t, api in
            let alice = try await t.user("alice")
            let pinned = try await api.postStatus(alice.token, "pinned post")
            let pinnedID = try #require(pinned.json["id"] as? String)
            _ = try await api.status(alice.token, "not pinned")
            #expect(try await api.post("/api/v1/statuses/\(pinnedID)/pin", alice.token).status == .ok)
            let featured = try await Self.document(api, "/users/alice/collections/featured")
            #expect(featured["totalItems"] as? Int == 1)
            let items = featured["orderedItems"] as? [[String: Any]] ?? []
            #expect(items.map { $0["id"] as? String } == [pinned.json["uri"] as? String])
            #expect(items.first?["type"] as? String == "Note")
        }
    }

    // MARK: Statuses

    @Test("a public status is served as a Note addressed to Public", arguments: TestDatabase.available)
    func publicStatus(db: TestDatabase) async throws {
        try await Self.run(db) { t, api in
            let alice = try await t.user("alice")
            let posted = try await api.postStatus(alice.token, "hello #fediverse")
            let id = try #require(posted.json["id"] as? String)
            let uri = try #require(posted.json["uri"] as? String)
            #expect(uri == "\(Self.base)/users/alice/statuses/\(id)")

            let note = try await Self.document(api, "/users/alice/statuses/\(id)")
            #expect(note["id"] as? String == uri)
            #expect(note["type"] as? String == "Note")
            #expect(note["attributedTo"] as? String == "\(Self.base)/users/alice")
            #expect(note["to"] as? [String] == [ActivityStreams.publicCollection])
            #expect(note["cc"] as? [String] == ["\(Self.base)/users/alice/followers"])
            #expect((note["content"] as? String)?.contains("hello") == true)
            let tags = note["tag"] as? [[String: Any]] ?? []
            #expect(tags.map { $0["type"] as? String } == ["Hashtag"])
            #expect(tags.first?["name"] as? String == "#fediverse")

            let create = try await Self.document(api, "/users/alice/statuses/\(id)/activity")
            #expect(create["type"] as? String == "Create")
            #expect(create["id"] as? String == "\(uri)/activity")
            #expect((create["object"] as? [String: Any])?["id"] as? String == uri)

            let page = try await Self.fetch(api, "/users/alice/statuses/\(id)", accept: "text/html")
            #expect(page.status == .found)
        }
    }

    @Test("an unlisted status is served addressed to followers with Public in cc", arguments: TestDatabase.available)
    func unlistedStatus(db: TestDatabase) async throws {
        try await Self.run(db) { t, api in
            let alice = try await t.user("alice")
            let id = try await api.status(alice.token, "quietly public", visibility: "unlisted")
            let note = try await Self.document(api, "/users/alice/statuses/\(id)")
            #expect(note["to"] as? [String] == ["\(Self.base)/users/alice/followers"])
            #expect(note["cc"] as? [String] == [ActivityStreams.publicCollection])
        }
    }

    @Test("followers-only and direct statuses are not served", arguments: TestDatabase.available)
    func nonPublicStatuses(db: TestDatabase) async throws {
        try await Self.run(db) { t, api in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let privateID = try await api.status(alice.token, "followers only", visibility: "private")
            let directID = try await api.status(alice.token, "@bob psst", visibility: "direct")
            for id in [privateID, directID] {
                for suffix in ["", "/activity"] {
                    let path = "/users/alice/statuses/\(id)\(suffix)"
                    #expect(try await Self.fetch(api, path).status == .notFound, "\(path)")
                }
            }
            // A public status is served only under its author's name.
            let bobsID = try await api.status(bob.token, "bob's public post")
            #expect(try await Self.fetch(api, "/users/alice/statuses/\(bobsID)").status == .notFound)
            #expect(try await Self.fetch(api, "/users/bob/statuses/\(bobsID)").status == .ok)
            #expect(try await Self.fetch(api, "/users/alice/statuses/not-a-number").status == .notFound)
        }
    }

    // MARK: WebFinger

    @Test("WebFinger leads from alice@tern.test to her actor", arguments: TestDatabase.available)
    func webfinger(db: TestDatabase) async throws {
        try await Self.run(db) { t, api in
            _ = try await t.user("alice")
            for resource in ["acct:alice@tern.test", "acct:@alice@tern.test", "\(Self.base)/users/alice"] {
                let response = try await api.get("/.well-known/webfinger?resource=\(formEncode(resource))")
                #expect(response.status == .ok, "\(resource)")
                #expect(response.headers[.contentType]?.hasPrefix("application/jrd+json") == true)
                #expect(response.json["subject"] as? String == "acct:alice@tern.test")
                let links = response.json["links"] as? [[String: Any]] ?? []
                let selfLink = links.first { $0["rel"] as? String == "self" }
                #expect(selfLink?["type"] as? String == "application/activity+json")
                #expect(selfLink?["href"] as? String == "\(Self.base)/users/alice")
            }
            // The link leads to the actor.
            #expect(try await Self.document(api, "/users/alice")["preferredUsername"] as? String == "alice")
            for resource in ["acct:nobody@tern.test", "acct:alice@elsewhere.example"] {
                let response = try await api.get("/.well-known/webfinger?resource=\(formEncode(resource))")
                #expect(response.status == .notFound, "\(resource)")
            }
            #expect(try await api.get("/.well-known/webfinger").status == .badRequest)
        }
    }
}

/// The `url`s clients show (`/@alice`, `/@alice/:id`) resolve for ActivityPub clients too.
@Suite struct ProfileURLTests {
    @Test(
        "a profile or status url asked for with an ActivityPub Accept gives the actor or the note",
        arguments: TestDatabase.available
    )
    func urlsServeDocuments(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                let status = try await api.status(alice.token, "linked")
                var accept = HTTPFields()
                accept[.accept] = "application/activity+json"
                let profile = try await client.execute(uri: "/@alice", method: .get, headers: accept)
                #expect(profile.status == .ok)
                #expect(profile.json["id"] as? String == "http://tern.test/users/alice")
                let note = try await client.execute(uri: "/@alice/\(status)", method: .get, headers: accept)
                #expect(note.status == .ok)
                #expect(note.json["id"] as? String == "http://tern.test/users/alice/statuses/\(status)")
                #expect(note.json["type"] as? String == "Note")
                let missing = try await client.execute(uri: "/@nobody", method: .get, headers: accept)
                #expect(missing.status == .notFound)
            }
        }
    }

    @Test func timestampsParseInTheFormsServersWrite() throws {
        let expected = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(ActorDocument.parseTimestamp("2023-11-14T22:13:20Z") == expected)
        let fractional = try #require(ActorDocument.parseTimestamp("2023-11-14T22:13:20.250Z"))
        #expect(abs(fractional.timeIntervalSince1970 - 1_700_000_000.25) < 0.001)
        #expect(ActorDocument.parseTimestamp("2023-11-15T00:13:20+02:00") == expected)
        #expect(ActorDocument.parseTimestamp(ActorDocument.timestamp(expected)) == expected)
        for bad in ["", "yesterday", "2023-13-45T99:99:99Z", String(repeating: "9", count: 100), nil] {
            #expect(ActorDocument.parseTimestamp(bad) == nil, "\(String(describing: bad))")
        }
    }
}
