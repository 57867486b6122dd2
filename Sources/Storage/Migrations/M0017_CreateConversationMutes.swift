/// Thread ids on statuses (the root's id), and muted threads.
struct M0017_CreateConversationMutes: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute([
            "ALTER TABLE statuses ADD COLUMN conversation_id BIGINT",
            // Statuses written before this migration: a root is its own thread; replies keep NULL and count
            // as their own thread (muting them then mutes only what follows them).
            "UPDATE statuses SET conversation_id = id WHERE in_reply_to_id IS NULL",
            """
            CREATE TABLE status_mutes (
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                conversation_id BIGINT NOT NULL,
                PRIMARY KEY (account_id, conversation_id)
            )
            """,
        ])
    }
}
