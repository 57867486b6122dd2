import Core
import Foundation
import HTTPCommon
import Hummingbird
import Processing

/// https://docs.joinmastodon.org/entities/GroupedNotificationsResults/
struct GroupedNotificationsEntity: Encodable, Sendable {
    struct Group: Encodable, Sendable {
        let groupKey: String
        let notificationsCount: Int
        let type: String
        let mostRecentNotificationId: String
        let pageMinId: String
        let pageMaxId: String
        let latestPageNotificationAt: Date
        let sampleAccountIds: [String]
        @Nullable var statusId: String?

        enum CodingKeys: String, CodingKey {
            case groupKey = "group_key"
            case notificationsCount = "notifications_count"
            case type
            case mostRecentNotificationId = "most_recent_notification_id"
            case pageMinId = "page_min_id"
            case pageMaxId = "page_max_id"
            case latestPageNotificationAt = "latest_page_notification_at"
            case sampleAccountIds = "sample_account_ids"
            case statusId = "status_id"
        }
    }

    let accounts: [AccountEntity]
    let statuses: [StatusEntity]
    let notificationGroups: [Group]

    enum CodingKeys: String, CodingKey {
        case accounts, statuses
        case notificationGroups = "notification_groups"
    }
}

/// `GET /api/v2/notifications` — grouped notifications as Ice Cubes and Phanpy read them.
struct GroupedNotificationsController {
    let notifications: NotificationProcessor
    let urls: URLBuilder

    func addRoutes(to v2: RouterGroup<AppRequestContext>) {
        v2.get("notifications", use: self.index)
    }

    @Sendable func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: "read:notifications")
        let params = try await request.parameters(context: context)
        let page = try Pagination.page(params, default: 40, max: 80)
        var from: Account.ID?
        if let account = try params.string("account_id"), !account.isEmpty {
            guard let id = Account.ID(account) else { throw DomainError.validation("account_id must be an id") }
            from = id
        }
        let groupedKinds =
            try params.strings("grouped_types").map { Set($0.compactMap(Core.Notification.Kind.init(rawValue:))) }
            ?? NotificationProcessor.defaultGroupedKinds
        let result = try await self.notifications.groups(
            for: viewer,
            types: try NotificationsController.kinds(params, "types"),
            excludeTypes: try NotificationsController.kinds(params, "exclude_types") ?? [],
            from: from,
            groupedKinds: groupedKinds,
            page: page
        )
        var accounts: [Account.ID: AccountEntity] = [:]
        var statuses: [Status.ID: StatusEntity] = [:]
        var groups: [GroupedNotificationsEntity.Group] = []
        for group in result.items {
            let ids = group.notifications.map(\.notification.id.rawValue)
            for sender in group.senders.prefix(8) { accounts[sender.account.id] = AccountEntity(sender) }
            if let status = group.latest.status { statuses[status.status.id] = StatusEntity(status, urls: self.urls) }
            groups.append(
                .init(
                    groupKey: group.key,
                    notificationsCount: group.notifications.count,
                    type: group.kind.rawValue,
                    mostRecentNotificationId: group.latest.notification.id.description,
                    pageMinId: String(ids.min() ?? 0),
                    pageMaxId: String(ids.max() ?? 0),
                    latestPageNotificationAt: group.latest.notification.createdAt,
                    sampleAccountIds: group.senders.prefix(8).map { $0.account.id.description },
                    statusId: group.latest.status?.status.id.description
                )
            )
        }
        let body = GroupedNotificationsEntity(
            accounts: Array(accounts.values),
            statuses: Array(statuses.values),
            notificationGroups: groups
        )
        return try Pagination.response(
            body,
            newestID: result.newestID,
            oldestID: result.oldestID,
            request: request,
            urls: self.urls
        )
    }
}
