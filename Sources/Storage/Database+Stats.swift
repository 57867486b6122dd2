import Core
import Foundation
import SQLKit

/// Counts for the instance API and NodeInfo.
package struct InstanceStats: Sendable, Equatable {
    package var localUsers: Int
    package var activeMonth: Int
    package var activeHalfYear: Int
    package var localStatuses: Int
    package var knownDomains: Int
}

extension Database {
    /// How many local users, posts and known domains there are. The local counts are counted on each call;
    /// the known domains, a scan of every remote account, at most every ten minutes per process (Mastodon
    /// caches its instance counts too, and clients ask for them on every launch).
    package func instanceStats() async throws -> InstanceStats {
        let now = self.clock.now()
        let cached = self.knownDomainCount.withLock { cached in
            cached.flatMap { now.timeIntervalSince($0.countedAt) < 600 ? $0.count : nil }
        }
        let stats = try await self.read { session in
            var stats = try await session.localStats()
            if let cached {
                stats.knownDomains = cached
            } else {
                stats.knownDomains = try await session.knownDomainCount()
            }
            return stats
        }
        if cached == nil {
            let count = stats.knownDomains
            self.knownDomainCount.withLock { $0 = (count, now) }
        }
        return stats
    }
}

extension DBSession {
    /// How many local users and posts there are (`knownDomains` left at 0).
    func localStats() async throws -> InstanceStats {
        let users =
            try await self.sql.raw(
                "SELECT COUNT(*) AS n FROM accounts WHERE domain IS NULL AND suspended_at IS NULL"
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        let monthAgo = self.nowMillis - 30 * 86_400_000
        let halfYearAgo = self.nowMillis - 180 * 86_400_000
        let active = try await self.sql.raw(
            """
            SELECT COUNT(DISTINCT CASE WHEN t.last_used_at >= \(bind: monthAgo) THEN u.id END) AS month,
                COUNT(DISTINCT CASE WHEN t.last_used_at >= \(bind: halfYearAgo) THEN u.id END) AS half
            FROM users u JOIN oauth_access_tokens t ON t.user_id = u.id
            """
        ).first()
        let statuses =
            try await self.sql.raw(
                "SELECT COALESCE(SUM(statuses_count), 0) AS n FROM accounts WHERE domain IS NULL"
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        return InstanceStats(
            localUsers: users,
            activeMonth: try active?.decode(column: "month", as: Int.self) ?? 0,
            activeHalfYear: try active?.decode(column: "half", as: Int.self) ?? 0,
            localStatuses: statuses,
            knownDomains: 0
        )
    }

    /// How many hosts remote accounts are on.
    func knownDomainCount() async throws -> Int {
        try await self.sql.raw(
            "SELECT COUNT(DISTINCT domain) AS n FROM accounts WHERE domain IS NOT NULL"
        ).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Hosts of known remote accounts, sorted (`/api/v1/instance/peers`).
    package func knownDomains(limit: Int = 10_000) async throws -> [String] {
        try await self.sql.raw(
            "SELECT DISTINCT lower(domain) AS d FROM accounts WHERE domain IS NOT NULL ORDER BY d LIMIT \(bind: limit)"
        ).all().map { try $0.decode(column: "d", as: String.self) }
    }
}

extension DBSession {
    /// Local posts, users who signed in (tokens made) and sign-ups between two dates.
    package func activityCounts(from start: Date, to end: Date) async throws -> (
        statuses: Int, logins: Int, registrations: Int
    ) {
        let from = start.millisecondsSince1970
        let to = end.millisecondsSince1970
        let registrations =
            try await self.sql.raw(
                "SELECT COUNT(*) AS n FROM users WHERE created_at >= \(bind: from) AND created_at < \(bind: to)"
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        let logins =
            try await self.sql.raw(
                """
                SELECT COUNT(DISTINCT user_id) AS n FROM oauth_access_tokens
                WHERE user_id IS NOT NULL AND last_used_at >= \(bind: from) AND last_used_at < \(bind: to)
                """
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        // Statuses arrive with the social core; until then there are none to count.
        return (0, logins, registrations)
    }
}
