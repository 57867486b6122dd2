import Core
import Federation
import Foundation
import Storage

/// Applies verified inbound activities, one file per activity type (`Inbox/<Type>Activity.swift`).
///
/// The inbox route checked the signature and that the signer is the activity's actor. Here, before any
/// write: the activity's and the object's ids are on the signer's host, the signer owns what it updates
/// or deletes, and nothing widens the audience of an object we hold. Anything invalid is logged and
/// dropped (returning normally: retrying would not make it valid). Every handler is idempotent.
package struct InboxProcessor: Sendable {
    let context: ProcessingContext
    let outbox: Outbox
    /// How many missing parents of a reply are fetched at most.
    static let maxParentFetches = 5

    init(_ context: ProcessingContext) {
        self.context = context
        self.outbox = Outbox(context)
    }

    var db: Database { self.context.db }
    var urls: URLBuilder { self.context.urls }

    /// Applies one activity. Throws only for failures worth retrying (the database, a network fetch).
    package func process(_ item: InboxItem) async throws {
        let activity: JSON
        do {
            activity = try JSON.parse(Data(item.activity.utf8))
        } catch {
            return self.drop("unparseable activity", item.signer)
        }
        guard let signer = try await self.db.read({ try await $0.account(uri: item.signer) }), !signer.isSuspended
        else { return self.drop("unknown or suspended signer", item.signer) }
        let recipient = item.recipient.map { Account.ID($0) }
        do {
            try await self.dispatch(activity, signer: signer, recipient: recipient)
        } catch let rejection as InboxRejection {
            self.drop(rejection.reason, item.signer)
        }
    }

    func dispatch(_ activity: JSON, signer: Account, recipient: Account.ID?) async throws {
        if let id = activity["id"]?.string {
            try self.requireSameHost(id, as: signer, "activity id")
        }
        switch activity.type {
        case "Follow": try await self.follow(activity, signer: signer)
        case "Accept": try await self.accept(activity, signer: signer)
        case "Reject": try await self.reject(activity, signer: signer)
        case "Undo": try await self.undo(activity, signer: signer)
        case "Create": try await self.create(activity, signer: signer)
        case "Update": try await self.update(activity, signer: signer)
        case "Delete": try await self.delete(activity, signer: signer)
        case "Announce": try await self.announce(activity, signer: signer)
        case "Like": try await self.like(activity, signer: signer)
        case "Block": try await self.block(activity, signer: signer)
        case "Move": try await self.move(activity, signer: signer)
        case "Add", "Remove": return  // featured collections: not shown yet
        default: throw InboxRejection("unsupported activity type \(activity.type ?? "none")")
        }
    }

    // MARK: Origin rules

    func requireSameHost(_ uri: String, as signer: Account, _ what: String) throws {
        guard let host = URLBuilder.authority(of: uri), host == signer.uriHost else {
            throw InboxRejection("\(what) \(uri) is not on the actor's host")
        }
    }

    /// The local account an activity's object names, or a rejection.
    func localAccount(_ uri: String?) async throws -> Account {
        guard let uri, self.urls.isLocal(uri),
            let account = try await self.db.read({ try await $0.account(uri: uri) }), account.isLocal,
            !account.isSuspended
        else { throw InboxRejection("object is not a local account: \(uri ?? "none")") }
        return account
    }

    func drop(_ reason: String, _ signer: String) {
        self.context.logger.debug("inbox: dropped activity from \(signer): \(reason)")
    }
}

/// An inbound activity that breaks a rule: dropped, not retried.
struct InboxRejection: Error, CustomStringConvertible {
    let reason: String
    init(_ reason: String) { self.reason = reason }
    var description: String { self.reason }
}
