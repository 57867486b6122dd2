import Core
import Foundation
import Logging
import SQLKit
import Storage
import TestSupport
import Testing

@Suite struct MigrationTests {
    @Test("migrations apply once; a second run is a no-op", arguments: TestDatabase.available)
    func idempotent(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { t in
            let again = try await t.db.migrate(logger: t.deps.logger)
            #expect(again.isEmpty)
            let applied = try await t.db.read { session in
                try await session.sql.raw("SELECT COUNT(*) AS n FROM schema_migrations").first()?
                    .decode(column: "n", as: Int.self)
            }
            #expect(applied == Migrations.all.count)
        }
    }
}

@Suite struct AccountStorageTests {
    func makeAccount(_ t: TestApp, _ username: String, domain: String? = nil) -> Account {
        let now = t.processor.context.clock.now()
        let uri = domain.map { "https://\($0)/users/\(username)" } ?? t.config.urls.actor(username)
        return Account(
            id: t.processor.context.ids.next(),
            username: username,
            domain: domain,
            displayName: "Name <b>",
            note: "bio",
            noteHTML: "<p>bio</p>",
            fields: [Account.Field(name: "Web", value: "https://example.org", valueHTML: "<a>x</a>", verifiedAt: now)],
            uri: uri,
            url: nil,
            createdAt: now,
            updatedAt: now
        )
    }

    @Test("an account round-trips with its fields, and lookups ignore case", arguments: TestDatabase.available)
    func roundTrip(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { t in
            let account = self.makeAccount(t, "Alice")
            try await t.db.transaction { try await $0.insertAccount(account) }
            let byID = try await t.db.read { try await $0.account(id: account.id) }
            #expect(byID?.username == "Alice")
            #expect(byID?.displayName == "Name <b>")
            #expect(byID?.fields.first?.valueHTML == "<a>x</a>")
            #expect(byID?.fields.first?.verifiedAt != nil)
            let byName = try await t.db.read { try await $0.account(username: "aLiCe", domain: nil) }
            #expect(byName?.id == account.id)
            let remote = try await t.db.read { try await $0.account(username: "alice", domain: "elsewhere.social") }
            #expect(remote == nil)
        }
    }

    @Test(
        "id lists bound as one value: duplicates, absent and negative ids, thousands at once, and empty lists",
        arguments: TestDatabase.available
    )
    func idLists(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { t in
            let accounts = [self.makeAccount(t, "one"), self.makeAccount(t, "two"), self.makeAccount(t, "three")]
            try await t.db.transaction { session in
                for account in accounts { try await session.insertAccount(account) }
            }
            let (first, last) = (accounts[0].id, accounts[2].id)
            let few = try await t.db.read {
                try await $0.accounts(ids: [first, last, first, Account.ID(-5), Account.ID(.min), Account.ID(.max)])
            }
            #expect(Set(few.map(\.id)) == [first, last])
            #expect(few.count == 2)
            let many = (1...5_000).map { Account.ID(Int64($0)) } + [last]
            #expect(try await t.db.read { try await $0.accounts(ids: many) }.map(\.id) == [last])
            // Empty lists in a query with others: they match nothing and break nothing.
            let flags = try await t.db.read {
                try await $0.interactions(of: first, with: [Status.ID(1)], threads: [], following: [], pinned: [])
            }
            #expect(flags.favourited.isEmpty && flags.following.isEmpty && flags.pinned.isEmpty)
        }
    }

