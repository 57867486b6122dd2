/// CSV imports waiting for or run by their job, with their progress.
struct M0027_CreateImports: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute([
            """
            CREATE TABLE imports (
                id BIGINT PRIMARY KEY,
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                kind TEXT NOT NULL,
                mode TEXT NOT NULL,
                state TEXT NOT NULL,
                rows TEXT NOT NULL,
                total_items INTEGER NOT NULL,
                processed_items INTEGER NOT NULL DEFAULT 0,
                imported_items INTEGER NOT NULL DEFAULT 0,
                failed_items INTEGER NOT NULL DEFAULT 0,
                failures TEXT NOT NULL DEFAULT '[]',
                created_at BIGINT NOT NULL,
                finished_at BIGINT
            )
            """,
            "CREATE INDEX imports_account ON imports (account_id, id)",
        ])
    }
}
