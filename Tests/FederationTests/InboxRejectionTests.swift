import App
import Core
import Federation
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing

/// `POST /inbox` refuses every request that fails one of its checks, with the check's status, and stores
/// nothing; a correctly signed activity is accepted and processed later. Each refused request differs
/// from the accepted one in one thing only.
@Suite struct InboxRejectionTests {
    /// An app on a test clock with mallory stored (and her host serving her document), and a client.
    struct Harness {
        let t: TestApp
        let api: SocialAPI
        let mallory: FakeRemote
        let network: LoopbackNetwork
        let now: Date

        /// The Create every test sends, unless it sends something else.
        var noteURI: String { self.mallory.uri("statuses/1") }

        var create: Data { self.mallory.create(id: self.noteURI, content: "<p>hello tern</p>").data() }

        /// POSTs `body` with `headers` to `path`.
        func post(_ body: Data, _ headers: HTTPFields, path: String = "/inbox") async throws -> TestResponse {
            try await self.api.client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(bytes: body))
        }

        /// POSTs `body` signed by mallory, with one thing changed by the caller.
        func send(
            _ body: Data? = nil,
            path: String = "/inbox",
            date: Date? = nil,
            contentType: String = "application/activity+json",
            digest: DigestChoice = .correct,
            key: RSAKeyPair? = nil,
            keyID: String? = nil,
            created: Date? = nil
        ) async throws -> TestResponse {
            let body = body ?? self.create
            let headers = try self.mallory.signedHeaders(
                body: body,
                path: path,
                date: date ?? self.now,
                contentType: contentType,
                digest: digest,
                key: key,
                keyID: keyID,
                created: created
            )
            return try await self.post(body, headers, path: path)
        }

