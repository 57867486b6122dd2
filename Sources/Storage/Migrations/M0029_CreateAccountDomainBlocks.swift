/// Domains a person blocks for themself (`/api/v1/domain_blocks`), lowercased.
struct M0029_CreateAccountDomainBlocks: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute([
            """
            CREATE TABLE account_domain_blocks (
                id BIGINT PRIMARY KEY,
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                domain TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                UNIQUE (account_id, domain)
            )
            """
        ])
    }
}
