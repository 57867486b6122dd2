/// Invite links, and which invite each user signed up with.
struct M0025_CreateInvites: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute([
            """
            CREATE TABLE invites (
                id BIGINT PRIMARY KEY,
                user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                code TEXT NOT NULL UNIQUE,
                max_uses INTEGER,
                uses INTEGER NOT NULL DEFAULT 0,
                expires_at BIGINT,
                autofollow BOOLEAN NOT NULL DEFAULT FALSE,
                comment TEXT,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX invites_user ON invites (user_id, id)",
            "ALTER TABLE users ADD COLUMN invite_id BIGINT REFERENCES invites (id) ON DELETE SET NULL",
        ])
    }
}
