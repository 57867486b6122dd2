import Core
import Federation
import Foundation
import Storage

/// Moving between accounts, as Mastodon does it. The new account first names the old one as an alias
/// (`alsoKnownAs`); the old one then moves: it points at the new one (`movedTo`), sends `Move` to its
/// followers, and its local followers follow the new account. A server receiving `Move` checks the
/// new account's aliases itself before moving its own people. Another move waits 30 days.
package struct MigrationProcessor: Sendable {
    let context: ProcessingContext

    init(_ context: ProcessingContext) {
        self.context = context
    }

    /// How long after a move another one is refused.
    package static let cooldown: TimeInterval = 30 * 86_400
    /// The most aliases an account keeps.
    package static let maxAliases = 10

    /// An account's aliases as handles (`user@host`), with their actor URIs.
    package func aliases(of accountID: Account.ID) async throws -> [(handle: String, uri: String)] {
        guard let account = try await self.context.db.read({ try await $0.account(id: accountID) }) else {
            throw DomainError.notFound
        }
        var result: [(String, String)] = []
        for uri in account.alsoKnownAs {
            let known = try await self.context.db.read { try await $0.account(uri: uri) }
            result.append((known.map { self.handle(of: $0) } ?? uri, uri))
        }
        return result
    }

    /// Adds the account at `handle` (looked up through WebFinger when unknown) as an alias.
    package func addAlias(_ handle: String, to accountID: Account.ID) async throws {
        let target = try await self.resolve(handle)
        guard target.id != accountID else { throw DomainError.validation("An account cannot be its own alias") }
        guard var account = try await self.context.db.read({ try await $0.account(id: accountID) }) else {
            throw DomainError.notFound
        }
        guard !account.alsoKnownAs.contains(target.uri) else { return }
        guard account.alsoKnownAs.count < Self.maxAliases else {
            throw DomainError.validation("An account has at most \(Self.maxAliases) aliases")
        }
        account.alsoKnownAs.append(target.uri)
        try await self.saveAliases(account)
    }

    /// Removes an alias by its actor URI.
    package func removeAlias(_ uri: String, from accountID: Account.ID) async throws {
        guard var account = try await self.context.db.read({ try await $0.account(id: accountID) }) else {
            throw DomainError.notFound
        }
        account.alsoKnownAs.removeAll { $0 == uri }
        try await self.saveAliases(account)
    }

    private func saveAliases(_ account: Account) async throws {
        let key = try await self.context.federation.keys.publicKeyPEM(for: account)
        try await self.context.db.transaction { session in
            try await session.updateAliases(account.id, account.alsoKnownAs)
            // Servers that know the account learn its aliases (the actor document has them too).
            try await Outbox(self.context).updateProfile(account, publicKey: key, in: session)
        }
    }

    /// Moves a local account to the account at `handle`, which must list it as an alias. With
    /// `password` (the owner), it is checked; the admin CLI passes nil.
    package func move(_ accountID: Account.ID, to handle: String, password: String?) async throws -> Account {
        guard let account = try await self.context.db.read({ try await $0.account(id: accountID) }), account.isLocal,
            let user = try await self.context.db.read({ try await $0.user(accountID: accountID) })
        else { throw DomainError.notFound }
        if let password { try await CredentialsProcessor(self.context).checkCurrentPassword(password, of: user) }
        let now = self.context.clock.now()
        if let movedAt = account.movedAt, now.timeIntervalSince(movedAt) < Self.cooldown {
            throw DomainError.validation("This account moved less than 30 days ago; it can move again later")
        }
        let target = try await self.resolve(handle, fresh: true)
        guard target.id != account.id else { throw DomainError.validation("An account cannot move to itself") }
        guard target.movedToURI == nil else {
            throw DomainError.validation("\(self.handle(of: target)) has itself moved away")
        }
        guard target.alsoKnownAs.contains(account.uri) else {
            throw DomainError.validation(
                "\(self.handle(of: target)) does not list this account as an alias yet: add the alias there first"
            )
        }
        try await self.context.db.transaction { session in
            try await session.setMoved(account.id, to: target.uri, at: now)
            let move = SocialActivity.make(
                "Move",
                id: "\(account.uri)#moves/\(now.millisecondsSince1970)",
                actor: account.uri,
                object: .string(account.uri),
                to: [account.uri + "/followers"]
            )
            var body = move.object ?? [:]
            body["target"] = .string(target.uri)
            try await Outbox(self.context).toFollowers(.object(body), by: account, in: session)
            try await session.enqueue(
                .moveFollowers(from: account.id.rawValue, to: target.id.rawValue),
                id: self.context.ids.next()
            )
        }
        return target
    }

    /// A remote `Move` of `old` to `targetURI` (the inbox checked the signer is `old`): the target is
    /// fetched again and must list `old` as an alias; then local followers move.
    func acceptMove(of old: Account, to targetURI: String) async throws {
        guard targetURI != old.uri else { throw DomainError.validation("a move to itself") }
        let target = try await self.context.federation.resolver.account(uri: targetURI, refresh: true)
        guard target.alsoKnownAs.contains(old.uri) else {
            throw DomainError.validation("the target does not list the moving account as an alias")
        }
        try await self.context.db.transaction { session in
            try await session.setMoved(old.id, to: target.uri, at: nil)
            try await session.enqueue(
                .moveFollowers(from: old.id.rawValue, to: target.id.rawValue),
                id: self.context.ids.next()
            )
        }
    }

    /// The job: each local follower of `old` follows `new` with the same options (a request when `new`
    /// is locked or remote), stops following `old`, and is told. Run again, it finds nobody left.
    func moveFollowers(from old: Account.ID, to new: Account.ID) async throws {
        let follows = FollowProcessor(self.context)
        for follow in try await self.context.db.read({ try await $0.localFollows(of: old) }) {
            let follower = follow.accountID
            guard follower != new else {
                _ = try await follows.unfollow(old, by: follower)
                continue
            }
            do {
                _ = try await follows.follow(
                    new,
                    by: follower,
                    reblogs: follow.showReblogs,
                    notify: follow.notify,
                    languages: follow.languages
                )
            } catch let error as DomainError {
                // Blocked either way: the follower keeps following nobody new, and still hears of it.
                self.context.logger.info("a follower of a moved account could not follow on: \(error.userMessage)")
            }
            _ = try await follows.unfollow(old, by: follower)
            try await self.context.db.transaction { session in
                try await session.insertNotification(
                    Notification(
                        id: self.context.ids.next(),
                        accountID: follower,
                        fromAccountID: old,
                        kind: .move,
                        statusID: nil,
                        createdAt: self.context.clock.now()
                    )
                )
            }
        }
    }

    private func resolve(_ handle: String, fresh: Bool = false) async throws -> Account {
        let account: Account
        do {
            account = try await AccountProcessor(self.context).lookup(acct: handle, resolve: true).account
        } catch DomainError.notFound {
            throw DomainError.validation("No account \(handle.prefix(100)) was found")
        }
        guard fresh, !account.isLocal else { return account }
        return try await self.context.federation.resolver.account(uri: account.uri, refresh: true)
    }

    private func handle(of account: Account) -> String {
        self.context.urls.handle(username: account.username, domain: account.domain)
    }
}
