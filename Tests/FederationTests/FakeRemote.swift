import Core
import Federation
import Foundation
import HTTPCommon
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Processing
import Storage
import TestSupport
import Testing

/// Key pairs made once per test process: generating a 2048-bit key is slow in a debug build.
enum RemoteKeys {
    /// The key every fake remote actor publishes and signs with.
    static let main = Result { try RSAKeyPair.generate() }
    /// A key nobody publishes: signatures made with it must not verify.
    static let other = Result { try RSAKeyPair.generate() }
}

/// How a fake remote signs the `Digest` of a request.
enum DigestChoice {
    /// The digest of the body sent.
    case correct
    /// The digest of some other body (signed, so only the body check can catch it).
    case of(Data)
    /// No `Digest` header, and `digest` left out of the signed headers.
    case omitted
}

/// A remote ActivityPub actor that exists only in the test: its actor document is stored in the app
/// (no network fetch needed) and it signs requests to the inbox the way Mastodon does.
struct FakeRemote: Sendable {
    let host: String
    let username: String
    let keyPair: RSAKeyPair
    var locked = false

    static let publicCollection = ActivityStreams.publicCollection

    /// `mallory@remote.example`, with the shared key.
    static func mallory() throws -> FakeRemote {
        FakeRemote(host: "remote.example", username: "mallory", keyPair: try RemoteKeys.main.get())
    }

    /// `eve@remote.example`: another actor on mallory's host, with the same published key material.
    static func eve() throws -> FakeRemote {
        FakeRemote(host: "remote.example", username: "eve", keyPair: try RemoteKeys.main.get())
    }

    var actor: String { "https://\(self.host)/users/\(self.username)" }
    var keyID: String { "\(self.actor)#main-key" }
    var followers: String { "\(self.actor)/followers" }
    var acct: String { "\(self.username)@\(self.host)" }

    /// A URI for an object or activity of this actor: `https://host/users/name/<path>`.
    func uri(_ path: String) -> String { "\(self.actor)/\(path)" }

    /// The actor document, shaped like Mastodon's.
    var document: JSON {
        [
            "@context": ActivityStreams.actorContext,
            "id": .string(self.actor),
            "type": "Person",
            "preferredUsername": .string(self.username),
            "name": .string(self.username.capitalized),
            "summary": "<p>a remote account</p>",
            "url": .string("https://\(self.host)/@\(self.username)"),
            "inbox": .string("\(self.actor)/inbox"),
            "outbox": .string("\(self.actor)/outbox"),
            "followers": .string(self.followers),
            "following": .string("\(self.actor)/following"),
            "manuallyApprovesFollowers": .bool(self.locked),
            "endpoints": ["sharedInbox": .string("https://\(self.host)/inbox")],
            "publicKey": [
                "id": .string(self.keyID),
                "owner": .string(self.actor),
                "publicKeyPem": .string(self.keyPair.publicKeyPEM),
            ],
        ]
    }

    /// Stores the actor and its key in `app`, as a fetch of its document would.
    @discardableResult
    func store(in app: TestApp) async throws -> Account {
        try await app.processor.context.federation.resolver.store(self.document, from: self.actor)
    }

    /// Makes the actor's host answer for its document on `network` (for a key refetch).
    func serve(on network: LoopbackNetwork) {
        let router = Router(context: AppRequestContext.self)
        let document = self.document
        router.get("users/:name") { _, context -> Response in
            guard context.parameters.get("name") == self.username else { return Response(status: .notFound) }
            return ActorRoutes.activity(document)
        }
        network.attach(self.host, router.buildResponder())
    }

    // MARK: Activities

    /// A `Create` of a Note by this actor, public unless `to`/`cc` say otherwise.
    func create(
        id noteID: String,
        content: String,
        to: [String] = [FakeRemote.publicCollection],
        cc: [String]? = nil,
        attributedTo: String? = nil,
        extra: [String: JSON] = [:]
    ) -> JSON {
        var note: [String: JSON] = [
            "id": .string(noteID),
            "type": "Note",
            "attributedTo": .string(attributedTo ?? self.actor),
            "content": .string(content),
            "published": "2026-09-21T10:00:00Z",
            "to": .array(to.map(JSON.string)),
            "cc": .array((cc ?? [self.followers]).map(JSON.string)),
        ]
        for (key, value) in extra { note[key] = value }
        return [
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": .string("\(noteID)/activity"),
            "type": "Create",
            "actor": .string(self.actor),
            "to": note["to"] ?? [],
            "cc": note["cc"] ?? [],
            "object": .object(note),
        ]
    }

