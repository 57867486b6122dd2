import Core
import Federation
import Foundation
import Storage

extension AccountProcessor {
    /// Deletes a local account for good, as its owner (with the password) or an admin asks: its posts,
    /// follows, favourites, media files and sign-in go; a `Delete` of the actor is sent to every inbox
    /// this server knows; the username stays reserved (an empty, suspended row keeps it). One
    /// transaction, so a crash leaves the account either whole or deleted with its deliveries queued.
    package func erase(_ accountID: Account.ID) async throws {
        let now = self.context.clock.now()
        try await self.context.db.transaction { session in
            guard let account = try await session.account(id: accountID), account.isLocal, account.deletedAt == nil
            else { throw DomainError.notFound }
            let files = try await session.eraseAccount(account, at: now)
            let activity = SocialActivity.make(
                "Delete",
                id: account.uri + "#delete",
                actor: account.uri,
                object: .string(account.uri),
                to: [ActivityStreams.publicCollection]
            )
            try await session.enqueue(
                .distribute(
                    Distribution(
                        accountID: account.id.rawValue,
                        activity: activity.serialized(),
                        followers: false,
                        everyKnownInbox: true
                    )
                ),
                id: self.context.ids.next()
            )
            if !files.isEmpty {
                try await session.enqueue(.deleteMediaFiles(keys: files), id: self.context.ids.next())
            }
        }
        self.context.logger.notice("deleted the local account \(accountID)")
    }

    /// The owner deletes their own account: the password must match (and the username typed, as a
    /// guard against a slip).
    package func eraseOwn(_ user: User, password: String, confirmUsername: String) async throws {
        guard let account = try await self.context.db.read({ try await $0.account(id: user.accountID) }) else {
            throw DomainError.notFound
        }
        try await CredentialsProcessor(self.context).checkCurrentPassword(password, of: user)
        guard confirmUsername.trimmingCharacters(in: .whitespaces).lowercased() == account.username.lowercased() else {
            throw DomainError.validation(
                "Validation failed: Username does not match",
                details: ["username": [.init("ERR_INVALID", "does not match your username")]]
            )
        }
        try await self.erase(account.id)
    }
}
