import Core
import Foundation
import SQLKit

struct StatusRow: PositionalRow {
    var id: Int64
    var accountId: Int64
    var uri: String
    var url: String?
    var text: String
    var content: String
    var spoilerText: String
    var sensitive: Bool
    var visibility: String
    var language: String?
    var inReplyToId: Int64?
    var inReplyToAccountId: Int64?
    var reblogOfId: Int64?
    var conversationId: Int64?
    var applicationId: Int64?
    var local: Bool
    var createdAt: Int64
    var editedAt: Int64?
    var repliesCount: Int
    var reblogsCount: Int
    var favouritesCount: Int

    static let columnNames = [
        "id", "account_id", "uri", "url", "text", "content", "spoiler_text", "sensitive", "visibility", "language",
        "in_reply_to_id", "in_reply_to_account_id", "reblog_of_id", "conversation_id", "application_id", "local",
        "created_at", "edited_at", "replies_count", "reblogs_count", "favourites_count",
        // Last: read by `KeptRows`, not by `init`.
        "row_version",
    ]

    init(_ row: ColumnReader, at start: Int = 0) throws {
        self.id = try row.int64(start + 0)
        self.accountId = try row.int64(start + 1)
        self.uri = try row.string(start + 2)
        self.url = try row.optionalString(start + 3)
        self.text = try row.string(start + 4)
        self.content = try row.string(start + 5)
        self.spoilerText = try row.string(start + 6)
        self.sensitive = try row.bool(start + 7)
        self.visibility = try row.string(start + 8)
        self.language = try row.optionalString(start + 9)
        self.inReplyToId = try row.optionalInt64(start + 10)
        self.inReplyToAccountId = try row.optionalInt64(start + 11)
        self.reblogOfId = try row.optionalInt64(start + 12)
        self.conversationId = try row.optionalInt64(start + 13)
        self.applicationId = try row.optionalInt64(start + 14)
        self.local = try row.bool(start + 15)
        self.createdAt = try row.int64(start + 16)
        self.editedAt = try row.optionalInt64(start + 17)
        self.repliesCount = try row.int(start + 18)
        self.reblogsCount = try row.int(start + 19)
        self.favouritesCount = try row.int(start + 20)
    }

    func status() throws -> Status {
        guard let visibility = Visibility(rawValue: self.visibility) else {
            throw StorageError.corruptRow("statuses.visibility of \(self.id)")
        }
        var status = Status(
            id: Status.ID(self.id),
            accountID: Account.ID(self.accountId),
            uri: self.uri,
            url: self.url,
            text: self.text,
            content: self.content,
            spoilerText: self.spoilerText,
            sensitive: self.sensitive,
            visibility: visibility,
            language: self.language,
            inReplyToID: self.inReplyToId.map { Status.ID($0) },
            inReplyToAccountID: self.inReplyToAccountId.map { Account.ID($0) },
            reblogOfID: self.reblogOfId.map { Status.ID($0) },
            applicationID: self.applicationId.map { OAuthApplication.ID($0) },
            local: self.local,
            createdAt: Date(millisecondsSince1970: self.createdAt),
            editedAt: self.editedAt.map(Date.init(millisecondsSince1970:)),
            repliesCount: self.repliesCount,
            reblogsCount: self.reblogsCount,
            favouritesCount: self.favouritesCount
        )
        status.conversationID = self.conversationId.map { Status.ID($0) }
        return status
    }
}

extension DBSession {
    /// The statuses `query` reads; it selects `StatusRow.columnList` first.
    func statuses(_ query: Statement) async throws -> [Status] {
        try await self.rows(query) { try StatusRow.status($0) }
    }
}

extension DBSession {
    /// The status with this id.
    package func status(id: Status.ID) async throws -> Status? {
        try await self.statuses(
            "SELECT \(unsafeRaw: StatusRow.columnList) FROM statuses WHERE id = \(bind: id.rawValue)"
        )
        .first
    }

    /// Statuses by id, in no particular order.
    package func statuses(ids: [Status.ID]) async throws -> [Status] {
        try await self.keptModels(ids.map(\.rawValue), table: "statuses", in: KeptRows.statuses) { missing in
            try await self.statuses(
                "SELECT \(unsafeRaw: StatusRow.columnList) FROM \(idTable: missing, as: "ids") CROSS JOIN statuses WHERE id = ids.value"
            )
        }
    }

