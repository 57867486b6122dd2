/// Browser sign-in sessions (the OAuth consent page, later the web app's settings).
struct M0005_CreateWebSessions: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute([
            """
            CREATE TABLE web_sessions (
                id BIGINT PRIMARY KEY,
                token_hash TEXT NOT NULL UNIQUE,
                user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                created_at BIGINT NOT NULL,
                last_seen_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX web_sessions_user ON web_sessions (user_id)",
        ])
    }
}