    /// A plain activity `{id, type, actor, object}`.
    func activity(_ type: String, id: String, object: JSON, extra: [String: JSON] = [:]) -> JSON {
        var body: [String: JSON] = [
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": .string(id),
            "type": .string(type),
            "actor": .string(self.actor),
            "object": object,
        ]
        for (key, value) in extra { body[key] = value }
        return .object(body)
    }

    /// Processes `activity` as if this actor had delivered it (signature already checked).
    func deliver(_ activity: JSON, to app: TestApp) async throws {
        try await app.processor.inbox.process(InboxItem(activity: activity.serialized(), signer: self.actor))
    }

    // MARK: Signing

    /// The header fields of a POST of `body` to `path` on `server`, signed like Mastodon signs.
    /// Every parameter can be set to something wrong, one at a time.
    func signedHeaders(
        body: Data,
        path: String = "/inbox",
        server: String = "tern.test",
        date: Date,
        contentType: String = "application/activity+json",
        digest: DigestChoice = .correct,
        key: RSAKeyPair? = nil,
        keyID: String? = nil,
        created: Date? = nil
    ) throws -> HTTPFields {
        let dateValue = HTTPSignature.httpDate(date)
        var headers: [(name: String, value: String)] = [
            ("Host", server), ("Date", dateValue), ("Content-Type", contentType),
        ]
        // With `created`, the signature covers `(created)` instead of the Date header (hs2019).
        var signed = ["(request-target)", "host", created == nil ? "date" : "(created)"]
        switch digest {
        case .correct:
            headers.append(("Digest", Digest.header(for: body)))
            signed.append("digest")
        case .of(let other):
            headers.append(("Digest", Digest.header(for: other)))
            signed.append("digest")
        case .omitted:
            break
        }
        signed.append("content-type")
        let signingKey = try SigningKey(
            keyID: keyID ?? self.keyID,
            privateKeyPEM: (key ?? self.keyPair).privateKeyPEM
        )
        let signature = try HTTPSignature.sign(
            SignableRequest(method: "POST", target: path, headers: headers),
            headers: signed,
            key: signingKey,
            created: created.map { Int($0.timeIntervalSince1970) }
        )
        headers.append(("Signature", signature))
        var fields = HTTPFields()
        for header in headers {
            guard let name = HTTPField.Name(header.name) else { throw TestFailure("bad header \(header.name)") }
            fields.append(HTTPField(name: name, value: header.value))
        }
        return fields
    }
}

extension TestApp {
    /// How many jobs of `kind` wait.
    func pendingJobs(_ kind: String) async throws -> Int {
        try await self.db.read { try await $0.pendingJobCounts() }[kind] ?? 0
    }

    /// The stored status with ActivityPub id `uri`, if any.
    func storedStatus(_ uri: String) async throws -> Status? {
        try await self.db.read { try await $0.status(uri: uri) }
    }

    /// The stored account with ActivityPub id `uri`, if any.
    func storedAccount(_ uri: String) async throws -> Account? {
        try await self.db.read { try await $0.account(uri: uri) }
    }
}

extension SocialAPI {
    /// One status as `token` sees it; it must be found.
    func statusJSON(_ id: String, _ token: String?) async throws -> [String: Any] {
        let response = try await self.get("/api/v1/statuses/\(id)", token)
        guard response.status == .ok else {
            throw TestFailure("status \(id) answered \(response.status): \(response.text)")
        }
        return response.json
    }

    /// The statuses of the public timeline's remote part, as `token` sees them.
    func remoteTimeline(_ token: String) async throws -> [[String: Any]] {
        let response = try await self.get("/api/v1/timelines/public?remote=true", token)
        guard response.status == .ok else { throw TestFailure("public timeline answered \(response.status)") }
        return response.jsonArray
    }

    /// The one status of the remote timeline whose `uri` is `uri`; it must be there.
    func remoteStatus(uri: String, _ token: String) async throws -> [String: Any] {
        guard let status = try await self.remoteTimeline(token).first(where: { $0["uri"] as? String == uri }) else {
            throw TestFailure("\(uri) is not on the public timeline")
        }
        return status
    }
}
