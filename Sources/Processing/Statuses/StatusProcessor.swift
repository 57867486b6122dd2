import Core
import Foundation
import Storage

/// Status use cases: posting, reading, deleting, threads, favourites, reblogs and bookmarks.
package struct StatusProcessor: Sendable {
    let context: ProcessingContext
    let accounts: AccountProcessor
    let hydrator: StatusHydrator
    let outbox: Outbox

    init(_ context: ProcessingContext, accounts: AccountProcessor) {
        self.context = context
        self.accounts = accounts
        self.hydrator = StatusHydrator(context: context)
        self.outbox = Outbox(context)
    }

    /// What a client sends to post.
    package struct NewStatus: Sendable {
        package var text: String
        package var spoilerText = ""
        package var sensitive: Bool?
        package var visibility: Visibility?
        package var language: String?
        package var inReplyToID: Status.ID?
        package var idempotencyKey: String?
        package var applicationID: OAuthApplication.ID?
        package var poll: NewPoll?
        package var mediaIDs: [MediaAttachment.ID] = []
        /// The scheduled status being published, whose held media this may attach.
        package var scheduledID: ScheduledStatus.ID?

        package init(text: String) {
            self.text = text
        }
    }

    /// A poll to attach to a new status.
    package typealias NewPoll = PollDraft

    /// The view of a status if `viewer` may see it; 404 otherwise (never 403: that would reveal it exists).
    package func show(_ id: Status.ID, for viewer: Account.ID?) async throws -> StatusView {
        guard let view = try await self.hydrator.views([id], for: viewer).first else { throw DomainError.notFound }
        return view
    }

    /// Views of several statuses, skipping unknown and invisible ones.
    package func show(_ ids: [Status.ID], for viewer: Account.ID?) async throws -> [StatusView] {
        try await self.hydrator.views(ids, for: viewer)
    }

    /// Posts a status: renders the text, links mentions and tags, fills home feeds and notifies mentioned
    /// accounts, all in one transaction.
    package func post(_ new: NewStatus, by author: Account.ID) async throws -> StatusView {
        if let key = new.idempotencyKey, !key.isEmpty,
            let existing = try await self.context.db.read({ try await $0.idempotentStatus(key: key, account: author) })
        {
            return try await self.show(existing, for: author)
        }
        let text = new.text
        try self.checkText(text, spoiler: new.spoilerText, language: new.language, hasMedia: !new.mediaIDs.isEmpty)
        try new.poll?.check()
        if new.poll != nil && !new.mediaIDs.isEmpty {
            throw DomainError.validation("Validation failed: Polls cannot have media attachments")
        }
        let media = try await MediaProcessor(self.context).attachable(
            new.mediaIDs,
            by: author,
            status: nil,
            scheduled: new.scheduledID
        )
        if new.spoilerText.count > self.context.instance.maxCharacters {
            throw DomainError.validation("Validation failed: Spoiler text is too long")
        }
        let (user, parent) = try await self.context.db.read { session in
            (
                try await session.user(accountID: author),
                try await new.inReplyToID.asyncMap { try await session.status(id: $0) }
            )
        }
        var inReplyToAccount: Account.ID?
        if let parentID = new.inReplyToID {
            // Replying to something you cannot see, or that does not exist, is a 404.
            guard parent != nil, let parentView = try await self.hydrator.views([parentID], for: author).first,
                !parentView.status.isReblog
            else { throw DomainError.notFound }
            inReplyToAccount = parentView.status.accountID
        }
        let visibility = new.visibility ?? user?.settings.defaultVisibility ?? .public
        let scanned = TextFormatter.scan(text)
        let mentioned = try await self.accounts.mentionedAccounts(scanned.mentions, resolving: 5)
        let resolved = mentioned.mapValues(AccountProcessor.mentionLink)
        let mentionedIDs = Self.unique(Array(mentioned.values))
        let urls = self.context.urls
        let rendered = TextFormatter.format(text, mention: { resolved[$0] }, hashtagURL: { urls.tag($0) })
        let id: Status.ID = self.context.ids.next()
        guard let authorAccount = try await self.context.db.read({ try await $0.account(id: author) }) else {
            throw DomainError.notFound
        }
        var draft = Status(
            id: id,
            accountID: author,
            uri: urls.status(authorAccount.username, id.rawValue),
            url: urls.statusPage(authorAccount.username, id.rawValue),
            text: text,
            content: rendered.html,
            spoilerText: new.spoilerText,
            sensitive: new.sensitive ?? (!new.spoilerText.isEmpty || (user?.settings.defaultSensitive ?? false)),
            visibility: visibility,
            language: new.language ?? user?.settings.defaultLanguage,
            inReplyToID: new.inReplyToID,
            inReplyToAccountID: inReplyToAccount,
            applicationID: new.applicationID,
            local: true,
            createdAt: self.context.clock.now()
        )
        draft.conversationID = parent?.thread ?? id
        let status = draft
        let mentionedLocal = mentionedIDs.filter { $0.isLocal }.map(\.id)
        try await self.context.db.transaction { session in
            try await session.insertStatus(status, mentions: mentionedIDs.map(\.id), tags: rendered.hashtags) {
                self.context.ids.next()
            }
            if let key = new.idempotencyKey, !key.isEmpty {
                try await session.insertIdempotencyKey(String(key.prefix(200)), account: author, status: id)
            }
            if !media.isEmpty {
                // Attached inside the transaction: an attachment another post took first fails this one.
                guard
                    try await session.attachMedia(media.map(\.id), to: id, account: author, scheduled: new.scheduledID)
                        == media.count
                else {
                    throw DomainError.validation("Validation failed: Media attachments are not yours or already used")
                }
            }
            if let poll = new.poll {
                let expires = status.createdAt.addingTimeInterval(TimeInterval(poll.expiresIn))
                let pollID: Poll.ID = self.context.ids.next()
                try await session.insertPoll(
                    Poll(
                        id: pollID,
                        statusID: id,
                        accountID: author,
                        options: poll.options,
                        multiple: poll.multiple,
                        hideTotals: poll.hideTotals,
                        expiresAt: expires
                    )
                )
                try await session.enqueue(.closePoll(id: pollID.rawValue), id: self.context.ids.next(), runAt: expires)
            }
            switch visibility {
            case .public, .unlisted, .private:
                let other = inReplyToAccount.flatMap { $0 == author ? nil : $0 }
                try await session.fanOut(id, author: author, requireAlsoFollowing: other, onlyShowingReblogs: false)
            case .direct:
                try await session.insertIntoHomeFeeds(id, of: [author] + mentionedLocal)
                // Every local participant sees the conversation; it is unread for all but the author.
                let everyone = Set([author] + mentionedIDs.map(\.id))
                for participant in Set([author] + mentionedLocal) {
                    try await session.touchConversation(
                        id: self.context.ids.next(),
                        account: participant,
                        participants: Array(everyone.subtracting([participant])),
                        status: id,
                        unread: participant != author
                    )
                }
            }
            if visibility == .public {
                try await session.fanOutToTagFollowers(id, tags: rendered.hashtags)
            }
            try await self.outbox.publish(.create, status, in: session)
            // Followers who asked to hear of every post (`notify=true`): not for replies to others or DMs.
            if visibility != .direct && (inReplyToAccount == nil || inReplyToAccount == author) {
                for follower in try await session.notifiedFollowers(of: author) where !mentionedLocal.contains(follower)
                {
                    try await session.insertNotification(
                        Notification(
                            id: self.context.ids.next(),
                            accountID: follower,
                            fromAccountID: author,
                            kind: .status,
                            statusID: id,
                            createdAt: status.createdAt
                        )
                    )
                }
            }
            for account in mentionedLocal where account != author {
                let recipient = try await session.safetyFilter(for: account, among: [author])
                if recipient.blocking.contains(author) { continue }
                if try await session.threadMuted(status.thread, by: account) { continue }
                try await session.insertNotification(
                    Notification(
                        id: self.context.ids.next(),
                        accountID: account,
                        fromAccountID: author,
                        kind: .mention,
                        statusID: id,
                        createdAt: status.createdAt
                    )
                )
            }
        }
        return try await self.show(id, for: author)
    }

    /// Accounts without repeats (`@Bob` and `@bob` name the same one), in a stable order.
    static func unique(_ accounts: [Account]) -> [Account] {
        var seen = Set<Account.ID>()
        return accounts.sorted { $0.id < $1.id }.filter { seen.insert($0.id).inserted }
    }

    static func isLanguageCode(_ text: String) -> Bool {
        (2...8).contains(text.count) && text.allSatisfy { $0.isASCII && ($0.isLetter || $0 == "-") }
    }

    /// Deletes the viewer's own status and returns it with its source text (delete-and-redraft).
    package func delete(_ id: Status.ID, by viewer: Account.ID) async throws -> StatusView {
        var view = try await self.show(id, for: viewer)
        guard view.status.accountID == viewer else { throw DomainError.notFound }
        try await self.context.db.transaction { session in
            // Built before the row goes: the Delete is addressed like the status was.
            try await self.outbox.publish(.delete, view.status, in: session)
            try await session.deleteStatus(view.status)
        }
        view.includeSource = true
        return view
    }

    /// The statuses above (oldest first) and below (in reply order) a status, as the viewer may see them.
    package func context(_ id: Status.ID, for viewer: Account.ID?) async throws -> (
        ancestors: [StatusView], descendants: [StatusView]
    ) {
        let status = try await self.show(id, for: viewer).status
        let (ancestorIDs, descendantIDs) = try await self.context.db.read { session in
            var chain: [Status.ID] = []
            var next = status.inReplyToID
            while let current = next, chain.count < 40, let parent = try await session.status(id: current) {
                chain.append(parent.id)
                next = parent.inReplyToID
            }
            let below = try await session.descendants(of: status.id, limit: 200).map(\.id)
            return (Array(chain.reversed()), below)
        }
        let filters = FilterProcessor(self.context)
        return (
            try await filters.apply(try await self.hydrator.views(ancestorIDs, for: viewer), for: viewer, in: .thread),
            try await filters.apply(try await self.hydrator.views(descendantIDs, for: viewer), for: viewer, in: .thread)
        )
    }
}

extension Optional {
    /// `map` for async transforms.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

extension PollDraft {
    /// Mastodon's rules: 2 to 4 distinct options of at most 50 characters, 5 minutes to a month.
    func check() throws {
        guard Poll.optionCount.contains(self.options.count) else {
            throw DomainError.validation("Validation failed: Poll must have 2 to 4 options")
        }
        guard
            self.options.allSatisfy({
                !$0.trimmingCharacters(in: .whitespaces).isEmpty && $0.count <= Poll.maxOptionLength
            })
        else { throw DomainError.validation("Validation failed: Poll options must be 1 to 50 characters") }
        guard Set(self.options).count == self.options.count else {
            throw DomainError.validation("Validation failed: Poll options must be different")
        }
        guard Poll.duration.contains(self.expiresIn) else {
            throw DomainError.validation("Validation failed: Poll duration must be between 5 minutes and a month")
        }
    }
}
