import Logging
import PostgresKit
import SQLKit
import SQLiteKit
import Synchronization

/// The connection a session runs on, for the reads that take their columns by position.
enum SessionConnection: Sendable {
    case sqlite(SQLiteHandle)
    case postgres(PostgresConnection, Logger)
}

/// One row's columns, read by position in the order the query selects them.
///
/// The hot reads (accounts and statuses, which every timeline hydrates) come through here instead of
/// SQLKit's `Codable` row decoding: that looks each column up by name, checks it is there, checks it for
/// NULL and converts it through a generic decoder, and measured at a fifth of a home-timeline request's CPU.
struct ColumnReader {
    enum Cells {
        case sqlite(SQLiteStatementRow)
        case postgres(PostgresRandomAccessRow)
    }

    let cells: Cells

    func isNull(_ index: Int) -> Bool {
        switch self.cells {
        case .sqlite(let row): row.isNull(index)
        case .postgres(let row): row[index].bytes == nil
        }
    }

    func int64(_ index: Int) throws -> Int64 {
        switch self.cells {
        case .sqlite(let row):
            guard let value = row.integer(index) else { throw self.mismatch(index, "an integer") }
            return value
        case .postgres(let row):
            return try row[index].decode(Int64.self)
        }
    }

    func int(_ index: Int) throws -> Int {
        Int(try self.int64(index))
    }

    func bool(_ index: Int) throws -> Bool {
        switch self.cells {
        case .sqlite(let row):
            guard let value = row.integer(index) else { throw self.mismatch(index, "a boolean") }
            return value != 0
        case .postgres(let row):
            return try row[index].decode(Bool.self)
        }
    }

    func string(_ index: Int) throws -> String {
        switch self.cells {
        case .sqlite(let row):
            guard let value = row.text(index) else { throw self.mismatch(index, "text") }
            return value
        case .postgres(let row):
            return try row[index].decode(String.self)
        }
    }

    func optionalInt64(_ index: Int) throws -> Int64? {
        self.isNull(index) ? nil : try self.int64(index)
    }

    func optionalInt(_ index: Int) throws -> Int? {
        self.isNull(index) ? nil : try self.int(index)
    }

    func optionalString(_ index: Int) throws -> String? {
        self.isNull(index) ? nil : try self.string(index)
    }

    private func mismatch(_ index: Int, _ expected: String) -> StorageError {
        switch self.cells {
        case .sqlite(let row):
            .corruptRow("column \(row.describe(index)), not \(expected)")
        case .postgres:
            .corruptRow("column \(index) is not \(expected)")
        }
    }
}

/// A stored row read by position.
protocol PositionalRow {
    /// The columns `init(_:at:)` reads, in this order.
    static var columnNames: [String] { get }

    /// Reads the `columnNames` columns starting at `start`.
    init(_ row: ColumnReader, at start: Int) throws
}

extension PositionalRow {
    /// `columnNames` as a SELECT list.
    static var columnList: String { Self.columns(nil) }

    /// `columnNames` as a SELECT list qualified by a join's `alias`.
    ///
    /// Built once per row type and alias: joining the names on every query measured at a tenth of the
    /// CPU of a request as small as verify_credentials.
    static func columns(_ alias: String?) -> String {
        let key = SelectListKey(row: ObjectIdentifier(Self.self), alias: alias)
        if let built = selectLists.withLock({ $0[key] }) { return built }
        let built = Self.columnNames.map { name in alias.map { "\($0).\(name)" } ?? name }.joined(separator: ", ")
        selectLists.withLock { $0[key] = built }
        return built
    }
}

/// The SELECT lists built so far (a handful: one per row type and alias in the source).
private let selectLists = Mutex<[SelectListKey: String]>([:])

private struct SelectListKey: Hashable {
    let row: ObjectIdentifier
    let alias: String?
}

extension DBSession {
    /// Runs `statement` and reads each row by position.
    func rows<T>(_ statement: Statement, _ read: (ColumnReader) throws -> T) async throws -> [T] {
        switch self.connection {
        case .sqlite(let handle):
            var results: [T] = []
            try handle.query(statement) { row in
                results.append(try read(ColumnReader(cells: .sqlite(row))))
            }
            return results
        case .postgres(let connection, let logger):
            let (sql, binds) = statement.postgres()
            if logger.logLevel <= .debug {
                // As SQLKit logs the queries it runs (SQLite's are logged by `SQLiteHandle`).
                logger.debug("Executing query", metadata: ["sql": "\(sql)", "binds": "\(statement.boundValues)"])
            }
            var results: [T] = []
            let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
            for try await row in rows {
                results.append(try read(ColumnReader(cells: .postgres(row.makeRandomAccess()))))
            }
            return results
        }
    }

    /// Runs a transaction control statement (`BEGIN`, `COMMIT`, `ROLLBACK`): on SQLite straight on the
    /// connection, without SQLKit's serialiser, as a read session runs two of them per request.
    func control(_ statement: String) async throws {
        switch self.connection {
        case .sqlite(let handle): try handle.query(statement, []) { _ in }
        case .postgres: try await self.sql.raw(SQLQueryString(statement)).run()
        }
    }

    /// The first row of `query`, read by position.
    func row<T>(_ statement: Statement, _ read: (ColumnReader) throws -> T) async throws -> T? {
        try await self.rows(statement, read).first
    }
}

extension DBSession {
    /// The tables whose rows are read by position, with the columns read: tests keep them in step with the
    /// migrations (a column added to one of these tables is invisible until its row reads it).
    package static let positionalTables: [(table: String, columns: [String])] = [
        ("accounts", AccountRow.columnNames), ("statuses", StatusRow.columnNames), ("users", UserRow.columnNames),
    ]

    /// The column names of `table` as the database has them.
    package func columnNames(of table: String) async throws -> [String] {
        let query: Statement =
            switch self.dialect {
            case .sqlite: "SELECT name FROM pragma_table_info(\(bind: table))"
            case .postgres:
                """
                SELECT column_name::text FROM information_schema.columns
                WHERE table_name = \(bind: table) AND table_schema = current_schema()
                """
            }
        return try await self.rows(query) { try $0.string(0) }
    }
}