    /// Inserts a status with its mentions and tags, and counts it on its author (and its parent).
    package func insertStatus(_ status: Status, mentions: [Account.ID], tags: [String], tagIDs: () -> Int64)
        async throws
    {
        try await self.sql.raw(
            """
            INSERT INTO statuses (id, account_id, uri, url, text, content, spoiler_text, sensitive, visibility,
                language, in_reply_to_id, in_reply_to_account_id, reblog_of_id, application_id, local, created_at,
                conversation_id, row_version)
            VALUES (\(bind: status.id.rawValue), \(bind: status.accountID.rawValue), \(bind: status.uri),
                \(bind: status.url), \(bind: status.text), \(bind: status.content), \(bind: status.spoilerText),
                \(bind: status.sensitive), \(bind: status.visibility.rawValue), \(bind: status.language),
                \(bind: status.inReplyToID?.rawValue), \(bind: status.inReplyToAccountID?.rawValue),
                \(bind: status.reblogOfID?.rawValue), \(bind: status.applicationID?.rawValue), \(bind: status.local),
                \(bind: status.createdAt.millisecondsSince1970), \(bind: status.thread.rawValue),
                \(unsafeRaw: self.newRowVersion))
            """
        ).run()
        for account in Set(mentions) {
            try await self.sql.raw(
                """
                INSERT INTO mentions (status_id, account_id) VALUES (\(bind: status.id.rawValue), \(bind: account.rawValue))
                ON CONFLICT DO NOTHING
                """
            ).run()
        }
        try await self.linkTags(tags, to: status.id, tagIDs: tagIDs)
        if status.reblogOfID == nil {
            try await self.sql.raw(
                """
                UPDATE accounts SET statuses_count = statuses_count + 1,
                    last_status_at = \(bind: status.createdAt.millisecondsSince1970),
                    row_version = \(unsafeRaw: self.newRowVersion)
                WHERE id = \(bind: status.accountID.rawValue)
                """
            ).run()
        }
        if let parent = status.inReplyToID {
            try await self.sql.raw(
                """
                UPDATE statuses SET replies_count = replies_count + 1, row_version = \(unsafeRaw: self.newRowVersion)
                WHERE id = \(bind: parent.rawValue)
                """
            ).run()
        }
        if let original = status.reblogOfID {
            try await self.sql.raw(
                """
                UPDATE statuses SET reblogs_count = reblogs_count + 1, row_version = \(unsafeRaw: self.newRowVersion)
                WHERE id = \(bind: original.rawValue)
                """
            ).run()
        }
        self.emit(.statusCreated(status.id))
    }

    /// Deletes a status (its reblogs, feed entries, favourites and notifications go with it) and
    /// un-counts it.
    package func deleteStatus(_ status: Status) async throws {
        try await self.sql.raw("DELETE FROM statuses WHERE id = \(bind: status.id.rawValue)").run()
        self.emit(.statusDeleted(status.id))
        if status.reblogOfID == nil {
            try await self.sql.raw(
                """
                UPDATE accounts SET statuses_count = CASE WHEN statuses_count > 0 THEN statuses_count - 1 ELSE 0 END
                WHERE id = \(bind: status.accountID.rawValue)
                """
            ).run()
        }
        if let parent = status.inReplyToID {
            try await self.sql.raw(
                """
                UPDATE statuses SET replies_count = CASE WHEN replies_count > 0 THEN replies_count - 1 ELSE 0 END
                WHERE id = \(bind: parent.rawValue)
                """
            ).run()
        }
        if let original = status.reblogOfID {
            try await self.sql.raw(
                """
                UPDATE statuses SET reblogs_count = CASE WHEN reblogs_count > 0 THEN reblogs_count - 1 ELSE 0 END
                WHERE id = \(bind: original.rawValue)
                """
            ).run()
        }
    }

    /// The reblog of `original` by `account`, if any.
    package func reblog(of original: Status.ID, by account: Account.ID) async throws -> Status? {
        try await self.statuses(
            """
            SELECT \(unsafeRaw: StatusRow.columnList) FROM statuses WHERE reblog_of_id = \(bind: original.rawValue)
            AND account_id = \(bind: account.rawValue)
            """
        ).first
    }

