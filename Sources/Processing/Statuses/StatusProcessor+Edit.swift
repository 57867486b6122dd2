import Core
import Foundation
import Storage

extension StatusProcessor {
    /// What an edit may change: text, content warning, sensitivity, language, attachments and their alt
    /// text (not visibility, not the reply).
    package struct StatusEdit: Sendable {
        package var text: String
        package var spoilerText: String?
        package var sensitive: Bool?
        package var language: String?
        /// The attachments after the edit, in order; nil keeps them as they are.
        package var mediaIDs: [MediaAttachment.ID]?
        /// New alt text for attachments (`media_attributes[][description]`).
        package var mediaDescriptions: [MediaAttachment.ID: String] = [:]

        package init(text: String) {
            self.text = text
        }
    }

    /// Edits the viewer's own status: keeps the previous version in its history, re-links mentions and
    /// tags, and tells accounts that reblogged it (`update` notifications).
    package func edit(_ id: Status.ID, _ edit: StatusEdit, by viewer: Account.ID) async throws -> StatusView {
        let shown = try await self.show(id, for: viewer)
        let current = shown.status
        guard current.accountID == viewer, !current.isReblog else { throw DomainError.notFound }
        var media: [MediaAttachment]?
        if let ids = edit.mediaIDs {
            media = try await MediaProcessor(self.context).attachable(ids, by: viewer, status: id)
        }
        if let media, !media.isEmpty, shown.poll != nil {
            throw DomainError.validation("Validation failed: Polls cannot have media attachments")
        }
        let hasMedia = media.map { !$0.isEmpty } ?? !shown.media.isEmpty
        guard hasMedia || !edit.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DomainError.validation("Validation failed: Text can't be blank")
        }
        let attachments = media ?? shown.media.map(\.attachment)
        var described: [(MediaAttachment, String?)] = []
        for (mediaID, text) in edit.mediaDescriptions {
            guard let attachment = attachments.first(where: { $0.id == mediaID }) else {
                throw DomainError.validation("Validation failed: Media attributes name an attachment not on the post")
            }
            described.append((attachment, try MediaProcessor.checkDescription(text)))
        }
        let spoiler = edit.spoilerText ?? current.spoilerText
        let limit = self.context.instance.maxCharacters
        if TextFormatter.countCharacters(edit.text) + spoiler.count > limit {
            throw DomainError.validation("Validation failed: Text character limit of \(limit) exceeded")
        }
        if let language = edit.language, !Self.isLanguageCode(language) {
            throw DomainError.validation("Validation failed: Language is not a valid ISO 639 code")
        }
        let scanned = TextFormatter.scan(edit.text)
        let found = try await self.accounts.mentionedAccounts(scanned.mentions)
        let resolved = found.mapValues(AccountProcessor.mentionLink)
        let mentioned = Self.unique(Array(found.values))
        let urls = self.context.urls
        let rendered = TextFormatter.format(edit.text, mention: { resolved[$0] }, hashtagURL: { urls.tag($0) })
        let now = self.context.clock.now()
        var updated = current
        updated.text = edit.text
        updated.content = rendered.html
        updated.spoilerText = spoiler
        updated.sensitive = edit.sensitive ?? (current.sensitive || !spoiler.isEmpty)
        updated.language = edit.language ?? current.language
        updated.editedAt = now
        let changed = updated
        let newDescriptions = Dictionary(described.map { ($0.0.id, $0.1) }, uniquingKeysWith: { a, _ in a })
        let after = attachments.map {
            StatusVersion.Attachment(
                id: $0.id.rawValue,
                description: newDescriptions.keys.contains($0.id) ? newDescriptions[$0.id] ?? nil : $0.description
            )
        }
        try await self.context.db.transaction { session in
            try await Self.recordEdit(
                of: current,
                to: changed,
                mentions: mentioned.map(\.id),
                tags: rendered.hashtags,
                media: after,
                at: now,
                ids: self.context.ids,
                in: session
            )
            if let media, try await !session.replaceStatusMedia(id, with: media.map(\.id), account: viewer) {
                throw DomainError.validation("Validation failed: Media attachments are not yours or already used")
            }
            for (attachment, text) in described {
                try await session.updateMediaDescription(
                    attachment.id,
                    description: text,
                    focusX: attachment.focusX,
                    focusY: attachment.focusY
                )
            }
            try await self.outbox.publish(.update, changed, in: session)
        }
        return try await self.show(id, for: viewer)
    }

    /// Writes an edit: the first one also records the original, so the history starts where the post
    /// did; local accounts that reblogged the status are told. Each version keeps its attachments with
    /// their alt text then: `media` after the edit (nil: unchanged), read before it is applied.
    static func recordEdit(
        of current: Status,
        to changed: Status,
        mentions: [Account.ID],
        tags: [String],
        media: [StatusVersion.Attachment]? = nil,
        at now: Date,
        ids: IDGenerator,
        in session: DBSession
    ) async throws {
        let before = (try await session.media(of: [current.id])[current.id] ?? []).map {
            StatusVersion.Attachment(id: $0.id.rawValue, description: $0.description)
        }
        if try await session.statusVersions(of: current.id).isEmpty {
            var original = StatusVersion(
                text: current.text,
                content: current.content,
                spoilerText: current.spoilerText,
                sensitive: current.sensitive,
                createdAt: current.createdAt
            )
            original.media = before
            try await session.insertStatusVersion(original, id: ids.next(), status: current.id)
        }
        try await session.updateStatusText(changed, mentions: mentions, tags: tags) { ids.next() }
        var version = StatusVersion(
            text: changed.text,
            content: changed.content,
            spoilerText: changed.spoilerText,
            sensitive: changed.sensitive,
            createdAt: now
        )
        version.media = media ?? before
        try await session.insertStatusVersion(version, id: ids.next(), status: current.id)
        let rebloggers = try await session.reblogAuthors(of: current.id).filter { $0 != current.accountID }
        for account in try await session.accounts(ids: rebloggers) where account.isLocal {
            try await session.insertNotification(
                Notification(
                    id: ids.next(),
                    accountID: account.id,
                    fromAccountID: current.accountID,
                    kind: .update,
                    statusID: current.id,
                    createdAt: now
                )
            )
        }
    }

    /// A saved version with its attachments as they were (alt text of then; attachments deleted since
    /// are left out).
    package struct VersionView: Sendable {
        package let version: StatusVersion
        package let media: [MediaView]
    }

    /// The versions of a status the viewer can see, oldest first; a never-edited status has one.
    package func history(_ id: Status.ID, for viewer: Account.ID?) async throws -> (StatusView, [VersionView]) {
        let view = try await self.show(id, for: viewer)
        let versions = try await self.context.db.read { try await $0.statusVersions(of: id) }
        guard !versions.isEmpty else {
            let status = view.status
            let only = StatusVersion(
                text: status.text,
                content: status.content,
                spoilerText: status.spoilerText,
                sensitive: status.sensitive,
                createdAt: status.createdAt
            )
            return (view, [VersionView(version: only, media: view.media)])
        }
        let ids = Set(versions.flatMap { $0.media.map { MediaAttachment.ID($0.id) } })
        let stored = ids.isEmpty ? [] : try await self.context.db.read { try await $0.media(ids: Array(ids)) }
        let byID = Dictionary(stored.map { ($0.id.rawValue, $0) }, uniquingKeysWith: { a, _ in a })
        return (
            view,
            versions.map { version in
                VersionView(
                    version: version,
                    media: version.media.compactMap { kept in
                        guard var media = byID[kept.id], media.accountID == view.status.accountID else { return nil }
                        media.description = kept.description
                        return MediaProcessor.view(media, store: self.context.media)
                    }
                )
            }
        )
    }
}
