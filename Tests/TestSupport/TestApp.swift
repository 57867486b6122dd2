import App
import Core
import Federation
import Foundation
import HTTPCommon
import Hummingbird
import HummingbirdTesting
import Logging
import Processing
import Storage
import Synchronization

/// Which database a test runs on: in-memory SQLite always, PostgreSQL when `TEST_DATABASE_URL` is set.
package enum TestDatabase: String, Sendable, CaseIterable {
    case sqlite, postgres

    /// The databases this run can use: the same tests run on each.
    package static var available: [TestDatabase] {
        ProcessInfo.processInfo.environment["TEST_DATABASE_URL"]?.isEmpty == false ? [.sqlite, .postgres] : [.sqlite]
    }

    /// A database URL that no other test shares: a fresh schema on PostgreSQL.
    func url() -> String {
        switch self {
        case .sqlite: return "sqlite::memory:"
        case .postgres:
            let base = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"] ?? ""
            let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
            return base + (base.contains("?") ? "&" : "?") + "search_path=\(schema)"
        }
    }
}

/// A clock tests move by hand.
package final class TestClock: Sendable {
    private let current: Mutex<Date>

    package init(_ start: Date = Date(timeIntervalSince1970: 1_790_000_000)) {
        self.current = Mutex(start)
    }

    package var clock: Clock { Clock { self.current.withLock { $0 } } }

    package func advance(by seconds: TimeInterval) {
        self.current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// A whole Tern built for a test: dependencies, router and a job runner in manual mode.
package struct TestApp: Sendable {
    /// PostgreSQL tests running at once.
    static let postgresSlots = AsyncSlots(12)
    @TaskLocal static var holdsSlot = false

    package let deps: AppDependencies
    package let responder: RouterResponder<AppRequestContext>
    package let jobs: JobRunner

    package var db: Database { self.deps.db }
    package var processor: Processor { self.deps.processor }
    package var config: AppConfig { self.deps.config }

    /// Builds a migrated Tern on `database`, runs `body`, and closes everything.
    /// `domain` names the instance; with a `network`, its other instances reach this one in-process.
    package static func run<T: Sendable>(
        _ database: TestDatabase = .sqlite,
        clock: Clock = .system,
        domain: String = "tern.test",
        network: LoopbackNetwork? = nil,
        mail: RecordingMailTransport? = nil,
        configure: (inout AppConfig) -> Void = { _ in },
        _ body: @Sendable (TestApp) async throws -> T
    ) async throws -> T {
        var config = AppConfig.testing(domain: domain, database: database.url())
        if mail != nil {
            config.mail = MailConfig(from: "tern@\(domain)", delivery: .sendmail(path: "/nonexistent"))
        }
        configure(&config)
        // Every PostgreSQL test opens a pool of its own: bound how many run at once so that a suite of
        // hundreds stays under the server's connection limit. Instances nested in one test share a slot.
        if database == .postgres && !Self.holdsSlot {
            let configured = config
            return try await Self.postgresSlots.withSlot {
                try await Self.$holdsSlot.withValue(true) {
                    try await Self.run(configured, clock: clock, domain: domain, network: network, mail: mail, body)
                }
            }
        }
        return try await Self.run(config, clock: clock, domain: domain, network: network, mail: mail, body)
    }

    private static func run<T: Sendable>(
        _ config: AppConfig,
        clock: Clock,
        domain: String,
        network: LoopbackNetwork?,
        mail: RecordingMailTransport?,
        _ body: @Sendable (TestApp) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "tern-test")
        logger.logLevel = .warning
        let deps = try await AppDependencies.make(
            config,
            clock: clock,
            logger: logger,
            keyMaker: PooledKeyPairs.shared,
            transport: network ?? LoopbackNetwork(),
            mailTransport: mail
        )
        let router = try await buildRouter(deps)
        let app = TestApp(deps: deps, responder: router.buildResponder(), jobs: JobRunner(deps))
        network?.attach(domain, app.responder)
        return try await deps.db.withRunning {
            try await deps.prepare()
            // The streaming hub runs beside the test, as it does beside a server.
            let hub = deps.processor.streams
            let streaming = Task { await hub.run() }
            defer { streaming.cancel() }
            do {
                let value = try await body(app)
                await hub.shutdown()
                return value
            } catch {
                await hub.shutdown()
                throw error
            }
        }
    }

    /// Runs `body` with an HTTP client bound to the router (no sockets).
    package func client<T: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        let application = Application(responder: self.responder)
        return try await application.test(.router, body)
    }

    /// Creates a confirmed local account with a password and returns it with a user token.
    package func account(_ username: String, scopes: String = "read write follow", password: String = "correct horse 1")
        async throws -> (account: Account, token: String)
    {
        let (account, generated) = try await self.processor.admin.createAccount(
            username: username,
            email: "\(username)@example.org",
            password: password,
            role: .user
        )
        _ = generated
        let token = try await self.token(login: username, password: password, scopes: scopes)
        return (account, token)
    }

    /// A public status by `author` (or its reblog of `reblogOf`), written straight to storage as posting does.
    package func insertStatus(by author: Account.ID, _ text: String, reblogOf: Status.ID? = nil) async throws -> Status
    {
        let ids = self.processor.context.ids
        let status = Status(
            id: ids.next(),
            accountID: author,
            uri: "https://example.test/statuses/\(text)",
            url: nil,
            text: text,
            content: "<p>\(text)</p>",
            visibility: .public,
            reblogOfID: reblogOf,
            createdAt: self.processor.context.clock.now()
        )
        try await self.db.transaction { try await $0.insertStatus(status, mentions: [], tags: []) { ids.next() } }
        return status
    }

    /// A password-grant token through the real OAuth processor.
    package func token(login: String, password: String, scopes: String) async throws -> String {
        let (app, secret) = try await self.processor.oauth.registerApp(
            name: "test",
            redirectURIs: [OAuthApplication.outOfBand],
            scopes: "read write follow push profile admin:read admin:write",
            website: nil
        )
        var request = OAuthProcessor.TokenRequest(grantType: "password")
        request.clientID = app.clientID
        request.clientSecret = secret
        request.username = login
        request.password = password
        request.scope = scopes
        return try await self.processor.oauth.token(request).accessToken
    }
}

