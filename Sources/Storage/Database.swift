import Core
import Foundation
import Logging
import NIOCore
import PostgresKit
import SQLKit
import ServiceLifecycle
import Synchronization

/// The two SQL engines Tern runs on.
package enum DatabaseDialect: String, Sendable {
    case sqlite, postgres
}

/// One connection's worth of queries: every `Database+<Entity>.swift` extends this.
///
/// A session is handed to a closure by `Database.read` or `Database.transaction` and must not
/// escape it.
package struct DBSession: Sendable {
    package let sql: any SQLDatabase
    /// The connection `sql` runs on, for the reads that take columns by position (`ColumnReader`).
    let connection: SessionConnection
    package let dialect: DatabaseDialect
    package let clock: Core.Clock
    /// What this transaction did, for listeners after the commit (nil for reads).
    let events: CommitEvents?

    /// The current time in storage form (milliseconds since 1970).
    package var nowMillis: Int64 { self.clock.now().millisecondsSince1970 }

    /// SQL for a new row version of an account or status (`M0033_AddRowVersions`). The hot writes set it
    /// themselves: on SQLite that spares the trigger's second write of the row; elsewhere the database sets it.
    var newRowVersion: String {
        self.dialect == .sqlite ? "(random() >> 11)" : "floor(random() * 9007199254740992)::bigint"
    }

    /// Records an event, delivered to the commit listener once (and only if) the transaction commits.
    package func emit(_ event: CommitEvent) {
        self.events?.append(event)
    }
}

/// The events of one transaction.
final class CommitEvents: Sendable {
    private let list = Mutex<[CommitEvent]>([])

    func append(_ event: CommitEvent) { self.list.withLock { $0.append(event) } }
    var all: [CommitEvent] { self.list.withLock { $0 } }
}

