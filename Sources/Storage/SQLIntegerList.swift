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

extension SQLQueryString {
    /// The ids as a subquery for `IN (…)`, in one bind: see `SQLIntegerList`.
    mutating func appendInterpolation(ids: [Int64]) {
        self.appendInterpolation(SQLIntegerList(values: ids))
    }
}
