import Core
import Foundation
import HTTPCommon
import Hummingbird
import Processing

/// https://docs.joinmastodon.org/entities/Filter/
struct FilterEntity: ResponseEncodable, Sendable {
    struct Keyword: ResponseEncodable, Sendable {
        let id: String
        let keyword: String
        let wholeWord: Bool

        enum CodingKeys: String, CodingKey {
            case id, keyword
            case wholeWord = "whole_word"
        }
    }

    struct FilteredStatus: ResponseEncodable, Sendable {
        let id: String
        let statusId: String

        enum CodingKeys: String, CodingKey {
            case id
            case statusId = "status_id"
        }
    }

    let id: String
    let title: String
    let context: [String]
    @Nullable var expiresAt: Date?
    let filterAction: String
    let keywords: [Keyword]
    let statuses: [FilteredStatus]

    init(_ filter: ContentFilter) {
        self.id = filter.id.description
        self.title = filter.title
        self.context = filter.contexts.map(\.rawValue)
        self.expiresAt = filter.expiresAt
        self.filterAction = filter.action.rawValue
        self.keywords = filter.keywords.map { Keyword(id: String($0.id), keyword: $0.keyword, wholeWord: $0.wholeWord) }
        self.statuses = filter.statuses.map { FilteredStatus(id: String($0.id), statusId: String($0.statusID)) }
    }

    enum CodingKeys: String, CodingKey {
        case id, title, context
        case expiresAt = "expires_at"
        case filterAction = "filter_action"
        case keywords, statuses
    }
}

/// https://docs.joinmastodon.org/entities/FilterResult/
struct FilterResultEntity: Encodable, Sendable {
    let filter: FilterEntity
    @Nullable var keywordMatches: [String]?
    @Nullable var statusMatches: [String]?

    init(_ match: FilterMatch) {
        self.filter = FilterEntity(match.filter)
        self.keywordMatches = match.keywordMatches.isEmpty ? nil : match.keywordMatches
        self.statusMatches = match.statusMatches.isEmpty ? nil : match.statusMatches
    }

    enum CodingKeys: String, CodingKey {
        case filter
        case keywordMatches = "keyword_matches"
        case statusMatches = "status_matches"
    }
}

/// https://docs.joinmastodon.org/entities/V1_Filter/ — one per keyword, for clients of the old API.
struct V1FilterEntity: Encodable, Sendable {
    let id: String
    let phrase: String
    let context: [String]
    let wholeWord: Bool
    @Nullable var expiresAt: Date?
    let irreversible: Bool

    enum CodingKeys: String, CodingKey {
        case id, phrase, context
        case wholeWord = "whole_word"
        case expiresAt = "expires_at"
        case irreversible
    }
}

/// `/api/v2/filters/*` and the read-only `/api/v1/filters` — https://docs.joinmastodon.org/methods/filters/
struct FiltersController {
    let filters: FilterProcessor

    func addRoutes(v1: RouterGroup<AppRequestContext>, v2: RouterGroup<AppRequestContext>) {
        v2.get("filters", use: self.index)
        v2.post("filters", use: self.create)
        v2.get("filters/keywords/:id", use: self.showKeyword)
        v2.put("filters/keywords/:id", use: self.updateKeyword)
        v2.delete("filters/keywords/:id", use: self.deleteKeyword)
        v2.get("filters/statuses/:id", use: self.showStatus)
        v2.delete("filters/statuses/:id", use: self.deleteStatus)
        v2.get("filters/:id", use: self.show)
        v2.put("filters/:id", use: self.update)
        v2.delete("filters/:id", use: self.delete)
        v2.get("filters/:id/keywords", use: self.keywords)
        v2.post("filters/:id/keywords", use: self.addKeyword)
        v2.get("filters/:id/statuses", use: self.statuses)
        v2.post("filters/:id/statuses", use: self.addStatus)
        v1.get("filters", use: self.v1Index)
    }

    static func filterID(_ context: AppRequestContext) throws -> ContentFilter.ID {
        guard let id = context.parameters.get("id").flatMap(ContentFilter.ID.init) else { throw DomainError.notFound }
        return id
    }

