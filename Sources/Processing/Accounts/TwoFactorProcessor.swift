import Core
import Foundation
import Storage
import TwoFactor

/// Two-factor sign-in with an authenticator app (TOTP, RFC 6238) and ten one-time recovery codes.
///
/// Setting up stores a pending secret that becomes the secret only when a code from the app proves
/// it was scanned. A code works once (its time step is recorded in the same statement that accepts
/// it), one step of clock drift either way is allowed, and the clock is the server's `Clock` so tests
/// control it. On the sign-in page a checked password leaves a challenge (a one-time secret in a
/// cookie, five minutes, five wrong codes) that a code then completes.
package struct TwoFactorProcessor: Sendable {
    let context: ProcessingContext

    package static let challengeLifetime: TimeInterval = 300
    static let challengeAttempts = 5
    static let recoveryCodeCount = 10

    init(_ context: ProcessingContext) {
        self.context = context
    }

    /// What the settings page shows.
    package struct Status: Sendable {
        package var enabled: Bool
        package var recoveryCodesLeft: Int
    }

    package func status(of user: User) async throws -> Status {
        let record = try await self.record(user.id)
        return Status(enabled: record.isEnabled, recoveryCodesLeft: record.recoveryCodeHashes.count)
    }

    /// Whether a user must give a second factor to sign in.
    package func isEnabled(for user: User) async throws -> Bool {
        try await self.record(user.id).isEnabled
    }

    // MARK: Setting up and down

    /// A new secret for the authenticator app: its base32 text (for typing) and `otpauth://` URI
    /// (for the QR code). Replaces a setup in progress; refused while two-factor is on.
    package func beginSetup(for user: User) async throws -> (secret: String, uri: String) {
        guard try await !self.isEnabled(for: user) else {
            throw DomainError.unprocessable("Two-factor authentication is already enabled")
        }
        let totp = TOTP()
        try await self.context.db.transaction {
            try await $0.setPendingTwoFactorSecret(user.id, secret: totp.base32Secret)
        }
        return (totp.base32Secret, try await self.provisioningURI(totp, for: user))
    }

    /// The setup in progress, if any (the page shown again after a wrong code).
    package func pendingSetup(for user: User) async throws -> (secret: String, uri: String)? {
        guard let secret = try await self.record(user.id).pendingSecret, let totp = TOTP(base32: secret) else {
            return nil
        }
        return (secret, try await self.provisioningURI(totp, for: user))
    }

    /// Turns two-factor on when `code` comes from the pending secret; returns the recovery codes (shown once).
    package func confirmSetup(for user: User, code: String) async throws -> [String] {
        let record = try await self.record(user.id)
        guard let pending = record.pendingSecret, let totp = TOTP(base32: pending) else {
            throw DomainError.unprocessable("Start the setup again: no setup is in progress")
        }
        guard let step = totp.verify(code, at: self.context.clock.now(), lastUsedStep: nil) else {
            throw Self.wrongCode
        }
        let codes = RecoveryCodes.generate(count: Self.recoveryCodeCount)
        try await self.context.db.transaction {
            try await $0.enableTwoFactor(user.id, secret: pending, step: step, recoveryCodeHashes: codes.map(Self.hash))
        }
        return codes
    }

    /// Turns two-factor off; needs the password.
    package func disable(for user: User, password: String) async throws {
        try await self.checkPassword(user, password)
        try await self.context.db.transaction { try await $0.disableTwoFactor(user.id) }
    }

    /// Ten new recovery codes in place of the old ones; needs the password.
    package func regenerateRecoveryCodes(for user: User, password: String) async throws -> [String] {
        try await self.checkPassword(user, password)
        let record = try await self.record(user.id)
        guard record.isEnabled else { throw DomainError.unprocessable("Two-factor authentication is not enabled") }
        let codes = RecoveryCodes.generate(count: Self.recoveryCodeCount)
        let replaced = try await self.context.db.transaction {
            try await $0.replaceRecoveryCodes(user.id, expected: record.recoveryCodeHashes, with: codes.map(Self.hash))
        }
        guard replaced else { throw DomainError.conflict("The recovery codes changed meanwhile; try again") }
        return codes
    }

    // MARK: Signing in

    /// After the password: a one-time secret naming the user, to be completed with a code.
    package func startChallenge(for user: User) async throws -> String {
        let secret = Secrets.token()
        let now = self.context.clock.now()
        try await self.context.db.transaction {
            try await $0.replaceUserToken(
                UserToken(
                    hash: Secrets.sha256Hex(secret),
                    userID: user.id,
                    purpose: .signInChallenge,
                    email: nil,
                    createdAt: now,
                    expiresAt: now.addingTimeInterval(Self.challengeLifetime)
                )
            )
        }
        return secret
    }

    /// Completes a challenge with an app code or a recovery code; returns the user. A wrong code
    /// counts against the challenge, which ends after five (the password must then be given again).
    package func completeChallenge(_ secret: String, code: String) async throws -> User {
        guard !secret.isEmpty, secret.count <= 128 else { throw Self.expiredChallenge }
        let hash = Secrets.sha256Hex(secret)
        guard
            let challenge = try await self.context.db.read({
                try await $0.userToken(hash: hash, purpose: .signInChallenge)
            }),
            let user = try await self.context.db.read({ try await $0.user(id: challenge.userID) })
        else { throw Self.expiredChallenge }
        if try await self.verify(code, for: user) {
            try await self.context.db.transaction { try await $0.deleteUserToken(hash: hash) }
            return user
        }
        let attempts = try await self.context.db.transaction { try await $0.countFailedAttempt(hash: hash) }
        if attempts >= Self.challengeAttempts {
            try await self.context.db.transaction { try await $0.deleteUserToken(hash: hash) }
            throw DomainError.unauthorized("Too many wrong codes. Sign in again.")
        }
        throw Self.wrongCode
    }

    /// Whether `code` is the app's current code (not used before) or an unused recovery code (then used up).
    func verify(_ code: String, for user: User) async throws -> Bool {
        let record = try await self.record(user.id)
        guard let secret = record.secret, let totp = TOTP(base32: secret) else { return false }
        let trimmed = code.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 64 else { return false }
        if trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == " ") }) {
            guard let step = totp.verify(trimmed, at: self.context.clock.now(), lastUsedStep: record.lastStep) else {
                return false
            }
            return try await self.context.db.transaction { try await $0.useTwoFactorStep(user.id, step: step) }
        }
        let hash = Self.hash(trimmed)
        guard let index = record.recoveryCodeHashes.firstIndex(where: { Secrets.constantTimeEquals($0, hash) }) else {
            return false
        }
        var remaining = record.recoveryCodeHashes
        remaining.remove(at: index)
        return try await self.context.db.transaction {
            try await $0.replaceRecoveryCodes(user.id, expected: record.recoveryCodeHashes, with: remaining)
        }
    }

    // MARK: Helpers

    package static let wrongCode = DomainError.unauthorized("Invalid two-factor code.")
    static let expiredChallenge = DomainError.unauthorized("The sign-in took too long. Sign in again.")

    /// A recovery code as stored: SHA-256 of its normalized form (50 random bits, and the codes
    /// are only tried behind the rate limit and the challenge's attempt count).
    static func hash(_ code: String) -> String {
        Secrets.sha256Hex(RecoveryCodes.normalize(code))
    }

    private func record(_ id: User.ID) async throws -> TwoFactorRecord {
        guard let record = try await self.context.db.read({ try await $0.twoFactor(userID: id) }) else {
            throw DomainError.notFound
        }
        return record
    }

    private func checkPassword(_ user: User, _ password: String) async throws {
        try await CredentialsProcessor(self.context).checkCurrentPassword(password, of: user)
    }

    private func provisioningURI(_ totp: TOTP, for user: User) async throws -> String {
        let account = try await self.context.db.read { try await $0.account(id: user.accountID) }
        let name = account.map { self.context.urls.acct($0.username) } ?? user.email
        return totp.provisioningURI(accountName: name, issuer: self.context.instance.title)
    }
}
