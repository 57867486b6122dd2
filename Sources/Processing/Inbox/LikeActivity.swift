import Core
import Federation
import Foundation
import Storage

extension InboxProcessor {
    /// `Like` of a local status the signer may see: a favourite, and a notification for its author.
    func like(_ activity: JSON, signer: Account) async throws {
        guard let objectID = activity["object"]?.id, self.urls.isLocal(objectID),
            let status = try await self.db.read({ try await $0.status(uri: objectID) }), !status.isReblog
        else { throw InboxRejection("Like of something that is not a local status") }
        guard try await self.visible(status, to: signer) else { throw InboxRejection("Like of a status not visible") }
        try await self.db.transaction { session in
            guard try await session.insertFavourite(id: self.context.ids.next(), account: signer.id, status: status.id)
            else { return }
            if let uri = activity["id"]?.string {
                try await session.setFavouriteURI(account: signer.id, status: status.id, uri: uri)
            }
            let filter = try await session.safetyFilter(for: status.accountID, among: [signer.id])
            guard !filter.hidesNotifications(from: signer.id) else { return }
            try await session.insertNotification(
                Notification(
                    id: self.context.ids.next(),
                    accountID: status.accountID,
                    fromAccountID: signer.id,
                    kind: .favourite,
                    statusID: status.id,
                    createdAt: self.context.clock.now()
                )
            )
        }
    }

    /// Whether a remote account may see a local status: public and unlisted always; followers-only to
    /// followers; direct to the mentioned. Blocked accounts see nothing.
    func visible(_ status: Status, to account: Account) async throws -> Bool {
        try await self.db.read { session in
            let filter = try await session.safetyFilter(for: status.accountID, among: [account.id])
            if filter.blocking.contains(account.id) { return false }
            switch status.visibility {
            case .public, .unlisted: return true
            case .private:
                if try await session.follow(from: account.id, to: status.accountID) != nil { return true }
                fallthrough
            case .direct:
                return (try await session.extras(of: [status.id]).mentions[status.id] ?? []).contains(account.id)
            }
        }
    }
}
