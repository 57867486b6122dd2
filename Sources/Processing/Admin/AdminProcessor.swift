import Core
import Foundation
import Storage

/// What an admin does from the command line: create, list, confirm, suspend accounts, reset passwords.
package struct AdminProcessor: Sendable {
    let context: ProcessingContext
    let accounts: AccountProcessor

    init(_ context: ProcessingContext, accounts: AccountProcessor) {
        self.context = context
        self.accounts = accounts
    }

    /// Creates a confirmed, approved local account; makes a password when none is given.
    package func createAccount(username: String, email: String, password: String?, role: User.Role) async throws
        -> (account: Account, generatedPassword: String?)
    {
        let generated = password == nil ? Secrets.password() : nil
        let (account, _) = try await self.accounts.create(
            .init(
                username: username,
                email: email,
                password: password ?? generated ?? "",
                role: role,
                confirmed: true,
                approved: true
            )
        )
        return (account, generated)
    }

    /// Local accounts with their users, newest first.
    package func listAccounts() async throws -> [(Account, User)] {
        try await self.context.db.read { try await $0.localAccounts() }
    }

    /// Sets a new password (generated when none is given), signs the user out everywhere, and returns it.
    package func resetPassword(username: String, password: String?) async throws -> String {
        let (_, user) = try await self.requireLocal(username)
        let newPassword = password ?? Secrets.password()
        guard Validation.passwordProblem(newPassword) == nil else {
            throw DomainError.validation("Password must be 8 to 72 characters long")
        }
        let hash = await self.context.passwords.hash(newPassword)
        try await self.context.db.transaction { session in
            try await session.updatePassword(user.id, hash: hash)
            try await session.revokeTokens(userID: user.id)
            try await session.deleteWebSessions(userID: user.id)
        }
        return newPassword
    }

    /// Marks the email confirmed and approves the sign-up.
    package func confirm(username: String) async throws {
        let (_, user) = try await self.requireLocal(username)
        try await self.context.db.transaction { try await $0.confirmUser(user.id) }
    }

    /// Approves a sign-up waiting under approval mode and tells the person by mail (when mail is on).
    /// They can sign in once their address is confirmed too.
    package func approve(username: String) async throws {
        let (account, user) = try await self.requireLocal(username)
        try await self.approve(account, user)
    }

    /// Approves a sign-up by account id (the admin API).
    package func approve(accountID: Account.ID) async throws {
        let (account, user) = try await self.requireLocal(accountID)
        try await self.approve(account, user)
    }

    private func approve(_ account: Account, _ user: User) async throws {
        let title = self.context.instance.title
        try await self.context.db.transaction { session in
            guard try await session.approveUser(user.id) else {
                throw DomainError.unprocessable("This account is not waiting for approval")
            }
            guard self.context.mailer != nil else { return }
            try await session.enqueueMail(
                OutgoingMail(
                    to: user.email,
                    subject: "Your account on \(title) is approved",
                    text: """
                        Hello @\(account.username),

                        Your sign-up at \(title) (\(self.context.urls.domain)) was approved. \
                        \(user.confirmedAt == nil ? "Confirm your email address with the link we sent, then sign in:" : "You can sign in now:")

                        \(self.context.urls.base)/auth/sign_in
                        """
                ),
                ids: self.context.ids
            )
        }
    }

    /// Rejects a sign-up waiting for approval: the account is removed and the username freed.
    package func reject(username: String) async throws {
        let (account, _) = try await self.requireLocal(username)
        try await self.reject(account.id)
    }

    /// Rejects a sign-up by account id (the admin API).
    package func reject(_ accountID: Account.ID) async throws {
        let removed = try await self.context.db.transaction { try await $0.deleteUnapprovedAccount(accountID) }
        guard removed else { throw DomainError.unprocessable("This account is not waiting for approval") }
    }

    // MARK: The admin API

    /// The viewer's user if they are an admin or a moderator (who manage sign-ups); 403 otherwise.
    package func requireStaff(_ viewer: Viewer) async throws -> User {
        guard let id = viewer.userID, let user = try await self.context.db.read({ try await $0.user(id: id) }),
            user.role == .admin || user.role == .moderator
        else { throw DomainError.forbidden("This action is not allowed") }
        return user
    }

    /// Local accounts matching `query` (the admin API's filters and page), newest first.
    package func accounts(_ query: LocalAccountQuery) async throws -> [(Account, User)] {
        try await self.context.db.read { try await $0.localAccounts(query) }
    }

    /// Sign-ups waiting for approval, oldest first, with the reason given.
    package func pendingAccounts() async throws -> [(Account, User)] {
        var query = LocalAccountQuery(limit: 1000)
        query.pendingOnly = true
        query.oldestFirst = true
        return try await self.accounts(query)
    }

    /// A local account and its user by username, for the admin CLI.
    package func localAccount(username: String) async throws -> (Account, User) {
        try await self.requireLocal(username)
    }

    /// The username of a local user, if it still exists.
    package func username(of userID: User.ID) async throws -> String? {
        try await self.context.db.read { session in
            guard let user = try await session.user(id: userID) else { return nil }
            return try await session.account(id: user.accountID)?.username
        }
    }

    /// A local account and its user by account id, for the admin API.
    package func localAccount(_ id: Account.ID) async throws -> (Account, User) {
        try await self.requireLocal(id)
    }

    /// Suspends or lifts the suspension of a local account. A suspended account's tokens stop working
    /// (checked on every request) and its browser sessions end.
    package func setSuspended(username: String, _ suspended: Bool) async throws {
        let (account, user) = try await self.requireLocal(username)
        try await self.context.db.transaction { session in
            try await session.updateSuspension(account.id, suspended: suspended)
            if suspended { try await session.deleteWebSessions(userID: user.id) }
        }
    }

    /// Suspends or lifts the suspension of a local account by id (the admin API).
    package func setSuspended(_ id: Account.ID, _ suspended: Bool) async throws {
        let (account, _) = try await self.requireLocal(id)
        try await self.setSuspended(username: account.username, suspended)
    }

    /// Deletes a local account for good (the admin CLI): see `AccountProcessor.erase`.
    package func deleteAccount(username: String) async throws {
        let (account, _) = try await self.requireLocal(username)
        try await self.accounts.erase(account.id)
    }

    /// Deletes a local account for good through the admin API, as Mastodon allows it: by an admin (not a
    /// moderator), and only once the account is suspended.
    package func deleteAccount(_ id: Account.ID, by staff: User) async throws {
        guard staff.role == .admin else { throw DomainError.forbidden("This action is not allowed") }
        let (account, _) = try await self.requireLocal(id)
        guard account.isSuspended else {
            throw DomainError.forbidden("Suspend the account before deleting its data")
        }
        try await self.accounts.erase(account.id)
    }

    private func requireLocal(_ id: Account.ID) async throws -> (Account, User) {
        let found: (Account, User)? = try await self.context.db.read { session in
            guard let account = try await session.account(id: id), account.isLocal,
                let user = try await session.user(accountID: account.id)
            else { return nil }
            return (account, user)
        }
        guard let found else { throw DomainError.notFound }
        return found
    }

    private func requireLocal(_ username: String) async throws -> (Account, User) {
        let name = username.hasPrefix("@") ? String(username.dropFirst()) : username
        let found: (Account, User)? = try await self.context.db.read { session in
            guard let account = try await session.account(username: name, domain: nil),
                let user = try await session.user(accountID: account.id)
            else { return nil }
            return (account, user)
        }
        guard let found else { throw DomainError.notFound }
        return found
    }
}
