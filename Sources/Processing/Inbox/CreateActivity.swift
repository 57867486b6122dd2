import Core
import Federation
import Foundation
import Storage

extension InboxProcessor {
    /// `Create` of a Note (Question, Article and Page are shown as notes) by the signer.
    func create(_ activity: JSON, signer: Account) async throws {
        guard var object = activity["object"] else { throw InboxRejection("Create without an object") }
        if object.string != nil, let id = object.id {
            try self.requireSameHost(id, as: signer, "object")
            object = try await self.context.federation.resolver.fetch(id)
        }
        guard let note = RemoteNote.parse(object) else { throw InboxRejection("Create of an unsupported object") }
        if let choice = note.voteName, let question = note.inReplyTo, self.urls.isLocal(question) {
            try await self.vote(choice, in: question, by: signer)
            return
        }
        _ = try await self.store(note, author: signer, parentFetches: Self.maxParentFetches)
    }

    /// A remote vote (a Note named after an option, replying to a local Question), one choice at a time.
    func vote(_ choice: String, in question: String, by voter: Account) async throws {
        guard let status = try await self.db.read({ try await $0.status(uri: question) }),
            let tally = try await self.db.read({ try await $0.pollTallies(statuses: [status.id], viewer: nil) })[
                status.id
            ]
        else { throw InboxRejection("vote in something that is not a local poll") }
        guard tally.poll.expiresAt > self.context.clock.now() else { throw InboxRejection("vote in a closed poll") }
        guard let index = tally.poll.options.firstIndex(of: choice) else { throw InboxRejection("vote for no option") }
        guard try await self.visible(status, to: voter) else { throw InboxRejection("vote in a poll not visible") }
        try await self.db.transaction { session in
            if !tally.poll.multiple,
                let own = try await session.pollTallies(statuses: [status.id], viewer: voter.id)[status.id]?.ownVotes,
                !own.isEmpty
            {
                return  // one choice only, and it was cast
            }
            _ = try await session.insertVote(
                tally.poll.id,
                account: voter.id,
                choice: index,
                id: self.context.ids.next()
            )
        }
    }

    /// Stores a remote note by `author` (who must be its attributed author on its own host) and tells the
    /// local accounts that should know: followers' home feeds, mentions. Returns the stored status
    /// (the existing one when it is a repeat).
    func store(_ note: RemoteNote, author: Account, parentFetches: Int) async throws -> Status {
        try self.requireSameHost(note.uri, as: author, "object")
        guard note.attributedTo == author.uri else { throw InboxRejection("note attributed to someone else") }
        guard !self.urls.isLocal(note.uri) else { throw InboxRejection("note with a local id") }
        if let existing = try await self.db.read({ try await $0.status(uri: note.uri) }) { return existing }
        var parent: Status?
        if let parentURI = note.inReplyTo {
            parent = try await self.db.read { try await $0.status(uri: parentURI) }
            if parent == nil, parentFetches > 0, !self.urls.isLocal(parentURI) {
                parent = try? await self.fetchNote(parentURI, parentFetches: parentFetches - 1)
            }
        }
        let visibility = Audience.visibility(to: note.to, cc: note.cc, followers: author.endpoints.followers)
        let (mentioned, mentionedLocal) = try await self.db.read { session in
            let accounts = try await session.accounts(uris: note.mentions)
            return (accounts, accounts.filter(\.isLocal).filter { !$0.isSuspended })
        }
        let now = self.context.clock.now()
        let id: Status.ID = self.context.ids.next()
        var status = Status(
            id: id,
            accountID: author.id,
            uri: note.uri,
            url: note.url ?? note.uri,
            text: "",
            content: note.content,
            spoilerText: note.spoilerText,
            sensitive: note.sensitive,
            visibility: visibility,
            language: note.language,
            inReplyToID: parent?.id,
            inReplyToAccountID: parent?.accountID,
            local: false,
            createdAt: min(note.published ?? now, now)
        )
        status.conversationID = parent?.thread ?? id
        let stored = status
        let inserted: Bool = try await self.db.transaction { session in
            do {
                try await session.insertStatus(stored, mentions: mentioned.map(\.id), tags: note.hashtags) {
                    self.context.ids.next()
                }
                if let poll = note.poll {
                    try await self.storePoll(poll, of: stored, in: session)
                }
                for attachment in note.attachments {
                    let media = self.remoteMedia(attachment, of: stored)
                    try await session.insertMedia(media)
                    if media.kind == .image {
                        try await session.enqueue(.cacheRemoteMedia(id: media.id.rawValue), id: self.context.ids.next())
                    }
                }
            } catch StorageError.duplicate {
                return false  // the same note arrived twice at once
            }
            switch visibility {
            case .public, .unlisted, .private:
                let other = stored.inReplyToAccountID.flatMap { $0 == author.id ? nil : $0 }
                try await session.fanOut(id, author: author.id, requireAlsoFollowing: other, onlyShowingReblogs: false)
            case .direct:
                try await session.insertIntoHomeFeeds(id, of: mentionedLocal.map(\.id))
                // Each local recipient sees the conversation, unread, with everyone else in it.
                let everyone = Set([author.id] + mentioned.map(\.id))
                for recipient in mentionedLocal {
                    try await session.touchConversation(
                        id: self.context.ids.next(),
                        account: recipient.id,
                        participants: Array(everyone.subtracting([recipient.id])),
                        status: id,
                        unread: true
                    )
                }
            }
            if visibility == .public {
                try await session.fanOutToTagFollowers(id, tags: note.hashtags)
            }
            for account in mentionedLocal {
                let filter = try await session.safetyFilter(for: account.id, among: [author.id])
                if filter.blocking.contains(author.id) || filter.hidesNotifications(from: author.id) { continue }
                if try await session.threadMuted(stored.thread, by: account.id) { continue }
                try await session.insertNotification(
                    Notification(
                        id: self.context.ids.next(),
                        accountID: account.id,
                        fromAccountID: author.id,
                        kind: .mention,
                        statusID: id,
                        createdAt: now
                    )
                )
            }
            if visibility != .direct && (stored.inReplyToAccountID == nil || stored.inReplyToAccountID == author.id) {
                for follower in try await session.notifiedFollowers(of: author.id) {
                    try await session.insertNotification(
                        Notification(
                            id: self.context.ids.next(),
                            accountID: follower,
                            fromAccountID: author.id,
                            kind: .status,
                            statusID: id,
                            createdAt: now
                        )
                    )
                }
            }
            return true
        }
        if !inserted, let existing = try await self.db.read({ try await $0.status(uri: note.uri) }) {
            return existing
        }
        return stored
    }