        /// Nothing came of the request: no inbox job, and (after running every job) no status.
        func expectNothingStored(sourceLocation: SourceLocation = #_sourceLocation) async throws {
            #expect(try await self.t.pendingJobs("inbox") == 0, sourceLocation: sourceLocation)
            _ = try await self.t.jobs.drain()
            #expect(try await self.t.storedStatus(self.noteURI) == nil, sourceLocation: sourceLocation)
            let stored = try await self.t.storedAccount(self.mallory.actor)
            #expect(stored?.statusesCount == 0, sourceLocation: sourceLocation)
        }
    }

    static func run(
        _ db: TestDatabase,
        blocking: Set<String> = [],
        _ body: @Sendable (Harness) async throws -> Void
    ) async throws {
        let clock = TestClock()
        let network = LoopbackNetwork()
        let mallory = try FakeRemote.mallory()
        mallory.serve(on: network)
        let configure: (inout AppConfig) -> Void = { $0.federation.blockedDomains = blocking }
        try await TestApp.run(db, clock: clock.clock, network: network, configure: configure) { t in
            try await mallory.store(in: t)
            try await t.client { client in
                try await body(
                    Harness(t: t, api: SocialAPI(client), mallory: mallory, network: network, now: clock.clock.now())
                )
            }
        }
    }

    /// The refusal's status and its JSON `error` member.
    /// The refusal's status, and its JSON `error` naming the check that failed (`because`), so that a
    /// request refused by some other check does not pass for this one.
    static func expectRefused(
        _ response: TestResponse,
        _ status: HTTPResponse.Status,
        because reason: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
        let error = response.json["error"] as? String ?? ""
        #expect(error.contains(reason), "\(error)", sourceLocation: sourceLocation)
    }

    // MARK: Accepted

    @Test(
        "a correctly signed Create is accepted, queued, and its note appears once processed",
        arguments: TestDatabase.available
    )
    func acceptsSignedCreate(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            let alice = try await h.t.user("alice")
            let response = try await h.send()
            #expect(response.status == .accepted, "\(response.text)")
            #expect(try await h.t.pendingJobs("inbox") == 1)
            #expect(try await h.t.storedStatus(h.noteURI) == nil)

            _ = try await h.t.jobs.drain()
            #expect(try await h.t.pendingJobs("inbox") == 0)
            let status = try await h.api.remoteStatus(uri: h.noteURI, alice.token)
            #expect((status["content"] as? String)?.contains("hello tern") == true)
            #expect((status["account"] as? [String: Any])?["acct"] as? String == h.mallory.acct)
            let malloryID = try await h.api.lookup(h.mallory.acct, alice.token)
            #expect(try await h.api.accountStatuses(malloryID, alice.token).count == 1)
        }
    }

    @Test("a correctly signed Create to an account's own inbox is accepted", arguments: TestDatabase.available)
    func acceptsPerAccountInbox(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            _ = try await h.t.user("alice")
            let response = try await h.send(path: "/users/alice/inbox")
            #expect(response.status == .accepted, "\(response.text)")
            #expect(try await h.t.pendingJobs("inbox") == 1)
            _ = try await h.t.jobs.drain()
            #expect(try await h.t.storedStatus(h.noteURI) != nil)
        }
    }

    // MARK: Refused before the signature

    @Test("an unsigned request is refused with 401", arguments: TestDatabase.available)
    func unsigned(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            var headers = try h.mallory.signedHeaders(body: h.create, date: h.now)
            headers[HTTPField.Name("Signature")!] = nil
            Self.expectRefused(try await h.post(h.create, headers), .unauthorized, because: "not signed")
            try await h.expectNothingStored()
        }
    }

    @Test("a body that is not ActivityPub JSON is refused with 415", arguments: TestDatabase.available)
    func wrongContentType(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            Self.expectRefused(
                try await h.send(contentType: "text/plain"),
                .unsupportedMediaType,
                because: "content type"
            )
            Self.expectRefused(
                try await h.send(contentType: "application/x-www-form-urlencoded"),
                .unsupportedMediaType,
                because: "content type"
            )
            try await h.expectNothingStored()
        }
    }

    @Test("a body over 1 MiB is refused with 413", arguments: TestDatabase.available)
    func bodyTooLarge(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            let padding = String(repeating: "a", count: 1 << 20)
            let body = h.mallory.create(id: h.noteURI, content: "<p>\(padding)</p>").data()
            #expect(body.count > 1 << 20)
            Self.expectRefused(try await h.send(body), .contentTooLarge, because: "body over")
            try await h.expectNothingStored()
        }
    }

    @Test("JSON nested 40 deep is refused with 400", arguments: TestDatabase.available)
    func nestedTooDeep(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            // The activity and its note are two levels; 38 arrays make 40.
            let deep = String(repeating: "[", count: 38) + String(repeating: "]", count: 38)
            var text = h.mallory.create(id: h.noteURI, content: "<p>deep</p>").serialized()
            text = text.replacingOccurrences(of: "\"type\":\"Note\"", with: "\"type\":\"Note\",\"deep\":\(deep)")
            let body = Data(text.utf8)
            #expect(JSONNesting.depth(of: body) == 40)
            Self.expectRefused(try await h.send(body), .badRequest, because: "nested too deeply")
            try await h.expectNothingStored()
        }
    }

    @Test("a body that is not JSON is refused with 400", arguments: TestDatabase.available)
    func malformedJSON(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            let text = h.mallory.create(id: h.noteURI, content: "<p>cut short</p>").serialized()
            Self.expectRefused(try await h.send(Data(text.dropLast(2).utf8)), .badRequest, because: "not JSON")
            Self.expectRefused(try await h.send(Data("not json at all".utf8)), .badRequest, because: "not JSON")
            try await h.expectNothingStored()
        }
    }

    @Test("JSON that is not an activity with an actor is refused with 400", arguments: TestDatabase.available)
    func notAnActivity(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            var activity = h.mallory.create(id: h.noteURI, content: "<p>no actor</p>").object ?? [:]
            activity["actor"] = nil
            Self.expectRefused(try await h.send(JSON.object(activity).data()), .badRequest, because: "with an actor")
            Self.expectRefused(try await h.send(Data("[1,2,3]".utf8)), .badRequest, because: "with an actor")
            try await h.expectNothingStored()
        }
    }

    @Test("a Date 13 hours old is refused with 401", arguments: TestDatabase.available)
    func staleDate(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            Self.expectRefused(
                try await h.send(date: h.now.addingTimeInterval(-13 * 3600)),
                .unauthorized,
                because: "Date outside"
            )
            try await h.expectNothingStored()
        }
    }

    @Test("a Date 2 hours ahead is refused with 401", arguments: TestDatabase.available)
    func futureDate(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            Self.expectRefused(
                try await h.send(date: h.now.addingTimeInterval(2 * 3600)),
                .unauthorized,
                because: "Date outside"
            )
            try await h.expectNothingStored()
        }
    }

    @Test("a signature over a fresh (created) is accepted", arguments: TestDatabase.available)
    func freshCreated(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            let response = try await h.send(created: h.now)
            #expect(response.status == .accepted, "\(response.text)")
            #expect(try await h.t.pendingJobs("inbox") == 1)
        }
    }

    @Test(
        "a signature over a (created) 2 days old is refused with 401, whatever the unsigned Date says",
        arguments: TestDatabase.available
    )
    func staleCreated(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            // A request captured two days ago, replayed with a new Date header (which it did not sign).
            let response = try await h.send(created: h.now.addingTimeInterval(-2 * 86_400))
            let pending = try await h.t.pendingJobs("inbox")
            #expect(response.status == .unauthorized, "\(response.text)")
            #expect(pending == 0)
        }
    }

    @Test("a signed Digest that does not match the body is refused with 401", arguments: TestDatabase.available)
    func digestMismatch(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            let other = h.mallory.create(id: h.noteURI, content: "<p>what was signed</p>").data()
            Self.expectRefused(try await h.send(digest: .of(other)), .unauthorized, because: "Digest does not match")
            try await h.expectNothingStored()
        }
    }

    @Test("a request without a Digest is refused with 401", arguments: TestDatabase.available)
    func missingDigest(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            Self.expectRefused(try await h.send(digest: .omitted), .unauthorized, because: "no Digest")
            try await h.expectNothingStored()
        }
    }

    // MARK: Refused by the signature

    @Test("a signature made with another key is refused with 401 after one refetch", arguments: TestDatabase.available)
    func wrongKey(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            let wrong = try RemoteKeys.other.get()
            #expect(wrong.publicKeyPEM != h.mallory.keyPair.publicKeyPEM)
            Self.expectRefused(try await h.send(key: wrong), .unauthorized, because: "Signature does not match")
            // The key may have rotated: the actor is fetched again, once, and still does not match.
            #expect(h.network.requests.filter { $0.url == h.mallory.actor }.count == 1)
            try await h.expectNothingStored()
        }
    }

    @Test(
        "a signature by one actor for an activity of another actor on the same host is refused with 401",
        arguments: TestDatabase.available
    )
    func signerIsNotActor(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            let eve = try FakeRemote.eve()
            try await eve.store(in: h.t)
            let noteURI = eve.uri("statuses/1")
            let body = eve.create(id: noteURI, content: "<p>eve says</p>").data()
            // Signed with mallory's key id (and key): a valid signature, but not by the activity's actor.
            Self.expectRefused(try await h.send(body), .unauthorized, because: "not the activity's actor")
            #expect(try await h.t.pendingJobs("inbox") == 0)
            _ = try await h.t.jobs.drain()
            #expect(try await h.t.storedStatus(noteURI) == nil)
            #expect(try await h.t.storedAccount(eve.actor)?.statusesCount == 0)
            try await h.expectNothingStored()
        }
    }

    @Test("a key on another host than the actor is refused with 401", arguments: TestDatabase.available)
    func keyOnOtherHost(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            let elsewhere = FakeRemote(host: "elsewhere.example", username: "mallory", keyPair: h.mallory.keyPair)
            try await elsewhere.store(in: h.t)
            Self.expectRefused(try await h.send(keyID: elsewhere.keyID), .unauthorized, because: "different hosts")
            try await h.expectNothingStored()
            #expect(try await h.t.storedStatus(h.noteURI) == nil)
        }
    }

    @Test("a request from a blocked host is refused with 403", arguments: TestDatabase.available)
    func blockedHost(db: TestDatabase) async throws {
        try await Self.run(db, blocking: ["remote.example"]) { h in
            Self.expectRefused(try await h.send(), .forbidden, because: "blocked")
            try await h.expectNothingStored()
        }
    }

    @Test("a subdomain of a blocked host is refused with 403", arguments: TestDatabase.available)
    func blockedSubdomain(db: TestDatabase) async throws {
        try await Self.run(db, blocking: ["example"]) { h in
            Self.expectRefused(try await h.send(), .forbidden, because: "blocked")
            try await h.expectNothingStored()
        }
    }

    @Test("a per-account inbox of nobody answers 404", arguments: TestDatabase.available)
    func unknownAccountInbox(db: TestDatabase) async throws {
        try await Self.run(db) { h in
            let response = try await h.send(path: "/users/nobody/inbox")
            Self.expectRefused(response, .notFound, because: "no such inbox")
            try await h.expectNothingStored()
        }
    }
}
