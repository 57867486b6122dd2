import Core
import Storage

/// Timelines: home (the feed table), public and local, hashtag, an account's statuses,
/// favourites and bookmarks. Each is one indexed range scan plus one batched hydration.
package struct TimelineProcessor: Sendable {
    let context: ProcessingContext
    let hydrator: StatusHydrator
    let filters: FilterProcessor

    init(_ context: ProcessingContext) {
        self.context = context
        self.hydrator = StatusHydrator(context: context)
        self.filters = FilterProcessor(context)
    }

    /// The viewer's home feed.
    package func home(for viewer: Account.ID, page: PageRequest) async throws -> Page<StatusView> {
        // The feed query leaves out members of the viewer's exclusive lists: they are read in their lists.
        try await self.page(for: viewer, timeline: true, filterContext: .home) {
            try await $0.homeFeed(of: viewer, page: page)
        }
    }

    /// Public statuses: everyone's, local only, or remote only.
    package func publicTimeline(_ scope: PublicTimelineScope, for viewer: Account.ID?, page: PageRequest) async throws
        -> Page<StatusView>
    {
        try await self.page(for: viewer, timeline: true, filterContext: .public) {
            try await $0.publicTimeline(scope, page: page)
        }
    }

    /// Public statuses with a hashtag.
    package func tag(
        _ name: String,
        any: [String],
        all: [String],
        none: [String],
        localOnly: Bool,
        for viewer: Account.ID?,
        page: PageRequest
    ) async throws -> Page<StatusView> {
        try await self.page(for: viewer, timeline: true, filterContext: .public) {
            try await $0.tagTimeline(name, any: any, all: all, none: none, localOnly: localOnly, page: page)
        }
    }

    /// An account's statuses as the viewer may see them.
    package func account(
        _ account: Account.ID,
        for viewer: Account.ID?,
        excludeReplies: Bool,
        excludeReblogs: Bool,
        tagged: String?,
        page: PageRequest
    ) async throws -> Page<StatusView> {
        try await self.page(for: viewer, filterContext: .account) { session -> [Status.ID] in
            guard let owner = try await session.account(id: account), !owner.isSuspended else {
                throw DomainError.notFound
            }
            if let viewer, try await session.safetyFilter(for: viewer, among: [account]).blockedBy.contains(account) {
                return []  // an author who blocks you shows you nothing
            }
            let follows = try await viewer.asyncMap { try await session.follow(from: $0, to: account) } != nil
            var filter = DBSession.AccountStatusFilter(
                visibilities: VisibilityRule.listable(author: account, viewer: viewer, viewerFollowsAuthor: follows)
            )
            filter.mentioning = viewer == account ? nil : viewer
            filter.excludeReplies = excludeReplies
            filter.excludeReblogs = excludeReblogs
            filter.tagged = tagged
            return try await session.accountStatuses(of: account, filter: filter, page: page)
        }
    }

    /// Public posts of the last two days that people favourited or boosted most (Mastodon's trending
    /// statuses, by plain counts), as the viewer may see them: blocked and muted authors and filtered
    /// posts left out.
    package func trending(for viewer: Account.ID?, limit: Int, offset: Int) async throws -> [StatusView] {
        try await self.page(for: viewer, timeline: true, filterContext: .public) {
            try await $0.trendingStatuses(days: 2, limit: max(1, min(limit, 40)), offset: max(0, offset))
        }.items
    }

    /// The statuses an account pinned, as the viewer may see them.
    package func pinned(_ account: Account.ID, for viewer: Account.ID?) async throws -> Page<StatusView> {
        let ids = try await self.context.db.read { session -> [Status.ID] in
            guard let owner = try await session.account(id: account), !owner.isSuspended else {
                throw DomainError.notFound
            }
            return try await session.pinnedStatuses(of: account)
        }
        return Page(items: try await self.hydrator.views(ids, for: viewer), newestID: nil, oldestID: nil)
    }

    /// The viewer's favourites or bookmarks, newest first, paged by the favourite/bookmark id.
    package func saved(for viewer: Account.ID, bookmarks: Bool, page: PageRequest) async throws -> Page<StatusView> {
        let rows = try await self.context.db.read {
            try await $0.savedStatuses(of: viewer, bookmarks: bookmarks, page: page)
        }
        let views = try await self.hydrator.views(rows.map(\.1), for: viewer)
        return Page(items: views, newestID: rows.first?.0, oldestID: rows.last?.0)
    }

    /// The statuses `feed` lists, hydrated for the viewer and filtered for `filterContext`, all in one read
    /// session: one snapshot, one SQLite transaction, and on PostgreSQL one pool checkout.
    private func page(
        for viewer: Account.ID?,
        timeline: Bool = false,
        filterContext: ContentFilter.Context,
        _ feed: (DBSession) async throws -> [Status.ID]
    ) async throws -> Page<StatusView> {
        try await self.context.db.read { session in
            let ids = try await feed(session)
            var views = try await self.hydrator.views(ids, for: viewer, timeline: timeline, in: session)
            views = try await self.filters.apply(consume views, for: viewer, in: filterContext, session: session)
            return Page(items: views, newestID: ids.first?.rawValue, oldestID: ids.last?.rawValue)
        }
    }
}
