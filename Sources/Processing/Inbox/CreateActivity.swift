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
        _ = try await self.store(note, author: signer, parentFetches: Self.maxParentFetches)
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
            } catch StorageError.duplicate {
                return false  // the same note arrived twice at once
            }
            switch visibility {
            case .public, .unlisted, .private:
                let other = stored.inReplyToAccountID.flatMap { $0 == author.id ? nil : $0 }
                try await session.fanOut(id, author: author.id, requireAlsoFollowing: other, onlyShowingReblogs: false)
            case .direct:
                try await session.insertIntoHomeFeeds(id, of: mentionedLocal.map(\.id))
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
