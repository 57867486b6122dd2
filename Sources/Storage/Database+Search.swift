import Core
import Foundation
import SQLKit

/// A hashtag with how much it was used lately.
package struct TagStats: Sendable, Equatable {
    package let name: String
    /// Newest day first: (day start, uses, distinct accounts).
    package let history: [(day: Date, uses: Int, accounts: Int)]

    package static func == (lhs: TagStats, rhs: TagStats) -> Bool {
        lhs.name == rhs.name && lhs.history.map(\.uses) == rhs.history.map(\.uses)
    }
}

extension DBSession {
    /// Status ids whose text matches every word of `query`, newest first: public statuses of
    /// accounts that allow indexing, and the viewer's own.
    package func searchStatuses(_ query: String, viewer: Account.ID?, limit: Int, offset: Int) async throws -> [Status
        .ID]
    {
        let words = query.split(whereSeparator: { $0.isWhitespace }).map(String.init).filter { !$0.isEmpty }.prefix(10)
        guard !words.isEmpty else { return [] }
        var sql: SQLQueryString
        switch self.dialect {
        case .sqlite:
            // Each word quoted: FTS5 operators in user input stay literal.
            let match = words.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(
                separator: " "
            )
            sql =
                "SELECT s.id AS id FROM statuses_fts f JOIN statuses s ON s.id = f.rowid JOIN accounts a ON a.id = s.account_id WHERE statuses_fts MATCH "
            sql.appendInterpolation(bind: match)
        case .postgres:
            sql =
                "SELECT s.id AS id FROM statuses s JOIN accounts a ON a.id = s.account_id WHERE to_tsvector('simple', s.text) @@ plainto_tsquery('simple', "
            sql.appendInterpolation(bind: words.joined(separator: " "))
            sql.appendLiteral(")")
        }
        sql.appendLiteral(
            " AND s.reblog_of_id IS NULL AND a.suspended_at IS NULL AND ((s.visibility = 'public' AND a.indexable = TRUE)"
        )
        if let viewer {
            sql.appendLiteral(" OR s.account_id = ")
            sql.appendInterpolation(bind: viewer.rawValue)
        }
        sql.appendLiteral(") ORDER BY s.id DESC LIMIT ")
        sql.appendInterpolation(bind: limit)
        sql.appendLiteral(" OFFSET ")
        sql.appendInterpolation(bind: offset)
        return try await self.sql.raw(sql).all().map { Status.ID(try $0.decode(column: "id", as: Int64.self)) }
    }

    /// Accounts whose username or display name starts with `prefix` (or whose acct is exactly it), exact
    /// matches and local accounts first.
    package func searchAccounts(_ prefix: String, limit: Int, offset: Int, onlyFollowedBy follower: Account.ID?)
        async throws
        -> [Account]
    {
        var term = prefix.lowercased()
        var domain: String?
        if let at = term.firstIndex(of: "@") {
            domain = String(term[term.index(after: at)...])
            term = String(term[..<at])
        }
        guard !term.isEmpty else { return [] }
        let pattern = Self.likePrefix(term)
        var sql = Statement(
            "SELECT \(unsafeRaw: AccountRow.columns("a")) FROM accounts a WHERE a.suspended_at IS NULL AND (lower(a.username) LIKE "
        )
        sql.appendInterpolation(bind: pattern)
        sql.appendLiteral(" ESCAPE '\\' OR lower(a.display_name) LIKE ")
        sql.appendInterpolation(bind: pattern)
        sql.appendLiteral(" ESCAPE '\\')")
        if let domain, !domain.isEmpty {
            sql.appendLiteral(" AND lower(COALESCE(a.domain, '')) LIKE ")
            sql.appendInterpolation(bind: Self.likePrefix(domain))
            sql.appendLiteral(" ESCAPE '\\'")
        }
        if let follower {
            sql.appendLiteral(" AND EXISTS (SELECT 1 FROM follows f WHERE f.account_id = ")
            sql.appendInterpolation(bind: follower.rawValue)
            sql.appendLiteral(" AND f.target_account_id = a.id)")
        }
        sql.appendLiteral(" ORDER BY CASE WHEN lower(a.username) = ")
        sql.appendInterpolation(bind: term)
        sql.appendLiteral(
            " THEN 0 ELSE 1 END, CASE WHEN a.domain IS NULL THEN 0 ELSE 1 END, a.followers_count DESC, a.id LIMIT "
        )
        sql.appendInterpolation(bind: limit)
        sql.appendLiteral(" OFFSET ")
        sql.appendInterpolation(bind: offset)
        return try await self.accounts(sql)
    }

