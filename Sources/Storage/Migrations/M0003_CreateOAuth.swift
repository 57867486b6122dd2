/// OAuth applications, access tokens and authorization codes. Secrets are stored as SHA-256 hashes.
struct M0003_CreateOAuth: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute([
            """
            CREATE TABLE oauth_applications (
                id BIGINT PRIMARY KEY,
                name TEXT NOT NULL,
                website TEXT,
                redirect_uris TEXT NOT NULL,
                scopes TEXT NOT NULL,
                client_id TEXT NOT NULL UNIQUE,
                client_secret_hash TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE oauth_access_tokens (
                id BIGINT PRIMARY KEY,
                token_hash TEXT NOT NULL UNIQUE,
                application_id BIGINT REFERENCES oauth_applications (id) ON DELETE CASCADE,
                user_id BIGINT REFERENCES users (id) ON DELETE CASCADE,
                scopes TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                revoked_at BIGINT,
                last_used_at BIGINT
            )
            """,
            "CREATE INDEX oauth_access_tokens_user ON oauth_access_tokens (user_id)",
            """
            CREATE TABLE oauth_authorization_codes (
                id BIGINT PRIMARY KEY,
                code_hash TEXT NOT NULL UNIQUE,
                application_id BIGINT NOT NULL REFERENCES oauth_applications (id) ON DELETE CASCADE,
                user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                redirect_uri TEXT NOT NULL,
                scopes TEXT NOT NULL,
                code_challenge TEXT,
                code_challenge_method TEXT,
                expires_at BIGINT NOT NULL,
                used_at BIGINT
            )
            """,
        ])
    }
}
