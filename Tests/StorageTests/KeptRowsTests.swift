import Core
import Foundation
import Processing
import SQLKit
import TestSupport
import Testing

@testable import Storage

/// `KeptRows`: an account or status row whose version is the one kept is the model decoded last time; the
/// database gives a row a new version on any change to any column, by anyone.
@Suite struct KeptRowsTests {
    @Test(
        "a row's version changes with every insert and update, whoever writes it; an id inserted again reads anew",
        arguments: TestDatabase.available
    )
    func versions(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { t in
            let alice = try await t.account("versionalice").account
            func version(_ table: String, _ id: Int64) async throws -> Int64 {
                let row = try await t.db.read { session in
                    try await session.row("SELECT row_version FROM \(unsafeRaw: table) WHERE id = \(bind: id)") {
                        try $0.int64(0)
                    }
                }
                return try #require(row)
            }
            func write(_ statement: String) async throws {
                try await t.db.transaction { try await $0.sql.raw(SQLQueryString(statement)).run() }
            }
            let id = alice.id.rawValue
            var seen = [try await version("accounts", id)]
            // An update that changes nothing is still a new version; so is a count.
            try await write("UPDATE accounts SET note = note WHERE id = \(id)")
            seen.append(try await version("accounts", id))
            try await write("UPDATE accounts SET statuses_count = statuses_count + 1 WHERE id = \(id)")
            seen.append(try await version("accounts", id))
            #expect(Set(seen).count == 3)
            // A status deleted and inserted again under its old id does not take up its old version.
            let status = try await t.insertStatus(by: alice.id, "versioned")
            let before = try await version("statuses", status.id.rawValue)
            // A write that sets the version itself (a favourite's count) gives a new one too.
            try await t.db.transaction {
                _ = try await $0.insertFavourite(
                    id: t.processor.context.ids.next(),
                    account: alice.id,
                    status: status.id
                )
            }
            let favourited = try await version("statuses", status.id.rawValue)
            #expect(favourited != before)
            try await write("DELETE FROM statuses WHERE id = \(status.id.rawValue)")
            try await t.db.transaction { try await $0.insertStatus(status, mentions: [], tags: []) { 1 } }
            let again = try await version("statuses", status.id.rawValue)
            #expect(again != before && again != favourited)
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
            let id = try await t.insertStatus(by: author.id, "kept-or-made").id
            let first = try #require(try await t.db.read { try await $0.status(id: id) })
            let kept = try #require(KeptRows.statuses.value(for: id.rawValue))
            _ = try await t.db.read { try await $0.statuses(ids: [id]) }
            #expect(KeptRows.statuses.value(for: id.rawValue) === kept)
            try await t.db.transaction {
                _ = try await $0.insertFavourite(id: t.processor.context.ids.next(), account: author.id, status: id)
            }
            // Read by id list (a version first, then the row not kept at it), and read alone.
            let listed = try await t.db.read { try await $0.statuses(ids: [id, Status.ID(-1)]) }
            #expect(listed.map(\.favouritesCount) == [first.favouritesCount + 1])
            #expect(KeptRows.statuses.value(for: id.rawValue) !== kept)
            let second = try #require(try await t.db.read { try await $0.status(id: id) })
            #expect(second.favouritesCount == first.favouritesCount + 1)
            #expect(KeptRows.statuses.value(for: id.rawValue)?.model.favouritesCount == second.favouritesCount)
        }
    }
}
