import Core
import Foundation
import HTTPCommon
import Hummingbird
import Processing

/// https://docs.joinmastodon.org/entities/NotificationPolicy/ (v2)
struct NotificationPolicyEntity: ResponseEncodable, Sendable {
    struct Summary: Encodable, Sendable {
        let pendingRequestsCount: Int
        let pendingNotificationsCount: Int

        enum CodingKeys: String, CodingKey {
            case pendingRequestsCount = "pending_requests_count"
            case pendingNotificationsCount = "pending_notifications_count"
        }
    }

    let forNotFollowing: String
    let forNotFollowers: String
    let forNewAccounts: String
    let forPrivateMentions: String
    let forLimitedAccounts: String
    let summary: Summary

    init(_ policy: NotificationPolicy, requests: Int, notifications: Int) {
        self.forNotFollowing = policy.forNotFollowing.rawValue
        self.forNotFollowers = policy.forNotFollowers.rawValue
        self.forNewAccounts = policy.forNewAccounts.rawValue
        self.forPrivateMentions = policy.forPrivateMentions.rawValue
        self.forLimitedAccounts = policy.forLimitedAccounts.rawValue
        // Mastodon caps the request count it reports at 100.
        self.summary = Summary(pendingRequestsCount: min(requests, 100), pendingNotificationsCount: notifications)
    }

    enum CodingKeys: String, CodingKey {
        case forNotFollowing = "for_not_following"
        case forNotFollowers = "for_not_followers"
        case forNewAccounts = "for_new_accounts"
        case forPrivateMentions = "for_private_mentions"
        case forLimitedAccounts = "for_limited_accounts"
        case summary
    }
}

/// https://docs.joinmastodon.org/entities/NotificationRequest/
struct NotificationRequestEntity: ResponseEncodable, Sendable {
    let id: String
    let createdAt: Date
    let updatedAt: Date
    let account: AccountEntity
    let notificationsCount: String
    @Nullable var lastStatus: StatusEntity?

    init(_ view: NotificationRequestView, urls: URLBuilder) {
        self.id = view.request.id.description
        self.createdAt = view.request.createdAt
        self.updatedAt = view.request.updatedAt
        self.account = AccountEntity(view.account)
        self.notificationsCount = String(view.request.notificationsCount)
        self.lastStatus = view.lastStatus.map { StatusEntity($0, urls: urls) }
    }

    enum CodingKeys: String, CodingKey {
        case id
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case account
        case notificationsCount = "notifications_count"
        case lastStatus = "last_status"
    }
}

/// Notification policies and the requests they file filtered notifications under.
extension NotificationsController {
    @Sendable func policy(_ request: Request, context: AppRequestContext) async throws -> NotificationPolicyEntity {
        let viewer = try StatusesController.viewer(context, scope: "read:notifications")
        let (policy, requests, notifications) = try await self.notifications.policy(for: viewer)
        return NotificationPolicyEntity(policy, requests: requests, notifications: notifications)
    }

    /// `PATCH /api/v2/notifications/policy`: each `for_*` is `accept`, `filter` or `drop`.
    @Sendable func updatePolicy(_ request: Request, context: AppRequestContext) async throws
        -> NotificationPolicyEntity
    {
        let viewer = try StatusesController.viewer(context, scope: "write:notifications")
        let params = try await request.parameters(context: context)
        let rules: [(String, WritableKeyPath<NotificationPolicy, NotificationPolicy.Action>)] = [
            ("for_not_following", \.forNotFollowing), ("for_not_followers", \.forNotFollowers),
            ("for_new_accounts", \.forNewAccounts), ("for_private_mentions", \.forPrivateMentions),
            ("for_limited_accounts", \.forLimitedAccounts),
        ]
        var changes: [(WritableKeyPath<NotificationPolicy, NotificationPolicy.Action>, NotificationPolicy.Action)] = []
        for (name, path) in rules {
            guard let value = try params.string(name) else { continue }
            guard let action = NotificationPolicy.Action(rawValue: value) else {
                throw DomainError.validation("Validation failed: \(name) must be accept, filter or drop")
            }
            changes.append((path, action))
        }
        let applied = changes
        let (policy, requests, notifications) = try await self.notifications.updatePolicy(for: viewer) { policy in
            for (path, action) in applied { policy[keyPath: path] = action }
        }
        return NotificationPolicyEntity(policy, requests: requests, notifications: notifications)
    }

    @Sendable func requests(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: "read:notifications")
        let page = try Pagination.page(try await request.parameters(context: context), default: 40, max: 80)
        let result = try await self.notifications.requests(for: viewer, page: page)
        return try Pagination.response(
            result.items.map { NotificationRequestEntity($0, urls: self.urls) },
            newestID: result.newestID,
            oldestID: result.oldestID,
            request: request,
            urls: self.urls
        )
    }

    static func requestID(_ context: AppRequestContext) throws -> NotificationRequest.ID {
        guard let id = context.parameters.get("id").flatMap(NotificationRequest.ID.init) else {
            throw DomainError.notFound
        }
        return id
    }

    @Sendable func showRequest(_ request: Request, context: AppRequestContext) async throws
        -> NotificationRequestEntity
    {
        let viewer = try StatusesController.viewer(context, scope: "read:notifications")
        return NotificationRequestEntity(
            try await self.notifications.request(try Self.requestID(context), for: viewer),
            urls: self.urls
        )
    }

    @Sendable func acceptOne(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.settle([try Self.requestID(context)], accept: true, context: context, strict: true)
    }

    @Sendable func dismissOne(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.settle([try Self.requestID(context)], accept: false, context: context, strict: true)
    }

    /// `POST .../requests/accept` and `/dismiss` with `id[]`: ids that are not the viewer's requests are skipped.
    @Sendable func acceptMany(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.settle(try await Self.ids(request, context), accept: true, context: context, strict: false)
    }

    @Sendable func dismissMany(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.settle(try await Self.ids(request, context), accept: false, context: context, strict: false)
    }

    /// Accepted notifications are merged at once, so the answer is always yes.
    @Sendable func merged(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try StatusesController.viewer(context, scope: "read:notifications")
        return MastodonErrorMiddleware.json(.ok, ["merged": true])
    }

    private static func ids(_ request: Request, _ context: AppRequestContext) async throws -> [NotificationRequest.ID] {
        let params = try await request.parameters(context: context)
        let raw = try params.flatStrings("id") ?? []
        guard raw.count <= 100 else { throw DomainError.validation("Validation failed: at most 100 ids") }
        return try raw.map {
            guard let id = NotificationRequest.ID($0) else {
                throw DomainError.validation("Validation failed: id must be ids")
            }
            return id
        }
    }

    private func settle(
        _ ids: [NotificationRequest.ID],
        accept: Bool,
        context: AppRequestContext,
        strict: Bool
    ) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: "write:notifications")
        try await self.notifications.settle(ids, accept: accept, for: viewer, strict: strict)
        return MastodonErrorMiddleware.json(.ok, [:])
    }
}
