import Core
import Foundation
import Storage

/// A scheduled status with the media held for it.
package struct ScheduledStatusView: Sendable {
    package let scheduled: ScheduledStatus
    package let media: [MediaView]
}

extension StatusProcessor {
    /// How soon a status may be scheduled, and how many may wait (Mastodon's limits).
    static let minimumScheduleDelay: TimeInterval = 300
    static let maxScheduled = 300
    static let maxScheduledPerDay = 25

    /// Schedules a status: stores it and, in the same transaction, the job that publishes it.
    package func schedule(_ new: NewStatus, at date: Date, by author: Account.ID) async throws -> ScheduledStatusView {
        guard date.timeIntervalSince(self.context.clock.now()) >= Self.minimumScheduleDelay else {
            throw DomainError.validation("Validation failed: Scheduled at must be at least 5 minutes in the future")
        }
        try self.checkText(new.text, spoiler: new.spoilerText, language: new.language, hasMedia: !new.mediaIDs.isEmpty)
        try new.poll?.check()
        if new.poll != nil && !new.mediaIDs.isEmpty {
            throw DomainError.validation("Validation failed: Polls cannot have media attachments")
        }
        let media = try await MediaProcessor(self.context).attachable(new.mediaIDs, by: author, status: nil)
        let counts = try await self.context.db.read { try await $0.scheduledCounts(of: author, around: date) }
        guard counts.total < Self.maxScheduled, counts.sameDay < Self.maxScheduledPerDay else {
            throw DomainError.validation("Validation failed: You have exceeded the limit of scheduled statuses")
        }
        if let parent = new.inReplyToID {
            _ = try await self.show(parent, for: author)
        }
        var scheduled = ScheduledStatus(
            id: self.context.ids.next(),
            accountID: author,
            scheduledAt: date,
            params: ScheduledStatus.Params(
                text: new.text,
                spoilerText: new.spoilerText,
                sensitive: new.sensitive,
                visibility: new.visibility,
                language: new.language,
                inReplyToID: new.inReplyToID?.rawValue,
                applicationID: new.applicationID?.rawValue
            )
        )
        scheduled.params.mediaIDs = media.isEmpty ? nil : media.map(\.id.rawValue)
        scheduled.params.poll = new.poll
        let saved = scheduled
        try await self.context.db.transaction { session in
            try await session.saveScheduledStatus(saved)
            // Held inside the transaction: media another post took first fails this one.
            guard try await session.holdMedia(media.map(\.id), for: saved.id, account: author) == media.count else {
                throw DomainError.validation("Validation failed: Media attachments are not yours or already used")
            }
            try await session.enqueue(
                .publishScheduledStatus(id: saved.id.rawValue),
                id: self.context.ids.next(),
                runAt: date
            )
        }
        return try await self.views([saved])[0]
    }

    /// The viewer's scheduled statuses.
    package func scheduled(of viewer: Account.ID, page: PageRequest) async throws -> [ScheduledStatusView] {
        try await self.views(try await self.context.db.read { try await $0.scheduledStatuses(of: viewer, page: page) })
    }

    /// One of the viewer's scheduled statuses, with its media.
    package func scheduledView(_ id: ScheduledStatus.ID, of viewer: Account.ID) async throws -> ScheduledStatusView {
        try await self.views([try await self.scheduled(id, of: viewer)])[0]
    }

    /// Scheduled statuses with the media held for them, in one query.
    private func views(_ items: [ScheduledStatus]) async throws -> [ScheduledStatusView] {
        let ids = items.flatMap { ($0.params.mediaIDs ?? []).map { MediaAttachment.ID($0) } }
        let media = ids.isEmpty ? [] : try await self.context.db.read { try await $0.media(ids: ids) }
        let byID = Dictionary(media.map { ($0.id.rawValue, $0) }, uniquingKeysWith: { a, _ in a })
        return items.map { item in
            ScheduledStatusView(
                scheduled: item,
                media: (item.params.mediaIDs ?? []).compactMap { byID[$0] }
                    .filter { $0.scheduledStatusID == item.id }
                    .map { MediaProcessor.view($0, store: self.context.media) }
            )
        }
    }

