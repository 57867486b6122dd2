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
        if serializer.dialect.name == "postgresql" {
            if self.values.isEmpty {
                serializer.write("SELECT NULL::bigint WHERE FALSE")
            } else {
                SQLList(self.values.map { SQLBind($0) }).serialize(to: &serializer)
            }
        } else {
            serializer.write("SELECT value FROM \(SQLiteInt64List.name)(")
            serializer.write(bind: SQLiteInt64List.Bind(values: self.values))
            serializer.write(")")
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
        guard serializer.dialect.name == "postgresql" else {
            serializer.write("\(SQLiteInt64List.name)(")
            serializer.write(bind: self.bind)
            serializer.write(") AS \(self.alias)")
            return
        }
        if self.values.isEmpty {
            serializer.write("(SELECT NULL::bigint AS value WHERE FALSE) AS \(self.alias)")
            return
        }
        serializer.write("(VALUES ")
        for (index, value) in self.values.enumerated() {
            serializer.write(index == 0 ? "(" : ", (")
            serializer.write(bind: value)
            serializer.write(index == 0 ? "::bigint)" : ")")
        }
        serializer.write(") AS \(self.alias) (value)")
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