    @Test(
        "lookups joined to an id list yield each row once, however the list repeats or is ordered",
        arguments: TestDatabase.available
    )
    func joinedIDLists(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { t in
            let accounts = [self.makeAccount(t, "one"), self.makeAccount(t, "two"), self.makeAccount(t, "three")]
            let now = t.processor.context.clock.now()
            let statuses = (0..<3).map { index in
                Status(
                    id: t.processor.context.ids.next(),
                    accountID: accounts[index].id,
                    uri: "https://example.test/s/\(index)",
                    url: nil,
                    text: "hi",
                    content: "<p>hi</p>",
                    visibility: .public,
                    createdAt: now
                )
            }
            let remote = self.makeAccount(t, "faraway", domain: "Far.Example")
            var tagIDs: Int64 = 900
            try await t.db.transaction { session in
                for account in accounts { try await session.insertAccount(account) }
                for status in statuses {
                    let mentioned = [accounts[0].id, accounts[2].id]
                    try await session.insertStatus(status, mentions: mentioned, tags: ["b", "a"]) {
                        tagIDs += 1
                        return tagIDs
                    }
                }
                _ = try await session.insertBlock(id: 1, account: accounts[0].id, target: accounts[1].id)
                _ = try await session.insertBlock(id: 2, account: accounts[2].id, target: accounts[0].id)
                _ = try await session.insertAccountDomainBlock(id: 3, account: accounts[0].id, domain: "far.example")
                try await session.upsertMute(
                    id: 4,
                    account: accounts[1].id,
                    target: accounts[2].id,
                    hideNotifications: false,
                    expiresAt: nil
                )
                try await session.insertAccount(remote)
                // A poll on the first status, two pictures on the third.
                try await session.insertPoll(
                    Poll(
                        id: Poll.ID(5),
                        statusID: statuses[0].id,
                        accountID: accounts[0].id,
                        options: ["yes", "no"],
                        multiple: false,
                        hideTotals: false,
                        expiresAt: now.addingTimeInterval(3600)
                    )
                )
                for id in [6, 7] as [Int64] {
                    try await session.insertMedia(
                        MediaAttachment(
                            id: MediaAttachment.ID(id),
                            accountID: accounts[2].id,
                            statusID: statuses[2].id,
                            kind: .image,
                            state: .ready,
                            fileKey: "key\(id)",
                            contentType: "image/png",
                            fileSize: 10,
                            createdAt: now
                        )
                    )
                }
            }
            let (first, second, third) = (statuses[0].id, statuses[1].id, statuses[2].id)
            let repeated = [third, first, third, Status.ID(-1), first, second, second]
            let found = try await t.db.read { try await $0.statuses(ids: repeated) }
            #expect(found.map(\.id).sorted() == [first, second, third])
            // Mentions and tags in one statement, with which statuses have a poll or media (each once).
            let extras = try await t.db.read { try await $0.extras(of: repeated) }
            #expect(extras.mentions.count == 3)
            #expect(extras.mentions.values.allSatisfy { Set($0) == [accounts[0].id, accounts[2].id] && $0.count == 2 })
            #expect(extras.tags.count == 3)
            #expect(extras.tags[second] == ["a", "b"])
            #expect(extras.withPoll == [first])
            #expect(extras.withMedia == [third])
            let none = try await t.db.read { try await $0.extras(of: [Status.ID(-1)]) }
            #expect(none.mentions.isEmpty && none.tags.isEmpty && none.withPoll.isEmpty && none.withMedia.isEmpty)
            let flags = try await t.db.read {
                try await $0.interactions(
                    of: accounts[0].id,
                    with: repeated,
                    threads: repeated,
                    following: [accounts[1].id, accounts[1].id],
                    pinned: [first, first]
                )
            }
            #expect(flags.favourited.isEmpty && flags.pinned.isEmpty && flags.following.isEmpty)
            // Blocks both ways and a blocked domain, among a list with repeats; the domain is compared in lower case.
            let ids = accounts.map(\.id) + [remote.id]
            let safety = try await t.db.read { try await $0.safetyFilter(for: ids[0], among: ids + ids.reversed()) }
            #expect(safety.blocking == [ids[1]])
            #expect(safety.blockedBy == [ids[2]])
            #expect(safety.domainBlocking == [remote.id])
            #expect(safety.muting.isEmpty)
            let everything = try await t.db.read { try await $0.safetyFilter(for: ids[0], among: nil) }
            #expect(everything == safety)
            let others = try await t.db.read { try await $0.safetyFilter(for: ids[1], among: ids) }
            #expect(others.blockedBy == [ids[0]] && others.blocking.isEmpty && others.domainBlocking.isEmpty)
            #expect(others.muting == [ids[2]: false])
        }
    }

