/// The counts a remote poll's server reports (its Question's `replies.totalItems` and `votersCount`).
struct M0019_CreateRemotePollCounts: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute([
            "ALTER TABLE polls ADD COLUMN remote_counts TEXT",
            "ALTER TABLE polls ADD COLUMN remote_voters INTEGER",
        ])
    }
}
