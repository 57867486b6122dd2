import Core
import Foundation
import SQLKit

/// A claimed job: the row's data and how many times it has been tried (this time included).
package struct ClaimedJob: Sendable, Equatable {
    package let id: Int64
    package let kind: String
    package let payload: String
    package let attempts: Int
    package let maxAttempts: Int
}

struct ClaimedJobRow: Decodable {
    var id: Int64
    var kind: String
    var payload: String
    var attempts: Int
    var maxAttempts: Int

    enum CodingKeys: String, CodingKey {
        case id, kind, payload, attempts
        case maxAttempts = "max_attempts"
    }
}

extension DBSession {
    /// Adds a job, due at `runAt` (now by default). Call it inside the transaction that makes the change.
    package func enqueue(_ job: Job, id: Int64, runAt: Date? = nil, maxAttempts: Int = 16) async throws {
        try await self.enqueue(
            kind: job.kind,
            payload: try job.payload(),
            id: id,
            runAt: runAt,
            maxAttempts: maxAttempts
        )
    }

    /// Adds a job by kind and raw payload.
    package func enqueue(kind: String, payload: String, id: Int64, runAt: Date? = nil, maxAttempts: Int = 16)
        async throws
    {
        try await self.sql.raw(
            """
            INSERT INTO jobs (id, kind, payload, run_at, max_attempts, created_at)
            VALUES (\(bind: id), \(bind: kind), \(bind: payload), \(bind: runAt?.millisecondsSince1970 ?? self.nowMillis),
                \(bind: maxAttempts), \(bind: self.nowMillis))
            """
        ).run()
    }

    /// Makes every waiting job due now (an operator's "retry now"; tests use it to skip back-off).
    package func makeAllJobsDue() async throws {
        try await self.sql.raw("UPDATE jobs SET run_at = \(bind: self.nowMillis) WHERE locked_by IS NULL").run()
    }

    /// Per kind: jobs waiting, and how many of them failed at least once.
    package func jobSummary() async throws -> [(kind: String, waiting: Int, failing: Int)] {
        try await self.sql.raw(
            """
            SELECT kind, COUNT(*) AS n, SUM(CASE WHEN last_error IS NULL THEN 0 ELSE 1 END) AS failing
            FROM jobs GROUP BY kind ORDER BY kind
            """
        ).all().map {
            (
                try $0.decode(column: "kind", as: String.self), try $0.decode(column: "n", as: Int.self),
                try $0.decode(column: "failing", as: Int?.self) ?? 0
            )
        }
    }

    /// How many jobs wait (due or not), by kind.
    package func pendingJobCounts() async throws -> [String: Int] {
        let rows = try await self.sql.raw("SELECT kind, COUNT(*) AS n FROM jobs GROUP BY kind").all()
        var counts: [String: Int] = [:]
        for row in rows {
            counts[try row.decode(column: "kind", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }
}

extension Database {
    /// Claims up to `limit` due jobs for `worker` and locks them until `lease` has passed.
    ///
    /// A job whose lock expired (its worker died) is due again. On PostgreSQL `FOR UPDATE SKIP LOCKED`
    /// lets several processes claim from one table without waiting on each other or taking the same row.
    package func claimJobs(worker: String, limit: Int, lease: Duration) async throws -> [ClaimedJob] {
        let leaseMillis = lease.components.seconds * 1000 + lease.components.attoseconds / 1_000_000_000_000_000
        return try await self.transaction { session in
            let now = session.nowMillis
            let lockClause: SQLQueryString = session.dialect == .postgres ? "FOR UPDATE SKIP LOCKED" : ""
            let rows = try await session.sql.raw(
                """
                UPDATE jobs SET locked_by = \(bind: worker), locked_until = \(bind: now + leaseMillis),
                    attempts = attempts + 1
                WHERE id IN (
                    SELECT id FROM jobs
                    WHERE run_at <= \(bind: now) AND (locked_until IS NULL OR locked_until < \(bind: now))
                    ORDER BY run_at, id LIMIT \(bind: limit) \(lockClause)
                )
                RETURNING id, kind, payload, attempts, max_attempts
                """
            ).all()
            return try rows.map { row in
                let job = try row.decode(model: ClaimedJobRow.self)
                return ClaimedJob(
                    id: job.id,
                    kind: job.kind,
                    payload: job.payload,
                    attempts: job.attempts,
                    maxAttempts: job.maxAttempts
                )
            }
        }
    }

    /// Extends the lease of every job `worker` holds (they are running): a live worker keeps its jobs, a
    /// dead one's leases run out and its jobs become due for others.
    package func renewLeases(worker: String, lease: Duration) async throws {
        let leaseMillis = lease.components.seconds * 1000
        try await self.transaction { session in
            try await session.sql.raw(
                """
                UPDATE jobs SET locked_until = \(bind: session.nowMillis + leaseMillis)
                WHERE locked_by = \(bind: worker)
                """
            ).run()
        }
    }

    /// Frees every claimed job at once. Only for a database no other process uses (SQLite): the jobs a
    /// killed process held are then due at restart instead of when their leases end.
    package func releaseAllLeases() async throws -> Int {
        try await self.transaction { session in
            let rows = try await session.sql.raw(
                "UPDATE jobs SET locked_by = NULL, locked_until = NULL WHERE locked_by IS NOT NULL RETURNING id"
            ).all()
            return rows.count
        }
    }

    /// Removes a job that ran to completion.
    package func completeJob(_ id: Int64) async throws {
        try await self.transaction { session in
            try await session.sql.raw("DELETE FROM jobs WHERE id = \(bind: id)").run()
        }
    }

    /// Records a failure: the job is due again at `retryAt`, or removed when `retryAt` is nil (given up).
    package func failJob(_ id: Int64, error: String, retryAt: Date?) async throws {
        try await self.transaction { session in
            if let retryAt {
                try await session.sql.raw(
                    """
                    UPDATE jobs SET run_at = \(bind: retryAt.millisecondsSince1970), locked_by = NULL,
                        locked_until = NULL, last_error = \(bind: String(error.prefix(2000)))
                    WHERE id = \(bind: id)
                    """
                ).run()
            } else {
                try await session.sql.raw("DELETE FROM jobs WHERE id = \(bind: id)").run()
            }
        }
    }
}
