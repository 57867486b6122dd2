import Logging
import SQLKit

/// One schema change. Numbered, applied once in order, never edited after it has landed.
package protocol Migration: Sendable {
    /// The recorded name, e.g. `M0001_CreateAccounts`.
    var name: String { get }
    /// Applies the change inside a transaction.
    func prepare(on session: DBSession) async throws
}

extension Migration {
    package var name: String { String(describing: Self.self) }
}

/// Every migration, in order. Append only.
package enum Migrations {
    package static let all: [any Migration] = [
        M0001_CreateAccounts(),
        M0002_CreateUsers(),
        M0003_CreateOAuth(),
        M0004_CreateJobs(),
        M0005_CreateWebSessions(),
        M0006_CreateSocialCore(),
        M0007_CreateBlocksAndMutes(),
        M0008_CreateFollowRequests(),
        M0009_CreateStatusEdits(),
        M0010_CreateSearchAndTagFollows(),
        M0011_CreateListsAndMarkers(),
        M0012_CreatePinsNotesReports(),
        M0013_CreateScheduledStatuses(),
        M0014_CreateFilters(),
        M0015_CreateConversations(),
        M0016_CreatePolls(),
        M0017_CreateConversationMutes(),
        M0018_CreateFederation(),
        M0019_CreateRemotePollCounts(),
        M0020_CreatePushSubscriptions(),
        M0021_CreateMediaAttachments(),
        M0022_AddProfileImages(),
        M0023_CreateUserTokens(),
        M0024_AddTwoFactor(),
        M0025_CreateInvites(),
        M0026_AddAccountDeletion(),
        M0027_CreateImports(),
        M0028_AddMovedAt(),
        M0029_CreateAccountDomainBlocks(),
        M0030_ExtendMediaAttachments(),
        M0031_CreateNotificationPolicies(),
        M0032_AddEditMedia(),
        M0033_AddRowVersions(),
    ]
}

extension Database {
    /// Applies the migrations not yet recorded in `schema_migrations`; returns the names it applied.
    ///
    /// Safe to run from several processes at once: on PostgreSQL an advisory lock serialises them, on
    /// SQLite the write transaction does.
    @discardableResult
    package func migrate(logger: Logger) async throws -> [String] {
        let applied = try await self.transaction { session in
            if session.dialect == .postgres {
                try await Self.createSearchPathSchema(session)
            }
            try await session.sql.raw(
                "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)"
            ).run()
            if session.dialect == .postgres {
                // Held until commit: a second process waits here, then finds everything applied.
                try await session.sql.raw("SELECT pg_advisory_xact_lock(7415028) AS locked").run()
            }
            let rows = try await session.sql.raw("SELECT name FROM schema_migrations").all()
            let applied = Set(try rows.map { try $0.decode(column: "name", as: String.self) })
            var done: [String] = []
            for migration in Migrations.all where !applied.contains(migration.name) {
                logger.info("applying migration \(migration.name)")
                try await migration.prepare(on: session)
                try await session.sql.raw(
                    "INSERT INTO schema_migrations (name, applied_at) VALUES (\(bind: migration.name), \(bind: session.nowMillis))"
                ).run()
                done.append(migration.name)
            }
            return done
        }
        if self.dialect == .sqlite {
            // Keeps the planner's statistics current (cheap when nothing changed); outside the transaction.
            try await self.transaction { try await $0.sql.raw("PRAGMA optimize").run() }
        }
        return applied
    }
}

extension Database {
    /// A configured `search_path` (`postgres://…?search_path=name`) names a schema that may not exist yet.
    fileprivate static func createSearchPathSchema(_ session: DBSession) async throws {
        let row = try await session.sql.raw("SELECT current_setting('search_path') AS path").first()
        let path = try row?.decode(column: "path", as: String.self) ?? ""
        let first = path.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard !first.isEmpty, first != "public", first.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            return
        }
        try await session.sql.raw(SQLQueryString("CREATE SCHEMA IF NOT EXISTS \"\(first)\"")).run()
    }
}

extension DBSession {
    /// Runs DDL statements one by one (SQLite's driver takes one statement per call).
    func execute(_ statements: [String]) async throws {
        for statement in statements {
            try await self.sql.raw(SQLQueryString(statement)).run()
        }
    }
}
