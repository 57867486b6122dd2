import Core
import HTTPCommon
import Hummingbird
import Processing

/// Mounts the Mastodon client API under `/api` and the JSON OAuth endpoints under `/oauth`.
package struct MastodonRoutes {
    let processor: Processor
    let authLimiter: RateLimiter

    package init(processor: Processor, authLimiter: RateLimiter) {
        self.processor = processor
        self.authLimiter = authLimiter
    }

    package func addRoutes(to router: Router<AppRequestContext>) {
        let api = router.group("api")
            .add(middleware: MastodonErrorMiddleware())
            .add(middleware: BearerAuthMiddleware(oauth: self.processor.oauth))
        let v1 = api.group("v1")
        let v2 = api.group("v2")
        AppsController(oauth: self.processor.oauth, push: self.processor.push).addRoutes(to: v1)
        PushController(push: self.processor.push).addRoutes(to: v1)
        MediaController(media: self.processor.media).addRoutes(v1: v1, v2: v2)
        StreamingController(
            streams: self.processor.streams,
            oauth: self.processor.oauth,
            urls: self.processor.context.urls
        )
        .addRoutes(to: v1)
        AccountsController(
            accounts: self.processor.accounts,
            authLimiter: self.authLimiter,
            oauth: self.processor.oauth,
            follows: self.processor.follows,
            timelines: self.processor.timelines,
            urls: self.processor.context.urls
        ).addRoutes(to: v1)
        EmailsController(credentials: self.processor.credentials).addRoutes(to: v1)
        InvitesController(
            invites: self.processor.invites,
            urls: self.processor.context.urls,
            clock: self.processor.context.clock
        ).addRoutes(to: v1)
        AdminAccountsController(admin: self.processor.admin, urls: self.processor.context.urls)
            .addRoutes(v1: v1, v2: v2)
        InstanceController(instance: self.processor.instance, accounts: self.processor.accounts)
            .addRoutes(v1: v1, v2: v2)
        let urls = self.processor.context.urls
        StatusesController(statuses: self.processor.statuses, urls: urls).addRoutes(to: v1)
        TimelinesController(timelines: self.processor.timelines, urls: urls).addRoutes(to: v1)
        let notifications = NotificationsController(
            notifications: self.processor.notifications,
            lists: self.processor.lists,
            urls: urls
        )
        notifications.addRoutes(to: v1)
        notifications.addV2Routes(to: v2)
        GroupedNotificationsController(
            notifications: self.processor.notifications,
            urls: urls
        ).addRoutes(to: v2)
        ReportsController(reports: self.processor.reports).addRoutes(to: v1)
        FiltersController(filters: self.processor.filters).addRoutes(v1: v1, v2: v2)
        ConversationsController(conversations: self.processor.conversations, urls: urls).addRoutes(to: v1)
        PollsController(polls: self.processor.polls).addRoutes(to: v1)
        ScheduledStatusesController(statuses: self.processor.statuses, urls: urls).addRoutes(to: v1)
        SearchController(search: self.processor.search, urls: urls).addRoutes(v1: v1, v2: v2)
        ListsController(lists: self.processor.lists, urls: urls).addRoutes(to: v1)
        DomainBlocksController(follows: self.processor.follows, urls: urls).addRoutes(to: v1)
        OAuthController(oauth: self.processor.oauth, urls: self.processor.context.urls, authLimiter: self.authLimiter)
            .addRoutes(to: router)
        // Anything else under /api is Mastodon's JSON 404, whatever the method.
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
            api.on("**", method: method) { _, _ -> Response in throw DomainError.notFound }
        }
    }
}
