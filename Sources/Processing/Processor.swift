import Core
import Federation
import Logging
import Storage

/// What every use case needs: storage, ids, time, URLs and the server's settings.
///
/// One instance is shared by every processor (a reference, so processors stay small to copy).
package final class ProcessingContext: Sendable {
    package let db: Database
    package let ids: IDGenerator
    package let clock: Clock
    package let urls: URLBuilder
    package let instance: InstanceSettings
    package let passwords: PasswordHasher
    package let federation: FederationContext
    package let media: any MediaStore
    package let logger: Logger
    /// How mail is sent; nil when no mail is configured (sign-ups are confirmed at once).
    package let mailer: Mailer?

    package init(
        db: Database,
        ids: IDGenerator,
        clock: Clock,
        urls: URLBuilder,
        instance: InstanceSettings,
        passwords: PasswordHasher,
        federation: FederationContext,
        media: any MediaStore,
        logger: Logger,
        mailer: Mailer? = nil
    ) {
        self.db = db
        self.ids = ids
        self.clock = clock
        self.urls = urls
        self.instance = instance
        self.passwords = passwords
        self.federation = federation
        self.media = media
        self.logger = logger
        self.mailer = mailer
    }
}

/// The root of the use cases; the fronts (API, web, CLI) call only this.
package final class Processor: Sendable {
    package let context: ProcessingContext
    package let accounts: AccountProcessor
    package let credentials: CredentialsProcessor
    package let invites: InviteProcessor
    package let exports: ExportProcessor
    package let imports: ImportProcessor
    package let migration: MigrationProcessor
    package let mediaCache: RemoteMediaCache
    package let twoFactor: TwoFactorProcessor
    package let oauth: OAuthProcessor
    package let instance: InstanceProcessor
    package let admin: AdminProcessor
    package let jobs: JobProcessor
    package let statuses: StatusProcessor
    package let follows: FollowProcessor
    package let timelines: TimelineProcessor
    package let notifications: NotificationProcessor
    package let search: SearchProcessor
    package let lists: ListProcessor
    package let reports: ReportProcessor
    package let filters: FilterProcessor
    package let conversations: ConversationProcessor
    package let polls: PollProcessor
    package let inbox: InboxProcessor
    package let push: PushProcessor
    /// Live events for the streaming API; its `run()` must be running (a service in `serve`).
    package let streams: StreamHub
    package let media: MediaProcessor

    package init(_ context: ProcessingContext) {
        self.context = context
        self.accounts = AccountProcessor(context)
        self.credentials = CredentialsProcessor(context)
        self.invites = InviteProcessor(context)
        self.exports = ExportProcessor(context)
        self.imports = ImportProcessor(context)
        self.migration = MigrationProcessor(context)
        self.mediaCache = RemoteMediaCache(context)
        self.twoFactor = TwoFactorProcessor(context)
        self.oauth = OAuthProcessor(context)
        self.instance = InstanceProcessor(context)
        self.admin = AdminProcessor(context, accounts: self.accounts)
        self.statuses = StatusProcessor(context, accounts: self.accounts)
        self.follows = FollowProcessor(context)
        self.timelines = TimelineProcessor(context)
        self.notifications = NotificationProcessor(context)
        self.search = SearchProcessor(context)
        self.lists = ListProcessor(context)
        self.reports = ReportProcessor(context)
        self.filters = FilterProcessor(context)
        self.conversations = ConversationProcessor(context)
        self.polls = PollProcessor(context)
        self.inbox = InboxProcessor(context)
        self.push = PushProcessor(context)
        self.media = MediaProcessor(context)
        self.streams = StreamHub(context, notifications: self.notifications)
        let hub = self.streams
        context.db.onCommit { hub.post($0) }
        self.jobs = JobProcessor(
            context,
            statuses: self.statuses,
            polls: self.polls,
            inbox: self.inbox,
            push: self.push
        )
    }
}