    static func rowID(_ context: AppRequestContext) throws -> Int64 {
        guard let id = context.parameters.get("id").flatMap(Int64.init) else { throw DomainError.notFound }
        return id
    }

    static func keywordChanges(_ params: RequestParameters) throws -> [FilterProcessor.KeywordChange] {
        try (params.objects("keywords_attributes") ?? []).map { item in
            FilterProcessor.KeywordChange(
                id: try item.string("id").flatMap { Int64($0) },
                keyword: try item.string("keyword"),
                wholeWord: try item.bool("whole_word"),
                destroy: try item.bool("_destroy") ?? false
            )
        }
    }

    @Sendable func index(_ request: Request, context: AppRequestContext) async throws -> [FilterEntity] {
        let viewer = try StatusesController.viewer(context, scope: "read:filters")
        return try await self.filters.list(of: viewer).map(FilterEntity.init)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> FilterEntity {
        let viewer = try StatusesController.viewer(context, scope: "read:filters")
        return FilterEntity(try await self.filters.filter(try Self.filterID(context), of: viewer))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> FilterEntity {
        try await self.save(request, context, id: nil)
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> FilterEntity {
        try await self.save(request, context, id: try Self.filterID(context))
    }

    private func save(_ request: Request, _ context: AppRequestContext, id: ContentFilter.ID?) async throws
        -> FilterEntity
    {
        let viewer = try StatusesController.viewer(context, scope: "write:filters")
        let params = try await request.parameters(context: context)
        let expires = try params.string("expires_in")
        let filter = try await self.filters.save(
            id,
            title: try params.string("title"),
            contexts: try params.strings("context"),
            action: try params.string("filter_action"),
            expiresIn: try params.int("expires_in"),
            clearExpiry: expires?.isEmpty == true,
            keywords: try Self.keywordChanges(params),
            by: viewer
        )
        return FilterEntity(filter)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: "write:filters")
        try await self.filters.delete(try Self.filterID(context), by: viewer)
        return MastodonErrorMiddleware.json(.ok, [:])
    }

    @Sendable func keywords(_ request: Request, context: AppRequestContext) async throws -> [FilterEntity.Keyword] {
        try await self.show(request, context: context).keywords
    }

    @Sendable func statuses(_ request: Request, context: AppRequestContext) async throws -> [FilterEntity
        .FilteredStatus]
    {
        try await self.show(request, context: context).statuses
    }

    @Sendable func addKeyword(_ request: Request, context: AppRequestContext) async throws -> FilterEntity.Keyword {
        let viewer = try StatusesController.viewer(context, scope: "write:filters")
        let params = try await request.parameters(context: context)
        let id = try Self.filterID(context)
        let before = Set(try await self.filters.filter(id, of: viewer).keywords.map(\.id))
        let change = FilterProcessor.KeywordChange(
            id: nil,
            keyword: try params.string("keyword") ?? "",
            wholeWord: try params.bool("whole_word"),
            destroy: false
        )
        let filter = try await self.filters.save(
            id,
            title: nil,
            contexts: nil,
            action: nil,
            expiresIn: nil,
            clearExpiry: false,
            keywords: [change],
            by: viewer
        )
        guard let added = filter.keywords.first(where: { !before.contains($0.id) }) else { throw DomainError.notFound }
        return FilterEntity.Keyword(id: String(added.id), keyword: added.keyword, wholeWord: added.wholeWord)
    }

    private func filter(containingKeyword id: Int64, of viewer: Account.ID) async throws -> ContentFilter {
        guard
            let filter = try await self.filters.list(of: viewer).first(where: { $0.keywords.contains { $0.id == id } })
        else {
            throw DomainError.notFound
        }
        return filter
    }

    @Sendable func showKeyword(_ request: Request, context: AppRequestContext) async throws -> FilterEntity.Keyword {
        let viewer = try StatusesController.viewer(context, scope: "read:filters")
        let id = try Self.rowID(context)
        let filter = try await self.filter(containingKeyword: id, of: viewer)
        guard let keyword = filter.keywords.first(where: { $0.id == id }) else { throw DomainError.notFound }
        return FilterEntity.Keyword(id: String(keyword.id), keyword: keyword.keyword, wholeWord: keyword.wholeWord)
    }

    @Sendable func updateKeyword(_ request: Request, context: AppRequestContext) async throws -> FilterEntity.Keyword {
        let viewer = try StatusesController.viewer(context, scope: "write:filters")
        let params = try await request.parameters(context: context)
        let id = try Self.rowID(context)
        let filter = try await self.filter(containingKeyword: id, of: viewer)
        let change = FilterProcessor.KeywordChange(
            id: id,
            keyword: try params.string("keyword"),
            wholeWord: try params.bool("whole_word"),
            destroy: false
        )
        let saved = try await self.filters.save(
            filter.id,
            title: nil,
            contexts: nil,
            action: nil,
            expiresIn: nil,
            clearExpiry: false,
            keywords: [change],
            by: viewer
        )
        guard let keyword = saved.keywords.first(where: { $0.id == id }) else { throw DomainError.notFound }
        return FilterEntity.Keyword(id: String(keyword.id), keyword: keyword.keyword, wholeWord: keyword.wholeWord)
    }

    @Sendable func deleteKeyword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: "write:filters")
        let id = try Self.rowID(context)
        let filter = try await self.filter(containingKeyword: id, of: viewer)
        _ = try await self.filters.save(
            filter.id,
            title: nil,
            contexts: nil,
            action: nil,
            expiresIn: nil,
            clearExpiry: false,
            keywords: [.init(id: id, keyword: nil, wholeWord: nil, destroy: true)],
            by: viewer
        )
        return MastodonErrorMiddleware.json(.ok, [:])
    }

