import Core
import Foundation
import Logging
import NIOPosix
import Storage

/// Fetches remote actors and objects (signed by the instance actor) and keeps remote accounts current.
package struct Resolver: Sendable {
    let db: Database
    let urls: URLBuilder
    let ids: IDGenerator
    let clock: Clock
    let keys: KeyStore
    let client: RedirectingClient
    let schemes: HostSchemes
    let logger: Logger
    /// A stored actor older than this is fetched again when asked for.
    static let refreshAfter: TimeInterval = 86_400

    package init(
        db: Database,
        urls: URLBuilder,
        ids: IDGenerator,
        clock: Clock,
        keys: KeyStore,
        transport: any HTTPTransport,
        schemes: HostSchemes,
        logger: Logger
    ) {
        self.db = db
        self.urls = urls
        self.ids = ids
        self.clock = clock
        self.keys = keys
        self.client = RedirectingClient(transport: transport)
        self.schemes = schemes
        self.logger = logger
    }

    // MARK: Documents

    /// GETs an ActivityPub document, signed by the instance actor. The document must come from the host
    /// of the URL it was finally served from, and its `id` must be on that host.
    package func fetch(_ uri: String) async throws -> JSON {
        guard let url = URL(string: uri), let host = URLBuilder.authority(of: uri) else {
            throw ResolveError.invalidURI(uri)
        }
        guard !self.urls.isLocal(uri) else { throw ResolveError.local(uri) }
        let response = try await self.signedGet(url, accept: ActivityStreams.accept)
        guard response.status == 200 else {
            throw response.status == 404 || response.status == 410
                ? ResolveError.gone(uri) : ResolveError.status(response.status, uri)
        }
        guard ActivityStreams.isActivityContentType(response.header("content-type")) else {
            throw ResolveError.notActivityJSON(uri)
        }
        let document = try JSON.parse(response.body)
        let finalHost = URLBuilder.authority(of: response.finalURL.absoluteString) ?? host
        guard let id = document["id"]?.string, URLBuilder.authority(of: id) == finalHost else {
            throw ResolveError.originMismatch(uri)
        }
        return document
    }

    /// A GET signed by the instance actor; each redirect hop is signed again for its own URL.
    func signedGet(_ url: URL, accept: String) async throws -> OutboundResponse {
        let (key, _) = try await self.keys.instanceKey()
        let clock = self.clock
        return try await self.client.send(OutboundRequest(method: "GET", url: url, headers: [("Accept", accept)])) {
            hop in
            var request = hop
            request.headers.removeAll { ["date", "signature"].contains($0.name.lowercased()) }
            let host = URLBuilder.authority(of: request.url.absoluteString) ?? (request.url.host ?? "")
            request.headers.append(("Date", HTTPSignature.httpDate(clock.now())))
            let signature = try HTTPSignature.sign(
                SignableRequest(
                    method: "GET",
                    target: OutboundRequest.target(of: request.url),
                    headers: request.headers + [("Host", host)]
                ),
                headers: ["(request-target)", "host", "date", "accept"],
                key: key
            )
            request.headers.append(("Signature", signature))
            return request
        }
    }

    // MARK: Actors

    /// The account of an actor URI: stored, or fetched and stored. `refresh` fetches a stale one again.
    package func account(uri: String, refresh: Bool = false) async throws -> Account {
        if let stored = try await self.db.read({ try await $0.account(uri: uri) }) {
            let stale = (stored.fetchedAt ?? .distantPast).addingTimeInterval(Self.refreshAfter) < self.clock.now()
            if stored.isLocal || !(refresh || stale) { return stored }
            do {
                return try await self.store(try await self.fetch(uri), from: uri)
            } catch {
                self.logger.debug("refreshing \(uri) failed: \(error)")
                return stored
            }
        }
        return try await self.store(try await self.fetch(uri), from: uri)
    }

    /// The actor owning `keyID` and that key. `refresh` fetches the actor again (a rotated key).
    package func key(_ keyID: String, refresh: Bool = false) async throws -> (Account, AccountKey) {
        if !refresh, let key = try await self.db.read({ try await $0.accountKey(keyID: keyID) }),
            let account = try await self.db.read({ try await $0.account(id: key.accountID) })
        {
            return (account, key)
        }
        let documentURI = keyID.split(separator: "#", maxSplits: 1).first.map(String.init) ?? keyID
        var document = try await self.fetch(documentURI)
        // Some servers publish the key as its own object with an owner.
        if document["publicKeyPem"] != nil, let owner = document["owner"]?.id {
            guard URLBuilder.authority(of: owner) == URLBuilder.authority(of: keyID) else {
                throw ResolveError.originMismatch(keyID)
            }
            document = try await self.fetch(owner)
        }
        let account = try await self.store(document, from: documentURI)
        guard let key = try await self.db.read({ try await $0.accountKey(of: account.id) }), key.keyID == keyID else {
            throw ResolveError.keyNotOwned(keyID)
        }
        return (account, key)
    }

    /// Stores (inserts or updates) the account an actor document describes.
    @discardableResult
    package func store(_ document: JSON, from uri: String) async throws -> Account {
        guard let host = URLBuilder.authority(of: document["id"]?.string ?? uri),
            let remote = RemoteActor.parse(document, fetchedFrom: host, id: self.ids.next(), now: self.clock.now())
        else { throw ResolveError.notAnActor(uri) }
        do {
            return try await self.store(remote, host: host)
        } catch StorageError.duplicate {
            // Two deliveries from a new actor at once (a Follow of two people) both inserted it; the
            // second finds it now and updates it instead.
            return try await self.store(remote, host: host)
        }
    }

    private func store(_ remote: RemoteActor, host: String) async throws -> Account {
        try await self.db.transaction { session in
            var account = remote.account
            var previousFields: [Account.Field] = []
            var previousImages: [String?] = [nil, nil]
            if let existing = try await session.account(uri: account.uri) {
                previousImages = [existing.avatarRemoteURL, existing.headerRemoteURL]
                account.id = existing.id
                account.username = existing.username
                // Unchanged field values keep their verification; new ones are checked again below.
                previousFields = existing.fields
                let verified = Dictionary(
                    existing.fields.map { ($0.valueHTML, $0.verifiedAt) },
                    uniquingKeysWith: { first, _ in first }
                )
                for index in account.fields.indices {
                    account.fields[index].verifiedAt = verified[account.fields[index].valueHTML] ?? nil
                }
                try await session.updateRemoteAccount(account)
            } else if let clash = try await session.account(username: account.username, domain: host) {
                // Another actor took over this handle on its server: the newer document wins the handle.
                account.id = clash.id
                try await session.updateRemoteAccountURI(clash.id, uri: account.uri)
                try await session.updateRemoteAccount(account)
            } else {
                try await session.insertAccount(account)
                try await session.recordPeers([host])
            }
            let newValues = Set(account.fields.map(\.valueHTML)).subtracting(previousFields.map(\.valueHTML))
            if newValues.contains(where: { $0.contains("http") }) {
                try await session.enqueue(.verifyLinks(accountID: account.id.rawValue), id: self.ids.next())
            }
            // New or changed pictures are fetched into the media cache; until then they show from their server.
            let images = [account.avatarRemoteURL, account.headerRemoteURL]
            if images != previousImages {
                try await session.enqueue(.cacheProfileImages(accountID: account.id.rawValue), id: self.ids.next())
            }
            try await session.updateRemoteCounts(
                account.id,
                followers: remote.followersCount,
                following: remote.followingCount,
                statuses: remote.statusesCount
            )
            try await session.upsertAccountKey(
                AccountKey(
                    accountID: account.id,
                    keyID: remote.keyID,
                    publicKeyPEM: remote.publicKeyPEM,
                    privateKeyPEM: nil
                )
            )
            return try await session.account(id: account.id) ?? account
        }
    }

    // MARK: WebFinger

    /// The account `username@domain`: stored, or found through WebFinger and its actor document.
    package func account(username: String, domain: String) async throws -> Account {
        let host = domain.lowercased()
        if let stored = try await self.db.read({ try await $0.account(username: username, domain: host) }) {
            return stored
        }
        let scheme = await self.schemes.scheme(for: host)
        var components = URLComponents()
        components.scheme = scheme
        components.percentEncodedHost = host.split(separator: ":").first.map(String.init)
        if let port = host.split(separator: ":").dropFirst().first.flatMap({ Int($0) }) { components.port = port }
        components.path = "/.well-known/webfinger"
        components.queryItems = [URLQueryItem(name: "resource", value: "acct:\(username)@\(host)")]
        guard let url = components.url else { throw ResolveError.invalidURI(host) }
        let response = try await self.client.send(
            OutboundRequest(
                method: "GET",
                url: url,
                headers: [("Accept", "application/jrd+json, application/json")],
                body: nil
            )
        )
        guard response.status == 200 else { throw ResolveError.status(response.status, url.absoluteString) }
        let document = try JSON.parse(response.body)
        let selfLink = document["links"]?.list.first { link in
            link["rel"]?.string == "self" && ActivityStreams.isActivityJSON(link["type"]?.string)
        }
        guard let actorURI = selfLink?["href"]?.string else { throw ResolveError.notAnActor(url.absoluteString) }
        let account = try await self.account(uri: actorURI, refresh: true)
        // The actor must be on the host that answered for it (or name it as its account domain).
        guard account.username.lowercased() == username.lowercased() else {
            throw ResolveError.originMismatch(actorURI)
        }
        return account
    }
}

