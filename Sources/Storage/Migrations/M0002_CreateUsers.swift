/// The sign-in side of local accounts.
struct M0002_CreateUsers: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute([
            """
            CREATE TABLE users (
                id BIGINT PRIMARY KEY,
                account_id BIGINT NOT NULL UNIQUE REFERENCES accounts (id) ON DELETE CASCADE,
                email TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                role TEXT NOT NULL DEFAULT 'user',
                confirmed_at BIGINT,
                approved BOOLEAN NOT NULL DEFAULT TRUE,
                reason TEXT,
                locale TEXT NOT NULL DEFAULT 'en',
                settings TEXT NOT NULL DEFAULT '{}',
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX users_email ON users (lower(email))",
        ])
    }
}
