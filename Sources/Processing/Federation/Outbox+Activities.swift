import Core
import Federation
import Foundation
import Storage

/// The activities local use cases send, each enqueued inside the use case's transaction.
extension Outbox {
    /// What happened to a local status.
    enum NoteEvent {
        case create, update, delete
    }

    /// Create, Update or Delete of a local status: to the author's followers (not for direct messages)
    /// and to every mentioned remote account.
    func publish(_ event: NoteEvent, _ status: Status, in session: DBSession) async throws {
        guard status.local, !status.isReblog, let author = try await session.account(id: status.accountID),
            author.isLocal
        else { return }
        let source = try await NoteSource.load(status, author: author, in: session, media: self.context.media)
        let activity: JSON =
            switch event {
            case .create: NoteDocument.create(source, urls: self.urls)
            case .update: NoteDocument.update(source, urls: self.urls)
            case .delete: NoteDocument.delete(source, urls: self.urls)
            }
        var recipients = source.mentions.filter { !$0.isLocal }
        if let parentAuthor = status.inReplyToAccountID, status.visibility != .direct,
            let parent = try await session.account(id: parentAuthor), !parent.isLocal
        {
            recipients.append(parent)
        }
        if status.visibility == .direct {
            try await self.to(recipients, activity, by: author, in: session)
        } else {
            try await self.toFollowers(activity, by: author, also: recipients, in: session)
        }
    }

    /// Like (or its Undo) of a remote status by a local account, sent to the status's author.
    func like(_ status: Status, by viewer: Account.ID, undo: Bool, in session: DBSession) async throws {
        guard !status.local, let author = try await session.account(id: status.accountID), !author.isLocal,
            let liker = try await session.account(id: viewer), liker.isLocal
        else { return }
        let like = SocialActivity.make(
            "Like",
            id: self.urls.activity(liker.username, "likes", status.id.rawValue),
            actor: liker.uri,
            object: .string(status.uri)
        )
        try await self.to([author], undo ? SocialActivity.undo(like, actor: liker.uri) : like, by: liker, in: session)
    }

    /// Announce (or its Undo) of a status by a local account: to its followers and the original author.
    func announce(_ reblog: Status, of original: Status, undo: Bool, in session: DBSession) async throws {
        guard let booster = try await session.account(id: reblog.accountID), booster.isLocal,
            let author = try await session.account(id: original.accountID)
        else { return }
        let announce = NoteDocument.announce(
            reblog: reblog,
            by: booster,
            of: original,
            originalAuthor: author,
            urls: self.urls
        )
        let activity = undo ? SocialActivity.undo(announce, actor: booster.uri) : announce
        try await self.toFollowers(activity, by: booster, also: author.isLocal ? [] : [author], in: session)
    }

    /// Follow (or its Undo) of a remote account; the Follow's id is stored so Accept and Undo can name it.
    func follow(_ target: Account, by follower: Account, undo: Bool, in session: DBSession) async throws {
        guard !target.isLocal, follower.isLocal else { return }
        let id =
            try await session.followURI(from: follower.id, to: target.id)
            ?? self.urls.activity(follower.username, "follows", self.context.ids.next() as Int64)
        let follow = SocialActivity.make("Follow", id: id, actor: follower.uri, object: .string(target.uri))
        if !undo {
            try await session.setFollowRequestURI(from: follower.id, to: target.id, uri: id)
            try await session.setFollowURI(from: follower.id, to: target.id, uri: id)
        }
        try await self.to(
            [target],
            undo ? SocialActivity.undo(follow, actor: follower.uri) : follow,
            by: follower,
            in: session
        )
    }

    /// Accept or Reject of a remote account's Follow of a local account (also a Reject to remove a follower).
    func answerFollow(from follower: Account, to target: Account, uri: String?, accept: Bool, in session: DBSession)
        async throws
    {
        guard !follower.isLocal, target.isLocal else { return }
        let follow = Self.follow(id: uri, follower: follower, target: target)
        let answer = self.activity(accept ? "Accept" : "Reject", by: target, object: follow, to: [follower.uri])
        try await self.to([follower], answer, by: target, in: session)
    }

    /// Block (or its Undo) of a remote account.
    func block(_ target: Account, by blocker: Account, undo: Bool, in session: DBSession) async throws {
        guard !target.isLocal, blocker.isLocal else { return }
        let block = SocialActivity.make(
            "Block",
            id: self.urls.activity(blocker.username, "blocks", target.id.rawValue),
            actor: blocker.uri,
            object: .string(target.uri)
        )
        try await self.to(
            [target],
            undo ? SocialActivity.undo(block, actor: blocker.uri) : block,
            by: blocker,
            in: session
        )
    }

    /// Update of a local account's actor, to its followers. The key is read before the transaction
    /// (making one takes a transaction of its own).
    func updateProfile(_ account: Account, publicKey: String, in session: DBSession) async throws {
        guard account.isLocal else { return }
        var person = ActorDocument.person(account, publicKeyPEM: publicKey, urls: self.urls).object ?? [:]
        person["@context"] = nil
        let update: JSON = [
            "@context": ActivityStreams.actorContext,
            "id": .string("\(account.uri)#updates/\(self.context.clock.now().millisecondsSince1970)"),
            "type": "Update",
            "actor": .string(account.uri),
            "to": [.string(ActivityStreams.publicCollection)],
            "object": .object(person),
        ]
        try await self.toFollowers(update, by: account, in: session)
    }
}
