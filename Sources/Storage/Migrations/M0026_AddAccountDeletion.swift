/// Deleted local accounts stay as an empty, suspended row that reserves the username.
struct M0026_AddAccountDeletion: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute(["ALTER TABLE accounts ADD COLUMN deleted_at BIGINT"])
    }
}