    /// Mentioned accounts and tag names of each status, and which have a poll or media, in one statement:
    /// the probes spare a hydration the poll and media queries when (as for most pages) no status has one.
    package func extras(of statusIDs: [Status.ID]) async throws -> StatusExtras {
        guard !statusIDs.isEmpty else { return StatusExtras() }
        // One list for the four arms: sorted, and its blob written, once.
        let list = SQLIntegerTable(values: statusIDs.map(\.rawValue), alias: "ids")
        let rows = try await self.rows(
            """
            SELECT 0, m.status_id, m.account_id, CAST(NULL AS TEXT) FROM \(list)
            CROSS JOIN mentions m WHERE m.status_id = ids.value
            UNION ALL SELECT 1, st.status_id, CAST(NULL AS BIGINT), t.name FROM \(list)
            CROSS JOIN status_tags st CROSS JOIN tags t WHERE st.status_id = ids.value AND t.id = st.tag_id
            UNION ALL SELECT 2, p.status_id, CAST(NULL AS BIGINT), CAST(NULL AS TEXT) FROM \(list)
            CROSS JOIN polls p WHERE p.status_id = ids.value
            UNION ALL SELECT DISTINCT 3, a.status_id, CAST(NULL AS BIGINT), CAST(NULL AS TEXT)
            FROM \(list) CROSS JOIN media_attachments a WHERE a.status_id = ids.value
            """
        ) { row in
            let status = Status.ID(try row.int64(1))
            switch try row.int(0) {
            case 0: return StatusExtras.Row.mention(status, Account.ID(try row.int64(2)))
            case 1: return .tag(status, try row.string(3))
            case 2: return .poll(status)
            default: return .media(status)
            }
        }
        var extras = StatusExtras()
        for row in rows {
            switch row {
            case .mention(let status, let account): extras.mentions[status, default: []].append(account)
            case .tag(let status, let name): extras.tags[status, default: []].append(name)
            case .poll(let status): extras.withPoll.append(status)
            case .media(let status): extras.withMedia.append(status)
            }
        }
        // By name, compared byte for byte, so that both databases give the same order.
        for (status, names) in extras.tags where names.count > 1 {
            extras.tags[status] = names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        }
        return extras
    }

    /// Replies to `id`, all the way down, oldest first; at most `limit`.
    package func descendants(of id: Status.ID, limit: Int) async throws -> [Status] {
        try await self.statuses(
            """
            WITH RECURSIVE thread (id, depth) AS (
                SELECT id, 1 FROM statuses WHERE in_reply_to_id = \(bind: id.rawValue)
                UNION ALL
                SELECT s.id, t.depth + 1 FROM statuses s JOIN thread t ON s.in_reply_to_id = t.id WHERE t.depth < 64
            )
            SELECT \(unsafeRaw: StatusRow.columns("s")) FROM statuses s JOIN thread t ON t.id = s.id
            ORDER BY s.id LIMIT \(bind: limit)
            """
        )
    }

    /// Remembers which status an `Idempotency-Key` produced.
    package func insertIdempotencyKey(_ key: String, account: Account.ID, status: Status.ID) async throws {
        try await self.sql.raw(
            """
            INSERT INTO idempotency_keys (account_id, key, status_id, created_at)
            VALUES (\(bind: account.rawValue), \(bind: key), \(bind: status.rawValue), \(bind: self.nowMillis))
            ON CONFLICT DO NOTHING
            """
        ).run()
    }

    /// The status an `Idempotency-Key` produced within the last hour.
    package func idempotentStatus(key: String, account: Account.ID) async throws -> Status.ID? {
        let since = self.nowMillis - 3_600_000
        let row = try await self.sql.raw(
            """
            SELECT status_id FROM idempotency_keys
            WHERE account_id = \(bind: account.rawValue) AND key = \(bind: key) AND created_at > \(bind: since)
            """
        ).first()
        return try row.map { Status.ID(try $0.decode(column: "status_id", as: Int64.self)) }
    }
}

/// What hangs off a set of statuses besides their rows (`DBSession.extras(of:)`).
package struct StatusExtras: Sendable {
    package var mentions: [Status.ID: [Account.ID]] = [:]
    /// Tag names of each status, by name.
    package var tags: [Status.ID: [String]] = [:]
    /// The statuses with a poll.
    package var withPoll: [Status.ID] = []
    /// The statuses with media attached.
    package var withMedia: [Status.ID] = []

    package init() {}

    fileprivate enum Row {
        case mention(Status.ID, Account.ID)
        case tag(Status.ID, String)
        case poll(Status.ID)
        case media(Status.ID)
    }
}
