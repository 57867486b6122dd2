import Core
import Foundation
import SQLKit

struct PushSubscriptionRow: Decodable {
    var id: Int64
    var accessTokenId: Int64
    var accountId: Int64
    var endpoint: String
    var keyP256dh: String
    var keyAuth: String
    var alerts: String
    var policy: String
    var standard: Bool
    var createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case id
        case accessTokenId = "access_token_id"
        case accountId = "account_id"
        case endpoint
        case keyP256dh = "key_p256dh"
        case keyAuth = "key_auth"
        case alerts, policy, standard
        case createdAt = "created_at"
    }

    var subscription: PushSubscription {
        PushSubscription(
            id: PushSubscription.ID(self.id),
            tokenID: AccessToken.ID(self.accessTokenId),
            accountID: Account.ID(self.accountId),
            endpoint: self.endpoint,
            p256dh: self.keyP256dh,
            auth: self.keyAuth,
            alerts: Set((try? JSONDecoder().decode([String].self, from: Data(self.alerts.utf8))) ?? []),
            policy: PushSubscription.Policy(rawValue: self.policy) ?? .all,
            standard: self.standard,
            createdAt: Date(millisecondsSince1970: self.createdAt)
        )
    }
}

extension DBSession {
    /// Stores the token's subscription, replacing the one it had (Mastodon: one per token).
    package func replacePushSubscription(_ subscription: PushSubscription) async throws {
        let alerts = String(decoding: try JSONEncoder().encode(subscription.alerts.sorted()), as: UTF8.self)
        try await self.sql.raw(
            "DELETE FROM push_subscriptions WHERE access_token_id = \(bind: subscription.tokenID.rawValue)"
        ).run()
        try await self.sql.raw(
            """
            INSERT INTO push_subscriptions (id, access_token_id, account_id, endpoint, key_p256dh, key_auth, alerts,
                policy, standard, created_at)
            VALUES (\(bind: subscription.id.rawValue), \(bind: subscription.tokenID.rawValue),
                \(bind: subscription.accountID.rawValue), \(bind: subscription.endpoint), \(bind: subscription.p256dh),
                \(bind: subscription.auth), \(bind: alerts), \(bind: subscription.policy.rawValue),
                \(bind: subscription.standard), \(bind: subscription.createdAt.millisecondsSince1970))
            """
        ).run()
    }

    /// Changes what a token's subscription asks for.
    package func updatePushSubscription(token: AccessToken.ID, alerts: Set<String>, policy: PushSubscription.Policy)
        async throws
    {
        let encoded = String(decoding: try JSONEncoder().encode(alerts.sorted()), as: UTF8.self)
        try await self.sql.raw(
            """
            UPDATE push_subscriptions SET alerts = \(bind: encoded), policy = \(bind: policy.rawValue)
            WHERE access_token_id = \(bind: token.rawValue)
            """
        ).run()
    }

    /// The subscription of a token.
    package func pushSubscription(token: AccessToken.ID) async throws -> PushSubscription? {
        try await self.sql.raw("SELECT * FROM push_subscriptions WHERE access_token_id = \(bind: token.rawValue)")
            .first()?.decode(model: PushSubscriptionRow.self).subscription
    }

    /// Every subscription of an account whose token still works (one per signed-in app).
    package func pushSubscriptions(of account: Account.ID) async throws -> [PushSubscription] {
        try await self.sql.raw(
            """
            SELECT p.* FROM push_subscriptions p JOIN oauth_access_tokens t ON t.id = p.access_token_id
            WHERE p.account_id = \(bind: account.rawValue) AND t.revoked_at IS NULL
            """
        ).all().map { try $0.decode(model: PushSubscriptionRow.self).subscription }
    }

    /// Removes a token's subscription.
    package func deletePushSubscription(token: AccessToken.ID) async throws {
        try await self.sql.raw("DELETE FROM push_subscriptions WHERE access_token_id = \(bind: token.rawValue)").run()
    }

    /// Removes a subscription the push service said is gone.
    package func deletePushSubscription(id: PushSubscription.ID) async throws {
        try await self.sql.raw("DELETE FROM push_subscriptions WHERE id = \(bind: id.rawValue)").run()
    }
}
