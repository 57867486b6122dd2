import Core
import Foundation
import Storage

extension FollowProcessor {
    /// Blocks `target`: follows in both directions end, each other's posts leave both home feeds, and
    /// the target's notifications to the viewer go.
    package func block(_ target: Account.ID, by viewer: Account.ID) async throws -> RelationshipView {
        try await self.requireOther(target, viewer)
        try await self.context.db.transaction { session in
            guard try await session.insertBlock(id: self.context.ids.next(), account: viewer, target: target) else {
                return
            }
            try await self.federate(session, viewer: viewer, target: target) { blocker, blocked in
                try await self.outbox.block(blocked, by: blocker, undo: false, in: session)
            }
            _ = try await session.deleteFollow(from: viewer, to: target)
            _ = try await session.deleteFollow(from: target, to: viewer)
            try await session.removeFromHomeFeed(of: viewer, anythingBy: target)
            try await session.removeFromHomeFeed(of: target, anythingBy: viewer)
            try await session.removeFromLists(of: viewer, member: target)
            try await session.removeFromLists(of: target, member: viewer)
            try await session.deleteNotifications(to: viewer, from: target)
        }
        return try await self.relationship(of: viewer, to: target)
    }

    /// Lifts a block.
    package func unblock(_ target: Account.ID, by viewer: Account.ID) async throws -> RelationshipView {
        try await self.requireOther(target, viewer)
        try await self.context.db.transaction { session in
            try await session.deleteBlock(account: viewer, target: target)
            try await self.federate(session, viewer: viewer, target: target) { blocker, blocked in
                try await self.outbox.block(blocked, by: blocker, undo: true, in: session)
            }
        }
        return try await self.relationship(of: viewer, to: target)
    }

    /// Mutes `target` (optionally its notifications too, optionally for `duration` seconds); its posts
    /// leave the viewer's home feed.
    package func mute(_ target: Account.ID, by viewer: Account.ID, notifications: Bool, duration: Int?) async throws
        -> RelationshipView
    {
        try await self.requireOther(target, viewer)
        if let duration, duration < 0 { throw DomainError.validation("duration must not be negative") }
        let expires = duration.flatMap { $0 == 0 ? nil : self.context.clock.now().addingTimeInterval(TimeInterval($0)) }
        try await self.context.db.transaction { session in
            try await session.upsertMute(
                id: self.context.ids.next(),
                account: viewer,
                target: target,
                hideNotifications: notifications,
                expiresAt: expires?.millisecondsSince1970
            )
            try await session.removeFromHomeFeed(of: viewer, anythingBy: target)
        }
        return try await self.relationship(of: viewer, to: target)
    }

    /// Lifts a mute.
    package func unmute(_ target: Account.ID, by viewer: Account.ID) async throws -> RelationshipView {
        try await self.requireOther(target, viewer)
        try await self.context.db.transaction { try await $0.deleteMute(account: viewer, target: target) }
        return try await self.relationship(of: viewer, to: target)
    }

    /// Makes `follower` stop following the viewer (`remove_from_followers`).
    package func removeFollower(_ follower: Account.ID, by viewer: Account.ID) async throws -> RelationshipView {
        try await self.requireOther(follower, viewer)
        try await self.context.db.transaction { session in
            let uri = try await session.followURI(from: follower, to: viewer)
            if try await session.deleteFollow(from: follower, to: viewer) {
                try await session.removeFromHomeFeed(of: follower, postsBy: viewer)
                try await session.removeFromLists(of: follower, member: viewer)
                // A remote follower is told with a Reject of its Follow, as Mastodon does.
                try await self.federate(session, viewer: viewer, target: follower) { me, them in
                    try await self.outbox.answerFollow(from: them, to: me, uri: uri, accept: false, in: session)
                }
            }
        }
        return try await self.relationship(of: viewer, to: follower)
    }

    /// Runs `send` with the viewer's and the target's accounts when the target is remote.
    func federate(
        _ session: DBSession,
        viewer: Account.ID,
        target: Account.ID,
        send: (Account, Account) async throws -> Void
    ) async throws {
        guard let other = try await session.account(id: target), !other.isLocal,
            let me = try await session.account(id: viewer)
        else { return }
        try await send(me, other)
    }

    /// For each id, the accounts the viewer follows that follow it too.
    package func familiarFollowers(of ids: [Account.ID], viewer: Account.ID) async throws -> [(
        Account.ID, [AccountView]
    )] {
        var seen = Set<Account.ID>()
        let unique = ids.filter { seen.insert($0).inserted }.prefix(40)
        return try await self.context.db.read { session in
            var result: [(Account.ID, [AccountView])] = []
            for id in unique {
                let accounts = try await session.familiarFollowers(of: id, viewer: viewer, limit: 5)
                result.append((id, accounts.map { AccountView(account: $0, user: nil, urls: self.context.urls) }))
            }
            return result
        }
    }

    /// Sets the viewer's private note on an account (an empty comment removes it).
    package func setNote(_ comment: String, on target: Account.ID, by viewer: Account.ID) async throws
        -> RelationshipView
    {
        guard try await self.context.db.read({ try await $0.account(id: target) }) != nil else {
            throw DomainError.notFound
        }
        guard comment.count <= 2000 else { throw DomainError.validation("Validation failed: Comment is too long") }
        try await self.context.db.transaction { try await $0.setAccountNote(comment, by: viewer, on: target) }
        return try await self.relationship(of: viewer, to: target)
    }

    /// The accounts the viewer blocks or mutes, newest first.
    package func blockedOrMuted(by viewer: Account.ID, blocks: Bool, page: PageRequest) async throws -> Page<
        AccountView
    > {
        let rows = try await self.context.db.read {
            try await $0.blockOrMutePage(of: viewer, blocks: blocks, page: page)
        }
        return Page(
            items: rows.map { AccountView(account: $0.1, user: nil, urls: self.context.urls) },
            newestID: rows.first?.0,
            oldestID: rows.last?.0
        )
    }

    private func requireOther(_ target: Account.ID, _ viewer: Account.ID) async throws {
        guard target != viewer else { throw DomainError.forbidden("This action is not allowed on your own account") }
        guard try await self.context.db.read({ try await $0.account(id: target) }) != nil else {
            throw DomainError.notFound
        }
    }

    func relationship(of viewer: Account.ID, to target: Account.ID) async throws -> RelationshipView {
        try await self.relationships(of: viewer, to: [target]).first ?? RelationshipView(id: target)
    }
}