    /// One of the viewer's scheduled statuses.
    package func scheduled(_ id: ScheduledStatus.ID, of viewer: Account.ID) async throws -> ScheduledStatus {
        guard let scheduled = try await self.context.db.read({ try await $0.scheduledStatus(id: id, of: viewer) })
        else {
            throw DomainError.notFound
        }
        return scheduled
    }

    /// Moves a scheduled status; the job enqueued for the old time finds it moved and does nothing.
    package func reschedule(_ id: ScheduledStatus.ID, to date: Date, by viewer: Account.ID) async throws
        -> ScheduledStatusView
    {
        var scheduled = try await self.scheduled(id, of: viewer)
        guard date.timeIntervalSince(self.context.clock.now()) >= Self.minimumScheduleDelay else {
            throw DomainError.validation("Validation failed: Scheduled at must be at least 5 minutes in the future")
        }
        scheduled.scheduledAt = date
        let moved = scheduled
        try await self.context.db.transaction { session in
            try await session.saveScheduledStatus(moved)
            try await session.enqueue(
                .publishScheduledStatus(id: moved.id.rawValue),
                id: self.context.ids.next(),
                runAt: date
            )
        }
        return try await self.views([moved])[0]
    }

    /// Cancels a scheduled status.
    package func cancelScheduled(_ id: ScheduledStatus.ID, by viewer: Account.ID) async throws {
        let scheduled = try await self.scheduled(id, of: viewer)
        try await self.context.db.transaction { try await $0.deleteScheduledStatus(scheduled.id) }
    }

    /// The job: publishes the status if it is still due now. Idempotent: the post carries an
    /// `Idempotency-Key` made from the schedule id, so a retry after a crash posts once.
    package func publishScheduled(_ id: ScheduledStatus.ID) async throws {
        guard let scheduled = try await self.context.db.read({ try await $0.scheduledStatus(id: id) }) else { return }
        guard scheduled.scheduledAt <= self.context.clock.now().addingTimeInterval(1) else { return }  // moved later
        var new = NewStatus(text: scheduled.params.text)
        new.spoilerText = scheduled.params.spoilerText
        new.sensitive = scheduled.params.sensitive
        new.visibility = scheduled.params.visibility
        new.language = scheduled.params.language
        new.inReplyToID = scheduled.params.inReplyToID.map { Status.ID($0) }
        new.applicationID = scheduled.params.applicationID.map { OAuthApplication.ID($0) }
        new.idempotencyKey = "scheduled-\(id)"
        new.mediaIDs = (scheduled.params.mediaIDs ?? []).map { MediaAttachment.ID($0) }
        new.scheduledID = id
        new.poll = scheduled.params.poll
        do {
            _ = try await self.post(new, by: scheduled.accountID)
        } catch let error as DomainError {
            // The post can no longer be made (its reply target vanished...): drop it rather than retry forever.
            self.context.logger.info("scheduled status \(id) dropped: \(error.userMessage)")
        }
        try await self.context.db.transaction { try await $0.deleteScheduledStatus(id) }
    }

    /// The text rules every new status obeys.
    func checkText(_ text: String, spoiler: String, language: String?, hasMedia: Bool = false) throws {
        guard hasMedia || !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DomainError.validation("Validation failed: Text can't be blank")
        }
        let limit = self.context.instance.maxCharacters
        if TextFormatter.countCharacters(text) + spoiler.count > limit {
            throw DomainError.validation("Validation failed: Text character limit of \(limit) exceeded")
        }
        if let language, !Self.isLanguageCode(language) {
            throw DomainError.validation("Validation failed: Language is not a valid ISO 639 code")
        }
    }
}
