import Core
import Foundation
import Processing

extension AdminTool {
    /// Makes an invite link in the name of `username` (the oldest admin when nil); returns its URL.
    package func createInvite(
        by username: String?,
        maxUses: Int?,
        expiresIn: Int?,
        autofollow: Bool,
        comment: String?
    ) async throws -> String {
        let processor = self.deps.processor
        let userID: User.ID
        if let username {
            userID = try await processor.admin.localAccount(username: username).1.id
        } else {
            var query = LocalAccountQuery(limit: 100)
            query.staffOnly = true
            query.oldestFirst = true
            guard let admin = try await processor.admin.accounts(query).first(where: { $0.1.role == .admin }) else {
                throw DomainError.unprocessable("no admin account yet: create one, or name the inviter with --by")
            }
            userID = admin.1.id
        }
        let invite = try await processor.invites.create(
            by: userID,
            .init(maxUses: maxUses, expiresIn: expiresIn, autofollow: autofollow, comment: comment)
        )
        return self.deps.config.urls.invite(invite.code)
    }

    /// One line per invite on the server, newest first: code, maker, uses, expiry, link.
    package func listInvites() async throws -> [String] {
        let processor = self.deps.processor
        let now = self.deps.processor.context.clock.now()
        let invites = try await processor.invites.allInvites()
        var makers: [User.ID: String] = [:]
        for invite in invites where makers[invite.userID] == nil {
            makers[invite.userID] = try await processor.admin.username(of: invite.userID) ?? "?"
        }
        let style = ISO8601DateFormatter()
        return invites.map { invite in
            let uses = invite.maxUses.map { "\(invite.uses)/\($0) uses" } ?? "\(invite.uses) uses"
            let expiry = invite.expiresAt.map { "expires \(style.string(from: $0))" } ?? "never expires"
            let state = invite.isUsable(at: now) ? "usable" : "expired"
            return
                "\(invite.code)  @\(makers[invite.userID] ?? "?")  \(uses)  \(expiry)  \(state)  \(self.deps.config.urls.invite(invite.code))"
        }
    }

    /// Stops the invite with this code working.
    package func expireInvite(code: String) async throws {
        do {
            try await self.deps.processor.invites.expire(code: code)
        } catch DomainError.notFound {
            throw DomainError.unprocessable("no such invite code")
        }
    }

    /// Seconds in `30m`, `6h`, `1d`, `2w` or a plain number of seconds; nil when unreadable.
    package static func parseDuration(_ text: String) -> Int? {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let seconds = Int(trimmed) { return seconds > 0 ? seconds : nil }
        guard let unit = trimmed.last.flatMap({ units[$0] }), let number = Int(trimmed.dropLast()), number > 0,
            number <= Int.max / unit
        else { return nil }
        return number * unit
    }
}
