import SQLKit

/// A list of integers for `column IN (\(ids: list))`. On SQLite it is bound as a single value, read by Tern's
/// `tern_int64s` table-valued function (`SQLiteInt64List`); on PostgreSQL it is a bind per id, as before.
///
/// On SQLite one bind instead of one per id saves SQLKit's serializing of each (a placeholder, a cast and
/// a boxed value: a tenth of a timeline request's CPU with twenty ids in a handful of queries), and the
/// statement's text no longer depends on the list's length, so the connection keeps one prepared
/// statement per query instead of one per length. PostgreSQL plans every query afresh, and a subquery
/// over `unnest` of one array bind measured slower there than the list it turns into `= ANY(…)` itself.
/// An empty list is valid on both: it matches nothing (and `NOT IN` it matches everything).
///
/// For lookups by a list on a hot path prefer `SQLIntegerTable`: SQLite copies an `IN` subquery's rows
/// into a temporary b-tree before it uses them, every time the statement runs.
struct SQLIntegerList: SQLExpression {
    let values: [Int64]

    func serialize(to serializer: inout SQLSerializer) {
        Self.write(
            self.values,
            postgres: serializer.dialect.name == "postgresql",
            text: { serializer.write($0) },
            blob: { serializer.write(bind: SQLiteInt64List.Bind(values: self.values)) },
            id: { serializer.write(bind: $0) }
        )
    }

    /// The list's SQL in one dialect, for SQLKit's serializer and for `Statement`: `text` takes SQL, `blob` the
    /// placeholder of the list's one bind (SQLite), `id` that of each value (PostgreSQL).
    static func write(
        _ values: [Int64],
        postgres: Bool,
        text: (String) -> Void,
        blob: () -> Void,
        id: (Int64) -> Void
    ) {
        guard postgres else {
            text("SELECT value FROM \(SQLiteInt64List.name)(")
            blob()
            text(")")
            return
        }
        guard !values.isEmpty else { return text("SELECT NULL::bigint WHERE FALSE") }
        for (index, value) in values.enumerated() {
            if index > 0 { text(", ") }
            id(value)
        }
    }

    /// The list in parentheses, for a query builder's `.where(column, .in, …)`.
    static func group(_ values: [Int64]) -> SQLGroupExpression {
        SQLGroupExpression(SQLIntegerList(values: values))
    }
}

/// A list of integers as a table with one column, `value`, for `FROM \(idTable: list, as: "ids") CROSS JOIN t
/// WHERE t.id = ids.value`: each distinct value once, in ascending order. A join reads the list where it lies;
/// `column IN (SELECT …)` makes SQLite copy it into a temporary b-tree first, which was a twentieth of a
/// timeline request with a dozen lists in it.
///
/// Write `CROSS JOIN` with the conditions in `WHERE`: SQLite then keeps the list as the outer loop (one index
/// search per value). With a plain `JOIN` its planner, lacking statistics, may scan the viewer's rows
/// (follows, favourites) on the outside and read the whole list again for each of them. PostgreSQL
/// takes `CROSS JOIN … WHERE` as an inner join and plans it as it likes.
///
/// On SQLite it is the `tern_int64s` function over one blob; on PostgreSQL a `VALUES` list, a bind per
/// value (an empty list is a subquery with no rows).
///
/// A statement that joins one list in several places (the arms of a `UNION ALL`) makes the table once and
/// interpolates it in each (`\(list)`): the list is sorted, and its blob written, once.
struct SQLIntegerTable: SQLExpression {
    /// Distinct and ascending, so a join yields a row once, in the order an `IN` lookup did.
    let values: [Int64]
    let alias: String
    /// The values as SQLite's bind (its blob is written here, once, whichever dialect serializes it).
    let bind: SQLiteInt64List.Bind

    init(values: [Int64], alias: String) {
        self.values = SQLIntegerTable.distinctAscending(values)
        self.alias = alias
        self.bind = SQLiteInt64List.Bind(values: self.values)
    }

    func serialize(to serializer: inout SQLSerializer) {
        self.write(
            postgres: serializer.dialect.name == "postgresql",
            text: { serializer.write($0) },
            blob: { serializer.write(bind: self.bind) },
            id: { serializer.write(bind: $0) }
        )
    }

    /// The table's SQL in one dialect, for SQLKit's serializer and for `Statement`: `text` takes SQL, `blob` the
    /// placeholder of the list's one bind (SQLite), `id` that of each value (PostgreSQL).
    func write(postgres: Bool, text: (String) -> Void, blob: () -> Void, id: (Int64) -> Void) {
        guard postgres else {
            text("\(SQLiteInt64List.name)(")
            blob()
            text(") AS \(self.alias)")
            return
        }
        guard !self.values.isEmpty else {
            return text("(SELECT NULL::bigint AS value WHERE FALSE) AS \(self.alias)")
        }
        text("(VALUES ")
        for (index, value) in self.values.enumerated() {
            text(index == 0 ? "(" : ", (")
            id(value)
            text(index == 0 ? "::bigint)" : ")")
        }
        text(") AS \(self.alias) (value)")
    }

    static func distinctAscending(_ values: [Int64]) -> [Int64] {
        var sorted = values.sorted()
        var kept = 0
        for index in sorted.indices where index == 0 || sorted[index] != sorted[kept - 1] {
            sorted[kept] = sorted[index]
            kept += 1
        }
        sorted.removeLast(sorted.count - kept)
        return sorted
    }
}

extension SQLQueryString {
    /// The ids as a subquery for `IN (…)`, in one bind: see `SQLIntegerList`.
    mutating func appendInterpolation(ids: [Int64]) {
        self.appendInterpolation(SQLIntegerList(values: ids))
    }

    /// The ids as a table named `alias` with one column, `value`, for a join: see `SQLIntegerTable`.
    mutating func appendInterpolation(idTable ids: [Int64], as alias: String) {
        self.appendInterpolation(SQLIntegerTable(values: ids, alias: alias))
    }
}
