/// One-time email secrets (address confirmation, password reset), stored as hashes.
struct M0023_CreateUserTokens: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute([
            """
            CREATE TABLE user_tokens (
                token_hash TEXT PRIMARY KEY,
                user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                purpose TEXT NOT NULL,
                email TEXT,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX user_tokens_user ON user_tokens (user_id, purpose)",
        ])
    }
}