/// The database: SQLite (one writer connection and reader connections, WAL, called directly through
/// `SQLiteHandle`) or a PostgreSQL connection pool.
///
/// It is a `Service`: the PostgreSQL pool needs `run()` to be running, and both engines close their
/// connections when it returns. Use `read` for queries and `transaction` for anything that writes.
package final class Database: Service, Sendable {
    private enum Backend: Sendable {
        /// In memory there is one connection and no readers: reads wait for the write lock.
        case sqlite(writer: SQLiteHandle, readers: SQLiteReaders?)
        case postgres(PostgresClient)
    }

    private let backend: Backend
    private let writeLock = AsyncLock()
    /// Where SQLite's write transactions run (`WriterThread`).
    private let writerThread: WriterThread?
    private let commitListener = Mutex<(@Sendable ([CommitEvent]) -> Void)?>(nil)
    /// The last count of known domains and when it was counted (`instanceStats()`).
    let knownDomainCount = Mutex<(count: Int, countedAt: Date)?>(nil)
    private let logger: Logger
    package let dialect: DatabaseDialect
    package let clock: Core.Clock
    /// Where it lives, without secrets.
    package let location: String

    private init(backend: Backend, dialect: DatabaseDialect, clock: Core.Clock, logger: Logger, location: String) {
        self.backend = backend
        if case .sqlite = backend { self.writerThread = WriterThread() } else { self.writerThread = nil }
        self.dialect = dialect
        self.clock = clock
        self.logger = logger
        self.location = location
    }

    /// Opens the database. SQLite files are created (with their folder); PostgreSQL is reached lazily
    /// through its pool, so `checkConnection()` is the way to find out early that it is down. A SQLite file
    /// opens `readers` reader connections at once and more when more statements run at the same time.
    package static func open(
        _ location: DatabaseLocation,
        clock: Core.Clock = .system,
        logger: Logger,
        readers: Int = 2
    ) async throws -> Database {
        switch location {
        case .sqliteMemory:
            let handle = try SQLiteHandle(path: ":memory:", logger: logger)
            try SQLiteSQLDatabase.configure(handle, wal: false)
            return Database(
                backend: .sqlite(writer: handle, readers: nil),
                dialect: .sqlite,
                clock: clock,
                logger: logger,
                location: location.redacted
            )
        case .sqliteFile(let path):
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
            let writer = try SQLiteHandle(path: path, logger: logger)
            try SQLiteSQLDatabase.configure(writer, wal: true)
            return Database(
                backend: .sqlite(
                    writer: writer,
                    readers: try SQLiteReaders(path: path, logger: logger, opening: readers)
                ),
                dialect: .sqlite,
                clock: clock,
                logger: logger,
                location: location.redacted
            )
        case .postgres(let host, let port, let username, let password, let database, let tls, let searchPath):
            var configuration = PostgresClient.Configuration(
                host: host,
                port: port,
                username: username,
                password: password,
                database: database,
                tls: tls ? .require(.makeClientConfiguration()) : .disable
            )
            configuration.options.maximumConnections = 16
            configuration.options.connectTimeout = .seconds(5)
            if let searchPath {
                // Each schema is a separate Tern (tests give every case its own).
                configuration.options.additionalStartupParameters = [("search_path", searchPath)]
            }
            let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
            return Database(
                backend: .postgres(client),
                dialect: .postgres,
                clock: clock,
                logger: logger,
                location: location.redacted
            )
        }
    }

    /// Keeps the PostgreSQL pool alive until shutdown; closes SQLite connections at the end.
    package func run() async throws {
        switch self.backend {
        case .postgres(let client):
            await client.run()
        case .sqlite:
            try? await gracefulShutdown()
            await self.close()
        }
    }

    /// Runs `body` with the database's service running (the admin CLI and tests use this).
    package func withRunning<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        switch self.backend {
        case .sqlite:
            defer { Task { await self.close() } }
            return try await body()
        case .postgres(let client):
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    await client.run()
                    return nil
                }
                defer { group.cancelAll() }
                let value = try await body()
                return value
            }
        }
    }

    /// Closes SQLite connections (PostgreSQL closes when `run()` is cancelled).
    package func close() async {
        if case .sqlite(let writer, let readers) = self.backend {
            readers?.close()
            writer.close()
        }
        await self.writerThread?.shutdown()
    }

    /// Fails with the driver's error when the database cannot be reached.
    package func checkConnection() async throws {
        try await self.read { session in
            _ = try await session.sql.raw("SELECT 1 AS one").all()
        }
    }

    /// Runs read-only queries. On SQLite they run on a reader connection of their own, in one transaction: one
    /// snapshot for all of them, beside the writer (WAL).
    package func read<T: Sendable>(_ body: (DBSession) async throws -> T) async throws -> T {
        switch self.backend {
        case .sqlite(let writer, let readers):
            guard let readers else {
                // One in-memory connection: reads wait for writes so they never see half a transaction.
                return try await self.writeLock.withLock {
                    try await body(self.session(.sqlite(writer)))
                }
            }
            // The statements run on the caller's thread without suspending. The server runs its tasks on
            // the event loops (`EventLoopExecutor`), which take turns in order of arrival; `Task.yield()`
            // here (which the concurrency pool needed, for a p99 of 29 ms instead of 161) would send the
            // task to the runtime's own threads and back.
            // One transaction: one snapshot, and SQLite's WAL read lock taken once for the session.
            return try await readers.withHandle {
                try await Self.committed(self.session(.sqlite($0)), "BEGIN", body)
            }
        case .postgres(let client):
            return try await client.withConnection { connection in
                try await body(self.session(.postgres(connection, self.logger)))
            }
        }
    }

    /// `read(_:)` for a body that runs one statement: SQLite runs a lone statement in a transaction of its
    /// own, so the session's BEGIN and COMMIT are left out. Every signed-in request reads its token so.
    /// A body that runs more statements gets no common snapshot from this: use `read(_:)` for it.
    package func readStatement<T: Sendable>(_ body: (DBSession) async throws -> T) async throws -> T {
        guard case .sqlite(_, let readers?) = self.backend else { return try await self.read(body) }
        return try await readers.withHandle { try await body(self.session(.sqlite($0))) }
    }

    /// Sets who hears of committed events (the streaming hub). Called once at start-up.
    package func onCommit(_ listener: @escaping @Sendable ([CommitEvent]) -> Void) {
        self.commitListener.withLock { $0 = listener }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    ///
    /// This is the outbox pattern's half: a state change and the jobs it enqueues commit together.
    /// Events the body recorded reach the commit listener after the commit, never after a rollback.
    package func transaction<T: Sendable>(_ body: (DBSession) async throws -> T) async throws -> T {
        let events = CommitEvents()
        let value = try await self.transaction(events: events, body)
        let recorded = events.all
        if !recorded.isEmpty, let listener = self.commitListener.withLock({ $0 }) {
            listener(recorded)
        }
        return value
    }

    private func transaction<T: Sendable>(events: CommitEvents, _ body: (DBSession) async throws -> T) async throws
        -> T
    {
        switch self.backend {
        case .sqlite(let writer, _):
            // On a thread of its own: a commit blocks the thread it runs on.
            return try await withTaskExecutorPreference(self.writerThread) {
                try await self.writeLock.withLock {
                    try await Self.committed(
                        self.session(.sqlite(writer), events: events),
                        "BEGIN IMMEDIATE",
                        body
                    )
                }
            }
        case .postgres(let client):
            return try await client.withConnection { connection in
                try await Self.committed(
                    self.session(.postgres(connection, self.logger), events: events),
                    "BEGIN",
                    body
                )
            }
        }
    }

    /// `body` between `begin` and `COMMIT` on `session`'s connection, rolled back when it throws.
    private static func committed<T: Sendable>(
        _ session: DBSession,
        _ begin: String,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (DBSession) async throws -> T
    ) async throws -> T {
        try await session.control(begin)
        do {
            let value = try await body(session)
            try await session.control("COMMIT")
            return value
        } catch {
            try? await session.control("ROLLBACK")
            throw Self.translate(error)
        }
    }

    private func session(_ connection: SessionConnection, events: CommitEvents? = nil) -> DBSession {
        let sql: any SQLDatabase =
            switch connection {
            case .sqlite(let handle): SQLiteSQLDatabase(handle: handle, logger: self.logger)
            case .postgres(let connection, _): connection.sql()
            }
        return DBSession(sql: sql, connection: connection, dialect: self.dialect, clock: self.clock, events: events)
    }

    /// Turns unique-constraint failures into `StorageError.duplicate`; leaves everything else alone.
    private static func translate(_ error: any Error) -> any Error {
        if let error = error as? SQLiteFailure, error.isUniqueViolation {
            return StorageError.duplicate(error.message)
        }
        if let error = error as? PSQLError, error.serverInfo?[.sqlState] == "23505" {
            return StorageError.duplicate(error.serverInfo?[.constraintName] ?? "unique constraint")
        }
        return error
    }
}
