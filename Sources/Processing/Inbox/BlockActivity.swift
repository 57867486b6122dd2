import Core
import Federation
import Foundation
import Storage

extension InboxProcessor {
    /// `Block` of a local account: recorded, and the follows between them end both ways.
    func block(_ activity: JSON, signer: Account) async throws {
        let target = try await self.localAccount(activity["object"]?.id)
        try await self.db.transaction { session in
            _ = try await session.insertBlock(id: self.context.ids.next(), account: signer.id, target: target.id)
            if try await session.deleteFollow(from: target.id, to: signer.id) {
                try await session.removeFromHomeFeed(of: target.id, postsBy: signer.id)
            }
            _ = try await session.deleteFollow(from: signer.id, to: target.id)
            _ = try await session.deleteFollowRequest(from: target.id, to: signer.id)
            _ = try await session.deleteFollowRequest(from: signer.id, to: target.id)
        }
    }
}
