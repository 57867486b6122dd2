import Core
import Foundation
import Storage

/// Follow use cases. A follow of a remote account is a request until its server answers with Accept.
package struct FollowProcessor: Sendable {
    let context: ProcessingContext
    let outbox: Outbox

    init(_ context: ProcessingContext) {
        self.context = context
        self.outbox = Outbox(context)
    }

    /// How many recent statuses of a newly followed account are copied into the follower's home feed.
    static let backfillCount = 40

    /// Follows `target` (or updates the follow's options); notifies the target once.
    package func follow(
        _ target: Account.ID,
        by viewer: Account.ID,
        reblogs: Bool?,
        notify: Bool?,
        languages: [String]?
    ) async throws -> RelationshipView {
        guard target != viewer else { throw DomainError.forbidden("You cannot follow yourself") }
        guard let account = try await self.context.db.read({ try await $0.account(id: target) }), !account.isSuspended
        else {
            throw DomainError.notFound
        }
        let blocked = try await self.context.db.read { try await $0.safetyFilter(for: viewer, among: [target]) }
        if blocked.blockedBy.contains(target) || blocked.blocking.contains(target)
            || blocked.domainBlocking.contains(target)
        {
            throw DomainError.forbidden("This action is not allowed")
        }
        let existing = try await self.context.db.read { try await $0.follow(from: viewer, to: target) }
        if (account.locked || !account.isLocal) && existing == nil {
            return try await self.request(account, by: viewer, reblogs: reblogs, notify: notify, languages: languages)
        }
        let follow = Follow(
            id: existing?.id ?? self.context.ids.next(),
            accountID: viewer,
            targetAccountID: target,
            showReblogs: reblogs ?? existing?.showReblogs ?? true,
            notify: notify ?? existing?.notify ?? false,
            languages: languages ?? existing?.languages,
            createdAt: existing?.createdAt ?? self.context.clock.now()
        )
        try await self.context.db.transaction { session in
            guard try await session.upsertFollow(follow) else { return }
            try await self.backfill(session, follower: viewer, of: target, showingReblogs: follow.showReblogs)
            if account.isLocal {
                try await session.insertNotification(
                    Notification(
                        id: self.context.ids.next(),
                        accountID: target,
                        fromAccountID: viewer,
                        kind: .follow,
                        statusID: nil,
                        createdAt: self.context.clock.now()
                    )
                )
            }
        }
        return try await self.relationships(of: viewer, to: [target]).first ?? RelationshipView(id: target)
    }

    /// Copies the recent posts of a newly followed account into the follower's home feed.
    /// Without `showingReblogs` (the follow was made with `reblogs=false`), its reblogs stay out.
    func backfill(_ session: DBSession, follower: Account.ID, of target: Account.ID, showingReblogs: Bool)
        async throws
    {
        var filter = DBSession.AccountStatusFilter(visibilities: [.public, .unlisted, .private])
        filter.excludeReblogs = !showingReblogs
        let recent = try await session.accountStatuses(
            of: target,
            filter: filter,
            page: PageRequest(limit: Self.backfillCount)
        )
        for id in recent { try await session.insertIntoHomeFeeds(id, of: [follower]) }
    }

    /// Asks a locked account to be followed; it is told once with a `follow_request` notification.
    private func request(_ account: Account, by viewer: Account.ID, reblogs: Bool?, notify: Bool?, languages: [String]?)
        async throws -> RelationshipView
    {
        let request = Follow(
            id: self.context.ids.next(),
            accountID: viewer,
            targetAccountID: account.id,
            showReblogs: reblogs ?? true,
            notify: notify ?? false,
            languages: languages,
            createdAt: self.context.clock.now()
        )
        try await self.context.db.transaction { session in
            let new = try await session.upsertFollowRequest(request)
            if !account.isLocal, let follower = try await session.account(id: viewer) {
                try await self.outbox.follow(account, by: follower, undo: false, in: session)
            }
            guard new, account.isLocal else { return }
            try await session.insertNotification(
                Notification(
                    id: self.context.ids.next(),
                    accountID: account.id,
                    fromAccountID: viewer,
                    kind: .followRequest,
                    statusID: nil,
                    createdAt: request.createdAt
                )
            )
        }
        return try await self.relationships(of: viewer, to: [account.id]).first ?? RelationshipView(id: account.id)
    }

    /// Accepts (or rejects) the request of `requester` to follow the viewer.
    package func answerRequest(from requester: Account.ID, by viewer: Account.ID, accept: Bool) async throws
        -> RelationshipView
    {
        try await self.context.db.transaction { session in
            guard let request = try await session.followRequest(from: requester, to: viewer) else {
                throw DomainError.notFound
            }
            let uri = try await session.followURI(from: requester, to: viewer)
            try await self.federate(session, viewer: viewer, target: requester) { me, them in
                try await self.outbox.answerFollow(from: them, to: me, uri: uri, accept: accept, in: session)
            }
            _ = try await session.deleteFollowRequest(from: requester, to: viewer)
            try await session.deleteNotifications(to: viewer, from: requester, kind: .followRequest, status: nil)
            guard accept else { return }
            let follow = Follow(
                id: self.context.ids.next(),
                accountID: requester,
                targetAccountID: viewer,
                showReblogs: request.showReblogs,
                notify: request.notify,
                languages: request.languages,
                createdAt: self.context.clock.now()
            )
            let inserted = try await session.upsertFollow(follow)
            if let uri { try await session.setFollowURI(from: requester, to: viewer, uri: uri) }
            if inserted {
                try await self.backfill(session, follower: requester, of: viewer, showingReblogs: follow.showReblogs)
                try await session.insertNotification(
                    Notification(
                        id: self.context.ids.next(),
                        accountID: viewer,
                        fromAccountID: requester,
                        kind: .follow,
                        statusID: nil,
                        createdAt: follow.createdAt
                    )
                )
            }
        }
        return try await self.relationships(of: viewer, to: [requester]).first ?? RelationshipView(id: requester)
    }

    /// Accounts waiting for the viewer to answer their follow requests.
    package func requests(to viewer: Account.ID, page: PageRequest) async throws -> Page<AccountView> {
        let rows = try await self.context.db.read { try await $0.followRequestPage(to: viewer, page: page) }
        return Page(
            items: rows.map { AccountView(account: $0.1, user: nil, urls: self.context.urls) },
            newestID: rows.first?.0,
            oldestID: rows.last?.0
        )
    }

    /// Stops following `target` and takes its posts out of the viewer's home feed.
    package func unfollow(_ target: Account.ID, by viewer: Account.ID) async throws -> RelationshipView {
        guard try await self.context.db.read({ try await $0.account(id: target) }) != nil else {
            throw DomainError.notFound
        }
        try await self.context.db.transaction { session in
            try await self.federate(session, viewer: viewer, target: target) { me, them in
                if try await session.followURI(from: viewer, to: target) != nil {
                    try await self.outbox.follow(them, by: me, undo: true, in: session)
                }
            }
            if try await session.deleteFollow(from: viewer, to: target) {
                try await session.removeFromHomeFeed(of: viewer, postsBy: target)
                try await session.removeFromLists(of: viewer, member: target)
            }
            if try await session.deleteFollowRequest(from: viewer, to: target) {
                try await session.deleteNotifications(to: target, from: viewer, kind: .followRequest, status: nil)
            }
        }
        return try await self.relationships(of: viewer, to: [target]).first ?? RelationshipView(id: target)
    }

    /// Relationships of the viewer to each existing account, in the order asked.
    package func relationships(of viewer: Account.ID, to ids: [Account.ID]) async throws -> [RelationshipView] {
        var seen = Set<Account.ID>()
        let unique = ids.filter { seen.insert($0).inserted }
        return try await self.context.db.read { session in
            let found = Set(try await session.accounts(ids: unique).map(\.id))
            let following = try await session.follows(from: viewer, to: unique)
            let followedBy = try await session.followers(of: viewer, among: unique)
            let safety = try await session.safetyFilter(for: viewer, among: unique)
            let requested = try await session.pendingRequests(of: viewer, among: unique, outgoing: true)
            let requestedBy = try await session.pendingRequests(of: viewer, among: unique, outgoing: false)
            let notes = try await session.accountNotes(by: viewer, on: unique)
            return unique.filter { found.contains($0) }.map { id in
                var view = RelationshipView(id: id)
                if let follow = following[id] {
                    view.following = true
                    view.showingReblogs = follow.showReblogs
                    view.notifying = follow.notify
                    view.languages = follow.languages
                }
                view.followedBy = followedBy.contains(id)
                view.requested = requested.contains(id)
                view.requestedBy = requestedBy.contains(id)
                view.note = notes[id] ?? ""
                view.blocking = safety.blocking.contains(id)
                view.blockedBy = safety.blockedBy.contains(id)
                view.domainBlocking = safety.domainBlocking.contains(id)
                if let hidesNotifications = safety.muting[id] {
                    view.muting = true
                    view.mutingNotifications = hidesNotifications
                }
                return view
            }
        }
    }

    /// A page of an account's followers or follows, newest follow first.
    package func list(of account: Account.ID, followers: Bool, viewer: Account.ID?, page: PageRequest) async throws
        -> Page<AccountView>
    {
        guard let owner = try await self.context.db.read({ try await $0.account(id: account) }), !owner.isSuspended
        else {
            throw DomainError.notFound
        }
        if owner.hideCollections && viewer != owner.id {
            return Page(items: [], newestID: nil, oldestID: nil)
        }
        let rows = try await self.context.db.read {
            try await $0.followPage(of: account, followers: followers, page: page)
        }
        return Page(
            items: rows.map { AccountView(account: $0.1, user: nil, urls: self.context.urls) },
            newestID: rows.first?.0,
            oldestID: rows.last?.0
        )
    }
}
