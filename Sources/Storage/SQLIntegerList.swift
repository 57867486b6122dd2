import SQLKit

/// A list of integers bound as a single value, for `column IN (\(ids: list))`: SQLite reads it with Tern's
/// `tern_int64s` table-valued function (`SQLiteInt64List`), PostgreSQL out of a `bigint[]` with `unnest`.
///
/// One bind instead of one per id: SQLKit serializes each bind with a placeholder, a cast and a boxed
/// value (measured at a tenth of a timeline request's CPU with twenty ids in a handful of queries), and
/// the statement's text no longer depends on the list's length, so SQLite keeps one prepared statement
/// per query instead of one per length. An empty list is valid too: it matches nothing.
struct SQLIntegerList: SQLExpression {
    let values: [Int64]

    func serialize(to serializer: inout SQLSerializer) {
        if serializer.dialect.name == "postgresql" {
            serializer.write("SELECT unnest(")
            serializer.write(bind: self.values)
            serializer.write("::bigint[])")
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
