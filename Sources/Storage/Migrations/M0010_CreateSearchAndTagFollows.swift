/// Full-text search over status text, and followed hashtags.
///
/// The search index is the one place where the engines need different DDL: an FTS5 table kept in
/// step by triggers on SQLite, a GIN expression index on PostgreSQL.
struct M0010_CreateSearchAndTagFollows: Migration {
    func prepare(on session: DBSession) async throws {
        switch session.dialect {
        case .sqlite:
            try await session.execute([
                """
                CREATE VIRTUAL TABLE statuses_fts USING fts5(
                    text, content = 'statuses', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
                )
                """,
                """
                CREATE TRIGGER statuses_fts_insert AFTER INSERT ON statuses BEGIN
                    INSERT INTO statuses_fts (rowid, text) VALUES (new.id, new.text);
                END
                """,
                """
                CREATE TRIGGER statuses_fts_delete AFTER DELETE ON statuses BEGIN
                    INSERT INTO statuses_fts (statuses_fts, rowid, text) VALUES ('delete', old.id, old.text);
                END
                """,
                """
                CREATE TRIGGER statuses_fts_update AFTER UPDATE OF text ON statuses BEGIN
                    INSERT INTO statuses_fts (statuses_fts, rowid, text) VALUES ('delete', old.id, old.text);
                    INSERT INTO statuses_fts (rowid, text) VALUES (new.id, new.text);
                END
                """,
                "INSERT INTO statuses_fts (statuses_fts) VALUES ('rebuild')",
            ])
        case .postgres:
            try await session.execute([
                "CREATE INDEX statuses_text_search ON statuses USING GIN (to_tsvector('simple', text))"
            ])
        }
        try await session.execute([
            """
            CREATE TABLE tag_follows (
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (account_id, tag_id)
            )
            """,
            "CREATE INDEX tag_follows_tag ON tag_follows (tag_id)",
        ])
    }
}
