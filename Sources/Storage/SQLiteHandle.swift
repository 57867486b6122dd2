import CSQLiteShim
import Logging
import NIOCore
import SQLiteNIO
import Synchronization
import VaporCSQLite

/// An error SQLite returned, with its extended result code.
package struct SQLiteFailure: Error, CustomStringConvertible {
    /// The extended result code (`SQLITE_CONSTRAINT_UNIQUE` rather than `SQLITE_CONSTRAINT`).
    package let code: Int32
    package let message: String

    package var description: String { "SQLite error \(self.code): \(self.message)" }

    /// A UNIQUE or PRIMARY KEY constraint refused the row.
    var isUniqueViolation: Bool {
        // SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY: ClangImporter skips the extended codes.
        self.code == 2067 || self.code == 1555
    }
}

/// One SQLite connection, called directly on the caller's thread, with its prepared statements kept.
///
/// sqlite-nio (which Tern used before) runs every statement on a thread pool and prepares it afresh
/// each time. For the small indexed reads a page is made of, the hop to the pool and back and the
/// parsing cost more than the query: a home-timeline page spent a quarter of its CPU there. A statement
/// here is prepared once per connection and reset after each use; the call blocks its thread for as
/// long as SQLite works, which on a reader in WAL mode never includes waiting for a writer.
///
/// The handle's lock serialises callers, so a connection is never used by two threads at once.
package final class SQLiteHandle: @unchecked Sendable {
    /// More statements than this (queries whose text varies: lists of names or types, built filters) empty
    /// the cache. Id lists do not count: they are one bind (`SQLIntegerList`).
    private static let cacheLimit = 256
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private let lock = Mutex(())
    private var db: OpaquePointer?
    private var cache: [StatementText: OpaquePointer] = [:]
    /// Statements prepared from a `Statement`, found by its pieces without writing its text.
    private var shapes: [StatementShape: OpaquePointer] = [:]
    let logger: Logger

    /// Opens (and creates) the database at `path`, or a private in-memory database for ":memory:".
    package init(path: String, logger: Logger) throws {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let opened = sqlite_nio_sqlite3_open_v2(path, &db, flags, nil)
        guard opened == SQLITE_OK, let db else {
            let message = db.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "cannot open"
            sqlite_nio_sqlite3_close(db)
            throw SQLiteFailure(code: opened, message: "\(message) (\(path))")
        }
        // Without it, statements whose plan could depend on a bound value (time comparisons, `IS NULL`
        // alternatives) are prepared again whenever that value changes, which is on nearly every use.
        let stable = tern_sqlite_enable_qpsg(UnsafeMutableRawPointer(db))
        guard stable == SQLITE_OK else {
            sqlite_nio_sqlite3_close(db)
            throw SQLiteFailure(code: stable, message: "cannot fix query plans (\(path))")
        }
        let listed = SQLiteInt64List.register(on: db)
        guard listed == SQLITE_OK else {
            sqlite_nio_sqlite3_close(db)
            throw SQLiteFailure(code: listed, message: "cannot register \(SQLiteInt64List.name) (\(path))")
        }
        self.db = db
        self.logger = logger
    }

    deinit {
        self.closeLocked()
    }

    /// Finalises the statements and closes the connection; later calls fail.
    package func close() {
        self.lock.withLock { _ in self.closeLocked() }
    }

    private func closeLocked() {
        self.finalizeAll()
        if let db = self.db { sqlite_nio_sqlite3_close_v2(db) }
        self.db = nil
    }

    /// Runs `sql` with `binds`, handing each result row to `onRow` while the statement is on it.
    ///
    /// `onRow` reads the row through the statement (`SQLiteStatementRow`); it must not keep it.
    func query(_ sql: String, _ binds: [SQLiteData], _ onRow: (SQLiteStatementRow) throws -> Void) throws {
        if self.logger.logLevel <= .debug {
            self.logger.debug("Executing query", metadata: ["sql": "\(sql)", "binds": "\(binds)"])
        }
        try self.lock.withLock { _ in
            let key = StatementText(sql)
            let statement = try self.cache[key] ?? self.prepare(sql) { self.cache[key] = $0 }
            // A statement left unreset keeps its read snapshot open: always reset.
            defer { Self.reset(statement) }
            try self.bind(binds, to: statement)
            try self.step(statement, onRow)
        }
    }

    /// Runs `statement`, as `query(_:_:_:)` does a text: the prepared statement is found by its shape, and its
    /// text is written only to prepare it.
    func query(_ statement: Statement, _ onRow: (SQLiteStatementRow) throws -> Void) throws {
        if self.logger.logLevel <= .debug {
            self.logger.debug(
                "Executing query",
                metadata: ["sql": "\(statement.sqliteText)", "binds": "\(statement.boundValues)"]
            )
        }
        try self.lock.withLock { _ in
            let prepared =
                try self.shapes[StatementShape(of: statement)]
                ?? self.prepare(statement.sqliteText) { self.shapes[StatementShape(keeping: statement)] = $0 }
            defer { Self.reset(prepared) }
            try self.bind(statement, to: prepared)
            try self.step(prepared, onRow)
        }
    }

    private static func reset(_ statement: OpaquePointer) {
        sqlite_nio_sqlite3_reset(statement)
        sqlite_nio_sqlite3_clear_bindings(statement)
    }

    private func step(_ statement: OpaquePointer, _ onRow: (SQLiteStatementRow) throws -> Void) throws {
        let row = SQLiteStatementRow(statement: statement)
        while true {
            let stepped = sqlite_nio_sqlite3_step(statement)
            if stepped == SQLITE_ROW {
                try onRow(row)
            } else if stepped == SQLITE_DONE {
                return
            } else {
                throw self.failure(stepped)
            }
        }
    }

    /// Prepares `sql` and hands the statement to `keep`, which files it in one of the caches. SQLite prepares
    /// a kept statement again by itself after a schema change.
    private func prepare(_ sql: String, keep: (OpaquePointer) -> Void) throws -> OpaquePointer {
        guard let db = self.db else { throw SQLiteFailure(code: SQLITE_MISUSE, message: "connection is closed") }
        var statement: OpaquePointer?
        let flags = UInt32(SQLITE_PREPARE_PERSISTENT)
        let result = sqlite_nio_sqlite3_prepare_v3(db, sql, -1, flags, &statement, nil)
        guard result == SQLITE_OK, let statement else { throw self.failure(result) }
        if self.cache.count + self.shapes.count >= Self.cacheLimit { self.finalizeAll() }
        keep(statement)
        return statement
    }

    private func finalizeAll() {
        for statement in self.cache.values { sqlite_nio_sqlite3_finalize(statement) }
        for statement in self.shapes.values { sqlite_nio_sqlite3_finalize(statement) }
        self.cache.removeAll(keepingCapacity: true)
        self.shapes.removeAll(keepingCapacity: true)
    }

    /// Binds `statement`'s values in the order of its placeholders.
    private func bind(_ statement: Statement, to prepared: OpaquePointer) throws {
        var index: Int32 = 0
        func bind(_ value: Statement.Value) throws {
            index += 1
            let result: Int32 =
                switch value {
                case .integer(let integer): sqlite_nio_sqlite3_bind_int64(prepared, index, integer)
                case .real(let double): sqlite_nio_sqlite3_bind_double(prepared, index, double)
                case .text(let text): sqlite_nio_sqlite3_bind_text(prepared, index, text, -1, Self.transient)
                case .bool(let bool): sqlite_nio_sqlite3_bind_int64(prepared, index, bool ? 1 : 0)
                case .null: sqlite_nio_sqlite3_bind_null(prepared, index)
                }
            guard result == SQLITE_OK else { throw self.failure(result) }
        }
        func bind(_ blob: ByteBuffer) throws {
            index += 1
            let result = blob.withUnsafeReadableBytes {
                sqlite_nio_sqlite3_bind_blob64(prepared, index, $0.baseAddress, UInt64($0.count), Self.transient)
            }
            guard result == SQLITE_OK else { throw self.failure(result) }
        }
        for piece in statement.pieces {
            switch piece {
            case .sql: continue
            case .value(let value): try bind(value)
            case .values(let values): for value in values { try bind(value) }
            case .table(let table): try bind(table.bind.blob)
            case .list(let list): try bind(list.blob)
            }
        }
        let expected = sqlite_nio_sqlite3_bind_parameter_count(prepared)
        guard expected == index else {
            throw SQLiteFailure(code: SQLITE_RANGE, message: "the query takes \(expected) binds, not \(index)")
        }
    }

    private func bind(_ binds: [SQLiteData], to statement: OpaquePointer) throws {
        let expected = Int(sqlite_nio_sqlite3_bind_parameter_count(statement))
        guard expected == binds.count else {
            throw SQLiteFailure(code: SQLITE_RANGE, message: "the query takes \(expected) binds, not \(binds.count)")
        }
        for (offset, value) in binds.enumerated() {
            let index = Int32(offset + 1)
            let result: Int32 =
                switch value {
                case .integer(let integer): sqlite_nio_sqlite3_bind_int64(statement, index, Int64(integer))
                case .float(let double): sqlite_nio_sqlite3_bind_double(statement, index, double)
                case .text(let text): sqlite_nio_sqlite3_bind_text(statement, index, text, -1, Self.transient)
                case .blob(let buffer):
                    buffer.withUnsafeReadableBytes {
                        sqlite_nio_sqlite3_bind_blob64(
                            statement,
                            index,
                            $0.baseAddress,
                            UInt64($0.count),
                            Self.transient
                        )
                    }
                case .null: sqlite_nio_sqlite3_bind_null(statement, index)
                }
            guard result == SQLITE_OK else { throw self.failure(result) }
        }
    }

    private func failure(_ code: Int32) -> SQLiteFailure {
        guard let db = self.db else { return SQLiteFailure(code: code, message: "connection is closed") }
        let message = sqlite_nio_sqlite3_errmsg(db).map { String(cString: $0) } ?? "unknown error"
        return SQLiteFailure(code: sqlite_nio_sqlite3_extended_errcode(db), message: message)
    }
}

