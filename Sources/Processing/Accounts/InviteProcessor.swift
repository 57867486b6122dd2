import Core
import Foundation
import Storage

/// Invite links: made by users (everyone except under closed registrations, where only staff may),
/// listed and expired by their maker, and checked at sign-up.
package struct InviteProcessor: Sendable {
    let context: ProcessingContext

    init(_ context: ProcessingContext) {
        self.context = context
    }

    /// The choices offered for the number of uses, as Mastodon offers them; `nil` is no limit.
    package static let maxUsesChoices: [Int] = [1, 5, 10, 25, 50, 100]
    /// The choices offered for the lifetime, in seconds (30 minutes to a week); `nil` is never.
    package static let expiryChoices: [Int] = [1800, 3600, 21_600, 43_200, 86_400, 604_800]
    /// The longest comment kept.
    package static let maxCommentLength = 420

    /// What a new invite should allow.
    package struct NewInvite: Sendable {
        package var maxUses: Int?
        package var expiresIn: Int?
        package var autofollow: Bool
        package var comment: String?

        package init(maxUses: Int? = nil, expiresIn: Int? = nil, autofollow: Bool = false, comment: String? = nil) {
            self.maxUses = maxUses
            self.expiresIn = expiresIn
            self.autofollow = autofollow
            self.comment = comment
        }
    }

    /// Whether this user may make invites: staff always, others unless registrations are closed.
    package func mayInvite(_ user: User) -> Bool {
        if user.role != .user { return true }
        return self.context.instance.registrations != .closed
    }

    /// Makes an invite for a signed-in user. `maxUses` from 1 to 1,000 and `expiresIn` from 60 seconds
    /// to a year are accepted (the pages offer Mastodon's choices); the comment is cut at 420 characters.
    package func create(by userID: User.ID, _ new: NewInvite) async throws -> Invite {
        let user = try await self.requireUser(userID)
        guard self.mayInvite(user) else { throw DomainError.forbidden("This server does not let you invite people") }
        var details: [String: [DomainError.FieldError]] = [:]
        if let uses = new.maxUses, !(1...1000).contains(uses) {
            details["max_uses", default: []].append(.init("ERR_INVALID", "must be between 1 and 1000"))
        }
        if let seconds = new.expiresIn, !(60...31_536_000).contains(seconds) {
            details["expires_in", default: []].append(.init("ERR_INVALID", "must be between 60 and 31536000 seconds"))
        }
        guard details.isEmpty else {
            let summary = details.keys.sorted().compactMap { key in
                details[key]?.first.map { "\(key) \($0.description)" }
            }
            throw DomainError.validation("Validation failed: \(summary.joined(separator: ", "))", details: details)
        }
        let now = self.context.clock.now()
        let comment = new.comment.map {
            String($0.trimmingCharacters(in: .whitespacesAndNewlines).prefix(Self.maxCommentLength))
        }
        let invite = Invite(
            id: self.context.ids.next(),
            userID: user.id,
            code: Secrets.readable(length: 8),
            maxUses: new.maxUses,
            expiresAt: new.expiresIn.map { now.addingTimeInterval(TimeInterval($0)) },
            autofollow: new.autofollow,
            comment: comment?.isEmpty == false ? comment : nil,
            createdAt: now
        )
        try await self.context.db.transaction { try await $0.insertInvite(invite) }
        return invite
    }

    /// A user's invites, newest first.
    package func invites(of userID: User.ID) async throws -> [Invite] {
        try await self.context.db.read { try await $0.invites(userID: userID) }
    }

    /// Every invite on the server, newest first (the admin CLI).
    package func allInvites() async throws -> [Invite] {
        try await self.context.db.read { try await $0.invites(userID: nil, limit: 1000) }
    }

    /// Stops an invite working. Only its maker may (others get 404); `userID` nil is the admin CLI.
    @discardableResult
    package func expire(_ id: Invite.ID, by userID: User.ID?) async throws -> Invite {
        let now = self.context.clock.now()
        return try await self.context.db.transaction { session in
            guard let invite = try await session.invite(id: id), userID == nil || invite.userID == userID else {
                throw DomainError.notFound
            }
            _ = try await session.expireInvite(id, at: now)
            return try await session.invite(id: id) ?? invite
        }
    }

    /// Expires an invite by its code (the admin CLI).
    package func expire(code: String) async throws {
        guard let invite = try await self.context.db.read({ try await $0.invite(code: code) }) else {
            throw DomainError.notFound
        }
        try await self.expire(invite.id, by: nil)
    }

    /// A usable invite with this code and the account that made it; `nil` when unknown, expired, used up,
    /// or its maker's account is suspended.
    package func usable(code: String) async throws -> (Invite, Account)? {
        let code = code.trimmingCharacters(in: .whitespaces)
        guard !code.isEmpty, code.count <= 64 else { return nil }
        let now = self.context.clock.now()
        return try await self.context.db.read { session in
            guard let invite = try await session.invite(code: code), invite.isUsable(at: now),
                let user = try await session.user(id: invite.userID),
                let account = try await session.account(id: user.accountID), !account.isSuspended
            else { return nil }
            return (invite, account)
        }
    }

    private func requireUser(_ id: User.ID) async throws -> User {
        guard let user = try await self.context.db.read({ try await $0.user(id: id) }) else {
            throw DomainError.notFound
        }
        return user
    }
}
