import Core
import Foundation
import SQLKit

extension DBSession {
    /// A user's two-factor state.
    package func twoFactor(userID: User.ID) async throws -> TwoFactorRecord? {
        struct Row: Decodable {
            var otpSecret: String?
            var otpPendingSecret: String?
            var otpLastStep: Int64?
            var otpRecoveryCodes: String?
            enum CodingKeys: String, CodingKey {
                case otpSecret = "otp_secret"
                case otpPendingSecret = "otp_pending_secret"
                case otpLastStep = "otp_last_step"
                case otpRecoveryCodes = "otp_recovery_codes"
            }
        }
        guard
            let row = try await self.sql.raw(
                """
                SELECT otp_secret, otp_pending_secret, otp_last_step, otp_recovery_codes FROM users
                WHERE id = \(bind: userID.rawValue)
                """
            ).first()?.decode(model: Row.self)
        else { return nil }
        let hashes = row.otpRecoveryCodes.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) }
        return TwoFactorRecord(
            secret: row.otpSecret,
            pendingSecret: row.otpPendingSecret,
            lastStep: row.otpLastStep,
            recoveryCodeHashes: hashes ?? []
        )
    }

    /// Stores (or clears) the secret of a setup in progress.
    package func setPendingTwoFactorSecret(_ userID: User.ID, secret: String?) async throws {
        try await self.sql.raw(
            "UPDATE users SET otp_pending_secret = \(bind: secret) WHERE id = \(bind: userID.rawValue)"
        ).run()
    }

    /// Turns two-factor sign-in on with `secret`, the step of the code that proved it, and recovery codes.
    package func enableTwoFactor(_ userID: User.ID, secret: String, step: Int64, recoveryCodeHashes: [String])
        async throws
    {
        try await self.sql.raw(
            """
            UPDATE users SET otp_secret = \(bind: secret), otp_pending_secret = NULL, otp_last_step = \(bind: step),
                otp_recovery_codes = \(bind: try Self.encodeHashes(recoveryCodeHashes))
            WHERE id = \(bind: userID.rawValue)
            """
        ).run()
    }

    /// Turns two-factor sign-in off and forgets its secrets.
    package func disableTwoFactor(_ userID: User.ID) async throws {
        try await self.sql.raw(
            """
            UPDATE users SET otp_secret = NULL, otp_pending_secret = NULL, otp_last_step = NULL,
                otp_recovery_codes = NULL
            WHERE id = \(bind: userID.rawValue)
            """
        ).run()
    }

    /// Records that a code of `step` was accepted, only if no code of this or a later step was:
    /// false means the code was already used (a replay, or two requests racing).
    package func useTwoFactorStep(_ userID: User.ID, step: Int64) async throws -> Bool {
        let rows = try await self.sql.raw(
            """
            UPDATE users SET otp_last_step = \(bind: step)
            WHERE id = \(bind: userID.rawValue) AND otp_secret IS NOT NULL
                AND (otp_last_step IS NULL OR otp_last_step < \(bind: step))
            RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    /// Replaces the recovery-code hashes, only if they are still `expected`: false when another request
    /// used a code in between (each code works once).
    package func replaceRecoveryCodes(_ userID: User.ID, expected: [String], with hashes: [String]) async throws
        -> Bool
    {
        let rows = try await self.sql.raw(
            """
            UPDATE users SET otp_recovery_codes = \(bind: try Self.encodeHashes(hashes))
            WHERE id = \(bind: userID.rawValue) AND otp_recovery_codes = \(bind: try Self.encodeHashes(expected))
            RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    private static func encodeHashes(_ hashes: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(hashes), as: UTF8.self)
    }
}