    @Sendable func addStatus(_ request: Request, context: AppRequestContext) async throws -> FilterEntity.FilteredStatus
    {
        let viewer = try StatusesController.viewer(context, scope: "write:filters")
        let params = try await request.parameters(context: context)
        guard let raw = try params.string("status_id"), let status = Status.ID(raw) else { throw DomainError.notFound }
        let id = try Self.filterID(context)
        let saved = try await self.filters.save(
            id,
            title: nil,
            contexts: nil,
            action: nil,
            expiresIn: nil,
            clearExpiry: false,
            keywords: [],
            statuses: [status],
            by: viewer
        )
        guard let row = saved.statuses.first(where: { $0.statusID == status.rawValue }) else {
            throw DomainError.notFound
        }
        return FilterEntity.FilteredStatus(id: String(row.id), statusId: String(row.statusID))
    }

    @Sendable func showStatus(_ request: Request, context: AppRequestContext) async throws
        -> FilterEntity.FilteredStatus
    {
        let viewer = try StatusesController.viewer(context, scope: "read:filters")
        let id = try Self.rowID(context)
        for filter in try await self.filters.list(of: viewer) {
            if let row = filter.statuses.first(where: { $0.id == id }) {
                return FilterEntity.FilteredStatus(id: String(row.id), statusId: String(row.statusID))
            }
        }
        throw DomainError.notFound
    }

    @Sendable func deleteStatus(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: "write:filters")
        _ = try await self.filters.removeStatus(try Self.rowID(context), by: viewer)
        return MastodonErrorMiddleware.json(.ok, [:])
    }

    @Sendable func v1Index(_ request: Request, context: AppRequestContext) async throws -> [V1FilterEntity] {
        let viewer = try StatusesController.viewer(context, scope: "read:filters")
        return try await self.filters.list(of: viewer).flatMap { filter in
            filter.keywords.map {
                V1FilterEntity(
                    id: String($0.id),
                    phrase: $0.keyword,
                    context: filter.contexts.map(\.rawValue),
                    wholeWord: $0.wholeWord,
                    expiresAt: filter.expiresAt,
                    irreversible: filter.action == .hide
                )
            }
        }
    }
}