    @Test(
        "blocks and mutes of the asked accounts only, with many of them or few",
        arguments: TestDatabase.available
    )
    func safetyRanges(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { t in
            let viewer = self.makeAccount(t, "safeviewer")
            let others = (0..<69).map { self.makeAccount(t, "safe\($0)") }
            let ids = t.processor.context.ids
            try await t.db.transaction { session in
                try await session.insertAccount(viewer)
                for account in others { try await session.insertAccount(account) }
                // The viewer mutes two, is blocked by one, and blocks all the others.
                for (index, account) in others.enumerated() {
                    switch index {
                    case 0, 1:
                        try await session.upsertMute(
                            id: ids.next() as Int64,
                            account: viewer.id,
                            target: account.id,
                            hideNotifications: index == 1,
                            expiresAt: nil
                        )
                    case 2:
                        _ = try await session.insertBlock(
                            id: ids.next() as Int64,
                            account: account.id,
                            target: viewer.id
                        )
                    default:
                        _ = try await session.insertBlock(
                            id: ids.next() as Int64,
                            account: viewer.id,
                            target: account.id
                        )
                    }
                }
            }
            let asked = [others[0].id, others[2].id, others[5].id, others[others.count - 1].id]
            // Many blocks.
            let many = try await t.db.read { try await $0.safetyFilter(for: viewer.id, among: asked) }
            #expect(many.blocking == [others[5].id, others[others.count - 1].id])
            #expect(many.blockedBy == [others[2].id] && many.muting == [others[0].id: false])
            // Few.
            try await t.db.transaction { session in
                for account in others.dropFirst(6).dropLast() {
                    try await session.deleteBlock(account: viewer.id, target: account.id)
                }
            }
            let few = try await t.db.read { try await $0.safetyFilter(for: viewer.id, among: asked) }
            #expect(few == many)
            let other = try await t.db.read {
                try await $0.safetyFilter(for: viewer.id, among: [others[1].id, others[3].id])
            }
            #expect(other.blocking == [others[3].id] && other.blockedBy.isEmpty && other.muting == [others[1].id: true])
        }
    }

    @Test(
        "instance counts: local ones at once, known domains recounted after ten minutes",
        arguments: TestDatabase.available
    )
    func instanceStats(_ database: TestDatabase) async throws {
        let clock = TestClock()
        try await TestApp.run(database, clock: clock.clock) { t in
            func insert(_ account: Account) async throws {
                try await t.db.transaction { try await $0.insertAccount(account) }
            }
            try await insert(self.makeAccount(t, "far", domain: "one.example"))
            try await insert(self.makeAccount(t, "away", domain: "two.example"))
            let first = try await t.db.instanceStats()
            #expect(first.knownDomains == 2)
            try await insert(self.makeAccount(t, "new", domain: "three.example"))
            try await insert(self.makeAccount(t, "local"))
            clock.advance(by: 599)
            let cached = try await t.db.instanceStats()
            #expect(cached.knownDomains == 2)
            #expect(cached.localUsers == first.localUsers + 1)
            clock.advance(by: 2)
            #expect(try await t.db.instanceStats().knownDomains == 3)
        }
    }

    @Test("the same username is taken locally but free on another domain", arguments: TestDatabase.available)
    func uniqueness(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { t in
            try await t.db.transaction { try await $0.insertAccount(self.makeAccount(t, "bob")) }
            await #expect(throws: StorageError.self) {
                try await t.db.transaction { try await $0.insertAccount(self.makeAccount(t, "BOB")) }
            }
            try await t.db.transaction {
                try await $0.insertAccount(self.makeAccount(t, "bob", domain: "remote.example"))
            }
            #expect(try await t.db.read { try await $0.knownDomains() } == ["remote.example"])
        }
    }

    @Test("a failed transaction leaves nothing behind", arguments: TestDatabase.available)
    func rollback(_ database: TestDatabase) async throws {
        struct Boom: Error {}
        try await TestApp.run(database) { t in
            let account = self.makeAccount(t, "carol")
            await #expect(throws: Boom.self) {
                try await t.db.transaction { session in
                    try await session.insertAccount(account)
                    throw Boom()
                }
            }
            let stored = try await t.db.read { try await $0.account(id: account.id) }
            #expect(stored == nil)
        }
    }

    @Test("LIKE wildcards in a search are literal on both engines", arguments: TestDatabase.available)
    func searchEscapes(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { t in
            try await t.db.transaction { try await $0.insertAccount(self.makeAccount(t, "dave_x")) }
            try await t.db.transaction { try await $0.insertAccount(self.makeAccount(t, "davexx")) }
            let found = try await t.db.read {
                try await $0.searchAccounts("DAVE_", limit: 10, offset: 0, onlyFollowedBy: nil)
            }
            #expect(found.map(\.username) == ["dave_x"])
        }
    }
}

