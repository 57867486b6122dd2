import Core
import HTTPCommon
import Hummingbird
import Processing

/// `/api/v1/domain_blocks` — https://docs.joinmastodon.org/methods/domain_blocks/
/// A person's own domain blocks: listed as plain strings, added and removed by `domain`.
struct DomainBlocksController {
    let follows: FollowProcessor
    let urls: URLBuilder

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("domain_blocks", use: self.list)
        group.post("domain_blocks", use: self.block)
        group.delete("domain_blocks", use: self.unblock)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: "read:blocks")
        let page = try Pagination.page(try await request.parameters(context: context), default: 100, max: 200)
        let rows = try await self.follows.blockedDomains(of: viewer, page: page)
        return try Pagination.response(
            rows.map(\.1),
            newestID: rows.first?.0,
            oldestID: rows.last?.0,
            request: request,
            urls: self.urls
        )
    }

    @Sendable func block(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: "write:blocks")
        let params = try await request.parameters(context: context)
        try await self.follows.blockDomain(try params.string("domain") ?? "", by: viewer)
        return MastodonErrorMiddleware.json(.ok, [:])
    }

    @Sendable func unblock(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: "write:blocks")
        let params = try await request.parameters(context: context)
        try await self.follows.unblockDomain(try params.string("domain") ?? "", by: viewer)
        return MastodonErrorMiddleware.json(.ok, [:])
    }
}
