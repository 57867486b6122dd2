/// A local account's own avatar and header: keys of processed files in the media store.
struct M0022_AddProfileImages: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute([
            "ALTER TABLE accounts ADD COLUMN avatar_key TEXT",
            "ALTER TABLE accounts ADD COLUMN header_key TEXT",
        ])
    }
}
