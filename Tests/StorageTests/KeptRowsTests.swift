import Core
import Foundation
import Processing
import SQLKit
import TestSupport
import Testing

@testable import Storage

/// `KeptRows`: an account or status row that reads byte for byte as before is the model decoded last time;
/// any change to any column, by anyone, reads afresh.
@Suite struct KeptRowsTests {
    @Test(
        "a row image matches only the same values: NULL, empty text, numbers and text of equal length all differ",
        arguments: TestDatabase.available
    )
    func images(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { t in
            func image(_ select: Statement) async throws -> [UInt8] {
                try await t.db.read { try await $0.rows(select) { $0.image(columns: 0..<3) } }[0]
            }
            func matches(_ select: Statement, _ kept: [UInt8]) async throws -> Bool {
                try await t.db.read { try await $0.rows(select) { $0.matches(kept, columns: 0..<3) } }[0]
            }
            let base = try await image("SELECT CAST(1 AS BIGINT), 'abc', CAST(NULL AS TEXT)")
            #expect(try await matches("SELECT CAST(1 AS BIGINT), 'abc', CAST(NULL AS TEXT)", base))
            #expect(!(try await matches("SELECT CAST(2 AS BIGINT), 'abc', CAST(NULL AS TEXT)", base)))
            #expect(!(try await matches("SELECT CAST(1 AS BIGINT), 'abd', CAST(NULL AS TEXT)", base)))
            #expect(!(try await matches("SELECT CAST(1 AS BIGINT), 'abc', ''", base)))
            #expect(!(try await matches("SELECT CAST(1 AS BIGINT), 'ab', CAST(NULL AS TEXT)", base)))
            #expect(!(try await matches("SELECT CAST(1 AS BIGINT), 'abcd', CAST(NULL AS TEXT)", base)))
            // An image cut short or with bytes left over never matches.
            #expect(!(try await matches("SELECT CAST(1 AS BIGINT), 'abc', CAST(NULL AS TEXT)", Array(base.dropLast()))))
            #expect(!(try await matches("SELECT CAST(1 AS BIGINT), 'abc', CAST(NULL AS TEXT)", base + [0])))
            #expect(!(try await matches("SELECT CAST(1 AS BIGINT), 'abc', CAST(NULL AS TEXT)", [])))
        }
    }

    @Test(
        "an unchanged account is the one kept; a change to its profile or counts reads afresh",
        arguments: TestDatabase.available
    )
    func accounts(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { t in
            let alice = try await t.account("keptalice")
            let first = try #require(try await t.db.read { try await $0.account(id: alice.account.id) })
            let kept = try #require(KeptRows.accounts.value(for: alice.account.id.rawValue))
            #expect(kept.model == first)
            // Read again, unchanged: the same entry, not a new decoding.
            _ = try await t.db.read { try await $0.accounts(ids: [alice.account.id]) }
            #expect(KeptRows.accounts.value(for: alice.account.id.rawValue) === kept)
            // A new display name shows, and replaces what was kept.
            var renamed = first
            renamed.displayName = "Alice Kept"
            try await t.db.transaction { try await $0.updateProfile(renamed) }
            let second = try #require(try await t.db.read { try await $0.account(id: alice.account.id) })
            #expect(second.displayName == "Alice Kept")
            #expect(KeptRows.accounts.value(for: alice.account.id.rawValue) !== kept)
            // So does a picture set, and a suspension (a NULL that becomes a number).
            try await t.db.transaction {
                try await $0.updateProfileImage(alice.account.id, header: false, key: "avatars/x.png")
            }
            #expect(try await t.db.read { try await $0.account(id: alice.account.id) }?.avatarKey == "avatars/x.png")
            try await t.db.transaction { try await $0.updateSuspension(alice.account.id, suspended: true) }
            #expect(try await t.db.read { try await $0.accounts(ids: [alice.account.id]) }.first?.isSuspended == true)
        }
    }

    @Test("an unchanged status is the one kept; a new count reads afresh", arguments: TestDatabase.available)
    func statuses(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { t in
            let author = try await t.account("keptbob").account
            let id: Status.ID = t.processor.context.ids.next()
            let status = Status(
                id: id,
                accountID: author.id,
                uri: "https://example.test/kept",
                url: nil,
                text: "kept or made",
                content: "<p>kept or made</p>",
                visibility: .public,
                createdAt: t.processor.context.clock.now()
            )
            try await t.db.transaction { try await $0.insertStatus(status, mentions: [], tags: []) { 1 } }
            let first = try #require(try await t.db.read { try await $0.status(id: id) })
            let kept = try #require(KeptRows.statuses.value(for: id.rawValue))
            _ = try await t.db.read { try await $0.statuses(ids: [id]) }
            #expect(KeptRows.statuses.value(for: id.rawValue) === kept)
            try await t.db.transaction {
                _ = try await $0.insertFavourite(id: t.processor.context.ids.next(), account: author.id, status: id)
            }
            let second = try #require(try await t.db.read { try await $0.status(id: id) })
            #expect(second.favouritesCount == first.favouritesCount + 1)
            #expect(KeptRows.statuses.value(for: id.rawValue) !== kept)
        }
    }
}
