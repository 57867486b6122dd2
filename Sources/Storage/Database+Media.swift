import Core
import Foundation
import SQLKit

struct MediaAttachmentRow: Decodable {
    var id: Int64
    var accountId: Int64
    var statusId: Int64?
    var scheduledStatusId: Int64?
    var type: String
    var state: String
    var fileKey: String
    var contentType: String
    var fileSize: Int64
    var width: Int?
    var height: Int?
    var previewKey: String?
    var previewWidth: Int?
    var previewHeight: Int?
    var blurhash: String?
    var duration: Double?
    var bitrate: Int64?
    var frameRate: String?
    var description: String?
    var focusX: Double
    var focusY: Double
    var remoteUrl: String?
    var createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case id
        case accountId = "account_id"
        case statusId = "status_id"
        case scheduledStatusId = "scheduled_status_id"
        case type, state
        case fileKey = "file_key"
        case contentType = "content_type"
        case fileSize = "file_size"
        case width, height
        case previewKey = "preview_key"
        case previewWidth = "preview_width"
        case previewHeight = "preview_height"
        case blurhash, description, duration, bitrate
        case frameRate = "frame_rate"
        case focusX = "focus_x"
        case focusY = "focus_y"
        case remoteUrl = "remote_url"
        case createdAt = "created_at"
    }

    var attachment: MediaAttachment {
        var media = MediaAttachment(
            id: MediaAttachment.ID(self.id),
            accountID: Account.ID(self.accountId),
            statusID: self.statusId.map { Status.ID($0) },
            kind: MediaAttachment.Kind(rawValue: self.type) ?? .unknown,
            state: MediaAttachment.State(rawValue: self.state) ?? .failed,
            fileKey: self.fileKey,
            contentType: self.contentType,
            fileSize: Int(self.fileSize),
            description: self.description,
            focusX: self.focusX,
            focusY: self.focusY,
            remoteURL: self.remoteUrl,
            createdAt: Date(millisecondsSince1970: self.createdAt)
        )
        media.width = self.width
        media.height = self.height
        media.previewKey = self.previewKey
        media.previewWidth = self.previewWidth
        media.previewHeight = self.previewHeight
        media.blurhash = self.blurhash
        media.scheduledStatusID = self.scheduledStatusId.map { ScheduledStatus.ID($0) }
        media.duration = self.duration
        media.bitrate = self.bitrate.map { Int($0) }
        media.frameRate = self.frameRate
        return media
    }
}

extension DBSession {
    package func insertMedia(_ media: MediaAttachment) async throws {
        try await self.sql.raw(
            """
            INSERT INTO media_attachments (id, account_id, status_id, type, state, file_key, content_type, file_size,
                width, height, preview_key, preview_width, preview_height, blurhash, description, focus_x, focus_y,
                remote_url, created_at)
            VALUES (\(bind: media.id.rawValue), \(bind: media.accountID.rawValue), \(bind: media.statusID?.rawValue),
                \(bind: media.kind.rawValue), \(bind: media.state.rawValue), \(bind: media.fileKey),
                \(bind: media.contentType), \(bind: Int64(media.fileSize)), \(bind: media.width), \(bind: media.height),
                \(bind: media.previewKey), \(bind: media.previewWidth), \(bind: media.previewHeight),
                \(bind: media.blurhash), \(bind: media.description), \(bind: media.focusX), \(bind: media.focusY),
                \(bind: media.remoteURL), \(bind: media.createdAt.millisecondsSince1970))
            """
        ).run()
    }

    /// Writes what processing produced (or that it failed).
    package func updateProcessedMedia(_ media: MediaAttachment) async throws {
        try await self.sql.raw(
            """
            UPDATE media_attachments SET type = \(bind: media.kind.rawValue), state = \(bind: media.state.rawValue),
                file_key = \(bind: media.fileKey), content_type = \(bind: media.contentType),
                file_size = \(bind: Int64(media.fileSize)), width = \(bind: media.width), height = \(bind: media.height),
                preview_key = \(bind: media.previewKey), preview_width = \(bind: media.previewWidth),
                preview_height = \(bind: media.previewHeight), blurhash = \(bind: media.blurhash),
                duration = \(bind: media.duration), bitrate = \(bind: media.bitrate.map { Int64($0) }),
                frame_rate = \(bind: media.frameRate)
            WHERE id = \(bind: media.id.rawValue)
            """
        ).run()
    }

    /// Changes alt text and focus.
    package func updateMediaDescription(_ id: MediaAttachment.ID, description: String?, focusX: Double, focusY: Double)
        async throws
    {
        try await self.sql.raw(
            """
            UPDATE media_attachments SET description = \(bind: description), focus_x = \(bind: focusX),
                focus_y = \(bind: focusY)
            WHERE id = \(bind: id.rawValue)
            """
        ).run()
    }

    package func media(id: MediaAttachment.ID) async throws -> MediaAttachment? {
        try await self.sql.raw("SELECT * FROM media_attachments WHERE id = \(bind: id.rawValue)").first()?
            .decode(model: MediaAttachmentRow.self).attachment
    }

