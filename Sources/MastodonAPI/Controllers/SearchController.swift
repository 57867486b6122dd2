import Core
import Foundation
import HTTPCommon
import Hummingbird
import Processing

/// https://docs.joinmastodon.org/entities/Tag/
struct TagEntity: ResponseEncodable, Sendable {
    struct History: Encodable, Sendable {
        let day: String
        let uses: String
        let accounts: String
    }

    let name: String
    let url: String
    let history: [History]
    var following: Bool?

    init(_ view: SearchProcessor.TagView, urls: URLBuilder) {
        self.name = view.stats.name
        self.url = urls.tag(view.stats.name)
        self.history = view.stats.history.map {
            History(
                day: String(Int($0.day.timeIntervalSince1970)),
                uses: String($0.uses),
                accounts: String($0.accounts)
            )
        }
        self.following = view.following
    }
}

/// https://docs.joinmastodon.org/entities/Search/
struct SearchEntity: ResponseEncodable, Sendable {
    let accounts: [AccountEntity]
    let statuses: [StatusEntity]
    let hashtags: [TagEntity]
}

/// `/api/v2/search`, `/api/v1/tags/*`, `/api/v1/followed_tags`, `/api/v1/trends/tags`.
struct SearchController {
    let search: SearchProcessor
    let urls: URLBuilder

    func addRoutes(v1: RouterGroup<AppRequestContext>, v2: RouterGroup<AppRequestContext>) {
        v2.get("search", use: self.searchAll)
        v1.get("tags/:name", use: self.tag)
        v1.post("tags/:name/follow", use: self.follow)
        v1.post("tags/:name/unfollow", use: self.unfollow)
        v1.get("followed_tags", use: self.followed)
        v1.get("trends/tags", use: self.trends)
        v1.get("trends", use: self.trends)
        v1.get("trends/links", use: self.emptyList)
    }

    @Sendable func searchAll(_ request: Request, context: AppRequestContext) async throws -> SearchEntity {
        let viewer = try StatusesController.optionalViewer(context, scope: "read:search")
        let params = try await request.parameters(context: context)
        var query = SearchProcessor.Query(text: try params.string("q") ?? "")
        query.type = try params.string("type").flatMap { $0.isEmpty ? nil : $0 }
        query.limit = try params.int("limit") ?? 20
        query.offset = try params.int("offset") ?? 0
        query.following = try params.bool("following") ?? false
        query.resolve = try params.bool("resolve") ?? false
        if let account = try params.string("account_id"), !account.isEmpty {
            guard let id = Account.ID(account) else { throw DomainError.validation("account_id must be an id") }
            query.accountID = id
        }
        if query.offset > 0 && viewer == nil {
            throw DomainError.unauthorized("Search queries with offset require a signed-in user")
        }
        let results = try await self.search.search(query, viewer: viewer)
        return SearchEntity(
            accounts: results.accounts.map(AccountEntity.init),
            statuses: results.statuses.map { StatusEntity($0, urls: self.urls) },
            hashtags: results.hashtags.map { TagEntity($0, urls: self.urls) }
        )
    }

    static func name(_ context: AppRequestContext) throws -> String {
        guard let raw = context.parameters.get("name"), let name = PercentEncoding.decode(raw), !name.isEmpty else {
            throw DomainError.notFound
        }
        return name.hasPrefix("#") ? String(name.dropFirst()) : name
    }

    @Sendable func tag(_ request: Request, context: AppRequestContext) async throws -> TagEntity {
        let viewer = try StatusesController.optionalViewer(context, scope: "read:follows")
        return TagEntity(try await self.search.tag(try Self.name(context), viewer: viewer), urls: self.urls)
    }

    @Sendable func follow(_ request: Request, context: AppRequestContext) async throws -> TagEntity {
        let viewer = try StatusesController.viewer(context, scope: "write:follows")
        return TagEntity(
            try await self.search.followTag(try Self.name(context), by: viewer, follow: true),
            urls: self.urls
        )
    }

    @Sendable func unfollow(_ request: Request, context: AppRequestContext) async throws -> TagEntity {
        let viewer = try StatusesController.viewer(context, scope: "write:follows")
        return TagEntity(
            try await self.search.followTag(try Self.name(context), by: viewer, follow: false),
            urls: self.urls
        )
    }

    @Sendable func followed(_ request: Request, context: AppRequestContext) async throws -> [TagEntity] {
        let viewer = try StatusesController.viewer(context, scope: "read:follows")
        return try await self.search.followedTags(of: viewer).map { TagEntity($0, urls: self.urls) }
    }

    @Sendable func trends(_ request: Request, context: AppRequestContext) async throws -> [TagEntity] {
        let viewer = try StatusesController.optionalViewer(context, scope: "read")
        let params = try await request.parameters(context: context)
        let views = try await self.search.trendingTags(
            limit: try params.int("limit") ?? 10,
            offset: try params.int("offset") ?? 0,
            viewer: viewer
        )
        return views.map { TagEntity($0, urls: self.urls) }
    }

    /// Trending links need preview cards, which Tern does not make: an empty list is the true answer.
    @Sendable func emptyList(_ request: Request, context: AppRequestContext) async throws -> [String] { [] }
}
