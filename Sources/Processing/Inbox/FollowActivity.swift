import Core
import Federation
import Foundation
import Storage

extension InboxProcessor {
    /// `Follow` of a local account: accepted at once, or a follow request when the account is locked.
    /// A blocked follower gets a `Reject`. Repeats re-send the `Accept`.
    func follow(_ activity: JSON, signer: Account) async throws {
        let target = try await self.localAccount(activity["object"]?.id)
        let followURI = activity["id"]?.string
        let followJSON = Outbox.follow(id: followURI, follower: signer, target: target)
        let now = self.context.clock.now()
        try await self.db.transaction { session in
            let safety = try await session.safetyFilter(for: target.id, among: [signer.id])
            if safety.blocking.contains(signer.id) {
                let reject = self.outbox.activity("Reject", by: target, object: followJSON, to: [signer.uri])
                try await self.outbox.to([signer], reject, by: target, in: session)
                return
            }
            let follow = Follow(
                id: self.context.ids.next(),
                accountID: signer.id,
                targetAccountID: target.id,
                showReblogs: true,
                notify: false,
                languages: nil,
                createdAt: now
            )
            let alreadyFollowing = try await session.follow(from: signer.id, to: target.id) != nil
            if target.locked && !alreadyFollowing {
                if try await session.upsertFollowRequest(follow) {
                    try await session.insertNotification(
                        Notification(
                            id: self.context.ids.next(),
                            accountID: target.id,
                            fromAccountID: signer.id,
                            kind: .followRequest,
                            statusID: nil,
                            createdAt: now
                        )
                    )
                }
                if let followURI {
                    try await session.setFollowRequestURI(from: signer.id, to: target.id, uri: followURI)
                }
                return
            }
            if try await session.upsertFollow(follow) {
                try await session.insertNotification(
                    Notification(
                        id: self.context.ids.next(),
                        accountID: target.id,
                        fromAccountID: signer.id,
                        kind: .follow,
                        statusID: nil,
                        createdAt: now
                    )
                )
            }
            if let followURI { try await session.setFollowURI(from: signer.id, to: target.id, uri: followURI) }
            let accept = self.outbox.activity("Accept", by: target, object: followJSON, to: [signer.uri])
            try await self.outbox.to([signer], accept, by: target, in: session)
        }
    }

    /// `Accept` of a Follow a local account sent: the pending request becomes a follow.
    func accept(_ activity: JSON, signer: Account) async throws {
        guard let (follower, object) = try await self.answeredFollow(activity, signer: signer) else { return }
        _ = object
        try await self.db.transaction { session in
            guard let request = try await session.followRequest(from: follower.id, to: signer.id) else { return }
            _ = try await session.deleteFollowRequest(from: follower.id, to: signer.id)
            var follow = request
            follow.id = self.context.ids.next()
            follow.createdAt = self.context.clock.now()
            _ = try await session.upsertFollow(follow)
            if let uri = try await session.followURI(from: follower.id, to: signer.id) ?? activity["object"]?.id {
                try await session.setFollowURI(from: follower.id, to: signer.id, uri: uri)
            }
        }
    }

    /// `Reject` of a Follow a local account sent (or of an existing follow): it is gone.
    func reject(_ activity: JSON, signer: Account) async throws {
        guard let (follower, _) = try await self.answeredFollow(activity, signer: signer) else { return }
        try await self.db.transaction { session in
            _ = try await session.deleteFollowRequest(from: follower.id, to: signer.id)
            if try await session.deleteFollow(from: follower.id, to: signer.id) {
                try await session.removeFromHomeFeed(of: follower.id, postsBy: signer.id)
            }
        }
    }

    /// The local follower whose Follow of `signer` an Accept or Reject answers; nil when it names none.
    func answeredFollow(_ activity: JSON, signer: Account) async throws -> (Account, JSON)? {
        guard let object = activity["object"] else { throw InboxRejection("answer without an object") }
        if let embedded = object.object, embedded["type"]?.string == "Follow" {
            guard object["object"]?.id == signer.uri else { throw InboxRejection("answer to a follow of someone else") }
            let follower = try await self.localAccount(object["actor"]?.id)
            return (follower, object)
        }
        // A bare id: the Follow we sent has it as its id.
        guard let id = object.id, self.urls.isLocal(id) else { throw InboxRejection("answer to an unknown follow") }
        guard let username = Self.username(inLocalActivity: id, urls: self.urls) else {
            throw InboxRejection("answer to an unknown follow")
        }
        guard let follower = try await self.db.read({ try await $0.account(username: username, domain: nil) }) else {
            return nil
        }
        return (follower, object)
    }

    /// The username in an activity id this server minted (`…/users/alice#follow/123`).
    static func username(inLocalActivity id: String, urls: URLBuilder) -> String? {
        let prefix = urls.base + "/users/"
        guard id.hasPrefix(prefix) else { return nil }
        let rest = id.dropFirst(prefix.count)
        let name = rest.prefix { $0 != "#" && $0 != "/" }
        return name.isEmpty ? nil : String(name)
    }
}