@Suite struct JobQueueTests {
    @Test("a claimed job is not claimed again until its lease expires", arguments: TestDatabase.available)
    func leases(_ database: TestDatabase) async throws {
        let clock = TestClock()
        try await TestApp.run(database, clock: clock.clock) { t in
            try await t.db.transaction { try await $0.enqueue(kind: "test", payload: "{\"n\":1}", id: 1) }
            let first = try await t.db.claimJobs(worker: "a", limit: 10, lease: .seconds(60))
            #expect(first.map(\.id) == [1])
            #expect(first.first?.attempts == 1)
            #expect(try await t.db.claimJobs(worker: "b", limit: 10, lease: .seconds(60)).isEmpty)
            clock.advance(by: 61)  // worker "a" died: the lock expired
            let second = try await t.db.claimJobs(worker: "b", limit: 10, lease: .seconds(60))
            #expect(second.map(\.id) == [1])
            #expect(second.first?.attempts == 2)
            try await t.db.completeJob(1)
            clock.advance(by: 3600)
            #expect(try await t.db.claimJobs(worker: "c", limit: 10, lease: .seconds(60)).isEmpty)
        }
    }

    @Test("a failed job comes back at its retry time; a given-up job is removed", arguments: TestDatabase.available)
    func retries(_ database: TestDatabase) async throws {
        let clock = TestClock()
        try await TestApp.run(database, clock: clock.clock) { t in
            try await t.db.transaction {
                try await $0.enqueue(kind: "test", payload: "{}", id: 7)
                try await $0.enqueue(
                    kind: "later",
                    payload: "{}",
                    id: 8,
                    runAt: clock.clock.now().addingTimeInterval(600)
                )
            }
            let claimed = try await t.db.claimJobs(worker: "a", limit: 10, lease: .seconds(60))
            #expect(claimed.map(\.id) == [7])  // 8 is not due yet
            try await t.db.failJob(7, error: "network down", retryAt: clock.clock.now().addingTimeInterval(120))
            clock.advance(by: 60)
            #expect(try await t.db.claimJobs(worker: "a", limit: 10, lease: .seconds(60)).isEmpty)
            clock.advance(by: 61)
            let retried = try await t.db.claimJobs(worker: "a", limit: 10, lease: .seconds(60))
            #expect(retried.map(\.id) == [7])
            try await t.db.failJob(7, error: "still down", retryAt: nil)
            clock.advance(by: 10_000)
            let rest = try await t.db.claimJobs(worker: "a", limit: 10, lease: .seconds(60))
            #expect(rest.map(\.id) == [8])
        }
    }

    @Test("concurrent claimers never take the same job", arguments: TestDatabase.available)
    func concurrentClaims(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { t in
            try await t.db.transaction { session in
                for id in 1...200 { try await session.enqueue(kind: "test", payload: "{}", id: Int64(id)) }
            }
            // Child tasks capture only the database (a class), not the whole test app.
            let db = t.db
            let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        var mine: [Int64] = []
                        while true {
                            let batch = try await db.claimJobs(worker: "w\(worker)", limit: 7, lease: .seconds(300))
                            if batch.isEmpty { return mine }
                            mine += batch.map(\.id)
                        }
                    }
                }
                var all: [Int64] = []
                for try await ids in group { all += ids }
                return all
            }
            #expect(claimed.count == 200)
            #expect(Set(claimed).count == 200)
        }
    }

    @Test("the runner drains due jobs and records the outcome", arguments: TestDatabase.available)
    func runnerDrains(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { t in
            try await t.db.transaction { session in
                try await session.enqueue(.pruneOAuth, id: t.processor.context.ids.next())
                try await session.enqueue(
                    kind: "from_a_newer_version",
                    payload: "{}",
                    id: t.processor.context.ids.next()
                )
            }
            let ran = try await t.jobs.drain()
            #expect(ran == 2)
            let pending = try await t.db.read { try await $0.pendingJobCounts() }
            #expect(pending["prune_oauth"] == nil)  // done and removed
            #expect(pending["from_a_newer_version"] == 1)  // kept for a process that knows it
        }
    }
}

@Suite struct OAuthStorageTests {
    @Test("an authorization code can be consumed once", arguments: TestDatabase.available)
    func codeOnce(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { t in
            let (account, _) = try await t.account("erin")
            let user = try #require(try await t.db.read { try await $0.user(accountID: account.id) })
            let (app, _) = try await t.processor.oauth.registerApp(
                name: "x",
                redirectURIs: ["https://app.example/cb"],
                scopes: "read",
                website: nil
            )
            let code = AuthorizationCode(
                id: t.processor.context.ids.next(),
                applicationID: app.id,
                userID: user.id,
                redirectURI: "https://app.example/cb",
                scopes: ScopeSet(["read"]),
                codeChallenge: nil,
                codeChallengeMethod: nil,
                expiresAt: Date().addingTimeInterval(600)
            )
            try await t.db.transaction { try await $0.insertAuthorizationCode(code, hash: "h1") }
            let first = try await t.db.transaction { try await $0.consumeAuthorizationCode(hash: "h1") }
            let second = try await t.db.transaction { try await $0.consumeAuthorizationCode(hash: "h1") }
            #expect(first?.id == code.id)
            #expect(second == nil)
        }
    }

