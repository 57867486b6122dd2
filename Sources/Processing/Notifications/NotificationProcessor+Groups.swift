import Core
import Foundation
import Storage

extension NotificationProcessor {
    /// Notifications of one kind about one thing, newest first (Mastodon's NotificationGroup).
    package struct NotificationGroup: Sendable {
        package let key: String
        package let kind: Core.Notification.Kind
        package let notifications: [NotificationView]

        /// The newest notification.
        package var latest: NotificationView { self.notifications[0] }
        /// The senders, newest first, without repeats.
        package var senders: [AccountView] {
            var seen = Set<Account.ID>()
            return self.notifications.map(\.account).filter { seen.insert($0.account.id).inserted }
        }
    }

    /// The kinds that are grouped unless a client asks otherwise.
    package static let defaultGroupedKinds: Set<Core.Notification.Kind> = [.favourite, .reblog, .follow]

    /// A page of grouped notifications: reads up to `limit` groups out of the newest notifications.
    package func groups(
        for viewer: Account.ID,
        types: [Core.Notification.Kind]?,
        excludeTypes: [Core.Notification.Kind],
        from: Account.ID?,
        groupedKinds: Set<Core.Notification.Kind>,
        page: PageRequest
    ) async throws -> Page<NotificationGroup> {
        var raw = page
        raw.limit = min(page.limit * 5, 400)
        let notifications = try await self.list(
            for: viewer,
            types: types,
            excludeTypes: excludeTypes,
            from: from,
            page: raw
        )
        var order: [String] = []
        var grouped: [String: [NotificationView]] = [:]
        for view in notifications.items {
            let key = Self.groupKey(view.notification, grouped: groupedKinds)
            if grouped[key] == nil {
                guard order.count < page.limit else { continue }
                order.append(key)
            }
            grouped[key, default: []].append(view)
        }
        let groups = order.compactMap { key -> NotificationGroup? in
            guard let items = grouped[key], let first = items.first else { return nil }
            return NotificationGroup(key: key, kind: first.notification.kind, notifications: items)
        }
        let ids = groups.flatMap { $0.notifications.map(\.notification.id.rawValue) }
        return Page(items: groups, newestID: ids.max(), oldestID: ids.min())
    }

    /// Mastodon's group keys: by status for favourites and reblogs, by day for follows.
    static func groupKey(_ notification: Core.Notification, grouped: Set<Core.Notification.Kind>) -> String {
        guard grouped.contains(notification.kind) else { return "ungrouped-\(notification.id)" }
        if let status = notification.statusID { return "\(notification.kind.rawValue)-\(status)" }
        let day = Int(notification.createdAt.timeIntervalSince1970 / 86_400)
        return "\(notification.kind.rawValue)-\(day)"
    }
}
