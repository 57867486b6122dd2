/// Videos and sounds: their length, bitrate and frame rate, for the API's `meta`. Media waiting for a
/// scheduled status are held for it, so they are neither deleted nor attached elsewhere meanwhile.
struct M0030_ExtendMediaAttachments: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute([
            "ALTER TABLE media_attachments ADD COLUMN duration DOUBLE PRECISION",
            "ALTER TABLE media_attachments ADD COLUMN bitrate BIGINT",
            "ALTER TABLE media_attachments ADD COLUMN frame_rate TEXT",
            """
            ALTER TABLE media_attachments ADD COLUMN scheduled_status_id BIGINT
                REFERENCES scheduled_statuses (id) ON DELETE SET NULL
            """,
        ])
    }
}
