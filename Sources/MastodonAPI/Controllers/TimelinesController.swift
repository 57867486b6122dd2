import Core
import HTTPCommon
import Hummingbird
import Processing

/// `/api/v1/timelines/*`, `/api/v1/favourites`, `/api/v1/bookmarks` —
/// https://docs.joinmastodon.org/methods/timelines/
struct TimelinesController {
    let timelines: TimelineProcessor
    let urls: URLBuilder

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("timelines/home", use: self.home)
        group.get("timelines/public", use: self.publicTimeline)
        group.get("timelines/tag/:hashtag", use: self.tag)
        group.get("timelines/link", use: self.link)
        group.get("favourites", use: self.favourites)
        group.get("bookmarks", use: self.bookmarks)
        group.get("trends/statuses", use: self.trendingStatuses)
    }

    /// `GET /api/v1/trends/statuses`: `limit` (20, at most 40) and `offset`, signed in or not.
    @Sendable func trendingStatuses(_ request: Request, context: AppRequestContext) async throws -> [StatusEntity] {
        let viewer = try StatusesController.optionalViewer(context)
        let params = try await request.parameters(context: context)
        let views = try await self.timelines.trending(
            for: viewer,
            limit: try params.int("limit") ?? 20,
            offset: try params.int("offset") ?? 0
        )
        return views.map { StatusEntity($0, urls: self.urls) }
    }

    func respond(_ page: Page<StatusView>, _ request: Request) throws -> Response {
        try Pagination.response(page, request: request, urls: self.urls)
    }

    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: "read:statuses")
        let page = try Pagination.page(try await request.parameters(context: context), default: 20, max: 40)
        return try self.respond(try await self.timelines.home(for: viewer, page: page), request)
    }

    @Sendable func publicTimeline(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.optionalViewer(context)
        let params = try await request.parameters(context: context)
        let page = try Pagination.page(params, default: 20, max: 40)
        if try params.bool("only_media") == true {
            return try self.respond(Page(items: [], newestID: nil, oldestID: nil), request)
        }
        let scope: PublicTimelineScope =
            try params.bool("local") == true ? .local : (try params.bool("remote") == true ? .remote : .all)
        return try self.respond(try await self.timelines.publicTimeline(scope, for: viewer, page: page), request)
    }

    @Sendable func tag(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.optionalViewer(context)
        let params = try await request.parameters(context: context)
        let page = try Pagination.page(params, default: 20, max: 40)
        guard let name = context.parameters.get("hashtag").flatMap({ PercentEncoding.decode($0) }), !name.isEmpty,
            name.count <= 100
        else {
            throw DomainError.notFound
        }
        if try params.bool("only_media") == true {
            return try self.respond(Page(items: [], newestID: nil, oldestID: nil), request)
        }
        let result = try await self.timelines.tag(
            name,
            any: try params.strings("any") ?? [],
            all: try params.strings("all") ?? [],
            none: try params.strings("none") ?? [],
            localOnly: try params.bool("local") ?? false,
            for: viewer,
            page: page
        )
        return try self.respond(result, request)
    }

    /// Link timelines need link previews (cards), which are not built: no status is known to share a link.
    @Sendable func link(_ request: Request, context: AppRequestContext) async throws -> Response {
        try self.respond(Page(items: [], newestID: nil, oldestID: nil), request)
    }

    @Sendable func favourites(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: "read:favourites")
        let page = try Pagination.page(try await request.parameters(context: context), default: 20, max: 40)
        return try self.respond(try await self.timelines.saved(for: viewer, bookmarks: false, page: page), request)
    }

    @Sendable func bookmarks(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: "read:bookmarks")
        let page = try Pagination.page(try await request.parameters(context: context), default: 20, max: 40)
        return try self.respond(try await self.timelines.saved(for: viewer, bookmarks: true, page: page), request)
    }
}