    /// A remote attachment, shown from its own server (`remote_url`) until the remote media cache exists.
    func remoteMedia(_ attachment: RemoteAttachment, of status: Status) -> MediaAttachment {
        var media = MediaAttachment(
            id: self.context.ids.next(),
            accountID: status.accountID,
            statusID: status.id,
            kind: attachment.kind,
            state: .ready,
            fileKey: "",
            contentType: attachment.mediaType,
            fileSize: 0,
            description: attachment.description,
            focusX: attachment.focusX,
            focusY: attachment.focusY,
            remoteURL: attachment.url,
            createdAt: status.createdAt
        )
        media.width = attachment.width
        media.height = attachment.height
        media.blurhash = attachment.blurhash
        return media
    }

    /// Stores a remote Question's poll with the counts its server reports; a job tells local voters
    /// when it ends.
    func storePoll(_ remote: RemotePoll, of status: Status, in session: DBSession) async throws {
        let pollID: Poll.ID = self.context.ids.next()
        let expires = remote.endTime ?? status.createdAt.addingTimeInterval(TimeInterval(Poll.duration.upperBound))
        try await session.insertPoll(
            Poll(
                id: pollID,
                statusID: status.id,
                accountID: status.accountID,
                options: remote.options,
                multiple: remote.multiple,
                hideTotals: false,
                expiresAt: expires
            )
        )
        try await session.updateRemotePollCounts(status: status.id, counts: remote.counts, voters: remote.voters)
        if expires > self.context.clock.now() {
            try await session.enqueue(.closePoll(id: pollID.rawValue), id: self.context.ids.next(), runAt: expires)
        }
    }

    /// Fetches a note by URI (a missing parent, a boosted post, a search) and stores it with its author.
    func fetchNote(_ uri: String, parentFetches: Int) async throws -> Status {
        if let existing = try await self.db.read({ try await $0.status(uri: uri) }) { return existing }
        let document = try await self.context.federation.resolver.fetch(uri)
        guard let note = RemoteNote.parse(document) else { throw InboxRejection("not a note: \(uri)") }
        guard URLBuilder.authority(of: note.attributedTo) == URLBuilder.authority(of: note.uri) else {
            throw InboxRejection("note and author on different hosts")
        }
        let author = try await self.context.federation.resolver.account(uri: note.attributedTo)
        return try await self.store(note, author: author, parentFetches: parentFetches)
    }
}
