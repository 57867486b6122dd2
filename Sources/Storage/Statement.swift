import NIOCore
import PostgresNIO

/// SQL for the reads `DBSession.rows` runs, written with interpolation as SQLKit's `SQLQueryString` is
/// (`\(bind:)`, `\(unsafeRaw:)`, `\(idTable:as:)`, `\(ids:)`), but kept as its pieces instead of being written
/// out on every run.
///
/// On SQLite a statement's text is a function of its literal pieces alone: every bind is `?` and an id list is
/// one blob bind. So the connection finds the prepared statement by those pieces (`StatementShape`) and binds
/// the values straight from them; the text is written once, when the statement is first prepared. SQLKit's
/// serializer wrote it on every run, a string built piece by piece with each bind boxed and copied, and that
/// was a fifth of a home page's CPU outside SQLite. A call site's literals are the same static strings on
/// every run, so comparing two shapes mostly ends at the strings' identity.
///
/// On PostgreSQL the text depends on the lengths of id lists (a bind per id, see `SQLIntegerTable`), so it is
/// written on each run, the same text SQLKit wrote.
struct Statement: ExpressibleByStringInterpolation, StringInterpolationProtocol, Sendable {
    /// A value bound to one placeholder.
    enum Value: Sendable {
        case integer(Int64)
        case real(Double)
        case text(String)
        case bool(Bool)
        case null
    }

    enum Piece: Sendable {
        /// SQL text: a literal of the source, or a fixed list of columns.
        case sql(String)
        case value(Value)
        /// Values separated by commas, for `IN (…)` (`\(binds:)`).
        case values([Value])
        /// An id list as a table (`\(idTable:as:)`).
        case table(SQLIntegerTable)
        /// An id list as a subquery for `IN (…)` (`\(ids:)`).
        case list(SQLiteInt64List.Bind)
    }

    private(set) var pieces: [Piece]

    init(literalCapacity: Int, interpolationCount: Int) {
        self.pieces = []
        self.pieces.reserveCapacity(interpolationCount * 2 + 1)
    }

    init(stringLiteral value: String) {
        self.pieces = [.sql(value)]
    }

    init(stringInterpolation: Statement) {
        self = stringInterpolation
    }

    init(_ sql: String) {
        self.pieces = [.sql(sql)]
    }

    mutating func appendLiteral(_ literal: String) {
        guard !literal.isEmpty else { return }
        self.pieces.append(.sql(literal))
    }

    /// SQL text that is not a literal: a list of columns, a table's name. Never a value from outside.
    mutating func appendInterpolation(unsafeRaw sql: String) {
        self.pieces.append(.sql(sql))
    }

    mutating func appendInterpolation(bind value: some StatementBindable) {
        self.pieces.append(.value(value.statementValue))
    }

    /// A value or NULL.
    mutating func appendInterpolation<Value: StatementBindable>(bind value: Value?) {
        self.pieces.append(.value(value?.statementValue ?? .null))
    }

    /// The values as placeholders separated by commas.
    mutating func appendInterpolation(binds values: [some StatementBindable]) {
        self.pieces.append(.values(values.map(\.statementValue)))
    }

    /// The ids as a table named `alias` with one column, `value`, for a join: see `SQLIntegerTable`.
    mutating func appendInterpolation(idTable ids: [Int64], as alias: String) {
        self.pieces.append(.table(SQLIntegerTable(values: ids, alias: alias)))
    }

    /// A list made once for several places in one statement (the arms of a `UNION ALL`).
    mutating func appendInterpolation(_ table: SQLIntegerTable) {
        self.pieces.append(.table(table))
    }

    /// Another statement's pieces, in place: a part two statements share.
    mutating func appendInterpolation(_ part: Statement) {
        self.pieces.append(contentsOf: part.pieces)
    }

    /// The ids as a subquery for `IN (…)`, in one bind on SQLite: see `SQLIntegerList`.
    mutating func appendInterpolation(ids: [Int64]) {
        self.pieces.append(.list(SQLiteInt64List.Bind(values: ids)))
    }

