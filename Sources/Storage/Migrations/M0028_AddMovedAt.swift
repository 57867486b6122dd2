/// When a local account last moved away (the cooldown between moves).
struct M0028_AddMovedAt: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute(["ALTER TABLE accounts ADD COLUMN moved_at BIGINT"])
    }
}
