/// Web Push subscriptions, one per access token; revoking the token removes it.
struct M0020_CreatePushSubscriptions: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute([
            """
            CREATE TABLE push_subscriptions (
                id BIGINT PRIMARY KEY,
                access_token_id BIGINT NOT NULL UNIQUE REFERENCES oauth_access_tokens (id) ON DELETE CASCADE,
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                endpoint TEXT NOT NULL,
                key_p256dh TEXT NOT NULL,
                key_auth TEXT NOT NULL,
                alerts TEXT NOT NULL DEFAULT '[]',
                policy TEXT NOT NULL DEFAULT 'all',
                standard BOOLEAN NOT NULL DEFAULT FALSE,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX push_subscriptions_account ON push_subscriptions (account_id)",
        ])
    }
}
