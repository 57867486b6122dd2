import Core
import Federation
import Foundation
import Storage

extension InboxProcessor {
    /// `Announce` (a boost) of a public or unlisted status: a reblog row whose URI is the activity's id,
    /// in the signer's local followers' feeds; the local author is notified.
    func announce(_ activity: JSON, signer: Account) async throws {
        guard let activityID = activity["id"]?.string, let objectID = activity["object"]?.id else {
            throw InboxRejection("Announce without an id or object")
        }
        if try await self.db.read({ try await $0.status(uri: activityID) }) != nil { return }
        let original: Status
        if let known = try await self.db.read({ try await $0.status(uri: objectID) }) {
            original = known
        } else if self.urls.isLocal(objectID) {
            throw InboxRejection("Announce of an unknown local status")
        } else {
            original = try await self.fetchNote(objectID, parentFetches: 0)
        }
        guard !original.isReblog, original.visibility == .public || original.visibility == .unlisted else {
            throw InboxRejection("Announce of a status that may not be boosted")
        }
        let now = self.context.clock.now()
        let announceVisibility = Audience.visibility(
            to: activity["to"]?.ids ?? [],
            cc: activity["cc"]?.ids ?? [],
            followers: signer.endpoints.followers
        )
        let id: Status.ID = self.context.ids.next()
        let reblog = Status(
            id: id,
            accountID: signer.id,
            uri: activityID,
            url: activityID,
            text: "",
            content: "",
            visibility: announceVisibility == .direct ? .private : announceVisibility,
            reblogOfID: original.id,
            local: false,
            createdAt: now
        )
        try await self.db.transaction { session in
            if try await session.reblog(of: original.id, by: signer.id) != nil { return }
            try await session.insertStatus(reblog, mentions: [], tags: []) { self.context.ids.next() }
            try await session.fanOut(id, author: signer.id, requireAlsoFollowing: nil, onlyShowingReblogs: true)
            guard let author = try await session.account(id: original.accountID), author.isLocal else { return }
            let filter = try await session.safetyFilter(for: author.id, among: [signer.id])
            guard !filter.hidesNotifications(from: signer.id) else { return }
            try await session.insertNotification(
                Notification(
                    id: self.context.ids.next(),
                    accountID: author.id,
                    fromAccountID: signer.id,
                    kind: .reblog,
                    statusID: original.id,
                    createdAt: now
                )
            )
        }
    }
}
