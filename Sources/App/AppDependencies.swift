import Core
import Federation
import Foundation
import Logging
import Mail
import NIOPosix
import Processing
import Storage

/// Everything built once per process and passed down by initialisers: no singletons.
package final class AppDependencies: Sendable {
    package let config: AppConfig
    package let db: Database
    package let processor: Processor
    package let logger: Logger
    /// Opened by `prepare()` once the schema is current.
    package let migrated = ReadinessGate()

    /// Opens the database and builds the processors. Does not migrate (see `prepare`).
    /// `keyMaker` and `transport` are for tests: a pool of ready keys, an in-process network.
    package static func make(
        _ config: AppConfig,
        clock: Clock = .system,
        logger: Logger,
        keyMaker: any KeyPairMaker = FreshKeyPairs(),
        transport: (any HTTPTransport)? = nil,
        mailTransport: (any MailTransport)? = nil
    ) async throws -> AppDependencies {
        let location = try config.databaseLocation()
        if case .sqliteFile = location {
            try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
        }
        let db = try await Database.open(location, clock: clock, logger: logger)
        let ids = IDGenerator(clock: clock)
        let addressGuard = AddressGuard(allowed: config.federation.allowedAddresses)
        let federation = FederationContext(
            db: db,
            urls: config.urls,
            ids: ids,
            clock: clock,
            settings: config.federation,
            transport: transport
                ?? NIOHTTPTransport(guard: addressGuard, userAgent: SoftwareVersion.userAgent(config.urls.base)),
            schemes: HostSchemes { host in await addressGuard.allowsPlainHTTP(host: host) },
            keyMaker: keyMaker,
            logger: logger
        )
        let context = ProcessingContext(
            db: db,
            ids: ids,
            clock: clock,
            urls: config.urls,
            instance: config.instance,
            passwords: PasswordHasher(cost: config.bcryptCost),
            federation: federation,
            media: LocalMediaStore(root: config.dataDirectory + "/media", urls: config.urls),
            logger: logger,
            mailer: try Self.mailer(config.mail, transport: mailTransport)
        )
        return AppDependencies(config: config, db: db, processor: Processor(context), logger: logger)
    }

    /// The configured way to send mail; `transport` replaces it in tests (the sender stays).
    private static func mailer(_ config: MailConfig?, transport: (any MailTransport)?) throws -> Mailer? {
        guard let config else { return nil }
        let from = try MailAddress(config.from)
        if let transport { return Mailer(from: from, transport: transport) }
        switch config.delivery {
        case .smtp(let smtp):
            return Mailer(
                from: from,
                transport: SMTPTransport(configuration: smtp, eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
            )
        case .sendmail(let path):
            return Mailer(from: from, transport: SendmailTransport(path: path))
        }
    }

    private init(config: AppConfig, db: Database, processor: Processor, logger: Logger) {
        self.config = config
        self.db = db
        self.processor = processor
        self.logger = logger
    }

    /// Checks the database answers (within 10 s) and applies pending migrations.
    package func prepare() async throws {
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.db.checkConnection() }
                group.addTask {
                    try await Task.sleep(for: .seconds(10))
                    throw DatabaseUnreachable()
                }
                defer { group.cancelAll() }
                try await group.next()
            }
        } catch {
            throw ConfigError(
                setting: "database",
                environment: "TERN_DATABASE",
                message: "cannot reach \(self.db.location): \(Self.describe(error))"
            )
        }
        try await self.db.migrate(logger: self.logger)
        self.migrated.open()
    }

    private struct DatabaseUnreachable: Error, CustomStringConvertible {
        var description: String { "no answer within 10 seconds" }
    }

    private static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}