    @Test("revoked tokens and a user's revoked tokens stop resolving", arguments: TestDatabase.available)
    func revocation(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { t in
            let (_, token) = try await t.account("frank")
            #expect(try await t.processor.oauth.authenticate(bearer: token) != nil)
            _ = try await t.processor.admin.resetPassword(username: "frank", password: "another password")
            #expect(try await t.processor.oauth.authenticate(bearer: token) == nil)
        }
    }
}

@Suite struct DatabaseLocationTests {
    @Test("database URLs parse into locations; bad ones are refused")
    func parsing() throws {
        #expect(
            try DatabaseLocation(parsing: "sqlite:tern.sqlite", dataDirectory: "/d") == .sqliteFile("/d/tern.sqlite")
        )
        #expect(try DatabaseLocation(parsing: "sqlite:///abs/x.db", dataDirectory: "/d") == .sqliteFile("/abs/x.db"))
        #expect(try DatabaseLocation(parsing: "sqlite::memory:", dataDirectory: "/d") == .sqliteMemory)
        let pg = try DatabaseLocation(parsing: "postgres://u:p@db.example:6543/tern", dataDirectory: "/d")
        #expect(
            pg
                == .postgres(
                    host: "db.example",
                    port: 6543,
                    username: "u",
                    password: "p",
                    database: "tern",
                    tls: false,
                    searchPath: nil
                )
        )
        #expect(pg.redacted == "postgres://u@db.example:6543/tern")
        #expect(throws: StorageError.self) { try DatabaseLocation(parsing: "mysql://x/y", dataDirectory: "/d") }
        #expect(throws: StorageError.self) { try DatabaseLocation(parsing: "postgres://host", dataDirectory: "/d") }
        #expect(throws: StorageError.self) {
            try DatabaseLocation(parsing: "postgres://h/db?search_path=a;drop", dataDirectory: "/d")
        }
    }
}

@Suite struct PositionalRowTests {
    /// Columns of these tables that their positional rows leave to other queries (two-factor secrets, invite).
    static let unread: [String: Set<String>] = [
        "users": ["otp_secret", "otp_pending_secret", "otp_last_step", "otp_recovery_codes", "invite_id"]
    ]

    @Test(
        "rows read by position name real columns, and every column a migration adds is read or listed as unread",
        arguments: TestDatabase.available
    )
    func columnsMatchTheSchema(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { t in
            for (table, columns) in DBSession.positionalTables {
                let actual = Set(try await t.db.read { try await $0.columnNames(of: table) })
                #expect(!actual.isEmpty, "\(table)")
                #expect(Set(columns).subtracting(actual).isEmpty, "\(table) has no \(Set(columns).subtracting(actual))")
                #expect(
                    actual.subtracting(columns) == Self.unread[table, default: []],
                    "\(table): unread \(actual.subtracting(columns))"
                )
            }
        }
    }
}

