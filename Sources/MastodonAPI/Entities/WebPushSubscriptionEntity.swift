import Core
import Hummingbird

/// https://docs.joinmastodon.org/entities/WebPushSubscription/
struct WebPushSubscriptionEntity: ResponseEncodable, Sendable {
    struct Alerts: Encodable, Sendable {
        let values: [String: Bool]

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: AnyKey.self)
            for name in PushSubscription.alertTypes {
                try container.encode(self.values[name] ?? false, forKey: AnyKey(name))
            }
        }

        struct AnyKey: CodingKey {
            let stringValue: String
            var intValue: Int? { nil }
            init(_ value: String) { self.stringValue = value }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
    }

    let id: String
    let endpoint: String
    let standard: Bool
    let alerts: Alerts
    let serverKey: String
    let policy: String

    init(_ subscription: PushSubscription, serverKey: String) {
        self.id = subscription.id.description
        self.endpoint = subscription.endpoint
        self.standard = subscription.standard
        self.alerts = Alerts(
            values: Dictionary(
                uniqueKeysWithValues: PushSubscription.alertTypes.map { ($0, subscription.alerts.contains($0)) }
            )
        )
        self.serverKey = serverKey
        self.policy = subscription.policy.rawValue
    }

    enum CodingKeys: String, CodingKey {
        case id, endpoint, standard, alerts
        case serverKey = "server_key"
        case policy
    }
}
