/// Pinned statuses, private notes on accounts, and reports.
struct M0012_CreatePinsNotesReports: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute([
            """
            CREATE TABLE status_pins (
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (account_id, status_id)
            )
            """,
            """
            CREATE TABLE account_notes (
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                target_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                comment TEXT NOT NULL,
                PRIMARY KEY (account_id, target_account_id)
            )
            """,
            """
            CREATE TABLE reports (
                id BIGINT PRIMARY KEY,
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                target_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                status_ids TEXT NOT NULL DEFAULT '',
                comment TEXT NOT NULL DEFAULT '',
                category TEXT NOT NULL DEFAULT 'other',
                rule_ids TEXT NOT NULL DEFAULT '',
                forward BOOLEAN NOT NULL DEFAULT FALSE,
                created_at BIGINT NOT NULL,
                action_taken_at BIGINT
            )
            """,
            "CREATE INDEX reports_target ON reports (target_account_id)",
        ])
    }
}
