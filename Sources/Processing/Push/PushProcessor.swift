import Core
import Federation
import Foundation
import Storage

/// Web Push: the subscription of each access token (`/api/v1/push/subscription`) and the job that
/// pushes each new notification to the recipient's subscriptions.
package struct PushProcessor: Sendable {
    let context: ProcessingContext

    init(_ context: ProcessingContext) {
        self.context = context
    }

    /// What a client sends to subscribe.
    package struct NewSubscription: Sendable {
        package var endpoint: String
        package var p256dh: String
        package var auth: String
        package var standard: Bool
        package var alerts: [String: Bool]
        package var policy: String?

        package init(
            endpoint: String,
            p256dh: String,
            auth: String,
            standard: Bool,
            alerts: [String: Bool],
            policy: String?
        ) {
            self.endpoint = endpoint
            self.p256dh = p256dh
            self.auth = auth
            self.standard = standard
            self.alerts = alerts
            self.policy = policy
        }
    }

    /// The server's VAPID public key (`vapid_key`, `server_key`).
    package func serverKey() async throws -> String {
        try await self.context.federation.keys.vapidPublicKey()
    }

    /// Subscribes the viewer's token, replacing its previous subscription.
    package func subscribe(_ new: NewSubscription, viewer: Viewer) async throws -> (PushSubscription, String) {
        guard let accountID = viewer.accountID else {
            throw DomainError.unauthorized("This method requires an authenticated user")
        }
        guard let url = URL(string: new.endpoint), let scheme = url.scheme?.lowercased(),
            scheme == "https" || scheme == "http", url.host != nil, new.endpoint.count <= 2048
        else { throw DomainError.validation("Validation failed: Endpoint is not a valid URL") }
        guard WebPush.Keys(p256dh: new.p256dh, auth: new.auth) != nil else {
            throw DomainError.validation("Validation failed: Keys are not a valid P-256 public key and auth secret")
        }
        let subscription = PushSubscription(
            id: self.context.ids.next(),
            tokenID: viewer.tokenID,
            accountID: accountID,
            endpoint: new.endpoint,
            p256dh: new.p256dh,
            auth: new.auth,
            alerts: Set(new.alerts.filter { $0.value && PushSubscription.alertTypes.contains($0.key) }.keys),
            policy: try Self.policy(new.policy) ?? .all,
            standard: new.standard,
            createdAt: self.context.clock.now()
        )
        try await self.context.db.transaction { try await $0.replacePushSubscription(subscription) }
        return (subscription, try await self.serverKey())
    }

    /// The viewer's token's subscription; 404 without one.
    package func show(viewer: Viewer) async throws -> (PushSubscription, String) {
        guard
            let subscription = try await self.context.db.read({ try await $0.pushSubscription(token: viewer.tokenID) })
        else { throw DomainError.notFound }
        return (subscription, try await self.serverKey())
    }

    /// Changes which notifications are pushed; alerts not sent keep their value, as in Mastodon.
    package func update(alerts: [String: Bool], policy: String?, viewer: Viewer) async throws -> (
        PushSubscription, String
    ) {
        let (current, _) = try await self.show(viewer: viewer)
        var chosen = current.alerts
        for (name, on) in alerts where PushSubscription.alertTypes.contains(name) {
            if on { chosen.insert(name) } else { chosen.remove(name) }
        }
        let newPolicy = try Self.policy(policy) ?? current.policy
        try await self.context.db.transaction {
            try await $0.updatePushSubscription(token: viewer.tokenID, alerts: chosen, policy: newPolicy)
        }
        return try await self.show(viewer: viewer)
    }

    /// Removes the viewer's token's subscription (no error when there is none).
    package func unsubscribe(viewer: Viewer) async throws {
        try await self.context.db.transaction { try await $0.deletePushSubscription(token: viewer.tokenID) }
    }

    static func policy(_ text: String?) throws -> PushSubscription.Policy? {
        guard let text, !text.isEmpty else { return nil }
        guard let policy = PushSubscription.Policy(rawValue: text) else {
            throw DomainError.validation("Validation failed: Policy must be all, followed, follower or none")
        }
        return policy
    }

    // MARK: Delivery

    /// The job: pushes one notification to each subscription of its recipient that asked for its type
    /// and whose policy admits its sender. Throws to be retried when a push service asks for it.
    func deliver(notificationID: Int64) async throws {
        let db = self.context.db
        guard
            let notification = try await db.read({ try await $0.notification(id: Core.Notification.ID(notificationID)) }
            )
        else { return }
        let (subscriptions, sender, user, status, filter, following, followedBy) = try await db.read { session in
            (
                try await session.pushSubscriptions(of: notification.accountID),
                try await session.account(id: notification.fromAccountID),
                try await session.user(accountID: notification.accountID),
                try await notification.statusID.asyncMap { try await session.status(id: $0) },
                try await session.safetyFilter(for: notification.accountID, among: [notification.fromAccountID]),
                try await session.follow(from: notification.accountID, to: notification.fromAccountID) != nil,
                try await session.follow(from: notification.fromAccountID, to: notification.accountID) != nil
            )
        }
        guard let sender, !filter.hidesNotifications(from: sender.id) else { return }
        let payload = self.payload(notification, sender: sender, status: status, locale: user?.locale)
        let vapid = try await self.context.federation.keys.vapidKey()
        let subject =
            "mailto:\(self.context.instance.contactEmail.isEmpty ? "admin@\(self.context.urls.domain)" : self.context.instance.contactEmail)"
        var retry: String?
        for subscription in subscriptions where subscription.alerts.contains(notification.kind.rawValue) {
            switch subscription.policy {
            case .none: continue
            case .followed where !following: continue
            case .follower where !followedBy: continue
            default: break
            }
            guard let keys = WebPush.Keys(p256dh: subscription.p256dh, auth: subscription.auth) else { continue }
            let result = await self.context.federation.pushSender.send(
                payload,
                to: subscription.endpoint,
                keys: keys,
                vapid: vapid,
                subject: subject,
                urgency: notification.kind == .mention ? "high" : "normal"
            )
            switch result {
            case .delivered: continue
            case .gone:
                try await db.transaction { try await $0.deletePushSubscription(id: subscription.id) }
            case .retry(let reason): retry = reason
            case .drop(let reason): self.context.logger.info("push to \(subscription.endpoint) dropped: \(reason)")
            }
        }
        if let retry { throw PushFailure(reason: retry) }
    }

    /// The JSON a client receives, as Mastodon builds it (without `access_token`: only token hashes are kept).
    func payload(_ notification: Core.Notification, sender: Account, status: Status?, locale: String?) -> Data {
        let name = sender.displayName.isEmpty ? sender.username : sender.displayName
        let title: String =
            switch notification.kind {
            case .mention: "You were mentioned by \(name)"
            case .status: "\(name) just posted"
            case .reblog: "\(name) boosted your post"
            case .follow: "\(name) is now following you"
            case .followRequest: "New follow request from \(name)"
            case .favourite: "\(name) favorited your post"
            case .poll: "A poll has ended"
            case .update: "\(name) edited a post"
            case .move: "\(name) moved to a new account"
            }
        var body = status.map { FilterProcessor.plainText($0) } ?? "@\(sender.acct)"
        body = body.trimmingCharacters(in: .whitespacesAndNewlines)
        if body.count > 140 { body = String(body.prefix(139)) + "…" }
        let json: JSON = [
            "notification_id": .string(String(notification.id.rawValue)),
            "notification_type": .string(notification.kind.rawValue),
            "preferred_locale": .string(locale ?? "en"),
            "icon": .string(self.context.urls.missingAvatar),
            "title": .string(title),
            "body": .string(body),
        ]
        return json.data()
    }
}

/// A push worth trying again.
struct PushFailure: Error, CustomStringConvertible {
    let reason: String
    var description: String { "push failed: \(self.reason)" }
}
