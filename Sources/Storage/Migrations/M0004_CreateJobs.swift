/// The job queue: work that must survive a crash lives here, committed with the change that caused it.
struct M0004_CreateJobs: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute([
            """
            CREATE TABLE jobs (
                id BIGINT PRIMARY KEY,
                kind TEXT NOT NULL,
                payload TEXT NOT NULL,
                run_at BIGINT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                max_attempts INTEGER NOT NULL DEFAULT 16,
                locked_by TEXT,
                locked_until BIGINT,
                last_error TEXT,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX jobs_due ON jobs (run_at)",
        ])
    }
}
