import Core
import Foundation
import Storage

/// Follow use cases between local accounts (remote follows arrive with federation).
package struct FollowProcessor: Sendable {
    let context: ProcessingContext

    init(_ context: ProcessingContext) {
        self.context = context
    }

    /// How many recent statuses of a newly followed account are copied into the follower's home feed.
    static let backfill = 40

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
        if account.locked {
            throw DomainError.unprocessable("Follow requests to locked accounts are not supported yet")
        }
        let existing = try await self.context.db.read { try await $0.follow(from: viewer, to: target) }
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
            let recent = try await session.accountStatuses(
                of: target,
                filter: DBSession.AccountStatusFilter(visibilities: [.public, .unlisted, .private]),
                page: PageRequest(limit: Self.backfill)
            )
            for id in recent { try await session.insertIntoHomeFeeds(id, of: [viewer]) }
        }
        return try await self.relationships(of: viewer, to: [target]).first ?? RelationshipView(id: target)
    }

    /// Stops following `target` and takes its posts out of the viewer's home feed.
    package func unfollow(_ target: Account.ID, by viewer: Account.ID) async throws -> RelationshipView {
        guard try await self.context.db.read({ try await $0.account(id: target) }) != nil else {
            throw DomainError.notFound
        }
        try await self.context.db.transaction { session in
            if try await session.deleteFollow(from: viewer, to: target) {
                try await session.removeFromHomeFeed(of: viewer, postsBy: target)
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
            return unique.filter { found.contains($0) }.map { id in
                var view = RelationshipView(id: id)
                if let follow = following[id] {
                    view.following = true
                    view.showingReblogs = follow.showReblogs
                    view.notifying = follow.notify
                    view.languages = follow.languages
                }
                view.followedBy = followedBy.contains(id)
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
