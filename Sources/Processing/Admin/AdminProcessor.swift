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
        guard Validation.passwordLength.contains(newPassword.utf8.count) else {
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

    /// Suspends or lifts the suspension of a local account. A suspended account's tokens stop working
    /// (checked on every request) and its browser sessions end.
    package func setSuspended(username: String, _ suspended: Bool) async throws {
        let (account, user) = try await self.requireLocal(username)
        try await self.context.db.transaction { session in
            try await session.updateSuspension(account.id, suspended: suspended)
            if suspended { try await session.deleteWebSessions(userID: user.id) }
        }
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
