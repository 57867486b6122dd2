import Core
import Foundation
import Storage

/// Email addresses and passwords: confirmation links, password reset by email, password and address
/// changes, as Mastodon's account pages offer them.
///
/// Links carry a one-time secret whose SHA-256 is stored (`user_tokens`); a confirmation link lasts two
/// days and a reset link six hours, as in Mastodon. Mails are queued in the transaction that makes the
/// secret, so a crash loses neither.
package struct CredentialsProcessor: Sendable {
    let context: ProcessingContext

    static let confirmationLifetime: TimeInterval = 2 * 86_400
    static let resetLifetime: TimeInterval = 6 * 3600

    init(_ context: ProcessingContext) {
        self.context = context
    }

    /// Whether this server sends mail (and so asks new accounts to confirm their address).
    package var mailEnabled: Bool { self.context.mailer != nil }

    // MARK: Confirmation

    /// Within `session`: a new confirmation secret for `email` and its mail. `change` says whether the
    /// address replaces a confirmed one (the mail then says so).
    func queueConfirmation(in session: DBSession, user: User, username: String, email: String, change: Bool)
        async throws
    {
        let secret = Secrets.token()
        let now = self.context.clock.now()
        try await session.replaceUserToken(
            UserToken(
                hash: Secrets.sha256Hex(secret),
                userID: user.id,
                purpose: .confirmEmail,
                email: email,
                createdAt: now,
                expiresAt: now.addingTimeInterval(Self.confirmationLifetime)
            )
        )
        let link = "\(self.context.urls.base)/auth/confirmation?confirmation_token=\(secret)"
        let title = self.context.instance.title
        let text =
            change
            ? """
            Hello @\(username),

            You asked to change the email address of your account on \(title) (\(self.context.urls.domain)) to this one.
            Confirm it by opening this link within two days:

            \(link)

            Until then your old address stays in use. If you did not ask for this, ignore this mail.
            """
            : """
            Welcome to \(title), @\(username)!

            Confirm your email address by opening this link within two days:

            \(link)

            If you did not sign up at \(self.context.urls.domain), ignore this mail: the account stays unusable.
            """
        try await session.enqueueMail(
            OutgoingMail(
                to: email,
                subject: change
                    ? "Confirm your new email address for \(title)" : "Confirm your email address for \(title)",
                text: text
            ),
            ids: self.context.ids
        )
    }

    /// Sends the confirmation mail again to a user who has not confirmed yet, optionally to a corrected
    /// address (`POST /api/v1/emails/confirmations`, the "didn't get the mail?" page).
    package func resendConfirmation(userID: User.ID, email newEmail: String? = nil) async throws {
        guard self.mailEnabled else { throw DomainError.unprocessable("This server does not send email") }
        let (user, account) = try await self.requireUser(userID)
        guard user.confirmedAt == nil else {
            throw DomainError.forbidden("This method is only available while the e-mail is awaiting confirmation")
        }
        var address = user.email
        if let newEmail, !newEmail.isEmpty, newEmail.lowercased() != user.email.lowercased() {
            try await self.checkNewAddress(newEmail)
            address = newEmail
        }
        try await self.context.db.transaction { session in
            try await self.queueConfirmation(
                in: session,
                user: user,
                username: account.username,
                email: address,
                change: false
            )
        }
    }

    /// Resends the confirmation mail for the account with this address, if it awaits confirmation.
    /// Says nothing about whether the address is known.
    package func resendConfirmation(email: String) async throws {
        guard self.mailEnabled else { throw DomainError.unprocessable("This server does not send email") }
        let trimmed = email.trimmingCharacters(in: .whitespacesAndNewlines)
        guard Validation.isPlausibleEmail(trimmed),
            let user = try await self.context.db.read({ try await $0.user(email: trimmed) }), user.confirmedAt == nil
        else { return }
        try await self.resendConfirmation(userID: user.id)
    }

    /// Confirms the address a link was sent to; the link works once. Returns the user.
    package func confirm(token: String) async throws -> User {
        guard !token.isEmpty, token.count <= 128 else { throw Self.invalidLink }
        let hash = Secrets.sha256Hex(token)
        do {
            return try await self.context.db.transaction { session in
                guard let stored = try await session.takeUserToken(hash: hash, purpose: .confirmEmail),
                    let user = try await session.user(id: stored.userID)
                else { throw Self.invalidLink }
                try await session.confirmEmail(user.id, email: stored.email ?? user.email)
                return try await session.user(id: user.id) ?? user
            }
        } catch StorageError.duplicate {
            throw DomainError.unprocessable("That email address is now used by another account")
        }
    }

    /// The address a user asked to change to and has not confirmed yet.
    package func pendingEmail(userID: User.ID) async throws -> String? {
        let token = try await self.context.db.read {
            try await $0.pendingUserToken(userID: userID, purpose: .confirmEmail)
        }
        guard let email = token?.email else { return nil }
        let user = try await self.context.db.read { try await $0.user(id: userID) }
        return user?.confirmedAt != nil && email.lowercased() != user?.email.lowercased() ? email : nil
    }

    // MARK: Password reset

    /// Mails a reset link to the account with this address, if there is one. The answer is the same
    /// either way, so the form does not reveal who has an account.
    package func requestPasswordReset(email: String) async throws {
        guard self.mailEnabled else {
            throw DomainError.unprocessable(
                "This server does not send email: ask an administrator to reset your password"
            )
        }
        let trimmed = email.trimmingCharacters(in: .whitespacesAndNewlines)
        guard Validation.isPlausibleEmail(trimmed) else {
            throw DomainError.validation(
                "Validation failed: Email is invalid",
                details: ["email": [.init("ERR_INVALID", "is invalid")]]
            )
        }
        let found: (User, Account)? = try await self.context.db.read { session in
            guard let user = try await session.user(email: trimmed),
                let account = try await session.account(id: user.accountID), !account.isSuspended
            else { return nil }
            return (user, account)
        }
        guard let (user, account) = found else { return }
        let secret = Secrets.token()
        let now = self.context.clock.now()
        let link = "\(self.context.urls.base)/auth/password/edit?reset_password_token=\(secret)"
        let title = self.context.instance.title
        try await self.context.db.transaction { session in
            try await session.replaceUserToken(
                UserToken(
                    hash: Secrets.sha256Hex(secret),
                    userID: user.id,
                    purpose: .resetPassword,
                    email: nil,
                    createdAt: now,
                    expiresAt: now.addingTimeInterval(Self.resetLifetime)
                )
            )
            try await session.enqueueMail(
                OutgoingMail(
                    to: user.email,
                    subject: "Reset your password on \(title)",
                    text: """
                        Hello @\(account.username),

                        Someone (hopefully you) asked to reset the password of your account on \(title) \
                        (\(self.context.urls.domain)). Choose a new password by opening this link within six hours:

                        \(link)

                        If you did not ask for this, ignore this mail: your password stays as it is.
                        """
                ),
                ids: self.context.ids
            )
        }
    }

    /// Sets a new password with a reset link (which then stops working), signs the user out of every
    /// app and browser, and confirms the address (the link reached it).
    package func resetPassword(token: String, password: String) async throws {
        try Self.checkPassword(password)
        guard !token.isEmpty, token.count <= 128 else { throw Self.invalidLink }
        let hash = Secrets.sha256Hex(token)
        let passwordHash = await self.context.passwords.hash(password)
        try await self.context.db.transaction { session in
            guard let stored = try await session.takeUserToken(hash: hash, purpose: .resetPassword),
                let user = try await session.user(id: stored.userID)
            else { throw Self.invalidLink }
            try await session.updatePassword(user.id, hash: passwordHash)
            try await session.confirmEmail(user.id, email: user.email)
            try await session.revokeTokens(userID: user.id)
            try await session.deleteWebSessions(userID: user.id)
        }
    }

    // MARK: Changes from the settings pages

    /// Changes the password when the current one is right, ending the user's other browser sessions
    /// (`keepSession` is the hash of the one making the change).
    package func changePassword(userID: User.ID, current: String, new: String, keepSession: String?) async throws {
        let (user, _) = try await self.requireUser(userID)
        try await self.checkCurrentPassword(current, of: user)
        try Self.checkPassword(new)
        let hash = await self.context.passwords.hash(new)
        try await self.context.db.transaction { session in
            try await session.updatePassword(user.id, hash: hash)
            try await session.deleteWebSessions(userID: user.id, except: keepSession)
            try await session.deleteUserTokens(userID: user.id, purpose: .resetPassword)
        }
    }

    /// Changes the address after checking the password. With mail, the new address must be confirmed
    /// first (the old one stays in use and is told); without, it changes at once. Returns whether a
    /// confirmation is awaited.
    @discardableResult
    package func changeEmail(userID: User.ID, password: String, to newEmail: String) async throws -> Bool {
        let (user, account) = try await self.requireUser(userID)
        try await self.checkCurrentPassword(password, of: user)
        let email = newEmail.trimmingCharacters(in: .whitespacesAndNewlines)
        guard email.lowercased() != user.email.lowercased() else { return false }
        try await self.checkNewAddress(email)
        do {
            return try await self.context.db.transaction { session in
                guard self.mailEnabled else {
                    try await session.confirmEmail(user.id, email: email)
                    return false
                }
                try await self.queueConfirmation(
                    in: session,
                    user: user,
                    username: account.username,
                    email: email,
                    change: true
                )
                try await session.enqueueMail(
                    OutgoingMail(
                        to: user.email,
                        subject: "Your email address on \(self.context.instance.title) is being changed",
                        text: """
                            Hello @\(account.username),

                            A change of your account's email address to \(email) was requested. It takes effect \
                            when the new address is confirmed. If this was not you, change your password now.
                            """
                    ),
                    ids: self.context.ids
                )
                return true
            }
        } catch StorageError.duplicate {
            throw Self.addressTaken
        }
    }

    // MARK: Helpers

    static let invalidLink = DomainError.unprocessable("This link is invalid, expired or already used")
    static let addressTaken = DomainError.validation(
        "Validation failed: Email has already been taken",
        details: ["email": [.init("ERR_TAKEN", "has already been taken")]]
    )

    /// A new password against the length rules.
    static func checkPassword(_ password: String) throws {
        guard let problem = Validation.passwordProblem(password) else { return }
        throw DomainError.validation(
            "Validation failed: Password \(problem.description)",
            details: ["password": [problem]]
        )
    }

    /// The password a settings change asks for again (email, password, two-factor).
    func checkCurrentPassword(_ password: String, of user: User) async throws {
        guard await self.context.passwords.verify(password, hash: user.passwordHash) else {
            throw DomainError.validation(
                "Validation failed: Current password is invalid",
                details: ["current_password": [.init("ERR_INVALID", "is invalid")]]
            )
        }
    }

    private func checkNewAddress(_ email: String) async throws {
        guard Validation.isPlausibleEmail(email) else {
            throw DomainError.validation(
                "Validation failed: Email is invalid",
                details: ["email": [.init("ERR_INVALID", "is invalid")]]
            )
        }
        if try await self.context.db.read({ try await $0.user(email: email) }) != nil { throw Self.addressTaken }
    }

    private func requireUser(_ id: User.ID) async throws -> (User, Account) {
        let found: (User, Account)? = try await self.context.db.read { session in
            guard let user = try await session.user(id: id), let account = try await session.account(id: user.accountID)
            else { return nil }
            return (user, account)
        }
        guard let found else { throw DomainError.notFound }
        return found
    }
}
