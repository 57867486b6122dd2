import Core
import Federation
import Foundation
import Storage

/// Runs the outbound federation jobs: `distribute` expands one activity into one `deliver` per inbox,
/// `deliver` signs and POSTs it and records how the host answered.
package struct DeliveryProcessor: Sendable {
    let context: ProcessingContext

    init(_ context: ProcessingContext) {
        self.context = context
    }

    var federation: FederationContext { self.context.federation }

    /// Expands a distribution into deliveries: followers' inboxes (shared ones once), plus the named
    /// inboxes, minus our own, blocked and unavailable hosts. One transaction, so it happens once.
    func distribute(_ distribution: Distribution) async throws {
        try await self.context.db.transaction { session in
            var inboxes = Set(distribution.inboxes)
            if distribution.followers, let accountID = distribution.accountID {
                inboxes.formUnion(try await session.followerInboxes(of: Account.ID(accountID)))
            }
            if distribution.everyKnownInbox {
                inboxes.formUnion(try await session.knownInboxes())
            }
            var byHost: [String: [String]] = [:]
            for inbox in inboxes {
                guard let host = URLBuilder.authority(of: inbox), !self.context.urls.isLocal(inbox),
                    !self.federation.isBlocked(host)
                else { continue }
                byHost[host, default: []].append(inbox)
            }
            let unavailable = try await session.unavailablePeers(among: Array(byHost.keys))
            for (host, targets) in byHost.sorted(by: { $0.key < $1.key }) where !unavailable.contains(host) {
                for inbox in targets.sorted() {
                    try await session.enqueue(
                        .deliver(
                            Delivery(inbox: inbox, accountID: distribution.accountID, activity: distribution.activity)
                        ),
                        id: self.context.ids.next()
                    )
                }
            }
        }
    }

    /// Delivers once. Throws to be retried later (the JobRunner's back-off); returns when delivered or
    /// dropped for good.
    func deliver(_ delivery: Delivery) async throws {
        guard let host = URLBuilder.authority(of: delivery.inbox) else { return }
        if let peer = try await self.context.db.read({ try await $0.peer(host) }), peer.unavailable {
            self.context.logger.debug("skipping delivery to unavailable \(host)")
            return
        }
        let key: SigningKey
        if let accountID = delivery.accountID {
            guard let account = try await self.context.db.read({ try await $0.account(id: Account.ID(accountID)) })
            else { return }  // the account is gone: so is the need to deliver for it
            key = try await self.federation.keys.signingKey(for: account)
        } else {
            key = try await self.federation.keys.instanceKey().key
        }
        switch await self.federation.deliverer.deliver(delivery.activity, to: delivery.inbox, key: key) {
        case .delivered:
            let peer = try await self.context.db.read { try await $0.peer(host) }
            if peer == nil || peer?.failingSince != nil {
                try await self.context.db.transaction { try await $0.recordPeerAlive(domain: host) }
            }
        case .retry(let reason):
            try await self.context.db.transaction {
                try await $0.recordDeliveryFailure(
                    domain: host,
                    unavailableAfter: self.federation.settings.unavailableAfter
                )
            }
            throw DeliveryFailure(inbox: delivery.inbox, reason: reason)
        case .drop(let reason):
            self.context.logger.info("dropped delivery to \(delivery.inbox): \(reason)")
        }
    }
}

/// A delivery worth trying again.
struct DeliveryFailure: Error, CustomStringConvertible {
    let inbox: String
    let reason: String
    var description: String { "delivery to \(self.inbox) failed: \(self.reason)" }
}
