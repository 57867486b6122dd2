import Core
import Foundation
import Logging
import Storage

/// How this server federates: set once from the configuration.
package struct FederationSettings: Sendable {
    /// Address ranges exempt from the outbound guard (and allowed over plain http).
    package var allowedAddresses: [AddressRange] = []
    /// Hosts (and their subdomains) whose requests are refused and to which nothing is sent.
    package var blockedDomains: Set<String> = []
    /// A host failing this long is marked unavailable and skipped until it answers again (Mastodon: a week).
    package var unavailableAfter: TimeInterval = 7 * 86_400

    package init() {}
}

/// Everything that speaks ActivityPub outward, built once per process: keys, the guarded transport,
/// the resolver and the deliverer.
package final class FederationContext: Sendable {
    package let settings: FederationSettings
    package let keys: KeyStore
    package let transport: any HTTPTransport
    package let resolver: Resolver
    package let deliverer: Deliverer
    package let pushSender: PushSender

    package init(
        db: Database,
        urls: URLBuilder,
        ids: IDGenerator,
        clock: Clock,
        settings: FederationSettings,
        transport: any HTTPTransport,
        schemes: HostSchemes,
        keyMaker: any KeyPairMaker,
        logger: Logger
    ) {
        self.settings = settings
        self.keys = KeyStore(db: db, urls: urls, maker: keyMaker)
        self.transport = transport
        self.resolver = Resolver(
            db: db,
            urls: urls,
            ids: ids,
            clock: clock,
            keys: self.keys,
            transport: transport,
            schemes: schemes,
            logger: logger
        )
        self.deliverer = Deliverer(transport: transport, clock: clock)
        self.pushSender = PushSender(transport: transport, clock: clock)
    }

    /// Whether `host` (an authority, maybe with a port) is blocked by the operator.
    package func isBlocked(_ host: String) -> Bool {
        let name = host.split(separator: ":").first.map(String.init)?.lowercased() ?? host
        return self.settings.blockedDomains.contains { name == $0 || name.hasSuffix(".\($0)") }
    }
}
