import Core
import Foundation
import Storage

extension StatusProcessor {
    /// The status an interaction acts on: the reblogged original when `id` is a reblog. One hydration:
    /// the view of a reblog already carries its original (and is not found when the original is hidden).
    func interactionTarget(_ id: Status.ID, for viewer: Account.ID) async throws -> Status {
        let view = try await self.show(id, for: viewer)
        return (view.reblog ?? view).status
    }

    /// Favourites a status the viewer can see; idempotent; notifies a local author once.
    package func favourite(_ id: Status.ID, by viewer: Account.ID) async throws -> StatusView {
        let original = try await self.interactionTarget(id, for: viewer)
        let target = original.id
        try await self.context.db.transaction { session in
            guard try await session.insertFavourite(id: self.context.ids.next(), account: viewer, status: target) else {
                return
            }
            try await self.outbox.like(original, by: viewer, undo: false, in: session)
            if original.accountID != viewer, original.local,
                !(try await session.threadMuted(original.thread, by: original.accountID))
            {
                try await session.insertNotification(
                    Notification(
                        id: self.context.ids.next(),
                        accountID: original.accountID,
                        fromAccountID: viewer,
                        kind: .favourite,
                        statusID: target,
                        createdAt: self.context.clock.now()
                    )
                )
            }
        }
        return try await self.show(target, for: viewer)
    }

    /// Removes the viewer's favourite (and the notification it caused); idempotent.
    package func unfavourite(_ id: Status.ID, by viewer: Account.ID) async throws -> StatusView {
        let original = try await self.interactionTarget(id, for: viewer)
        let target = original.id
        let author = original.accountID
        try await self.context.db.transaction { session in
            if try await session.deleteFavourite(account: viewer, status: target) {
                try await session.deleteNotifications(to: author, from: viewer, kind: .favourite, status: target)
                try await self.outbox.like(original, by: viewer, undo: true, in: session)
            }
        }
        return try await self.show(target, for: viewer)
    }

    /// Reblogs a status into the viewer's followers' home feeds; returns the reblog (wrapping the original).
    package func reblog(_ id: Status.ID, by viewer: Account.ID, visibility: Visibility?) async throws -> StatusView {
        let original = try await self.interactionTarget(id, for: viewer)
        guard VisibilityRule.canReblog(original, by: viewer) else {
            throw DomainError.forbidden("This status cannot be reblogged")
        }
        if let existing = try await self.context.db.read({ try await $0.reblog(of: original.id, by: viewer) }) {
            return try await self.show(existing.id, for: viewer)
        }
        let chosen = visibility ?? .public
        guard chosen != .direct else { throw DomainError.validation("Validation failed: Visibility is not allowed") }
        // A reblog is never more visible than the original.
        let reblogVisibility: Visibility = original.visibility == .private ? .private : chosen
        guard let account = try await self.context.db.read({ try await $0.account(id: viewer) }) else {
            throw DomainError.notFound
        }
        let reblogID: Status.ID = self.context.ids.next()
        let reblog = Status(
            id: reblogID,
            accountID: viewer,
            uri: self.context.urls.status(account.username, reblogID.rawValue) + "/activity",
            url: nil,
            text: "",
            content: "",
            visibility: reblogVisibility,
            reblogOfID: original.id,
            local: true,
            createdAt: self.context.clock.now()
        )
        do {
            try await self.context.db.transaction { session in
                try await session.insertStatus(reblog, mentions: [], tags: []) { self.context.ids.next() }
                try await session.fanOut(reblogID, author: viewer, requireAlsoFollowing: nil, onlyShowingReblogs: true)
                try await self.outbox.announce(reblog, of: original, undo: false, in: session)
                if original.accountID != viewer, original.local,
                    !(try await session.threadMuted(original.thread, by: original.accountID))
                {
                    try await session.insertNotification(
                        Notification(
                            id: self.context.ids.next(),
                            accountID: original.accountID,
                            fromAccountID: viewer,
                            kind: .reblog,
                            statusID: original.id,
                            createdAt: reblog.createdAt
                        )
                    )
                }
            }
        } catch StorageError.duplicate {
            // A concurrent request reblogged it first.
            if let existing = try await self.context.db.read({ try await $0.reblog(of: original.id, by: viewer) }) {
                return try await self.show(existing.id, for: viewer)
            }
            throw DomainError.conflict("Already reblogged")
        }
        return try await self.show(reblogID, for: viewer)
    }

    /// Undoes the viewer's reblog; returns the original. Idempotent.
    package func unreblog(_ id: Status.ID, by viewer: Account.ID) async throws -> StatusView {
        let original = try await self.interactionTarget(id, for: viewer)
        let originalID = original.id
        try await self.context.db.transaction { session in
            if let reblog = try await session.reblog(of: originalID, by: viewer) {
                try await session.deleteStatus(reblog)
                try await self.outbox.announce(reblog, of: original, undo: true, in: session)
                try await session.deleteNotifications(
                    to: original.accountID,
                    from: viewer,
                    kind: .reblog,
                    status: originalID
                )
            }
        }
        return try await self.show(originalID, for: viewer)
    }

    /// Bookmarks a status the viewer can see; idempotent.
    package func bookmark(_ id: Status.ID, by viewer: Account.ID, on: Bool) async throws -> StatusView {
        let target = try await self.interactionTarget(id, for: viewer).id
        try await self.context.db.transaction { session in
            if on {
                try await session.insertBookmark(id: self.context.ids.next(), account: viewer, status: target)
            } else {
                try await session.deleteBookmark(account: viewer, status: target)
            }
        }
        return try await self.show(target, for: viewer)
    }

    /// Who favourited (or reblogged) a status the viewer can see, newest first.
    package func interactors(_ id: Status.ID, reblogs: Bool, for viewer: Account.ID?, page: PageRequest) async throws
        -> Page<AccountView>
    {
        let status = try await self.show(id, for: viewer).status
        let rows = try await self.context.db.read { session in
            reblogs
                ? try await session.rebloggedBy(status.id, page: page)
                : try await session.favouritedBy(status.id, page: page)
        }
        let visible = rows.filter { !$0.1.isSuspended }
        return Page(
            items: visible.map { AccountView(account: $0.1, user: nil, urls: self.context.urls) },
            newestID: rows.first?.0,
            oldestID: rows.last?.0
        )
    }

    /// Mutes or unmutes the thread of a status the viewer can see: mentions, favourites and reblogs in
    /// it stop notifying the viewer.
    package func muteThread(_ id: Status.ID, by viewer: Account.ID, on: Bool) async throws -> StatusView {
        let target = try await self.interactionTarget(id, for: viewer)
        try await self.context.db.transaction { try await $0.setThreadMuted(target.thread, by: viewer, muted: on) }
        return try await self.show(target.id, for: viewer)
    }
}
