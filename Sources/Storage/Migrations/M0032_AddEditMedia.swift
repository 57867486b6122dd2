/// The attachments of each saved version of an edited status, with their alt text then (JSON).
struct M0032_AddEditMedia: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute(["ALTER TABLE status_edits ADD COLUMN media TEXT"])
    }
}
