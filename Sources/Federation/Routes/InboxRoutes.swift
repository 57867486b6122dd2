import Core
import Foundation
import HTTPCommon
import Hummingbird
import Logging
import Storage

/// `POST /inbox` (shared) and `POST /users/:username/inbox`: check, verify, enqueue, answer 202.
///
/// Nothing is written before every check passed, except what verifying needs: the signer's actor
/// document, fetched once and cached like any remote account. Refusals carry a JSON `error` naming the
/// failed check.
package struct InboxRoutes: Sendable {
    let db: Database
    let urls: URLBuilder
    let ids: IDGenerator
    let clock: Clock
    let federation: FederationContext
    let logger: Logger
    let cache: InboxCache
    static let maxBody = 1 << 20
    static let maxDepth = 32

    package init(
        db: Database,
        urls: URLBuilder,
        ids: IDGenerator,
        clock: Clock,
        federation: FederationContext,
        logger: Logger
    ) {
        self.db = db
        self.urls = urls
        self.ids = ids
        self.clock = clock
        self.federation = federation
        self.cache = InboxCache(clock: clock)
        self.logger = logger
    }

    package func addRoutes(to router: Router<AppRequestContext>) {
        router.post("inbox", use: self.sharedInbox)
        router.post("users/:username/inbox", use: self.accountInbox)
    }

    @Sendable func sharedInbox(_ request: Request, context: AppRequestContext) async throws -> Response {
        await self.receive(request, recipient: nil)
    }

    @Sendable func accountInbox(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let username = context.parameters.get("username"), username.count <= 64,
            let account = try await self.db.read({ try await $0.account(username: username, domain: nil) }),
            !account.isSuspended
        else { return Self.refuse(.notFound, "no such inbox") }
        return await self.receive(request, recipient: account.id)
    }

    /// Runs every check; each failure answers its status and stores nothing.
    func receive(_ request: Request, recipient: Account.ID?) async -> Response {
        do {
            let item = try await self.verify(request, recipient: recipient)
            let host = URLBuilder.authority(of: item.signer)
            let recordAlive = host.map(self.cache.shouldRecordAlive) ?? false
            try await self.db.transaction { session in
                try await session.enqueue(.inbox(item), id: self.ids.next())
                if recordAlive, let host {
                    try await session.recordPeerAlive(domain: host)
                }
            }
            return Response(status: .accepted)
        } catch let refusal as InboxRefusal {
            self.logger.debug("inbox refused: \(refusal.status.code) \(refusal.reason)")
            return Self.refuse(refusal.status, refusal.reason)
        } catch {
            self.logger.warning("inbox failed: \(String(reflecting: error))")
            return Self.refuse(.internalServerError, "internal error")
        }
    }

    /// The checks, in order of cost. Returns what the job will process.
    func verify(_ request: Request, recipient: Account.ID?) async throws -> InboxItem {
        guard ActivityStreams.isActivityContentType(request.headers[.contentType]) else {
            throw InboxRefusal(.unsupportedMediaType, "content type must be application/activity+json")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > Self.maxBody {
            throw InboxRefusal(.contentTooLarge, "body over \(Self.maxBody) bytes")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: Self.maxBody)
        } catch {
            throw InboxRefusal(.contentTooLarge, "body over \(Self.maxBody) bytes")
        }
        let body = Data(buffer: buffer)
        // HTTP/1 servers turn `Host` into the request's authority; a proxy or test may leave it a field.
        var headers = request.headers.map { (name: $0.name.canonicalName, value: $0.value) }
        if !headers.contains(where: { $0.name.lowercased() == "host" }), let authority = request.head.authority {
            headers.append((name: "host", value: authority))
        }
        let signable = SignableRequest(
            method: request.method.rawValue,
            target: request.uri.description,
            headers: headers
        )
        let scheme = try self.signatureScheme(request, signable: signable, body: body)
        let activity: JSON
        do {
            activity = try JSON.parse(body, maxDepth: Self.maxDepth)
        } catch JSONError.tooDeep {
            throw InboxRefusal(.badRequest, "JSON nested too deeply")
        } catch {
            throw InboxRefusal(.badRequest, "body is not JSON")
        }
        guard activity.object != nil, activity.type != nil, let actor = activity["actor"]?.id,
            let actorHost = URLBuilder.authority(of: actor)
        else { throw InboxRefusal(.badRequest, "not an activity with an actor") }
        guard !self.federation.isBlocked(actorHost) else { throw InboxRefusal(.forbidden, "host is blocked") }
        guard URLBuilder.authority(of: scheme.keyID) == actorHost else {
            throw InboxRefusal(.unauthorized, "key and actor are on different hosts")
        }
        guard !self.urls.isLocal(actor) else { throw InboxRefusal(.unauthorized, "actor is local") }
        let signer = try await self.verifiedSigner(scheme, activity: activity)
        guard signer.uri == actor else { throw InboxRefusal(.unauthorized, "signer is not the activity's actor") }
        guard !signer.isSuspended else { throw InboxRefusal(.forbidden, "actor is suspended") }
        return InboxItem(
            activity: String(decoding: body, as: UTF8.self),
            signer: signer.uri,
            recipient: recipient?.rawValue
        )
    }

    /// How a request is signed: draft-cavage (`Signature`) or RFC 9421 (`Signature-Input` + `Signature`).
    enum SignatureScheme {
        case cavage(SignatureParameters, SignableRequest)
        case message(MessageSignature, MessageSignature.Message, hasBody: Bool)

        var keyID: String {
            switch self {
            case .cavage(let parameters, _): parameters.keyID
            case .message(let signature, _, _): signature.keyID
            }
        }
    }

    /// Parses the signature and checks what needs no key: freshness and the body's digest.
    func signatureScheme(_ request: Request, signable: SignableRequest, body: Data) throws -> SignatureScheme {
        let now = self.clock.now()
        if let input = signable.header("signature-input"), let value = signable.header("signature") {
            guard let signature = MessageSignature.parse(signatureInput: input, signature: value) else {
                throw InboxRefusal(.unauthorized, "malformed signature")
            }
            guard let created = signature.created else { throw InboxRefusal(.unauthorized, "signature has no created") }
            do {
                try HTTPSignature.checkWindow(
                    created: TimeInterval(created),
                    expires: signature.expires.map(TimeInterval.init),
                    now: now
                )
            } catch {
                throw InboxRefusal(.unauthorized, "Date outside the accepted window")
            }
            if !body.isEmpty {
                guard let digest = signable.header("content-digest") else {
                    throw InboxRefusal(.unauthorized, "no Content-Digest header")
                }
                guard ContentDigest.matches(digest, body: body) else {
                    throw InboxRefusal(.unauthorized, "Content-Digest does not match body")
                }
            }
            let message = MessageSignature.Message(
                method: request.method.rawValue,
                scheme: self.urls.scheme,
                authority: signable.header("host") ?? self.urls.domain,
                target: request.uri.description,
                headers: signable
            )
            return .message(signature, message, hasBody: !body.isEmpty)
        }
        guard let header = signable.header("signature") ?? Self.authorizationSignature(request) else {
            throw InboxRefusal(.unauthorized, "request is not signed")
        }
        guard let parameters = SignatureParameters.parse(header) else {
            throw InboxRefusal(.unauthorized, "malformed signature")
        }
        // Freshness as Mastodon judges it: the signed `(created)` for hs2019, else the `Date` header.
        if parameters.created == nil && request.headers[.date] == nil {
            throw InboxRefusal(.unauthorized, "no Date header")
        }
        do {
            try HTTPSignature.checkTimeWindow(signable, parameters: parameters, now: now)
        } catch {
            throw InboxRefusal(.unauthorized, "Date outside the accepted window")
        }
        guard let digest = signable.header("digest") else { throw InboxRefusal(.unauthorized, "no Digest header") }
        guard Digest.matches(digest, body: body) else {
            throw InboxRefusal(.unauthorized, "Digest does not match body")
        }
        return .cavage(parameters, signable)
    }

    func check(_ scheme: SignatureScheme, with key: VerifyingKey) throws {
        switch scheme {
        case .cavage(let parameters, let request):
            try HTTPSignature.verify(request, parameters: parameters, key: key)
        case .message(let signature, let message, let hasBody):
            try signature.verify(message, hasBody: hasBody, key: key, now: self.clock.now())
        }
    }

    /// The account whose key signed the request; a failed check refetches the key once (it may have rotated).
    func verifiedSigner(_ scheme: SignatureScheme, activity: JSON) async throws -> Account {
        let keyID = scheme.keyID
        if let (account, key) = self.cache.key(keyID), (try? self.check(scheme, with: key)) != nil {
            return account
        }
        var refreshed = false
        while true {
            let account: Account
            let key: AccountKey
            do {
                (account, key) = try await self.federation.resolver.key(keyID, refresh: refreshed)
            } catch ResolveError.gone(let uri) where Self.isSelfDelete(activity, actor: uri) {
                // An actor deleting itself whose document is already gone: nothing to verify or to do.
                throw InboxRefusal(.accepted, "actor already gone")
            } catch {
                throw InboxRefusal(.unauthorized, "signing key unavailable: \(error)")
            }
            do {
                let verifying = try VerifyingKey(publicKeyPEM: key.publicKeyPEM)
                try self.check(scheme, with: verifying)
                self.cache.remember(keyID, signer: account, key: verifying)
                return account
            } catch let error as SignatureError {
                if refreshed || error != .badSignature {
                    throw InboxRefusal(.unauthorized, "signature: \(error)")
                }
                refreshed = true
            }
        }
    }

    static func isSelfDelete(_ activity: JSON, actor keyDocument: String) -> Bool {
        guard activity.type == "Delete", let actor = activity["actor"]?.id else { return false }
        return activity["object"]?.id == actor && keyDocument == actor
    }

    static func authorizationSignature(_ request: Request) -> String? {
        guard let value = request.headers[.authorization], value.lowercased().hasPrefix("signature ") else {
            return nil
        }
        return String(value.dropFirst("signature ".count))
    }

    static func refuse(_ status: HTTPResponse.Status, _ reason: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: JSON.object(["error": .string(reason)]).serialized()))
        )
    }
}

/// A refused inbound request: the status to answer and why.
struct InboxRefusal: Error {
    let status: HTTPResponse.Status
    let reason: String

    init(_ status: HTTPResponse.Status, _ reason: String) {
        self.status = status
        self.reason = reason
    }
}
