/// Lists of followed accounts, and read-position markers.
struct M0011_CreateListsAndMarkers: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute([
            """
            CREATE TABLE lists (
                id BIGINT PRIMARY KEY,
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                title TEXT NOT NULL,
                replies_policy TEXT NOT NULL DEFAULT 'list',
                exclusive BOOLEAN NOT NULL DEFAULT FALSE,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX lists_account ON lists (account_id)",
            """
            CREATE TABLE list_accounts (
                id BIGINT PRIMARY KEY,
                list_id BIGINT NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                UNIQUE (list_id, account_id)
            )
            """,
            "CREATE INDEX list_accounts_account ON list_accounts (account_id)",
            """
            CREATE TABLE markers (
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                timeline TEXT NOT NULL,
                last_read_id TEXT NOT NULL,
                version INTEGER NOT NULL DEFAULT 0,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (account_id, timeline)
            )
            """,
        ])
    }
}
