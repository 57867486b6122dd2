/// Statuses, follows, mentions, tags, favourites, bookmarks, the home feed and notifications.
///
/// The partial indexes serve the public timelines with one range scan each.
struct M0006_CreateSocialCore: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute([
            """
            CREATE TABLE statuses (
                id BIGINT PRIMARY KEY,
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                uri TEXT NOT NULL UNIQUE,
                url TEXT,
                text TEXT NOT NULL DEFAULT '',
                content TEXT NOT NULL DEFAULT '',
                spoiler_text TEXT NOT NULL DEFAULT '',
                sensitive BOOLEAN NOT NULL DEFAULT FALSE,
                visibility TEXT NOT NULL,
                language TEXT,
                in_reply_to_id BIGINT,
                in_reply_to_account_id BIGINT,
                reblog_of_id BIGINT REFERENCES statuses (id) ON DELETE CASCADE,
                application_id BIGINT,
                local BOOLEAN NOT NULL,
                created_at BIGINT NOT NULL,
                edited_at BIGINT,
                replies_count INTEGER NOT NULL DEFAULT 0,
                reblogs_count INTEGER NOT NULL DEFAULT 0,
                favourites_count INTEGER NOT NULL DEFAULT 0
            )
            """,
            "CREATE INDEX statuses_account ON statuses (account_id, id)",
            // Partial: most rows have NULL here, and a full index lures SQLite's planner into scanning
            // every original status for "reblog_of_id IS NULL" instead of using statuses_public*.
            "CREATE INDEX statuses_reply ON statuses (in_reply_to_id) WHERE in_reply_to_id IS NOT NULL",
            "CREATE INDEX statuses_reblog ON statuses (reblog_of_id) WHERE reblog_of_id IS NOT NULL",
            """
            CREATE INDEX statuses_public ON statuses (id)
            WHERE visibility = 'public' AND reblog_of_id IS NULL
            """,
            """
            CREATE INDEX statuses_public_local ON statuses (id)
            WHERE visibility = 'public' AND reblog_of_id IS NULL AND local = TRUE
            """,
            """
            CREATE UNIQUE INDEX statuses_one_reblog ON statuses (account_id, reblog_of_id)
            WHERE reblog_of_id IS NOT NULL
            """,
            """
            CREATE TABLE follows (
                id BIGINT PRIMARY KEY,
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                target_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                show_reblogs BOOLEAN NOT NULL DEFAULT TRUE,
                notify BOOLEAN NOT NULL DEFAULT FALSE,
                languages TEXT,
                created_at BIGINT NOT NULL,
                UNIQUE (account_id, target_account_id)
            )
            """,
            "CREATE INDEX follows_target ON follows (target_account_id, id)",
            """
            CREATE TABLE mentions (
                status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                PRIMARY KEY (status_id, account_id)
            )
            """,
            "CREATE INDEX mentions_account ON mentions (account_id, status_id)",
            "CREATE TABLE tags (id BIGINT PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL)",
            """
            CREATE TABLE status_tags (
                status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
                tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
                PRIMARY KEY (status_id, tag_id)
            )
            """,
            "CREATE INDEX status_tags_tag ON status_tags (tag_id, status_id)",
            """
            CREATE TABLE favourites (
                id BIGINT PRIMARY KEY,
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
                created_at BIGINT NOT NULL,
                UNIQUE (account_id, status_id)
            )
            """,
            "CREATE INDEX favourites_status ON favourites (status_id, id)",
            """
            CREATE TABLE bookmarks (
                id BIGINT PRIMARY KEY,
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
                created_at BIGINT NOT NULL,
                UNIQUE (account_id, status_id)
            )
            """,
            """
            CREATE TABLE home_feed (
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
                PRIMARY KEY (account_id, status_id)
            )
            """,
            "CREATE INDEX home_feed_status ON home_feed (status_id)",
            """
            CREATE TABLE notifications (
                id BIGINT PRIMARY KEY,
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                from_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                type TEXT NOT NULL,
                status_id BIGINT REFERENCES statuses (id) ON DELETE CASCADE,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX notifications_account ON notifications (account_id, id)",
            """
            CREATE UNIQUE INDEX notifications_once ON notifications (account_id, from_account_id, type, COALESCE(status_id, 0))
            """,
            """
            CREATE TABLE idempotency_keys (
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                key TEXT NOT NULL,
                status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (account_id, key)
            )
            """,
        ])
    }
}
