import Core
import Federation
import Foundation
import Storage

extension InboxProcessor {
    /// `Undo` of the signer's own Follow, Like, Announce or Block.
    func undo(_ activity: JSON, signer: Account) async throws {
        guard let object = activity["object"] else { throw InboxRejection("Undo without an object") }
        if let embeddedActor = object["actor"]?.id, embeddedActor != signer.uri {
            throw InboxRejection("Undo of someone else's activity")
        }
        switch object.type {
        case "Follow":
            let target = try await self.localAccount(object["object"]?.id)
            try await self.db.transaction { session in
                if try await session.deleteFollow(from: signer.id, to: target.id) {
                    try await session.deleteNotifications(to: target.id, from: signer.id, kind: .follow, status: nil)
                }
                if try await session.deleteFollowRequest(from: signer.id, to: target.id) {
                    try await session.deleteNotifications(
                        to: target.id,
                        from: signer.id,
                        kind: .followRequest,
                        status: nil
                    )
                }
            }
        case "Like":
            guard let uri = object["object"]?.id,
                let status = try await self.db.read({ try await $0.status(uri: uri) })
            else { return }
            try await self.db.transaction { session in
                if try await session.deleteFavourite(account: signer.id, status: status.id) {
                    try await session.deleteNotifications(
                        to: status.accountID,
                        from: signer.id,
                        kind: .favourite,
                        status: status.id
                    )
                }
            }
        case "Block":
            let target = try await self.localAccount(object["object"]?.id)
            try await self.db.transaction { try await $0.deleteBlock(account: signer.id, target: target.id) }
        default:
            // An Announce, embedded or by id: the reblog row carries the activity's id as its URI.
            guard let id = object.id, let reblog = try await self.db.read({ try await $0.status(uri: id) }) else {
                return
            }
            guard reblog.accountID == signer.id, reblog.isReblog else {
                throw InboxRejection("Undo of a status that is not the signer's reblog")
            }
            try await self.db.transaction { try await $0.deleteStatus(reblog) }
        }
    }
}
