/// Statuses to publish later; a `publish_scheduled_status` job per row does it.
struct M0013_CreateScheduledStatuses: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute([
            """
            CREATE TABLE scheduled_statuses (
                id BIGINT PRIMARY KEY,
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                scheduled_at BIGINT NOT NULL,
                params TEXT NOT NULL
            )
            """,
            "CREATE INDEX scheduled_statuses_account ON scheduled_statuses (account_id, id)",
        ])
    }
}
