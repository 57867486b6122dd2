/// Earlier versions of edited statuses, for `GET /api/v1/statuses/:id/history`.
struct M0009_CreateStatusEdits: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute([
            """
            CREATE TABLE status_edits (
                id BIGINT PRIMARY KEY,
                status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
                text TEXT NOT NULL,
                content TEXT NOT NULL,
                spoiler_text TEXT NOT NULL,
                sensitive BOOLEAN NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX status_edits_status ON status_edits (status_id, id)",
        ])
    }
}
