import Foundation

/// A Web Push subscription: one per access token, as in Mastodon. The client's browser or push relay
/// receives notifications encrypted for `p256dh` and `auth` (RFC 8291), signed with the server's VAPID key.
package struct PushSubscription: Sendable, Equatable {
    package typealias ID = EntityID<PushSubscription>

    /// The notification types a subscription may ask for (`data[alerts][…]`).
    package static let alertTypes = [
        "mention", "status", "reblog", "follow", "follow_request", "favourite", "poll", "update",
        "admin.sign_up", "admin.report",
    ]

    /// Whose notifications are pushed: everyone's, only from accounts the user follows, only from
    /// followers, or nobody's.
    package enum Policy: String, Sendable, CaseIterable {
        case all, followed, follower, none
    }

    package var id: ID
    package var tokenID: AccessToken.ID
    package var accountID: Account.ID
    package var endpoint: String
    /// The client's P-256 public key, uncompressed (65 bytes), base64url as the client sent it.
    package var p256dh: String
    /// The client's 16-byte authentication secret, base64url.
    package var auth: String
    package var alerts: Set<String>
    package var policy: Policy
    /// Whether the client asked for the standard (RFC 8291 aes128gcm) encoding (`subscription[standard]`).
    package var standard: Bool
    package var createdAt: Date

    package init(
        id: ID,
        tokenID: AccessToken.ID,
        accountID: Account.ID,
        endpoint: String,
        p256dh: String,
        auth: String,
        alerts: Set<String>,
        policy: Policy,
        standard: Bool,
        createdAt: Date
    ) {
        self.id = id
        self.tokenID = tokenID
        self.accountID = accountID
        self.endpoint = endpoint
        self.p256dh = p256dh
        self.auth = auth
        self.alerts = alerts
        self.policy = policy
        self.standard = standard
        self.createdAt = createdAt
    }
}
