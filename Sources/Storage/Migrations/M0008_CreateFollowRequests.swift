/// Pending follows of locked accounts.
struct M0008_CreateFollowRequests: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute([
            """
            CREATE TABLE follow_requests (
                id BIGINT PRIMARY KEY,
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                target_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                show_reblogs BOOLEAN NOT NULL DEFAULT TRUE,
                notify BOOLEAN NOT NULL DEFAULT FALSE,
                languages TEXT,
                created_at BIGINT NOT NULL,
                UNIQUE (account_id, target_account_id)
            )
            """,
            "CREATE INDEX follow_requests_target ON follow_requests (target_account_id, id)",
        ])
    }
}