    /// The text SQLite prepares: `?` for each bind.
    var sqliteText: String {
        var text = ""
        for piece in self.pieces {
            switch piece {
            case .sql(let sql): text += sql
            case .value: text += "?"
            case .values(let values): text += repeatElement("?", count: values.count).joined(separator: ", ")
            case .table(let table):
                table.write(postgres: false, text: { text += $0 }, blob: { text += "?" }, id: { _ in })
            case .list(let list):
                SQLIntegerList.write(
                    list.values,
                    postgres: false,
                    text: { text += $0 },
                    blob: { text += "?" },
                    id: { _ in }
                )
            }
        }
        return text
    }

    /// The text and binds PostgreSQL runs: `$1`, `$2`… in order, an id list a bind per id.
    func postgres() -> (sql: String, binds: PostgresBindings) {
        var text = ""
        var binds = PostgresBindings(capacity: self.pieces.count)
        func place(_ value: Value) {
            switch value {
            case .integer(let integer): binds.append(integer)
            case .real(let real): binds.append(real)
            case .text(let string): binds.append(string)
            case .bool(let bool): binds.append(bool)
            case .null: binds.appendNull()
            }
            text += "$\(binds.count)"
        }
        for piece in self.pieces {
            switch piece {
            case .sql(let sql): text += sql
            case .value(let value): place(value)
            case .values(let values):
                for (index, value) in values.enumerated() {
                    if index > 0 { text += ", " }
                    place(value)
                }
            case .table(let table):
                table.write(postgres: true, text: { text += $0 }, blob: {}, id: { place(.integer($0)) })
            case .list(let list):
                SQLIntegerList.write(
                    list.values,
                    postgres: true,
                    text: { text += $0 },
                    blob: {},
                    id: { place(.integer($0)) }
                )
            }
        }
        return (text, binds)
    }

    /// The values in the order of their placeholders, for logs.
    var boundValues: [String] {
        self.pieces.flatMap { piece -> [String] in
            switch piece {
            case .sql: []
            case .value(let value): ["\(value)"]
            case .values(let values): values.map { "\($0)" }
            case .table(let table): ["\(table.values)"]
            case .list(let list): ["\(list.values)"]
            }
        }
    }
}

/// A Swift value a `Statement` binds.
protocol StatementBindable {
    var statementValue: Statement.Value { get }
}

extension Int64: StatementBindable {
    var statementValue: Statement.Value { .integer(self) }
}

extension Int: StatementBindable {
    var statementValue: Statement.Value { .integer(Int64(self)) }
}

extension Double: StatementBindable {
    var statementValue: Statement.Value { .real(self) }
}

extension String: StatementBindable {
    var statementValue: Statement.Value { .text(self) }
}

extension Bool: StatementBindable {
    var statementValue: Statement.Value { .bool(self) }
}

/// A statement's pieces without their values: the key of its prepared statement on SQLite, whose text they
/// determine. Two statements with the same shape differ only in what they bind.
struct StatementShape: Hashable {
    let pieces: [Statement.Piece]

    /// The shape of `statement`, keeping its values (to look a prepared statement up).
    init(of statement: Statement) {
        self.pieces = statement.pieces
    }

    /// The shape alone, its values dropped (to be kept as a key without holding on to what was bound).
    init(keeping statement: Statement) {
        self.pieces = statement.pieces.map { piece in
            switch piece {
            case .sql: piece
            case .value: .value(.null)
            case .values(let values): .values(Array(repeating: .null, count: values.count))
            case .table(let table): .table(SQLIntegerTable(values: [], alias: table.alias))
            case .list: .list(SQLiteInt64List.Bind(values: []))
            }
        }
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(self.pieces.count)
        for piece in self.pieces {
            switch piece {
            case .sql(let sql): hasher.combine(sql.utf8.count)
            case .value: hasher.combine(1 as UInt8)
            case .values(let values): hasher.combine(values.count)
            case .table(let table): hasher.combine(table.alias.utf8.count)
            case .list: hasher.combine(2 as UInt8)
            }
        }
    }

    static func == (lhs: StatementShape, rhs: StatementShape) -> Bool {
        guard lhs.pieces.count == rhs.pieces.count else { return false }
        for (left, right) in zip(lhs.pieces, rhs.pieces) {
            switch (left, right) {
            case (.sql(let a), .sql(let b)): guard a == b else { return false }
            case (.value, .value), (.list, .list): continue
            case (.values(let a), .values(let b)): guard a.count == b.count else { return false }
            case (.table(let a), .table(let b)): guard a.alias == b.alias else { return false }
            default: return false
            }
        }
        return true
    }
}
