import Core
import Federation
import Foundation
import Storage

/// Account use cases: creating local accounts, reading profiles, editing one's own.
package struct AccountProcessor: Sendable {
    let context: ProcessingContext

    init(_ context: ProcessingContext) {
        self.context = context
    }

    /// A new local account as the admin CLI or the registration API asks for it.
    package struct NewAccount: Sendable {
        package var username: String
        package var email: String
        package var password: String
        package var role: User.Role = .user
        package var confirmed: Bool
        package var approved: Bool
        package var reason: String?
        package var locale: String = "en"

        package init(
            username: String,
            email: String,
            password: String,
            role: User.Role = .user,
            confirmed: Bool,
            approved: Bool,
            reason: String? = nil,
            locale: String = "en"
        ) {
            self.username = username
            self.email = email
            self.password = password
            self.role = role
            self.confirmed = confirmed
            self.approved = approved
            self.reason = reason
            self.locale = locale
        }
    }

    /// Checks a new account against every rule and reports each failed field, as Mastodon's 422 does.
    package func validate(_ new: NewAccount, requireReason: Bool) async throws {
        var details: [String: [DomainError.FieldError]] = [:]
        if new.username.isEmpty {
            details["username", default: []].append(.init("ERR_BLANK", "can't be blank"))
        } else if new.username.count > 30 {
            details["username", default: []].append(.init("ERR_TOO_LONG", "is too long (maximum is 30 characters)"))
        } else if !Validation.isValidLocalUsername(new.username) {
            details["username", default: []].append(.init("ERR_INVALID", "only letters, numbers and underscores"))
        } else if Validation.reservedUsernames.contains(new.username.lowercased()) {
            details["username", default: []].append(.init("ERR_RESERVED", "is reserved"))
        } else if try await self.context.db.read({ try await $0.account(username: new.username, domain: nil) }) != nil {
            details["username", default: []].append(.init("ERR_TAKEN", "has already been taken"))
        }
        if new.email.isEmpty {
            details["email", default: []].append(.init("ERR_BLANK", "can't be blank"))
        } else if !Validation.isPlausibleEmail(new.email) {
            details["email", default: []].append(.init("ERR_INVALID", "is invalid"))
        } else if try await self.context.db.read({ try await $0.user(email: new.email) }) != nil {
            details["email", default: []].append(.init("ERR_TAKEN", "has already been taken"))
        }
        if let problem = Validation.passwordProblem(new.password) {
            details["password", default: []].append(problem)
        }
        if requireReason && (new.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            details["reason", default: []].append(.init("ERR_BLANK", "can't be blank"))
        }
        guard details.isEmpty else {
            let summary = details.keys.sorted().compactMap { key in
                details[key]?.first.map { "\(key.prefix(1).uppercased())\(key.dropFirst()) \($0.description)" }
            }
            throw DomainError.validation("Validation failed: \(summary.joined(separator: ", "))", details: details)
        }
    }

    /// A sign-up from the registration API or the sign-up page, under the server's registration mode:
    /// refused when closed or by invitation only; under approval mode a reason is required and the
    /// account waits for an admin. A usable invite code lets anyone in, in every mode, without approval
    /// (as Mastodon does); an unusable one is a field error. The account is unconfirmed until its address
    /// is (when mail is on).
    package func signUp(
        username: String,
        email: String,
        password: String,
        reason: String?,
        locale: String,
        agreement: Bool,
        inviteCode: String? = nil
    ) async throws -> (Account, User) {
        let mode = self.context.instance.registrations
        var invite: (Invite, Account)?
        if let inviteCode, !inviteCode.isEmpty {
            invite = try await InviteProcessor(self.context).usable(code: inviteCode)
            guard invite != nil else { throw Self.invalidInvite }
        } else {
            switch mode {
            case .closed: throw DomainError.forbidden("Registrations are closed on this server")
            case .invite: throw DomainError.forbidden("This server accepts sign-ups by invitation only")
            case .open, .approval: break
            }
        }
        guard agreement else {
            throw DomainError.validation(
                "Validation failed: Agreement must be accepted",
                details: ["agreement": [.init("ERR_ACCEPTED", "must be accepted")]]
            )
        }
        let needsApproval = mode == .approval && invite == nil
        let created = try await self.create(
            .init(
                username: username,
                email: email.trimmingCharacters(in: .whitespacesAndNewlines),
                password: password,
                confirmed: false,
                approved: !needsApproval,
                reason: reason,
                locale: StatusProcessor.isLanguageCode(locale) ? locale : "en"
            ),
            requireReason: needsApproval,
            invite: invite?.0.id
        )
        if let (invite, inviter) = invite, invite.autofollow {
            do {
                _ = try await FollowProcessor(self.context).follow(
                    inviter.id,
                    by: created.0.id,
                    reblogs: nil,
                    notify: nil,
                    languages: nil
                )
            } catch {
                // The account exists; a failed follow (the inviter blocked in between) is not the sign-up's fault.
                self.context.logger.notice("autofollow of the inviter failed: \(error)")
            }
        }
        return created
    }

    static let invalidInvite = DomainError.validation(
        "Validation failed: Invite code is invalid or has expired",
        details: ["invite_code": [.init("ERR_INVALID", "is invalid or has expired")]]
    )

    /// Creates a local account and its user in one transaction. Validates first. An account made
    /// unconfirmed gets its confirmation mail in the same transaction; without mail it is confirmed at once.
    /// With `invite`, one use of it is counted in the same transaction; if it ran out meanwhile, nothing
    /// is stored.
    package func create(_ new: NewAccount, requireReason: Bool = false, invite: Invite.ID? = nil) async throws
        -> (Account, User)
    {
        try await self.validate(new, requireReason: requireReason)
        let hash = await self.context.passwords.hash(new.password)
        let now = self.context.clock.now()
        let urls = self.context.urls
        let account = Account(
            id: self.context.ids.next(),
            username: new.username,
            domain: nil,
            uri: urls.actor(new.username),
            url: urls.profile(new.username),
            createdAt: now,
            updatedAt: now
        )
        let user = User(
            id: self.context.ids.next(),
            accountID: account.id,
            email: new.email,
            passwordHash: hash,
            role: new.role,
            confirmedAt: new.confirmed || self.context.mailer == nil ? now : nil,
            approved: new.approved,
            reason: new.reason,
            locale: new.locale,
            createdAt: now
        )
        // Made before the transaction: a 2048-bit key takes about 100 ms.
        let keys = try self.context.federation.keys.makeKeyPair()
        let key = AccountKey(
            accountID: account.id,
            keyID: urls.actorKey(account.username),
            publicKeyPEM: keys.publicKeyPEM,
            privateKeyPEM: keys.privateKeyPEM
        )
        do {
            try await self.context.db.transaction { session in
                try await session.insertAccount(account)
                try await session.insertUser(user)
                try await session.insertAccountKey(key)
                if let invite, try await !session.useInvite(invite, by: user.id, at: now) {
                    throw Self.invalidInvite
                }
                if user.confirmedAt == nil {
                    try await CredentialsProcessor(self.context).queueConfirmation(
                        in: session,
                        user: user,
                        username: account.username,
                        email: user.email,
                        change: false
                    )
                }
            }
        } catch StorageError.duplicate {
            // Lost a race with another sign-up between validation and insert.
            throw DomainError.validation(
                "Validation failed: Username or email has already been taken",
                details: ["username": [.init("ERR_TAKEN", "has already been taken")]]
            )
        }
        return (account, user)
    }

    /// The one person of a single-user server: the oldest local account not suspended.
    package func singleUserAccount() async throws -> Account? {
        var query = LocalAccountQuery(limit: 20)
        query.oldestFirst = true
        return try await self.context.db.read { try await $0.localAccounts(query) }.map(\.0)
            .first { !$0.isSuspended }
    }

    /// The account with this id as anyone may see it; suspended accounts are not found.
    package func view(_ id: Account.ID) async throws -> AccountView {
        guard let account = try await self.context.db.read({ try await $0.account(id: id) }), !account.isSuspended
        else { throw DomainError.notFound }
        return try await self.withMove(AccountView(account: account, user: nil, urls: self.context.urls))
    }

    /// `view` with the account it moved to, when it moved to an account this server knows.
    func withMove(_ view: AccountView) async throws -> AccountView {
        guard let uri = view.account.movedToURI,
            let target = try await self.context.db.read({ try await $0.account(uri: uri) }), !target.isSuspended
        else { return view }
        var view = view
        view.movedTo = MovedAccount(AccountView(account: target, user: nil, urls: self.context.urls))
        return view
    }

    /// The signed-in user's own account with its `source`.
    package func credentials(of viewer: Viewer) async throws -> AccountView {
        guard let accountID = viewer.accountID, let userID = viewer.userID else {
            throw DomainError.unauthorized("This method requires an authenticated user")
        }
        let (account, user, requests) = try await self.context.db.read { session in
            (
                try await session.account(id: accountID), try await session.user(id: userID),
                try await session.followRequestCount(to: accountID)
            )
        }
        guard let account, let user else { throw DomainError.notFound }
        var view = try await self.withMove(AccountView(account: account, user: user, urls: self.context.urls))
        view.followRequestsCount = requests
        return view
    }

    /// Finds an account by `username`, `username@our.domain` or a known `username@remote.host`; an
    /// unknown remote one is looked up with WebFinger when `resolve` is true.
    package func lookup(acct: String, resolve: Bool = true) async throws -> AccountView {
        var handle = acct.trimmingCharacters(in: .whitespaces)
        if handle.hasPrefix("@") { handle.removeFirst() }
        let parts = handle.split(separator: "@", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 64,
            handle.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F && $0 != "/" })
        else {
            throw DomainError.notFound
        }
        var domain: String? = parts.count == 2 ? parts[1].lowercased() : nil
        if let host = domain,
            host == self.context.urls.accountDomain.lowercased() || host == self.context.urls.domain.lowercased()
        {
            domain = nil
        }
        var found = try await self.context.db.read { try await $0.account(username: parts[0], domain: domain) }
        if found == nil, resolve, let domain {
            found = try await self.resolve(username: parts[0], domain: domain)
        }
        guard let account = found, !account.isSuspended else { throw DomainError.notFound }
        return try await self.withMove(AccountView(account: account, user: nil, urls: self.context.urls))
    }

    /// A remote account found through WebFinger and stored; nil when its server does not know it, cannot
    /// be reached, or is blocked.
    package func resolve(username: String, domain: String) async throws -> Account? {
        guard Validation.isPlausibleHost(domain), !self.context.federation.isBlocked(domain) else { return nil }
        do {
            return try await self.context.federation.resolver.account(username: username, domain: domain)
        } catch {
            self.context.logger.debug("could not resolve \(username)@\(domain): \(error)")
            return nil
        }
    }

    /// Accounts (local first, then known remote ones) whose name starts with `query`.
    package func search(_ query: String, limit: Int, offset: Int = 0, following: Account.ID? = nil) async throws
        -> [AccountView]
    {
        var term = query.trimmingCharacters(in: .whitespaces)
        if term.hasPrefix("@") { term.removeFirst() }
        guard !term.isEmpty, term.count <= 200 else { return [] }
        let accounts = try await self.context.db.read {
            try await $0.searchAccounts(term, limit: min(max(limit, 1), 80), offset: offset, onlyFollowedBy: following)
        }
        return accounts.map { AccountView(account: $0, user: nil, urls: self.context.urls) }
    }
}
