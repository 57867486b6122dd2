import Core
import Federation
import Foundation
import Storage

extension InboxProcessor {
    /// `Delete` of one of the signer's statuses, or of the signer itself: then the account goes with
    /// everything of it (posts, follows both ways, favourites, cached files), as Mastodon does.
    func delete(_ activity: JSON, signer: Account) async throws {
        guard let id = activity["object"]?.id else { throw InboxRejection("Delete without an object") }
        try self.requireSameHost(id, as: signer, "object")
        if id == signer.uri {
            try await self.db.transaction { session in
                let files = try await session.eraseAccount(signer, at: self.context.clock.now())
                if !files.isEmpty {
                    try await session.enqueue(.deleteMediaFiles(keys: files), id: self.context.ids.next())
                }
            }
            return
        }
        guard let status = try await self.db.read({ try await $0.status(uri: id) }) else { return }
        guard status.accountID == signer.id else { throw InboxRejection("Delete of someone else's status") }
        try await self.db.transaction { try await $0.deleteStatus(status) }
    }
}
