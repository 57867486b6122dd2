import Core
import Foundation
import SQLKit
import TestSupport
import Testing

@testable import Storage

/// How a statement reaches the database: SQLKit's texts by their kept prepared statement, found by a hash of a
/// few samples of the text; `Statement`s by their shape (their literal pieces), with their values bound from
/// the pieces.
@Suite struct StatementTests {
    @Test(
        "texts of one length that differ only between the hash's samples are different statements",
        arguments: TestDatabase.available
    )
    func sampledTexts(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { t in
            let padding = String(repeating: " ", count: 200)
            // The letter sits at byte 30, between the first sample (bytes 0 to 7) and the second.
            func head(_ letter: String) -> String { "SELECT 'abcdefghijklmnopq\(letter)' AS value" }
            #expect(StatementText("SELECT 'abcdefghijklmnopqA'") != StatementText("SELECT 'abcdefghijklmnopqB'"))
            let letters = ["A", "B", "A", "C", "B"]
            let expected = letters.map { "abcdefghijklmnopq\($0)" }
            // Through SQLKit, by the text.
            let texts = try await t.db.read { session in
                var values: [String] = []
                for letter in letters {
                    let rows = try await session.sql.raw(SQLQueryString(head(letter) + padding)).all()
                    values += try rows.map { try $0.decode(column: "value", as: String.self) }
                }
                return values
            }
            #expect(texts == expected)
            // As statements whose one piece differs in a byte: equal hashes, different shapes.
            let shapes = try await t.db.read { session in
                var values: [String] = []
                for letter in letters {
                    values += try await session.rows(Statement(head(letter) + padding)) { try $0.string(0) }
                }
                return values
            }
            #expect(shapes == expected)
            // Texts shorter than a sample are hashed whole.
            let short = try await t.db.read { session in
                [
                    try await session.rows("SELECT CAST(1 AS BIGINT)") { try $0.int64(0) },
                    try await session.rows("SELECT CAST(2 AS BIGINT)") { try $0.int64(0) },
                ]
            }
            #expect(short == [[1], [2]])
        }
    }

    @Test(
        "one statement run again with other values, lists of other lengths and empty lists reads each run's values",
        arguments: TestDatabase.available
    )
    func shapes(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { t in
            func run(_ tableIDs: [Int64], _ listIDs: [Int64], _ names: [String], _ bound: Int64) async throws -> [Int64]
            {
                try await t.db.read { session in
                    let table = SQLIntegerTable(values: tableIDs, alias: "ids")
                    return try await session.rows(
                        """
                        SELECT ids.value + \(bind: bound) FROM \(table) WHERE ids.value IN (\(ids: listIDs))
                        UNION ALL SELECT CAST(length(\(bind: names.joined())) AS BIGINT) - 100
                        WHERE 'b' IN (\(binds: names))
                        UNION ALL SELECT x.value FROM \(idTable: listIDs, as: "x") WHERE x.value > 100
                        ORDER BY 1
                        """
                    ) { try $0.int64(0) }
                }
            }
            let first = try await run([1, 2, 3], [2, 3, 4], ["a", "b"], 10)
            #expect(first == [-98, 12, 13])
            #expect(try await run([5, 6], [5, 101], ["a"], 1000) == [101, 1005])
            #expect(try await run([], [], ["b", "c", "d"], 0) == [-97])
            #expect(try await run([7, 7, 8], [8, 7], ["b"], -7) == [-99, 0, 1])
        }
    }

    @Test("a statement's shape is its literal pieces and the kinds of its binds, never its values")
    func shapeKeys() {
        func statement(_ id: Int64, _ alias: String, _ ids: [Int64]) -> Statement {
            "SELECT \(bind: id) FROM \(idTable: ids, as: alias)"
        }
        #expect(StatementShape(of: statement(1, "ids", [1])) == StatementShape(of: statement(2, "ids", [3, 4])))
        #expect(StatementShape(keeping: statement(1, "ids", [1])) == StatementShape(of: statement(2, "ids", [])))
        #expect(StatementShape(of: statement(1, "ids", [1])) != StatementShape(of: statement(1, "idz", [1])))
        let one: Statement = "SELECT \(binds: [1, 2])"
        let other: Statement = "SELECT \(binds: [1, 2, 3])"
        #expect(StatementShape(of: one) != StatementShape(of: other))
        #expect(StatementShape(of: Statement("SELECT 1")) != StatementShape(of: Statement("SELECT 2")))
        #expect(statement(1, "ids", [1]).sqliteText == "SELECT ? FROM tern_int64s(?) AS ids")
        #expect(
            statement(1, "ids", [3, 1]).postgres().sql == "SELECT $1 FROM (VALUES ($2::bigint), ($3)) AS ids (value)"
        )
    }

    @Test("binds of every type the queries use arrive as their values, nil as NULL", arguments: TestDatabase.available)
    func binds(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { t in
            let some: Int64? = 42
            let none: Int64? = nil
            let text: String? = "é ✓"
            let noText: String? = nil
            let row = try await t.db.read { session in
                try await session.row(
                    """
                    SELECT \(bind: Int64(-7)), \(bind: 5 as Int), \(bind: "plain"), \(bind: true), \(bind: some),
                        CAST(\(bind: none) AS BIGINT) IS NULL, \(bind: text), CAST(\(bind: noText) AS TEXT) IS NULL
                    """
                ) { row in
                    (
                        try row.int64(0), try row.int64(1), try row.string(2), try row.bool(3), try row.int64(4),
                        try row.bool(5), try row.string(6), try row.bool(7)
                    )
                }
            }
            let values = try #require(row)
            #expect(values.0 == -7 && values.1 == 5 && values.2 == "plain" && values.3 && values.4 == 42)
            #expect(values.5 && values.6 == "é ✓" && values.7)
        }
    }
}
