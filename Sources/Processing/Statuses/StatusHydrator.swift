import Core
import Storage

/// Turns status ids into `StatusView`s in a fixed number of queries, whatever the count: statuses,
/// reblogged originals, mentions and tags (one statement, which also tells which statuses have a poll or
/// media: only then are those read), accounts, the viewer's follows and interactions, its blocks and
/// mutes. Drops what the viewer may not see.
struct StatusHydrator: Sendable {
    let context: ProcessingContext

    /// Views of `ids` in the same order, without those `viewer` may not see. Statuses of accounts that
    /// block the viewer are never shown; with `timeline`, neither are those of accounts the viewer
    /// blocks or mutes (a timeline is a feed; an explicit fetch still works, as in Mastodon).
    func views(_ ids: [Status.ID], for viewer: Account.ID?, timeline: Bool = false) async throws -> [StatusView] {
        guard !ids.isEmpty else { return [] }
        return try await self.context.db.read { try await self.views(ids, for: viewer, timeline: timeline, in: $0) }
    }

    /// `views(_:for:timeline:)` in a read session the caller has open.
    func views(_ ids: [Status.ID], for viewer: Account.ID?, timeline: Bool = false, in session: DBSession)
        async throws -> [StatusView]
    {
        guard !ids.isEmpty else { return [] }
        let statuses = try await session.statuses(ids: ids)
        let originalIDs = statuses.compactMap(\.reblogOfID)
        let originals = try await session.statuses(ids: originalIDs)
        let all = statuses + originals
        let byID = Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let allIDs = Array(byID.keys)
        let extras = try await session.extras(of: allIDs)
        let (mentions, tags) = (extras.mentions, extras.tags)
        let polls =
            extras.withPoll.isEmpty ? [:] : try await session.pollTallies(statuses: extras.withPoll, viewer: viewer)
        let media = extras.withMedia.isEmpty ? [:] : try await session.media(of: extras.withMedia)
        var accountIDs = Set(all.map(\.accountID))
        for list in mentions.values { accountIDs.formUnion(list) }
        // One view per account, however many statuses it wrote or is mentioned in.
        let urls = self.context.urls
        let accounts = Dictionary(
            try await session.accounts(ids: Array(accountIDs)).map {
                ($0.id, AccountView(account: $0, user: nil, urls: urls))
            },
            uniquingKeysWith: { a, _ in a }
        )
        var safety = SafetyFilter()
        var flags = Interactions()
        if let viewer {
            flags = try await session.interactions(
                of: viewer,
                // The page's statuses are close in time; what its reblogs reblogged may be of any age.
                with: statuses.map(\.id),
                others: originals.map(\.id),
                threads: Array(Set(all.map(\.thread))),
                // Whether the viewer follows matters only for followers-only posts.
                following: Array(Set(all.filter { $0.visibility == .private }.map(\.accountID))),
                pinned: all.filter { $0.accountID == viewer && !$0.isReblog }.map(\.id)
            )
            safety = try await session.safetyFilter(for: viewer, among: Array(Set(all.map(\.accountID))))
        }

        func view(_ status: Status, reblog: StatusView?) -> StatusView? {
            guard let author = accounts[status.accountID], !author.account.isSuspended,
                !safety.blockedBy.contains(status.accountID), !(timeline && safety.hides(status.accountID))
            else { return nil }
            let mentioned = mentions[status.id] ?? []
            let visible = VisibilityRule.canSee(
                status,
                viewer: viewer,
                viewerFollowsAuthor: flags.following.contains(status.accountID),
                viewerIsMentioned: viewer.map { mentioned.contains($0) } ?? false
            )
            guard visible else { return nil }
            var made = StatusView(
                status: status,
                author: author,
                mentions: mentioned.compactMap { accounts[$0] },
                tags: tags[status.id] ?? [],
                // A reblog reports what the viewer did with the reblogged status, as Mastodon does.
                viewer: viewer.map { _ in
                    let target = status.reblogOfID ?? status.id
                    return StatusView.ViewerFlags(
                        favourited: flags.favourited.contains(target),
                        reblogged: flags.reblogged.contains(target),
                        bookmarked: flags.bookmarked.contains(target),
                        pinned: flags.pinned.contains(target),
                        muted: flags.mutedThreads.contains(
                            (status.reblogOfID.flatMap { byID[$0] } ?? status).thread
                        )
                    )
                },
                viewerID: viewer,
                reblog: reblog
            )
            made.media = (media[status.id] ?? []).map { MediaProcessor.view($0, store: self.context.media) }
            made.poll = polls[status.id].map { tally in
                var tally = tally
                tally.expired = tally.poll.expiresAt <= self.context.clock.now()
                return tally
            }
            return made
        }

        return ids.compactMap { id -> StatusView? in
            guard let status = byID[id] else { return nil }
            if let originalID = status.reblogOfID {
                guard let original = byID[originalID], let inner = view(original, reblog: nil) else { return nil }
                return view(status, reblog: inner)
            }
            return view(status, reblog: nil)
        }
    }
}
