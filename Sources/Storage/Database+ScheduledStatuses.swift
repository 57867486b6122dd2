import Core
import Foundation
import SQLKit

extension DBSession {
    /// Inserts or moves a scheduled status.
    package func saveScheduledStatus(_ scheduled: ScheduledStatus) async throws {
        let params = String(decoding: try JSONEncoder().encode(scheduled.params), as: UTF8.self)
        try await self.sql.raw(
            """
            INSERT INTO scheduled_statuses (id, account_id, scheduled_at, params)
            VALUES (\(bind: scheduled.id.rawValue), \(bind: scheduled.accountID.rawValue),
                \(bind: scheduled.scheduledAt.millisecondsSince1970), \(bind: params))
            ON CONFLICT (id) DO UPDATE SET scheduled_at = \(bind: scheduled.scheduledAt.millisecondsSince1970)
            """
        ).run()
    }

    /// One scheduled status (of `account` when given).
    package func scheduledStatus(id: ScheduledStatus.ID, of account: Account.ID? = nil) async throws -> ScheduledStatus?
    {
        var query = SQLQueryString("SELECT * FROM scheduled_statuses WHERE id = ")
        query.appendInterpolation(bind: id.rawValue)
        if let account {
            query.appendLiteral(" AND account_id = ")
            query.appendInterpolation(bind: account.rawValue)
        }
        guard let row = try await self.sql.raw(query).first() else { return nil }
        return try Self.decodeScheduled(row)
    }

    /// A page of an account's scheduled statuses.
    package func scheduledStatuses(of account: Account.ID, page: PageRequest) async throws -> [ScheduledStatus] {
        var query = SQLQueryString("SELECT * FROM scheduled_statuses WHERE account_id = ")
        query.appendInterpolation(bind: account.rawValue)
        let rows = try await self.sql.raw(Self.paged(query, column: "id", page: page)).all()
        return try Self.ordered(rows, page: page).map(Self.decodeScheduled)
    }

    /// How many statuses an account has scheduled, in all and within a day of `day`.
    package func scheduledCounts(of account: Account.ID, around day: Date) async throws -> (total: Int, sameDay: Int) {
        let start = (day.millisecondsSince1970 / 86_400_000) * 86_400_000
        let row = try await self.sql.raw(
            """
            SELECT COUNT(*) AS total,
                COALESCE(SUM(CASE WHEN scheduled_at >= \(bind: start) AND scheduled_at < \(bind: start + 86_400_000)
                    THEN 1 ELSE 0 END), 0) AS same_day
            FROM scheduled_statuses WHERE account_id = \(bind: account.rawValue)
            """
        ).first()
        return (
            try row?.decode(column: "total", as: Int.self) ?? 0, try row?.decode(column: "same_day", as: Int.self) ?? 0
        )
    }

    /// Removes a scheduled status.
    package func deleteScheduledStatus(_ id: ScheduledStatus.ID) async throws {
        try await self.sql.raw("DELETE FROM scheduled_statuses WHERE id = \(bind: id.rawValue)").run()
    }

    private static func decodeScheduled(_ row: any SQLRow) throws -> ScheduledStatus {
        let text = try row.decode(column: "params", as: String.self)
        guard let params = try? JSONDecoder().decode(ScheduledStatus.Params.self, from: Data(text.utf8)) else {
            throw StorageError.corruptRow("scheduled_statuses.params")
        }
        return ScheduledStatus(
            id: ScheduledStatus.ID(try row.decode(column: "id", as: Int64.self)),
            accountID: Account.ID(try row.decode(column: "account_id", as: Int64.self)),
            scheduledAt: Date(millisecondsSince1970: try row.decode(column: "scheduled_at", as: Int64.self)),
            params: params
        )
    }
}
