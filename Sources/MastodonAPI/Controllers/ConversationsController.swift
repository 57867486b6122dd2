import Core
import Foundation
import HTTPCommon
import Hummingbird
import Processing

/// https://docs.joinmastodon.org/entities/Conversation/
struct ConversationEntity: ResponseEncodable, Sendable {
    let id: String
    let unread: Bool
    let accounts: [AccountEntity]
    @Nullable var lastStatus: StatusEntity?

    enum CodingKeys: String, CodingKey {
        case id, unread, accounts
        case lastStatus = "last_status"
    }
}

/// `/api/v1/conversations/*` — https://docs.joinmastodon.org/methods/conversations/
struct ConversationsController {
    let conversations: ConversationProcessor
    let urls: URLBuilder

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("conversations", use: self.index)
        group.post("conversations/:id/read", use: self.read)
        group.delete("conversations/:id", use: self.remove)
    }

    func entity(_ view: ConversationProcessor.ConversationView) -> ConversationEntity {
        ConversationEntity(
            id: String(view.id),
            unread: view.unread,
            accounts: view.accounts.map(AccountEntity.init),
            lastStatus: view.lastStatus.map { StatusEntity($0, urls: self.urls) }
        )
    }

    static func id(_ context: AppRequestContext) throws -> Int64 {
        guard let id = context.parameters.get("id").flatMap(Int64.init) else { throw DomainError.notFound }
        return id
    }

    @Sendable func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: "read:statuses")
        let page = try Pagination.page(try await request.parameters(context: context), default: 20, max: 40)
        let result = try await self.conversations.list(for: viewer, page: page)
        return try Pagination.response(
            result.items.map(self.entity),
            newestID: result.newestID,
            oldestID: result.oldestID,
            request: request,
            urls: self.urls
        )
    }

    @Sendable func read(_ request: Request, context: AppRequestContext) async throws -> ConversationEntity {
        let viewer = try StatusesController.viewer(context, scope: "write:conversations")
        return self.entity(try await self.conversations.markRead(try Self.id(context), for: viewer))
    }

    @Sendable func remove(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: "write:conversations")
        try await self.conversations.remove(try Self.id(context), for: viewer)
        return MastodonErrorMiddleware.json(.ok, [:])
    }
}
