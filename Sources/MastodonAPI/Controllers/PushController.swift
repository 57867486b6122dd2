import Core
import HTTPCommon
import Hummingbird
import Processing

/// `/api/v1/push/subscription` — https://docs.joinmastodon.org/methods/push/ (one subscription per token).
struct PushController {
    let push: PushProcessor

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("push/subscription", use: self.create)
        group.get("push/subscription", use: self.show)
        group.put("push/subscription", use: self.update)
        group.delete("push/subscription", use: self.delete)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> WebPushSubscriptionEntity {
        let viewer = try context.requireUser(scope: "push")
        let params = try await request.parameters(context: context)
        guard let subscription = try params.object("subscription") else {
            throw DomainError.validation("Validation failed: subscription is missing")
        }
        let keys = try subscription.object("keys")
        let data = try params.object("data")
        let (created, key) = try await self.push.subscribe(
            PushProcessor.NewSubscription(
                endpoint: try subscription.string("endpoint") ?? "",
                p256dh: try keys?.string("p256dh") ?? "",
                auth: try keys?.string("auth") ?? "",
                standard: try subscription.bool("standard") ?? false,
                alerts: try Self.alerts(data),
                policy: try data?.string("policy")
            ),
            viewer: viewer
        )
        return WebPushSubscriptionEntity(created, serverKey: key)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> WebPushSubscriptionEntity {
        let viewer = try context.requireUser(scope: "push")
        let (subscription, key) = try await self.push.show(viewer: viewer)
        return WebPushSubscriptionEntity(subscription, serverKey: key)
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> WebPushSubscriptionEntity {
        let viewer = try context.requireUser(scope: "push")
        let params = try await request.parameters(context: context)
        let data = try params.object("data")
        let (subscription, key) = try await self.push.update(
            alerts: try Self.alerts(data),
            policy: try data?.string("policy") ?? params.string("policy"),
            viewer: viewer
        )
        return WebPushSubscriptionEntity(subscription, serverKey: key)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try context.requireUser(scope: "push")
        try await self.push.unsubscribe(viewer: viewer)
        return MastodonErrorMiddleware.json(.ok, [:])
    }

    /// `data[alerts][mention]=true`, …: the alerts sent, by name.
    static func alerts(_ data: RequestParameters?) throws -> [String: Bool] {
        guard let alerts = try data?.object("alerts") else { return [:] }
        var result: [String: Bool] = [:]
        for name in PushSubscription.alertTypes where alerts.has(name) {
            result[name] = try alerts.bool(name) ?? false
        }
        return result
    }
}
