/// Two-factor sign-in: a user's TOTP secret (and one being set up), the last time step used (a code
/// works once), hashes of the unused recovery codes; and wrong-code counts on sign-in challenges.
struct M0024_AddTwoFactor: Migration {
    func prepare(on session: DBSession) async throws {
        try await session.execute([
            "ALTER TABLE users ADD COLUMN otp_secret TEXT",
            "ALTER TABLE users ADD COLUMN otp_pending_secret TEXT",
            "ALTER TABLE users ADD COLUMN otp_last_step BIGINT",
            "ALTER TABLE users ADD COLUMN otp_recovery_codes TEXT",
            "ALTER TABLE user_tokens ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0",
        ])
    }
}
