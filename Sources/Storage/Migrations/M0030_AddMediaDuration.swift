/// Videos and sounds: their length, bitrate and frame rate, for the API's `meta`.
struct M0030_AddMediaDuration: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute([
            "ALTER TABLE media_attachments ADD COLUMN duration DOUBLE PRECISION",
            "ALTER TABLE media_attachments ADD COLUMN bitrate BIGINT",
            "ALTER TABLE media_attachments ADD COLUMN frame_rate TEXT",
        ])
    }
}
