/// Accounts, local and remote. Timestamps are BIGINT milliseconds on both engines.
struct M0001_CreateAccounts: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute([
            """
            CREATE TABLE accounts (
                id BIGINT PRIMARY KEY,
                username TEXT NOT NULL,
                domain TEXT,
                display_name TEXT NOT NULL DEFAULT '',
                note TEXT NOT NULL DEFAULT '',
                note_html TEXT NOT NULL DEFAULT '',
                fields TEXT NOT NULL DEFAULT '[]',
                locked BOOLEAN NOT NULL DEFAULT FALSE,
                bot BOOLEAN NOT NULL DEFAULT FALSE,
                discoverable BOOLEAN NOT NULL DEFAULT TRUE,
                indexable BOOLEAN NOT NULL DEFAULT TRUE,
                hide_collections BOOLEAN NOT NULL DEFAULT FALSE,
                uri TEXT NOT NULL UNIQUE,
                url TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                suspended_at BIGINT,
                followers_count INTEGER NOT NULL DEFAULT 0,
                following_count INTEGER NOT NULL DEFAULT 0,
                statuses_count INTEGER NOT NULL DEFAULT 0,
                last_status_at BIGINT
            )
            """,
            "CREATE UNIQUE INDEX accounts_username_domain ON accounts (lower(username), COALESCE(lower(domain), ''))",
            "CREATE INDEX accounts_domain ON accounts (domain)",
        ])
    }
}
