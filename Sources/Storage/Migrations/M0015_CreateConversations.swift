/// Direct-message conversations, one row per local participant.
struct M0015_CreateConversations: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute([
            """
            CREATE TABLE conversations (
                id BIGINT PRIMARY KEY,
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                participants TEXT NOT NULL,
                last_status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
                unread BOOLEAN NOT NULL DEFAULT FALSE,
                UNIQUE (account_id, participants)
            )
            """,
            "CREATE INDEX conversations_account ON conversations (account_id, last_status_id)",
        ])
    }
}
