/// Polls attached to statuses, and their votes.
struct M0016_CreatePolls: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute([
            """
            CREATE TABLE polls (
                id BIGINT PRIMARY KEY,
                status_id BIGINT NOT NULL UNIQUE REFERENCES statuses (id) ON DELETE CASCADE,
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                options TEXT NOT NULL,
                multiple BOOLEAN NOT NULL DEFAULT FALSE,
                hide_totals BOOLEAN NOT NULL DEFAULT FALSE,
                expires_at BIGINT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE poll_votes (
                id BIGINT PRIMARY KEY,
                poll_id BIGINT NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                choice INTEGER NOT NULL,
                created_at BIGINT NOT NULL,
                UNIQUE (poll_id, account_id, choice)
            )
            """,
            "CREATE INDEX poll_votes_account ON poll_votes (account_id)",
        ])
    }
}