    /// Tag names starting with `prefix`, shortest first.
    package func searchTags(_ prefix: String, limit: Int, offset: Int) async throws -> [String] {
        let term = prefix.hasPrefix("#") ? String(prefix.dropFirst()) : prefix
        guard !term.isEmpty else { return [] }
        return try await self.sql.raw(
            """
            SELECT name FROM tags WHERE name LIKE \(bind: Self.likePrefix(term.lowercased())) ESCAPE '\\'
            ORDER BY length(name), name LIMIT \(bind: limit) OFFSET \(bind: offset)
            """
        ).all().map { try $0.decode(column: "name", as: String.self) }
    }

    /// Whether a tag exists.
    package func tagExists(_ name: String) async throws -> Bool {
        try await self.sql.raw("SELECT id FROM tags WHERE name = \(bind: name.lowercased())").first() != nil
    }

    /// Daily uses of each tag over the last `days` days (public statuses), newest day first.
    package func tagStats(_ names: [String], days: Int) async throws -> [String: TagStats] {
        guard !names.isEmpty else { return [:] }
        let dayMillis: Int64 = 86_400_000
        let today = (self.nowMillis / dayMillis) * dayMillis
        let since = today - Int64(days - 1) * dayMillis
        var sql = SQLQueryString(
            "SELECT t.name AS name, (s.created_at / 86400000) AS day, COUNT(*) AS uses, COUNT(DISTINCT s.account_id) AS accounts FROM tags t JOIN status_tags st ON st.tag_id = t.id JOIN statuses s ON s.id = st.status_id WHERE s.visibility = 'public' AND s.created_at >= "
        )
        sql.appendInterpolation(bind: since)
        sql.appendLiteral(" AND t.name IN (")
        sql.appendInterpolation(binds: names.map { $0.lowercased() })
        sql.appendLiteral(") GROUP BY t.name, (s.created_at / 86400000)")
        var counts: [String: [Int64: (Int, Int)]] = [:]
        for row in try await self.sql.raw(sql).all() {
            let name = try row.decode(column: "name", as: String.self)
            let day = try row.decode(column: "day", as: Int64.self)
            counts[name, default: [:]][day] = (
                try row.decode(column: "uses", as: Int.self), try row.decode(column: "accounts", as: Int.self)
            )
        }
        var result: [String: TagStats] = [:]
        for name in names.map({ $0.lowercased() }) {
            let history = (0..<days).map { offset -> (day: Date, uses: Int, accounts: Int) in
                let start = today - Int64(offset) * dayMillis
                let (uses, accounts) = counts[name]?[start / dayMillis] ?? (0, 0)
                return (Date(millisecondsSince1970: start), uses, accounts)
            }
            result[name] = TagStats(name: name, history: history)
        }
        return result
    }

    /// Tags used by the most accounts in public statuses over the last `days` days.
    package func trendingTags(days: Int, limit: Int, offset: Int) async throws -> [String] {
        let since = self.nowMillis - Int64(days) * 86_400_000
        return try await self.sql.raw(
            """
            SELECT t.name AS name, COUNT(DISTINCT s.account_id) AS accounts FROM tags t
            JOIN status_tags st ON st.tag_id = t.id JOIN statuses s ON s.id = st.status_id
            WHERE s.visibility = 'public' AND s.created_at >= \(bind: since)
            GROUP BY t.name ORDER BY accounts DESC, t.name LIMIT \(bind: limit) OFFSET \(bind: offset)
            """
        ).all().map { try $0.decode(column: "name", as: String.self) }
    }