/// The SQLite connections themselves, on a database file (the other suites use an in-memory database,
/// which has no reader connections).
@Suite struct SQLiteConnectionTests {
    /// A migrated database in a folder of its own, closed and removed after `body`.
    func withFileDatabase(_ body: (Database) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tern-sqlite-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let logger = Logger(label: "test")
        let db = try await Database.open(.sqliteFile(folder.appendingPathComponent("tern.sqlite").path), logger: logger)
        try await db.migrate(logger: logger)
        do {
            try await body(db)
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }

    func count(_ db: Database, _ table: String) async throws -> Int? {
        try await db.read { session in
            try await session.sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?
                .decode(column: "n", as: Int.self)
        }
    }

    @Test("tern_int64s hands out the blob's integers; a short, text or missing argument is an empty list")
    func int64List() async throws {
        try await self.withFileDatabase { db in
            func values(_ argument: String) async throws -> [Int64] {
                try await db.read { session in
                    try await session.sql.raw("SELECT value FROM tern_int64s\(unsafeRaw: argument)").all()
                        .map { try $0.decode(column: "value", as: Int64.self) }
                }
            }
            // Little-endian: 1, then -2; a ninth byte on its own is not a number.
            #expect(try await values("(x'0100000000000000FEFFFFFFFFFFFFFF07')") == [1, -2])
            #expect(try await values("(x'01')").isEmpty)
            #expect(try await values("('some text')").isEmpty)
            #expect(try await values("(NULL)").isEmpty)
            #expect(try await values("").isEmpty)
            // Joined the way the id lists use it, from every connection (writer and readers).
            try await db.transaction { try await $0.sql.raw("CREATE TABLE t (id INTEGER PRIMARY KEY)").run() }
            try await db.transaction { try await $0.sql.raw("INSERT INTO t (id) VALUES (1), (2), (3)").run() }
            let joined = try await db.transaction { session in
                try await session.sql.raw(
                    "SELECT id FROM t WHERE id IN (SELECT value FROM tern_int64s(x'03000000000000000100000000000000')) ORDER BY id"
                ).all().map { try $0.decode(column: "id", as: Int.self) }
            }
            #expect(joined == [1, 3])
        }
    }

    @Test("reads on the reader connections see each committed write, also many at once")
    func readersSeeCommits() async throws {
        try await self.withFileDatabase { db in
            try await db.transaction { try await $0.sql.raw("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)").run() }
            for round in 1...20 {
                try await db.transaction { session in
                    try await session.sql.raw("INSERT INTO t (id, v) VALUES (\(bind: round), \(bind: "v\(round)"))")
                        .run()
                }
                #expect(try await self.count(db, "t") == round)
            }
            let counts = try await withThrowingTaskGroup(of: Int?.self) { group in
                for _ in 0..<40 { group.addTask { try await self.count(db, "t") } }
                return try await group.reduce(into: [Int?]()) { $0.append($1) }
            }
            #expect(counts.count == 40)
            #expect(counts.allSatisfy { $0 == 20 })
        }
    }

    @Test("a duplicate key is StorageError.duplicate and the transaction leaves nothing")
    func duplicate() async throws {
        try await self.withFileDatabase { db in
            try await db.transaction {
                try await $0.sql.raw("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)").run()
            }
            try await db.transaction { try await $0.sql.raw("INSERT INTO t (id, v) VALUES (1, 'a')").run() }
            await #expect(throws: StorageError.self) {
                try await db.transaction { session in
                    try await session.sql.raw("INSERT INTO t (id, v) VALUES (2, 'b')").run()
                    try await session.sql.raw("INSERT INTO t (id, v) VALUES (3, 'a')").run()
                }
            }
            #expect(try await self.count(db, "t") == 1)
        }
    }

    @Test("a failing statement reports SQLite's message and leaves the connection working")
    func failureThenWorks() async throws {
        try await self.withFileDatabase { db in
            let error = await #expect(throws: SQLiteFailure.self) {
                try await db.read { try await $0.sql.raw("SELECT nope FROM nowhere").run() }
            }
            #expect(error?.message.contains("nowhere") == true)
            await #expect(throws: SQLiteFailure.self) {
                try await db.read { try await $0.sql.raw("SELECT \(bind: 1) + \(unsafeRaw: "?")").run() }
            }
            let applied = try await self.count(db, "schema_migrations")
            #expect(applied == Migrations.all.count)
        }
    }

    @Test("more distinct statements than a connection keeps prepared all answer right")
    func statementCacheOverflow() async throws {
        try await self.withFileDatabase { db in
            for n in 0..<300 {
                let value = try await db.read { session in
                    try await session.sql.raw("SELECT \(unsafeRaw: String(n)) + \(bind: 1000) AS v").first()?
                        .decode(column: "v", as: Int.self)
                }
                #expect(value == n + 1000)
            }
        }
    }

    @Test("a statement prepared before a schema change reads the new schema after it")
    func schemaChange() async throws {
        try await self.withFileDatabase { db in
            try await db.transaction { try await $0.sql.raw("CREATE TABLE t (id INTEGER PRIMARY KEY)").run() }
            try await db.transaction { try await $0.sql.raw("INSERT INTO t (id) VALUES (7)").run() }
            let before = try await db.read { try await $0.sql.raw("SELECT * FROM t").first()?.allColumns }
            #expect(before == ["id"])
            try await db.transaction { try await $0.sql.raw("ALTER TABLE t ADD COLUMN extra TEXT DEFAULT 'x'").run() }
            let after = try await db.read { session in
                try await session.sql.raw("SELECT * FROM t").first().map {
                    ($0.allColumns, try $0.decode(column: "extra", as: String.self))
                }
            }
            #expect(after?.0 == ["id", "extra"])
            #expect(after?.1 == "x")
        }
    }
}
