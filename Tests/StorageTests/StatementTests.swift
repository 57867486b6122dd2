import Core
import Foundation
import SQLKit
import TestSupport
import Testing

@testable import Storage

/// How a statement reaches the database: its kept prepared statement, found by a hash of a few samples of
/// its text, and its binds, converted by their type.
@Suite struct StatementTests {
    @Test(
        "texts of one length that differ only between the hash's samples are different statements",
        arguments: TestDatabase.available
    )
    func sampledTexts(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { t in
            let padding = String(repeating: " ", count: 200)
            func text(_ letter: String) -> SQLQueryString {
                // The letter sits at byte 30, between the first sample (bytes 0 to 7) and the second.
                let head = "SELECT 'abcdefghijklmnopq\(letter)' AS value"
                return SQLQueryString("\(unsafeRaw: head)\(unsafeRaw: padding)")
            }
            #expect(StatementText("SELECT 'abcdefghijklmnopqA'") != StatementText("SELECT 'abcdefghijklmnopqB'"))
            let values = try await t.db.read { session in
                var values: [String] = []
                for letter in ["A", "B", "A", "C", "B"] {
                    values += try await session.rows(text(letter)) { try $0.string(0) }
                }
                return values
            }
            #expect(
                values == [
                    "abcdefghijklmnopqA", "abcdefghijklmnopqB", "abcdefghijklmnopqA", "abcdefghijklmnopqC",
                    "abcdefghijklmnopqB",
                ]
            )
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
