import Core
import Foundation
import SQLKit

extension DBSession {
    /// Saves a version of a status in its history.
    package func insertStatusVersion(_ version: StatusVersion, id: Int64, status: Status.ID) async throws {
        let media =
            version.media.isEmpty ? nil : String(decoding: try JSONEncoder().encode(version.media), as: UTF8.self)
        try await self.sql.raw(
            """
            INSERT INTO status_edits (id, status_id, text, content, spoiler_text, sensitive, created_at, media)
            VALUES (\(bind: id), \(bind: status.rawValue), \(bind: version.text), \(bind: version.content),
                \(bind: version.spoilerText), \(bind: version.sensitive), \(bind: version.createdAt.millisecondsSince1970),
                \(bind: media))
            """
        ).run()
    }

    /// A status's saved versions, oldest first.
    package func statusVersions(of status: Status.ID) async throws -> [StatusVersion] {
        try await self.sql.raw(
            """
            SELECT text, content, spoiler_text, sensitive, created_at, media FROM status_edits
            WHERE status_id = \(bind: status.rawValue) ORDER BY id
            """
        ).all().map { row in
            var version = StatusVersion(
                text: try row.decode(column: "text", as: String.self),
                content: try row.decode(column: "content", as: String.self),
                spoilerText: try row.decode(column: "spoiler_text", as: String.self),
                sensitive: try row.decode(column: "sensitive", as: Bool.self),
                createdAt: Date(millisecondsSince1970: try row.decode(column: "created_at", as: Int64.self))
            )
            if let media = try row.decode(column: "media", as: String?.self) {
                version.media =
                    (try? JSONDecoder().decode([StatusVersion.Attachment].self, from: Data(media.utf8))) ?? []
            }
            return version
        }
    }

    /// Replaces the text of a status, its mentions and its tags; sets `edited_at`.
    package func updateStatusText(
        _ status: Status,
        mentions: [Account.ID],
        tags: [String],
        tagIDs: () -> Int64
    ) async throws {
        try await self.sql.raw(
            """
            UPDATE statuses SET text = \(bind: status.text), content = \(bind: status.content),
                spoiler_text = \(bind: status.spoilerText), sensitive = \(bind: status.sensitive),
                language = \(bind: status.language), edited_at = \(bind: status.editedAt?.millisecondsSince1970)
            WHERE id = \(bind: status.id.rawValue)
            """
        ).run()
        try await self.sql.raw("DELETE FROM mentions WHERE status_id = \(bind: status.id.rawValue)").run()
        try await self.sql.raw("DELETE FROM status_tags WHERE status_id = \(bind: status.id.rawValue)").run()
        for account in Set(mentions) {
            try await self.sql.raw(
                """
                INSERT INTO mentions (status_id, account_id) VALUES (\(bind: status.id.rawValue), \(bind: account.rawValue))
                ON CONFLICT DO NOTHING
                """
            ).run()
        }
        try await self.linkTags(tags, to: status.id, tagIDs: tagIDs)
        self.emit(.statusEdited(status.id))
    }

    /// Links a status to tags by name, creating the tags that do not exist yet.
    package func linkTags(_ tags: [String], to status: Status.ID, tagIDs: () -> Int64) async throws {
        for name in Set(tags.map { $0.lowercased() }) {
            try await self.sql.raw(
                """
                INSERT INTO tags (id, name, created_at) VALUES (\(bind: tagIDs()), \(bind: name), \(bind: self.nowMillis))
                ON CONFLICT (name) DO NOTHING
                """
            ).run()
            try await self.sql.raw(
                """
                INSERT INTO status_tags (status_id, tag_id)
                SELECT \(bind: status.rawValue), id FROM tags WHERE name = \(bind: name)
                ON CONFLICT DO NOTHING
                """
            ).run()
        }
    }

    /// Accounts that reblogged a status (they hear about edits).
    package func reblogAuthors(of status: Status.ID) async throws -> [Account.ID] {
        try await self.sql.raw("SELECT account_id FROM statuses WHERE reblog_of_id = \(bind: status.rawValue)").all()
            .map { Account.ID(try $0.decode(column: "account_id", as: Int64.self)) }
    }
}
