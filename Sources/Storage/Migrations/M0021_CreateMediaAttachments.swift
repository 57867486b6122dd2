/// Media attachments: the files' keys in the media store and what processing found in them.
struct M0021_CreateMediaAttachments: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute([
            """
            CREATE TABLE media_attachments (
                id BIGINT PRIMARY KEY,
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                status_id BIGINT REFERENCES statuses (id) ON DELETE SET NULL,
                type TEXT NOT NULL,
                state TEXT NOT NULL,
                file_key TEXT NOT NULL,
                content_type TEXT NOT NULL,
                file_size BIGINT NOT NULL DEFAULT 0,
                width INTEGER,
                height INTEGER,
                preview_key TEXT,
                preview_width INTEGER,
                preview_height INTEGER,
                blurhash TEXT,
                description TEXT,
                focus_x DOUBLE PRECISION NOT NULL DEFAULT 0,
                focus_y DOUBLE PRECISION NOT NULL DEFAULT 0,
                remote_url TEXT,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX media_attachments_status ON media_attachments (status_id) WHERE status_id IS NOT NULL",
            "CREATE INDEX media_attachments_account ON media_attachments (account_id, id)",
        ])
    }
}
