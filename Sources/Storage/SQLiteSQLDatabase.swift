import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import Synchronization

/// Reader connections for one database file, each taken by one read session at a time.
///
/// A session reads in one transaction on its connection, so its statements share one snapshot and take
/// SQLite's WAL read lock (two `fcntl` calls) once instead of once each. As many connections open as
/// read sessions run at once.
final class SQLiteReaders: Sendable {
    private let idle = Mutex<[SQLiteHandle]>([])
    private let path: String
    private let logger: Logger

    init(path: String, logger: Logger, opening count: Int) throws {
        self.path = path
        self.logger = logger
        let opened = try (0..<count).map { _ in try self.open() }
        self.idle.withLock { $0 = opened }
    }

    /// Runs `body` with a connection of its own, which goes back when it returns or throws.
    func withHandle<T>(_ body: (SQLiteHandle) async throws -> T) async throws -> T {
        let handle = try self.idle.withLock { $0.popLast() } ?? self.open()
        defer { self.idle.withLock { $0.append(handle) } }
        return try await body(handle)
    }

    private func open() throws -> SQLiteHandle {
        let handle = try SQLiteHandle(path: self.path, logger: self.logger)
        try SQLiteSQLDatabase.configure(handle, wal: false)
        return handle
    }

    func close() {
        self.idle.withLock { handles in
            for handle in handles { handle.close() }
            handles.removeAll()
        }
    }
}

/// SQLKit's view of an SQLite connection, so that builder queries and raw SQL run on the same direct
/// connections as the positional reads.
struct SQLiteSQLDatabase: SQLDatabase {
    /// The connection the session's statements run on: the writer, a reader a read session has taken, or
    /// the only connection of an in-memory database.
    let handle: SQLiteHandle
    let logger: Logger

    var eventLoop: any EventLoop { MultiThreadedEventLoopGroup.singleton.any() }
    var dialect: any SQLDialect { SQLiteDialect() }
    /// `SQLiteHandle` logs each statement itself (at debug).
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<
        Void
    > {
        do {
            try self.run(query, onRow)
            return self.eventLoop.makeSucceededVoidFuture()
        } catch {
            return self.eventLoop.makeFailedFuture(error)
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try self.run(query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    private func run(_ query: any SQLExpression, _ onRow: (any SQLRow) -> Void) throws {
        let (sql, binds) = self.serialize(query)
        var names: [String]?
        try self.handle.query(sql, try binds.map { try Self.data($0) }) { row in
            let columns = names ?? row.columnNames
            names = columns
            onRow(SQLiteValuesRow(names: columns, values: (0..<columns.count).map(row.data)))
        }
    }

    /// A bind as SQLite data: the common types directly, anything else through sqlite-kit's encoder (which
    /// first casts each value to a protocol, measurable with twenty ids per query).
    ///
    /// The value's type is compared as such (`T.self ==`, one comparison each) rather than cast to each type in
    /// turn (`as`), which goes through the runtime's general cast for every bind.
    static func data<T: Encodable & Sendable>(_ bind: T) throws -> SQLiteData {
        if T.self == Int64.self { return .integer(Int(unsafeBitCast(bind, to: Int64.self))) }
        if T.self == String.self { return .text(unsafeBitCast(bind, to: String.self)) }
        if T.self == Int.self { return .integer(unsafeBitCast(bind, to: Int.self)) }
        if T.self == Bool.self { return .integer(unsafeBitCast(bind, to: Bool.self) ? 1 : 0) }
        if T.self == SQLiteInt64List.Bind.self { return .blob(unsafeBitCast(bind, to: SQLiteInt64List.Bind.self).blob) }
        if T.self == Int64?.self { return unsafeBitCast(bind, to: Int64?.self).map { .integer(Int($0)) } ?? .null }
        if T.self == String?.self { return unsafeBitCast(bind, to: String?.self).map { .text($0) } ?? .null }
        return try SQLiteDataEncoder().encode(bind)
    }

    /// Runs one statement that returns no rows (PRAGMAs, BEGIN, COMMIT).
    static func execute(_ sql: String, on handle: SQLiteHandle) throws {
        try handle.query(sql, []) { _ in }
    }

    /// The settings every connection gets; `wal` for the first connection to a file.
    static func configure(_ handle: SQLiteHandle, wal: Bool) throws {
        if wal {
            try Self.execute("PRAGMA journal_mode = WAL", on: handle)
        }
        try Self.execute("PRAGMA busy_timeout = 5000", on: handle)
        try Self.execute("PRAGMA foreign_keys = ON", on: handle)
        try Self.execute("PRAGMA synchronous = NORMAL", on: handle)
    }
}

/// A row copied out of its statement, for SQLKit's by-name decoding.
private struct SQLiteValuesRow: SQLRow {
    let names: [String]
    let values: [SQLiteData]

    var allColumns: [String] { self.names }

    func contains(column: String) -> Bool { self.names.contains(column) }

    func decodeNil(column: String) throws -> Bool {
        guard let index = self.names.firstIndex(of: column) else { return true }
        return self.values[index] == .null
    }

    func decode<D: Decodable>(column: String, as: D.Type) throws -> D {
        guard let index = self.names.firstIndex(of: column) else {
            throw StorageError.corruptRow("no column \(column) in the result")
        }
        return try SQLiteDataDecoder().decode(D.self, from: self.values[index])
    }
}