extension HTTPFields {
    /// `Authorization: Bearer token`, plus any other fields.
    package static func bearer(_ token: String, contentType: String? = nil) -> HTTPFields {
        var fields = HTTPFields()
        fields[.authorization] = "Bearer \(token)"
        if let contentType { fields[.contentType] = contentType }
        return fields
    }

    /// A content type only.
    package static func contentType(_ value: String) -> HTTPFields {
        var fields = HTTPFields()
        fields[.contentType] = value
        return fields
    }
}

extension TestResponse {
    /// The body as a JSON object (empty when it is not one).
    package var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: self.body))) as? [String: Any] ?? [:]
    }

    /// The body as a JSON array (empty when it is not one).
    package var jsonArray: [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: self.body))) as? [[String: Any]] ?? []
    }

    /// The body as text.
    package var text: String { String(buffer: self.body) }
}

extension ByteBuffer {
    /// A buffer from a string body.
    package static func text(_ string: String) -> ByteBuffer { ByteBuffer(string: string) }
}

/// A counting semaphore for async code: at most `limit` bodies run at once, the others wait in order.
package actor AsyncSlots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    package init(_ limit: Int) {
        self.free = limit
    }

    package func withSlot<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await self.acquire()
        defer { self.release() }
        return try await body()
    }

    private func acquire() async {
        if self.free > 0 {
            self.free -= 1
            return
        }
        await withCheckedContinuation { self.waiting.append($0) }
    }

    private func release() {
        if self.waiting.isEmpty {
            self.free += 1
        } else {
            self.waiting.removeFirst().resume()
        }
    }
}