    /// Public original posts of the last `days` days by discoverable, unsuspended accounts that people
    /// favourited or boosted, the most favoured first.
    package func trendingStatuses(days: Int, limit: Int, offset: Int) async throws -> [Status.ID] {
        let since = self.nowMillis - Int64(days) * 86_400_000
        return try await self.sql.raw(
            """
            SELECT s.id AS id FROM statuses s JOIN accounts a ON a.id = s.account_id
            WHERE s.visibility = 'public' AND s.reblog_of_id IS NULL AND s.created_at >= \(bind: since)
                AND s.favourites_count + s.reblogs_count > 0 AND a.discoverable AND a.suspended_at IS NULL
            ORDER BY s.favourites_count + s.reblogs_count DESC, s.id DESC
            LIMIT \(bind: limit) OFFSET \(bind: offset)
            """
        ).all().map { Status.ID(try $0.decode(column: "id", as: Int64.self)) }
    }

    /// Follows or unfollows a tag by name (the tag is made when followed before anyone used it).
    package func setTagFollow(_ name: String, account: Account.ID, following: Bool, tagID: Int64) async throws {
        let tag = name.lowercased()
        if following {
            try await self.sql.raw(
                """
                INSERT INTO tags (id, name, created_at) VALUES (\(bind: tagID), \(bind: tag), \(bind: self.nowMillis))
                ON CONFLICT (name) DO NOTHING
                """
            ).run()
            try await self.sql.raw(
                """
                INSERT INTO tag_follows (account_id, tag_id, created_at)
                SELECT \(bind: account.rawValue), id, \(bind: self.nowMillis) FROM tags WHERE name = \(bind: tag)
                ON CONFLICT DO NOTHING
                """
            ).run()
        } else {
            try await self.sql.raw(
                """
                DELETE FROM tag_follows WHERE account_id = \(bind: account.rawValue)
                AND tag_id IN (SELECT id FROM tags WHERE name = \(bind: tag))
                """
            ).run()
        }
    }

    /// Which of `names` the account follows.
    package func followedTags(of account: Account.ID, among names: [String]?) async throws -> [String] {
        var sql = SQLQueryString(
            "SELECT t.name AS name FROM tag_follows f JOIN tags t ON t.id = f.tag_id WHERE f.account_id = "
        )
        sql.appendInterpolation(bind: account.rawValue)
        if let names {
            guard !names.isEmpty else { return [] }
            sql.appendLiteral(" AND t.name IN (")
            sql.appendInterpolation(binds: names.map { $0.lowercased() })
            sql.appendLiteral(")")
        }
        sql.appendLiteral(" ORDER BY t.name")
        return try await self.sql.raw(sql).all().map { try $0.decode(column: "name", as: String.self) }
    }

    /// Puts a public status in the home feeds of local accounts that follow one of its tags.
    package func fanOutToTagFollowers(_ status: Status.ID, tags: [String]) async throws {
        guard !tags.isEmpty else { return }
        var sql = SQLQueryString(
            "INSERT INTO home_feed (account_id, status_id) SELECT DISTINCT f.account_id, "
        )
        sql.appendInterpolation(bind: status.rawValue)
        sql.appendLiteral(
            " FROM tag_follows f JOIN tags t ON t.id = f.tag_id JOIN accounts a ON a.id = f.account_id WHERE a.domain IS NULL AND t.name IN ("
        )
        sql.appendInterpolation(binds: tags.map { $0.lowercased() })
        sql.appendLiteral(") ON CONFLICT DO NOTHING")
        try await self.sql.raw(sql).run()
    }
}