    package func media(ids: [MediaAttachment.ID]) async throws -> [MediaAttachment] {
        guard !ids.isEmpty else { return [] }
        return try await self.sql.select().column("*").from("media_attachments")
            .where(SQLColumn("id"), .in, SQLIntegerList.group(ids.map(\.rawValue)))
            .all().map { try $0.decode(model: MediaAttachmentRow.self).attachment }
    }

    /// The attachments of each status, in id order (the order they were attached in).
    package func media(of statuses: [Status.ID]) async throws -> [Status.ID: [MediaAttachment]] {
        guard !statuses.isEmpty else { return [:] }
        let rows = try await self.sql.raw(
            """
            SELECT m.* FROM \(idTable: statuses.map(\.rawValue), as: "ids")
            CROSS JOIN media_attachments m WHERE m.status_id = ids.value ORDER BY m.id
            """
        ).all().map { try $0.decode(model: MediaAttachmentRow.self).attachment }
        var result: [Status.ID: [MediaAttachment]] = [:]
        for media in rows {
            if let status = media.statusID { result[status, default: []].append(media) }
        }
        return result
    }

    /// Attaches unattached media of `account` to a status (media held for a scheduled status only when it
    /// is `scheduled`, which is then publishing them); returns how many were attached.
    package func attachMedia(
        _ ids: [MediaAttachment.ID],
        to status: Status.ID,
        account: Account.ID,
        scheduled: ScheduledStatus.ID? = nil
    ) async throws -> Int {
        var attached = 0
        for id in ids {
            let rows = try await self.sql.raw(
                """
                UPDATE media_attachments SET status_id = \(bind: status.rawValue), scheduled_status_id = NULL
                WHERE id = \(bind: id.rawValue) AND account_id = \(bind: account.rawValue)
                    AND (status_id IS NULL OR status_id = \(bind: status.rawValue))
                    AND (scheduled_status_id IS NULL OR scheduled_status_id = \(bind: scheduled?.rawValue ?? 0))
                RETURNING id
                """
            ).all()
            attached += rows.count
        }
        return attached
    }

    /// Makes `ids` (the account's, unattached or already on the status) a status's attachments: others on
    /// it are detached (they stay the account's, unattached). False when one of `ids` was taken meanwhile.
    package func replaceStatusMedia(_ status: Status.ID, with ids: [MediaAttachment.ID], account: Account.ID)
        async throws -> Bool
    {
        var sql = SQLQueryString("UPDATE media_attachments SET status_id = NULL WHERE status_id = ")
        sql.appendInterpolation(bind: status.rawValue)
        if !ids.isEmpty {
            sql.appendLiteral(" AND id NOT IN (")
            sql.appendInterpolation(ids: ids.map(\.rawValue))
            sql.appendLiteral(")")
        }
        try await self.sql.raw(sql).run()
        return try await self.attachMedia(ids, to: status, account: account) == ids.count
    }

    /// Holds unattached media of `account` for a scheduled status; returns how many were held.
    package func holdMedia(_ ids: [MediaAttachment.ID], for scheduled: ScheduledStatus.ID, account: Account.ID)
        async throws -> Int
    {
        guard !ids.isEmpty else { return 0 }
        var sql = SQLQueryString("UPDATE media_attachments SET scheduled_status_id = ")
        sql.appendInterpolation(bind: scheduled.rawValue)
        sql.appendLiteral(" WHERE account_id = ")
        sql.appendInterpolation(bind: account.rawValue)
        sql.appendLiteral(" AND status_id IS NULL AND scheduled_status_id IS NULL AND id IN (")
        sql.appendInterpolation(ids: ids.map(\.rawValue))
        sql.appendLiteral(") RETURNING id")
        return try await self.sql.raw(sql).all().count
    }

    /// Remote attachments with a cached copy whose post is older than `cutoff`, oldest first.
    package func cachedRemoteMedia(before cutoff: Date, limit: Int) async throws -> [MediaAttachment] {
        try await self.sql.raw(
            """
            SELECT * FROM media_attachments WHERE remote_url IS NOT NULL AND file_key <> ''
                AND created_at < \(bind: cutoff.millisecondsSince1970) ORDER BY id LIMIT \(bind: limit)
            """
        ).all().map { try $0.decode(model: MediaAttachmentRow.self).attachment }
    }

    /// Forgets the cached copies of remote attachments: they are shown from their servers again.
    package func uncacheRemoteMedia(_ ids: [MediaAttachment.ID]) async throws {
        guard !ids.isEmpty else { return }
        var sql = SQLQueryString(
            "UPDATE media_attachments SET file_key = '', preview_key = NULL, file_size = 0 WHERE remote_url IS NOT NULL AND id IN ("
        )
        sql.appendInterpolation(ids: ids.map(\.rawValue))
        sql.appendLiteral(")")
        try await self.sql.raw(sql).run()
    }

    /// How many attachments an account has (attached or not).
    package func mediaCount(of account: Account.ID) async throws -> Int {
        try await self.sql.raw(
            "SELECT COUNT(*) AS n FROM media_attachments WHERE account_id = \(bind: account.rawValue)"
        ).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Removes an attachment row (its files are the caller's to delete).
    package func deleteMedia(_ id: MediaAttachment.ID) async throws {
        try await self.sql.raw("DELETE FROM media_attachments WHERE id = \(bind: id.rawValue)").run()
    }
}
