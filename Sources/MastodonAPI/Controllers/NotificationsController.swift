import Core
import HTTPCommon
import Hummingbird
import Processing

/// `/api/v1/notifications/*` — https://docs.joinmastodon.org/methods/notifications/
struct NotificationsController {
    let notifications: NotificationProcessor
    let lists: ListProcessor
    let urls: URLBuilder

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("notifications", use: self.list)
        group.get("notifications/unread_count", use: self.unreadCount)
        group.get("notifications/requests", use: self.requests)
        group.get("notifications/requests/merged", use: self.merged)
        group.post("notifications/requests/accept", use: self.acceptMany)
        group.post("notifications/requests/dismiss", use: self.dismissMany)
        group.get("notifications/requests/:id", use: self.showRequest)
        group.post("notifications/requests/:id/accept", use: self.acceptOne)
        group.post("notifications/requests/:id/dismiss", use: self.dismissOne)
        group.post("notifications/clear", use: self.clear)
        group.get("notifications/:id", use: self.show)
        group.post("notifications/:id/dismiss", use: self.dismiss)
    }

    static func kinds(_ params: RequestParameters, _ key: String) throws -> [Core.Notification.Kind]? {
        // Unknown types are ignored, as Mastodon does, so newer clients keep working.
        try params.strings(key).map { $0.compactMap(Core.Notification.Kind.init(rawValue:)) }
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: "read:notifications")
        let params = try await request.parameters(context: context)
        let page = try Pagination.page(params, default: 40, max: 80)
        var from: Account.ID?
        if let account = try params.string("account_id"), !account.isEmpty {
            guard let id = Account.ID(account) else { throw DomainError.validation("account_id must be an id") }
            from = id
        }
        let result = try await self.notifications.list(
            for: viewer,
            types: try Self.kinds(params, "types"),
            excludeTypes: try Self.kinds(params, "exclude_types") ?? [],
            from: from,
            includeFiltered: try params.bool("include_filtered") ?? false,
            page: page
        )
        return try Pagination.response(
            result.items.map { NotificationEntity($0, urls: self.urls) },
            newestID: result.newestID,
            oldestID: result.oldestID,
            request: request,
            urls: self.urls
        )
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: "read:notifications")
        guard let id = context.parameters.get("id").flatMap(Core.Notification.ID.init) else {
            throw DomainError.notFound
        }
        let view = try await self.notifications.show(id, for: viewer)
        return try MastodonJSONEncoder.response(NotificationEntity(view, urls: self.urls))
    }

    @Sendable func dismiss(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: "write:notifications")
        guard let id = context.parameters.get("id").flatMap(Core.Notification.ID.init) else {
            throw DomainError.notFound
        }
        try await self.notifications.dismiss(id, for: viewer)
        return MastodonErrorMiddleware.json(.ok, [:])
    }

    @Sendable func clear(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: "write:notifications")
        try await self.notifications.dismiss(nil, for: viewer)
        return MastodonErrorMiddleware.json(.ok, [:])
    }

    @Sendable func unreadCount(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: "read:notifications")
        let params = try await request.parameters(context: context)
        let limit = max(1, min(try params.int("limit") ?? 100, 1000))
        // Unread means newer than the notifications marker, as Mastodon counts it.
        let marker = try await self.lists.markers(of: viewer, timelines: ["notifications"]).first
        let count = try await self.notifications.unreadCount(
            for: viewer,
            after: marker.flatMap { Int64($0.lastReadID) },
            limit: limit
        )
        return MastodonErrorMiddleware.json(.ok, ["count": count])
    }

    func addV2Routes(to group: RouterGroup<AppRequestContext>) {
        group.get("notifications/policy", use: self.policy)
        group.patch("notifications/policy", use: self.updatePolicy)
        group.get("notifications/unread_count", use: self.unreadCount)
    }
}