/// A statement's text as the key of its prepared statement, hashed from its length and a few samples.
///
/// The texts are long (a timeline's queries name every column they read, a kilobyte and more), and
/// hashing all of it, as a `String` key does, cost more per statement than finding the statement. Texts
/// of the same length mostly differ in their samples; equal hashes are told apart by comparing the
/// texts, so a poor hash costs time, never a wrong statement.
struct StatementText: Hashable {
    let text: String

    init(_ text: String) { self.text = text }

    func hash(into hasher: inout Hasher) {
        let utf8 = self.text.utf8
        hasher.combine(utf8.count)
        let sampled: Void? = utf8.withContiguousStorageIfAvailable { bytes in
            let raw = UnsafeRawBufferPointer(bytes)
            guard raw.count >= 8 else {
                hasher.combine(bytes: raw)
                return
            }
            // Five words spread over the text: its start, its end and three between.
            let last = raw.count - 8
            for offset in [0, last / 4, last / 2, last / 4 * 3, last] {
                hasher.combine(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            }
        }
        if sampled == nil { hasher.combine(self.text) }
    }
}

/// The row a statement is on, read in place (valid only inside the `onRow` call that received it).
struct SQLiteStatementRow {
    let statement: OpaquePointer

    var count: Int { Int(sqlite_nio_sqlite3_column_count(self.statement)) }

