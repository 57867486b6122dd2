import Core
import Foundation
import HTTPCommon
import Hummingbird
import Processing

/// https://docs.joinmastodon.org/entities/List/
struct ListEntity: ResponseEncodable, Sendable {
    let id: String
    let title: String
    let repliesPolicy: String
    let exclusive: Bool

    init(_ list: AccountList) {
        self.id = list.id.description
        self.title = list.title
        self.repliesPolicy = list.repliesPolicy.rawValue
        self.exclusive = list.exclusive
    }

    enum CodingKeys: String, CodingKey {
        case id, title
        case repliesPolicy = "replies_policy"
        case exclusive
    }
}

/// https://docs.joinmastodon.org/entities/Marker/
struct MarkerEntity: Encodable, Sendable {
    let lastReadId: String
    let version: Int
    let updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case lastReadId = "last_read_id"
        case version
        case updatedAt = "updated_at"
    }
}

/// `/api/v1/lists/*`, `/api/v1/timelines/list/:id`, `/api/v1/accounts/:id/lists`, `/api/v1/markers`.
struct ListsController {
    let lists: ListProcessor
    let urls: URLBuilder

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("lists", use: self.index)
        group.post("lists", use: self.create)
        group.get("lists/:id", use: self.show)
        group.put("lists/:id", use: self.update)
        group.delete("lists/:id", use: self.delete)
        group.get("lists/:id/accounts", use: self.members)
        group.post("lists/:id/accounts", use: self.addMembers)
        group.delete("lists/:id/accounts", use: self.removeMembers)
        group.get("timelines/list/:id", use: self.timeline)
        group.get("accounts/:id/lists", use: self.containing)
        group.get("markers", use: self.markers)
        group.post("markers", use: self.saveMarkers)
    }

    static func listID(_ context: AppRequestContext) throws -> AccountList.ID {
        guard let id = context.parameters.get("id").flatMap(AccountList.ID.init) else { throw DomainError.notFound }
        return id
    }

    static func accountIDs(_ params: RequestParameters) throws -> [Account.ID] {
        let raw = try params.strings("account_ids") ?? []
        let ids = raw.compactMap(Account.ID.init)
        guard ids.count == raw.count else { throw DomainError.notFound }
        return ids
    }

    @Sendable func index(_ request: Request, context: AppRequestContext) async throws -> [ListEntity] {
        let viewer = try StatusesController.viewer(context, scope: "read:lists")
        return try await self.lists.lists(of: viewer).map(ListEntity.init)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> ListEntity {
        let viewer = try StatusesController.viewer(context, scope: "read:lists")
        return ListEntity(try await self.lists.list(try Self.listID(context), of: viewer))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> ListEntity {
        try await self.save(request, context, id: nil)
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> ListEntity {
        try await self.save(request, context, id: try Self.listID(context))
    }

    private func save(_ request: Request, _ context: AppRequestContext, id: AccountList.ID?) async throws -> ListEntity
    {
        let viewer = try StatusesController.viewer(context, scope: "write:lists")
        let params = try await request.parameters(context: context)
        let list = try await self.lists.save(
            id,
            title: try params.string("title"),
            repliesPolicy: try params.string("replies_policy"),
            exclusive: try params.bool("exclusive"),
            by: viewer
        )
        return ListEntity(list)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: "write:lists")
        try await self.lists.delete(try Self.listID(context), by: viewer)
        return MastodonErrorMiddleware.json(.ok, [:])
    }

    @Sendable func members(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: "read:lists")
        let params = try await request.parameters(context: context)
        // limit=0 means "all" in Mastodon; 80 is enough for a page of a list.
        var page = try Pagination.page(params, default: 40, max: 80)
        if try params.int("limit") == 0 { page.limit = 80 }
        let result = try await self.lists.members(try Self.listID(context), of: viewer, page: page)
        return try Pagination.response(result, request: request, urls: self.urls)
    }

    @Sendable func addMembers(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: "write:lists")
        let params = try await request.parameters(context: context)
        try await self.lists.addMembers(try Self.listID(context), accounts: try Self.accountIDs(params), by: viewer)
        return MastodonErrorMiddleware.json(.ok, [:])
    }

    @Sendable func removeMembers(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: "write:lists")
        let params = try await request.parameters(context: context)
        try await self.lists.removeMembers(try Self.listID(context), accounts: try Self.accountIDs(params), by: viewer)
        return MastodonErrorMiddleware.json(.ok, [:])
    }

    @Sendable func timeline(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: "read:lists")
        let page = try Pagination.page(try await request.parameters(context: context), default: 20, max: 40)
        let result = try await self.lists.timeline(try Self.listID(context), for: viewer, page: page)
        return try Pagination.response(result, request: request, urls: self.urls)
    }

    @Sendable func containing(_ request: Request, context: AppRequestContext) async throws -> [ListEntity] {
        let viewer = try StatusesController.viewer(context, scope: "read:lists")
        guard let id = context.parameters.get("id").flatMap(Account.ID.init) else { throw DomainError.notFound }
        return try await self.lists.lists(of: viewer, containing: id).map(ListEntity.init)
    }

    func markerBody(_ markers: [Marker]) throws -> Response {
        var entities: [String: MarkerEntity] = [:]
        for marker in markers {
            entities[marker.timeline] = MarkerEntity(
                lastReadId: marker.lastReadID,
                version: marker.version,
                updatedAt: marker.updatedAt
            )
        }
        return try MastodonJSONEncoder.response(entities)
    }

    @Sendable func markers(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: "read:statuses")
        let params = try await request.parameters(context: context)
        let timelines = try params.strings("timeline") ?? ["home", "notifications"]
        return try self.markerBody(try await self.lists.markers(of: viewer, timelines: timelines))
    }

    @Sendable func saveMarkers(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: "write:statuses")
        let params = try await request.parameters(context: context)
        var positions: [String: String] = [:]
        for timeline in ListProcessor.markerTimelines {
            if let marker = try params.object(timeline), let id = try marker.string("last_read_id") {
                positions[timeline] = id
            }
        }
        return try self.markerBody(try await self.lists.saveMarkers(positions, by: viewer))
    }
}
