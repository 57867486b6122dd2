/// Notification policies (accept, filter or drop by kind of sender), the requests filtered
/// notifications are filed under, and the senders a person accepted.
struct M0031_CreateNotificationPolicies: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute([
            """
            CREATE TABLE notification_policies (
                account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
                for_not_following TEXT NOT NULL DEFAULT 'accept',
                for_not_followers TEXT NOT NULL DEFAULT 'accept',
                for_new_accounts TEXT NOT NULL DEFAULT 'accept',
                for_private_mentions TEXT NOT NULL DEFAULT 'accept',
                for_limited_accounts TEXT NOT NULL DEFAULT 'accept',
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE notification_requests (
                id BIGINT PRIMARY KEY,
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                from_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                last_status_id BIGINT REFERENCES statuses (id) ON DELETE SET NULL,
                notifications_count INTEGER NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                UNIQUE (account_id, from_account_id)
            )
            """,
            """
            CREATE TABLE notification_permissions (
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                from_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (account_id, from_account_id)
            )
            """,
            "ALTER TABLE notifications ADD COLUMN filtered BOOLEAN NOT NULL DEFAULT FALSE",
        ])
    }
}
