import Core
import Foundation
import HTTPCommon
import Hummingbird
import Storage

/// The ActivityPub documents of local accounts: actors, their collections and their public statuses,
/// plus the instance actor. Browsers asking for HTML are sent to the profile or status page.
package struct ActorRoutes: Sendable {
    let db: Database
    let urls: URLBuilder
    let keys: KeyStore
    let media: any MediaStore
    static let pageSize = 20

    package init(db: Database, urls: URLBuilder, keys: KeyStore, media: any MediaStore) {
        self.db = db
        self.urls = urls
        self.keys = keys
        self.media = media
    }

    package func addRoutes(to router: Router<AppRequestContext>) {
        router.get("actor", use: self.instanceActor)
        router.get("users/:username", use: self.actor)
        router.get("users/:username/outbox", use: self.outbox)
        router.get("users/:username/followers", use: self.followers)
        router.get("users/:username/following", use: self.following)
        router.get("users/:username/collections/featured", use: self.featured)
        router.get("users/:username/collections/tags", use: self.featuredTags)
        router.get("users/:username/statuses/:id", use: self.status)
        router.get("users/:username/statuses/:id/activity", use: self.statusActivity)
        // The `url`s (`/@username`, `/@username/:id`) are mounted by the caller, which sends
        // ActivityPub clients to `profileURL`/`statusURL` and browsers to the HTML pages.
    }

    // MARK: Actors

    @Sendable func instanceActor(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, publicKey) = try await self.keys.instanceKey()
        return Self.activity(ActorDocument.instance(publicKeyPEM: publicKey, urls: self.urls))
    }

    @Sendable func actor(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let account = try await self.localAccount(context) else {
            // A deleted account's actor is gone for good (410), so servers drop what they keep of it.
            if let username = context.parameters.get("username"), username.count <= 64,
                let deleted = try await self.db.read({ try await $0.account(username: username, domain: nil) }),
                deleted.deletedAt != nil
            {
                return Response(status: .gone)
            }
            return Self.notFound
        }
        guard ActivityStreams.isActivityJSON(request.headers[.accept]) else {
            return Self.redirect(self.urls.profile(account.username))
        }
        let publicKey = try await self.keys.publicKeyPEM(for: account)
        return Self.activity(ActorDocument.person(account, publicKeyPEM: publicKey, urls: self.urls))
    }

    /// The actor document at its profile page's URL, so a pasted link resolves (as Mastodon's do).
    @Sendable package func profileURL(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard ActivityStreams.isActivityJSON(request.headers[.accept]) else { return Self.notFound }
        return try await self.actor(request, context: context)
    }

    /// The note at its page's URL.
    @Sendable package func statusURL(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard ActivityStreams.isActivityJSON(request.headers[.accept]) else { return Self.notFound }
        return try await self.status(request, context: context)
    }

    // MARK: Collections

    @Sendable func outbox(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let account = try await self.localAccount(context) else { return Self.notFound }
        let id = self.urls.outbox(account.username)
        guard request.uri.queryParameters.get("page") == "true" else {
            return Self.activity(
                Self.collection(
                    id: id,
                    total: account.statusesCount,
                    first: "\(id)?page=true",
                    last: "\(id)?min_id=0&page=true"
                )
            )
        }
        let maxID = request.uri.queryParameters.get("max_id").flatMap(Int64.init)
        let minID = request.uri.queryParameters.get("min_id").flatMap(Int64.init)
        var filter = DBSession.AccountStatusFilter(visibilities: [.public, .unlisted])
        filter.excludeReblogs = true
        let items: [JSON] = try await self.db.read { session in
            let ids = try await session.accountStatuses(
                of: account.id,
                filter: filter,
                page: minID.map { PageRequest(minID: $0, limit: Self.pageSize) }
                    ?? PageRequest(maxID: maxID, limit: Self.pageSize)
            )
            let statuses = try await session.statuses(ids: ids).sorted { $0.id > $1.id }
            var items: [JSON] = []
            for status in statuses {
                let source = try await NoteSource.load(status, author: account, in: session, media: self.media)
                var create = NoteDocument.create(source, urls: self.urls).object ?? [:]
                create["@context"] = nil
                items.append(.object(create))
            }
            return items
        }
        let lastID = items.last?["object"]?["id"]?.string.flatMap { $0.split(separator: "/").last }.flatMap {
            Int64($0)
        }
        return Self.activity(
            Self.page(
                id: "\(id)?page=true\(maxID.map { "&max_id=\($0)" } ?? "")",
                partOf: id,
                items: items,
                next: items.count == Self.pageSize ? lastID.map { "\(id)?max_id=\($0)&page=true" } : nil
            )
        )
    }

    @Sendable func followers(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.followCollection(request, context: context, followers: true)
    }

    @Sendable func following(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.followCollection(request, context: context, followers: false)
    }

    func followCollection(_ request: Request, context: AppRequestContext, followers: Bool) async throws -> Response {
        guard let account = try await self.localAccount(context) else { return Self.notFound }
        let id = followers ? self.urls.followers(account.username) : self.urls.following(account.username)
        let total = followers ? account.followersCount : account.followingCount
        guard let pageNumber = request.uri.queryParameters.get("page").flatMap(Int.init), pageNumber >= 1,
            !account.hideCollections
        else {
            return Self.activity(
                Self.collection(id: id, total: total, first: account.hideCollections ? nil : "\(id)?page=1")
            )
        }
        let maxID = request.uri.queryParameters.get("max_id").flatMap(Int64.init)
        let rows = try await self.db.read {
            try await $0.followPage(of: account.id, followers: followers, page: PageRequest(maxID: maxID, limit: 40))
        }
        let next = rows.count == 40 ? rows.last.map { "\(id)?page=\(pageNumber + 1)&max_id=\($0.0)" } : nil
        return Self.activity(
            Self.page(
                id: "\(id)?page=\(pageNumber)",
                partOf: id,
                items: rows.map { .string($0.1.uri) },
                next: next,
                total: total
            )
        )
    }

    @Sendable func featured(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let account = try await self.localAccount(context) else { return Self.notFound }
        let notes: [JSON] = try await self.db.read { session in
            let ids = try await session.pinnedStatuses(of: account.id)
            let statuses = try await session.statuses(ids: ids)
                .filter { $0.visibility == .public || $0.visibility == .unlisted }
            var notes: [JSON] = []
            for status in statuses {
                notes.append(
                    NoteDocument.note(
                        try await NoteSource.load(status, author: account, in: session, media: self.media),
                        urls: self.urls
                    )
                )
            }
            return notes
        }
        return Self.activity(
            [
                "@context": ActivityStreams.noteContext, "id": .string(self.urls.featured(account.username)),
                "type": "OrderedCollection", "totalItems": .number(Double(notes.count)), "orderedItems": .array(notes),
            ]
        )
    }

    @Sendable func featuredTags(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let account = try await self.localAccount(context) else { return Self.notFound }
        return Self.activity(
            [
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": .string(self.urls.featuredTags(account.username)),
                "type": "Collection", "totalItems": 0, "items": [],
            ]
        )
    }

    // MARK: Statuses

    @Sendable func status(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let (account, status) = try await self.publicStatus(context) else { return Self.notFound }
        guard ActivityStreams.isActivityJSON(request.headers[.accept]) else {
            return Self.redirect(status.url ?? self.urls.statusPage(account.username, status.id.rawValue))
        }
        let source = try await self.db.read {
            try await NoteSource.load(status, author: account, in: $0, media: self.media)
        }
        var note = NoteDocument.note(source, urls: self.urls).object ?? [:]
        note["@context"] = ActivityStreams.noteContext
        return Self.activity(.object(note))
    }

    @Sendable func statusActivity(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let (account, status) = try await self.publicStatus(context) else { return Self.notFound }
        let source = try await self.db.read {
            try await NoteSource.load(status, author: account, in: $0, media: self.media)
        }
        return Self.activity(NoteDocument.create(source, urls: self.urls))
    }

    /// A local, public or unlisted, original status of the named account; anything else is not found
    /// (followers-only posts are not served to anonymous fetches).
    func publicStatus(_ context: AppRequestContext) async throws -> (Account, Status)? {
        guard let account = try await self.localAccount(context),
            let id = context.parameters.get("id").flatMap(Int64.init)
        else { return nil }
        guard let status = try await self.db.read({ try await $0.status(id: Status.ID(id)) }),
            status.accountID == account.id, status.reblogOfID == nil,
            status.visibility == .public || status.visibility == .unlisted
        else { return nil }
        return (account, status)
    }

    func localAccount(_ context: AppRequestContext) async throws -> Account? {
        guard let username = context.parameters.get("username"), !username.isEmpty, username.count <= 64 else {
            return nil
        }
        guard let account = try await self.db.read({ try await $0.account(username: username, domain: nil) }),
            !account.isSuspended
        else { return nil }
        return account
    }

    // MARK: Documents

    static func collection(id: String, total: Int, first: String?, last: String? = nil) -> JSON {
        var body: [String: JSON] = [
            "@context": "https://www.w3.org/ns/activitystreams", "id": .string(id), "type": "OrderedCollection",
            "totalItems": .number(Double(total)),
        ]
        if let first { body["first"] = .string(first) }
        if let last { body["last"] = .string(last) }
        return .object(body)
    }

    static func page(id: String, partOf: String, items: [JSON], next: String?, total: Int? = nil) -> JSON {
        var body: [String: JSON] = [
            "@context": ActivityStreams.noteContext, "id": .string(id), "type": "OrderedCollectionPage",
            "partOf": .string(partOf), "orderedItems": .array(items),
        ]
        if let next { body["next"] = .string(next) }
        if let total { body["totalItems"] = .number(Double(total)) }
        return .object(body)
    }

    /// An ActivityPub document response.
    package static func activity(_ body: JSON, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "application/activity+json; charset=utf-8", .vary: "Accept",
                .cacheControl: "max-age=60, public",
            ],
            body: .init(byteBuffer: ByteBuffer(string: body.serialized()))
        )
    }

    static var notFound: Response { Response(status: .notFound) }

    static func redirect(_ location: String) -> Response {
        Response(status: .found, headers: [.location: location, .vary: "Accept"])
    }
}
