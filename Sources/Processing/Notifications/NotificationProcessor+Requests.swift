import Core
import Foundation
import Storage

/// A notification request with its sender and the newest post it holds, as the viewer may see it.
package struct NotificationRequestView: Sendable {
    package let request: NotificationRequest
    package let account: AccountView
    package let lastStatus: StatusView?
}

extension NotificationProcessor {
    /// The viewer's policy, with how many requests and filtered notifications wait.
    package func policy(for viewer: Account.ID) async throws -> (
        policy: NotificationPolicy, requests: Int, notifications: Int
    ) {
        try await self.context.db.read { session in
            let policy = try await session.notificationPolicy(of: viewer)
            let summary = try await session.notificationRequestSummary(of: viewer)
            return (policy, summary.requests, summary.notifications)
        }
    }

    /// Changes the viewer's policy; the rules not given stay as they were. Applies to notifications
    /// made from now on.
    package func updatePolicy(
        for viewer: Account.ID,
        _ change: (inout NotificationPolicy) throws -> Void
    ) async throws -> (policy: NotificationPolicy, requests: Int, notifications: Int) {
        try await self.context.db.transaction { session in
            var policy = try await session.notificationPolicy(of: viewer)
            try change(&policy)
            try await session.saveNotificationPolicy(policy, of: viewer)
        }
        return try await self.policy(for: viewer)
    }

    /// A page of the viewer's notification requests, newest first. A request whose sender is gone or
    /// hidden from the viewer is left out.
    package func requests(for viewer: Account.ID, page: PageRequest) async throws -> Page<NotificationRequestView> {
        let requests = try await self.context.db.read { try await $0.notificationRequests(of: viewer, page: page) }
        return Page(
            items: try await self.hydrate(requests, for: viewer),
            newestID: requests.first?.id.rawValue,
            oldestID: requests.last?.id.rawValue
        )
    }

    /// One of the viewer's notification requests.
    package func request(_ id: NotificationRequest.ID, for viewer: Account.ID) async throws -> NotificationRequestView {
        guard let request = try await self.context.db.read({ try await $0.notificationRequest(id: id, of: viewer) }),
            let view = try await self.hydrate([request], for: viewer).first
        else { throw DomainError.notFound }
        return view
    }

    /// Accepts requests (their notifications join the others; their senders are accepted from now
    /// on) or dismisses them (with their notifications). With `strict`, an id that is not one of the
    /// viewer's requests answers 404 and nothing changes; otherwise it is skipped.
    package func settle(
        _ ids: [NotificationRequest.ID],
        accept: Bool,
        for viewer: Account.ID,
        strict: Bool
    ) async throws {
        try await self.context.db.transaction { session in
            for id in ids {
                guard let request = try await session.notificationRequest(id: id, of: viewer) else {
                    if strict { throw DomainError.notFound }
                    continue
                }
                if accept {
                    try await session.acceptNotificationRequest(request)
                } else {
                    try await session.dismissNotificationRequest(request)
                }
            }
        }
    }

    private func hydrate(_ requests: [NotificationRequest], for viewer: Account.ID) async throws
        -> [NotificationRequestView]
    {
        let statuses = try await self.hydrator.views(requests.compactMap(\.lastStatusID), for: viewer)
        let byStatus = Dictionary(statuses.map { ($0.status.id, $0) }, uniquingKeysWith: { a, _ in a })
        let senders = requests.map(\.fromAccountID)
        let (accounts, safety) = try await self.context.db.read { session in
            (
                Dictionary(
                    try await session.accounts(ids: senders).map { ($0.id, $0) },
                    uniquingKeysWith: { a, _ in a }
                ),
                try await session.safetyFilter(for: viewer, among: senders)
            )
        }
        return requests.compactMap { request in
            guard let from = accounts[request.fromAccountID], !from.isSuspended,
                !safety.hidesNotifications(from: from.id)
            else { return nil }
            return NotificationRequestView(
                request: request,
                account: AccountView(account: from, user: nil, urls: self.context.urls),
                lastStatus: request.lastStatusID.flatMap { byStatus[$0] }
            )
        }
    }
}
