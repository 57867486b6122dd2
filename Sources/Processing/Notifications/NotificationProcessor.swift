import Core
import Storage

/// The viewer's notifications.
package struct NotificationProcessor: Sendable {
    let context: ProcessingContext
    let hydrator: StatusHydrator

    init(_ context: ProcessingContext) {
        self.context = context
        self.hydrator = StatusHydrator(context: context)
    }

    /// A page of notifications, with their accounts and statuses hydrated in batches. A notification
    /// whose status the viewer can no longer see is left out.
    package func list(
        for viewer: Account.ID,
        types: [Notification.Kind]?,
        excludeTypes: [Notification.Kind],
        from: Account.ID?,
        includeFiltered: Bool = false,
        page: PageRequest
    ) async throws -> Page<NotificationView> {
        let notifications = try await self.context.db.read {
            try await $0.notifications(
                of: viewer,
                types: types,
                excludeTypes: excludeTypes,
                from: from,
                includeFiltered: includeFiltered,
                page: page
            )
        }
        let views = try await self.hydrate(notifications, for: viewer)
        return Page(items: views, newestID: notifications.first?.id.rawValue, oldestID: notifications.last?.id.rawValue)
    }

    /// One notification of the viewer.
    package func show(_ id: Notification.ID, for viewer: Account.ID) async throws -> NotificationView {
        guard let notification = try await self.context.db.read({ try await $0.notification(id: id, of: viewer) }),
            let view = try await self.hydrate([notification], for: viewer).first
        else { throw DomainError.notFound }
        return view
    }

    /// Dismisses one notification (404 when it is not the viewer's), or all of them.
    package func dismiss(_ id: Notification.ID?, for viewer: Account.ID) async throws {
        try await self.context.db.transaction { session in
            if let id, try await session.notification(id: id, of: viewer) == nil { throw DomainError.notFound }
            try await session.deleteNotifications(of: viewer, id: id)
        }
    }

    /// How many notifications there are (newer than `after` when given), up to `limit`.
    package func unreadCount(for viewer: Account.ID, after: Int64?, limit: Int) async throws -> Int {
        try await self.context.db.read { try await $0.unreadNotificationCount(of: viewer, after: after, limit: limit) }
    }

    private func hydrate(_ notifications: [Notification], for viewer: Account.ID) async throws -> [NotificationView] {
        let statusViews = try await FilterProcessor(self.context).apply(
            try await self.hydrator.views(notifications.compactMap(\.statusID), for: viewer),
            for: viewer,
            in: .notifications
        )
        let statuses = Dictionary(statusViews.map { ($0.status.id, $0) }, uniquingKeysWith: { a, _ in a })
        let senders = Array(Set(notifications.map(\.fromAccountID)))
        let (accounts, safety) = try await self.context.db.read { session in
            (
                Dictionary(
                    try await session.accounts(ids: senders).map { ($0.id, $0) },
                    uniquingKeysWith: { a, _ in a }
                ),
                try await session.safetyFilter(for: viewer, among: senders)
            )
        }
        return notifications.compactMap { notification in
            guard let from = accounts[notification.fromAccountID], !from.isSuspended,
                !safety.hidesNotifications(from: from.id)
            else { return nil }
            var status: StatusView?
            if let statusID = notification.statusID {
                guard let view = statuses[statusID] else { return nil }
                status = view
            }
            return NotificationView(
                notification: notification,
                account: AccountView(account: from, user: nil, urls: self.context.urls),
                status: status
            )
        }
    }
}
