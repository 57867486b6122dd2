import Core
import Foundation
import Storage

/// Runs one job of each kind. Every handler is idempotent: a job may run again after a crash.
package struct JobProcessor: Sendable {
    let context: ProcessingContext
    let statuses: StatusProcessor
    let polls: PollProcessor
    let delivery: DeliveryProcessor
    let inbox: InboxProcessor
    let push: PushProcessor

    init(
        _ context: ProcessingContext,
        statuses: StatusProcessor,
        polls: PollProcessor,
        inbox: InboxProcessor,
        push: PushProcessor
    ) {
        self.context = context
        self.statuses = statuses
        self.polls = polls
        self.delivery = DeliveryProcessor(context)
        self.inbox = inbox
        self.push = push
    }

    /// Performs `job`; throws to ask for a retry.
    package func perform(_ job: Job) async throws {
        switch job {
        case .pruneOAuth:
            let cutoff = self.context.clock.now().addingTimeInterval(-86_400)
            let removed = try await self.context.db.transaction { try await $0.pruneOAuth(revokedBefore: cutoff) }
            self.context.logger.debug("pruned \(removed) expired OAuth rows")
        case .publishScheduledStatus(let id):
            try await self.statuses.publishScheduled(ScheduledStatus.ID(id))
        case .closePoll(let id):
            try await self.polls.close(Poll.ID(id))
        case .distribute(let distribution):
            try await self.delivery.distribute(distribution)
        case .deliver(let delivery):
            try await self.delivery.deliver(delivery)
        case .inbox(let item):
            try await self.inbox.process(item)
        case .webPush(let id):
            try await self.push.deliver(notificationID: id)
        case .processMedia(let id):
            try await MediaProcessor(self.context).process(MediaAttachment.ID(id))
        case .verifyLinks(let id):
            try await LinkVerifier(self.context).verify(Account.ID(id))
        case .sendMail(let mail):
            guard let mailer = self.context.mailer else {
                self.context.logger.warning("a mail to \(mail.to) is queued but no mail is configured; dropped")
                return
            }
            try await mailer.send(mail, logger: self.context.logger)
        case .pruneMediaCache(let seconds):
            let cutoff = self.context.clock.now().addingTimeInterval(-TimeInterval(seconds))
            let freed = try await RemoteMediaCache(self.context).prune(olderThan: cutoff)
            if freed.files > 0 {
                self.context.logger.info("media cache: \(freed.files) files, \(freed.bytes) bytes freed")
            }
        case .cacheRemoteMedia(let id):
            try await RemoteMediaCache(self.context).cache(MediaAttachment.ID(id))
        case .cacheProfileImages(let id):
            try await RemoteMediaCache(self.context).cacheProfileImages(of: Account.ID(id))
        case .moveFollowers(let from, let to):
            try await MigrationProcessor(self.context).moveFollowers(from: Account.ID(from), to: Account.ID(to))
        case .runImport(let id):
            try await ImportProcessor(self.context).run(DataImport.ID(id))
        case .deleteMediaFiles(let keys):
            for key in keys {
                do {
                    try await self.context.media.delete(key)
                } catch {
                    // A missing file is no error (the store skips it); anything else is logged, not retried forever.
                    self.context.logger.warning("media file \(key) not deleted: \(error)")
                }
            }
        }
    }

    /// When to try a failed job again after `attempts` tries, or nil to give up: about 16 tries over
    /// about three days, doubling from 30 seconds, with jitter so retries from many jobs spread out.
    package static func retryDelay(afterAttempts attempts: Int, maxAttempts: Int) -> TimeInterval? {
        guard attempts < maxAttempts else { return nil }
        let base = 30.0 * pow(2.0, Double(min(attempts - 1, 13)))
        let capped = min(base, 6 * 3600)
        return capped * Double.random(in: 0.8...1.2)
    }
}