/// Decides whether a host is reached over https or plain http (only hosts in the allowed ranges).
package struct HostSchemes: Sendable {
    let plainHTTP: @Sendable (String) async -> Bool

    package init(plainHTTP: @escaping @Sendable (String) async -> Bool) {
        self.plainHTTP = plainHTTP
    }

    /// `https` unless the host's addresses are all exempted by the operator.
    package func scheme(for host: String) async -> String {
        await self.plainHTTP(host) ? "http" : "https"
    }

    /// Always https.
    package static let httpsOnly = HostSchemes { _ in false }
}

/// Why a remote document could not be had.
package enum ResolveError: Error, Equatable, CustomStringConvertible {
    case invalidURI(String)
    case local(String)
    case gone(String)
    case status(Int, String)
    case notActivityJSON(String)
    case originMismatch(String)
    case notAnActor(String)
    case keyNotOwned(String)

    package var description: String {
        switch self {
        case .invalidURI(let uri): "not a fetchable URI: \(uri)"
        case .local(let uri): "a local URI: \(uri)"
        case .gone(let uri): "gone: \(uri)"
        case .status(let code, let uri): "status \(code) from \(uri)"
        case .notActivityJSON(let uri): "not an ActivityPub document: \(uri)"
        case .originMismatch(let uri): "document id not on the host that served it: \(uri)"
        case .notAnActor(let uri): "not an actor: \(uri)"
        case .keyNotOwned(let key): "key not owned by the actor that publishes it: \(key)"
        }
    }
}

extension AddressGuard {
    /// Whether every address `host` (`name` or `name:port`) resolves to is exempted by the operator, so the
    /// peer may be reached over plain http. False when it cannot be resolved.
    package func allowsPlainHTTP(host: String) async -> Bool {
        guard !self.allowed.isEmpty else { return false }
        let name: String
        if host.hasPrefix("["), let end = host.firstIndex(of: "]") {
            name = String(host[host.index(after: host.startIndex)..<end])
        } else {
            name = host.split(separator: ":").first.map(String.init) ?? host
        }
        if let literal = IPAddress(name) { return self.allowsPlainHTTP(literal) }
        guard
            let addresses = try? await NIOThreadPool.singleton.runIfActive({
                try SystemResolver.resolve(host: name, port: 80)
            }), !addresses.isEmpty
        else { return false }
        return addresses.allSatisfy { address in IPAddress(address).map(self.allowsPlainHTTP) ?? false }
    }
}
