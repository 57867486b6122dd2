/// Blocks and mutes between accounts.
struct M0007_CreateBlocksAndMutes: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute([
            """
            CREATE TABLE blocks (
                id BIGINT PRIMARY KEY,
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                target_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                created_at BIGINT NOT NULL,
                UNIQUE (account_id, target_account_id)
            )
            """,
            "CREATE INDEX blocks_target ON blocks (target_account_id)",
            """
            CREATE TABLE mutes (
                id BIGINT PRIMARY KEY,
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                target_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                hide_notifications BOOLEAN NOT NULL DEFAULT TRUE,
                expires_at BIGINT,
                created_at BIGINT NOT NULL,
                UNIQUE (account_id, target_account_id)
            )
            """,
            "CREATE INDEX mutes_target ON mutes (target_account_id)",
        ])
    }
}