    /// The result's column names (read after a step: a schema change can change them).
    var columnNames: [String] {
        (0..<self.count).map(self.name)
    }

    func name(_ index: Int) -> String {
        sqlite_nio_sqlite3_column_name(self.statement, Int32(index)).map { String(cString: $0) } ?? ""
    }

    func isNull(_ index: Int) -> Bool {
        sqlite_nio_sqlite3_column_type(self.statement, Int32(index)) == SQLITE_NULL
    }

    /// The column's value, or nil when it is not an integer.
    func integer(_ index: Int) -> Int64? {
        guard sqlite_nio_sqlite3_column_type(self.statement, Int32(index)) == SQLITE_INTEGER else { return nil }
        return sqlite_nio_sqlite3_column_int64(self.statement, Int32(index))
    }

    /// The column's value, or nil when it is not text.
    func text(_ index: Int) -> String? {
        let column = Int32(index)
        guard sqlite_nio_sqlite3_column_type(self.statement, column) == SQLITE_TEXT,
            let bytes = sqlite_nio_sqlite3_column_text(self.statement, column)
        else { return nil }
        let length = Int(sqlite_nio_sqlite3_column_bytes(self.statement, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self)
    }

    /// The column as sqlite-nio's value type, for SQLKit's decoding.
    func data(_ index: Int) -> SQLiteData {
        let column = Int32(index)
        switch sqlite_nio_sqlite3_column_type(self.statement, column) {
        case SQLITE_INTEGER:
            return .integer(Int(sqlite_nio_sqlite3_column_int64(self.statement, column)))
        case SQLITE_FLOAT:
            return .float(sqlite_nio_sqlite3_column_double(self.statement, column))
        case SQLITE_TEXT:
            return self.text(index).map { .text($0) } ?? .null
        case SQLITE_BLOB:
            let length = Int(sqlite_nio_sqlite3_column_bytes(self.statement, column))
            var buffer = ByteBufferAllocator().buffer(capacity: length)
            if let bytes = sqlite_nio_sqlite3_column_blob(self.statement, column) {
                buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: length))
            }
            return .blob(buffer)
        default:
            return .null
        }
    }

    /// A description of the column's value, for errors.
    func describe(_ index: Int) -> String {
        "\(self.name(index)) = \(self.data(index))"
    }
}
