/// What federation needs: key pairs, remote actors' endpoints, activity URIs on relationships, and
/// the hosts we know with their delivery health.
///
/// Keys live in their own table so that reading accounts (every timeline) never loads them.
struct M0018_CreateFederation: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute([
            """
            CREATE TABLE account_keys (
                account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
                key_id TEXT NOT NULL UNIQUE,
                public_key TEXT NOT NULL,
                private_key TEXT
            )
            """,
            """
            CREATE TABLE server_keys (
                name TEXT PRIMARY KEY,
                public_key TEXT NOT NULL,
                private_key TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "ALTER TABLE accounts ADD COLUMN actor_type TEXT NOT NULL DEFAULT 'Person'",
            "ALTER TABLE accounts ADD COLUMN inbox_url TEXT",
            "ALTER TABLE accounts ADD COLUMN shared_inbox_url TEXT",
            "ALTER TABLE accounts ADD COLUMN outbox_url TEXT",
            "ALTER TABLE accounts ADD COLUMN followers_url TEXT",
            "ALTER TABLE accounts ADD COLUMN following_url TEXT",
            "ALTER TABLE accounts ADD COLUMN featured_url TEXT",
            "ALTER TABLE accounts ADD COLUMN avatar_remote_url TEXT",
            "ALTER TABLE accounts ADD COLUMN header_remote_url TEXT",
            "ALTER TABLE accounts ADD COLUMN also_known_as TEXT NOT NULL DEFAULT '[]'",
            "ALTER TABLE accounts ADD COLUMN moved_to_uri TEXT",
            "ALTER TABLE accounts ADD COLUMN fetched_at BIGINT",
            "ALTER TABLE follows ADD COLUMN uri TEXT",
            "ALTER TABLE follow_requests ADD COLUMN uri TEXT",
            "ALTER TABLE favourites ADD COLUMN uri TEXT",
            "ALTER TABLE blocks ADD COLUMN uri TEXT",
            """
            CREATE TABLE peers (
                domain TEXT PRIMARY KEY,
                first_seen_at BIGINT NOT NULL,
                failing_since BIGINT,
                failures INTEGER NOT NULL DEFAULT 0,
                unavailable BOOLEAN NOT NULL DEFAULT FALSE,
                last_success_at BIGINT
            )
            """,
        ])
    }
}
