import Core
import SQLKit

extension DBSession {
    /// Pins a status to its author's profile (idempotent); returns how many the account has pinned now.
    package func pin(_ status: Status.ID, by account: Account.ID) async throws -> Int {
        try await self.sql.raw(
            """
            INSERT INTO status_pins (account_id, status_id, created_at)
            VALUES (\(bind: account.rawValue), \(bind: status.rawValue), \(bind: self.nowMillis))
            ON CONFLICT DO NOTHING
            """
        ).run()
        return try await self.sql.raw(
            "SELECT COUNT(*) AS n FROM status_pins WHERE account_id = \(bind: account.rawValue)"
        ).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Unpins a status.
    package func unpin(_ status: Status.ID, by account: Account.ID) async throws {
        try await self.sql.raw(
            "DELETE FROM status_pins WHERE account_id = \(bind: account.rawValue) AND status_id = \(bind: status.rawValue)"
        ).run()
    }

    /// An account's pinned statuses, most recently pinned first.
    package func pinnedStatuses(of account: Account.ID) async throws -> [Status.ID] {
        try await self.sql.raw(
            "SELECT status_id FROM status_pins WHERE account_id = \(bind: account.rawValue) ORDER BY created_at DESC"
        ).all().map { Status.ID(try $0.decode(column: "status_id", as: Int64.self)) }
    }

    /// Which of `statuses` their authors pinned.
    package func pinned(among statuses: [Status.ID]) async throws -> Set<Status.ID> {
        guard !statuses.isEmpty else { return [] }
        let rows = try await self.sql.raw(
            "SELECT status_id FROM status_pins WHERE status_id IN (\(ids: statuses.map(\.rawValue)))"
        ).all()
        return Set(try rows.map { Status.ID(try $0.decode(column: "status_id", as: Int64.self)) })
    }

    /// Sets (or clears, with an empty comment) the viewer's private note on an account.
    package func setAccountNote(_ comment: String, by account: Account.ID, on target: Account.ID) async throws {
        if comment.isEmpty {
            try await self.sql.raw(
                """
                DELETE FROM account_notes WHERE account_id = \(bind: account.rawValue)
                AND target_account_id = \(bind: target.rawValue)
                """
            ).run()
            return
        }
        try await self.sql.raw(
            """
            INSERT INTO account_notes (account_id, target_account_id, comment)
            VALUES (\(bind: account.rawValue), \(bind: target.rawValue), \(bind: comment))
            ON CONFLICT (account_id, target_account_id) DO UPDATE SET comment = \(bind: comment)
            """
        ).run()
    }

    /// The viewer's private notes on `targets`.
    package func accountNotes(by account: Account.ID, on targets: [Account.ID]) async throws -> [Account.ID: String] {
        guard !targets.isEmpty else { return [:] }
        let rows = try await self.sql.raw(
            """
            SELECT target_account_id, comment FROM account_notes WHERE account_id = \(bind: account.rawValue)
            AND target_account_id IN (\(ids: targets.map(\.rawValue)))
            """
        ).all()
        var notes: [Account.ID: String] = [:]
        for row in rows {
            notes[Account.ID(try row.decode(column: "target_account_id", as: Int64.self))] =
                try row.decode(column: "comment", as: String.self)
        }
        return notes
    }

    /// Files a report.
    package func insertReport(
        id: Int64,
        by account: Account.ID,
        about target: Account.ID,
        statuses: [Status.ID],
        comment: String,
        category: String,
        ruleIDs: [String],
        forward: Bool
    ) async throws {
        try await self.sql.raw(
            """
            INSERT INTO reports (id, account_id, target_account_id, status_ids, comment, category, rule_ids, forward,
                created_at)
            VALUES (\(bind: id), \(bind: account.rawValue), \(bind: target.rawValue),
                \(bind: statuses.map(\.description).joined(separator: ",")), \(bind: comment), \(bind: category),
                \(bind: ruleIDs.joined(separator: ",")), \(bind: forward), \(bind: self.nowMillis))
            """
        ).run()
    }
}
