import Core
import Federation
import Foundation
import Storage

/// Enqueues outbound activities inside the transaction that made the change they announce, so that a
/// crash can lose neither the change nor its deliveries.
struct Outbox: Sendable {
    let context: ProcessingContext

    init(_ context: ProcessingContext) {
        self.context = context
    }

    var urls: URLBuilder { self.context.urls }

    /// Sends `activity` by a local account to its remote followers and to the inboxes of `also`.
    func toFollowers(_ activity: JSON, by author: Account, also: [Account] = [], in session: DBSession) async throws {
        guard author.isLocal else { return }
        let inboxes = also.compactMap { self.inbox(of: $0) }
        if inboxes.isEmpty {
            guard try await session.hasRemoteFollowers(author.id) else { return }
        }
        try await session.enqueue(
            .distribute(
                Distribution(
                    accountID: author.id.rawValue,
                    activity: activity.serialized(),
                    followers: true,
                    inboxes: inboxes
                )
            ),
            id: self.context.ids.next()
        )
    }

    /// Sends `activity` by a local account to some remote accounts only (a direct message, a Like…).
    func to(_ recipients: [Account], _ activity: JSON, by sender: Account, in session: DBSession) async throws {
        guard sender.isLocal else { return }
        let inboxes = Array(Set(recipients.compactMap { self.inbox(of: $0) })).sorted()
        guard !inboxes.isEmpty else { return }
        if inboxes.count == 1 {
            try await session.enqueue(
                .deliver(Delivery(inbox: inboxes[0], accountID: sender.id.rawValue, activity: activity.serialized())),
                id: self.context.ids.next()
            )
        } else {
            try await session.enqueue(
                .distribute(
                    Distribution(
                        accountID: sender.id.rawValue,
                        activity: activity.serialized(),
                        followers: false,
                        inboxes: inboxes
                    )
                ),
                id: self.context.ids.next()
            )
        }
    }

    /// Where to deliver to a remote account: its shared inbox if it has one. Nil for local or blocked.
    func inbox(of account: Account) -> String? {
        guard !account.isLocal, let inbox = account.endpoints.deliveryInbox,
            let host = URLBuilder.authority(of: inbox), !self.context.federation.isBlocked(host)
        else { return nil }
        return inbox
    }

    // MARK: Building activities

    /// A relationship or reaction activity by a local account, with an id of its own.
    func activity(_ type: String, by actor: Account, object: JSON, to: [String]? = nil) -> JSON {
        SocialActivity.make(
            type,
            id: self.urls.activity(actor.username, type.lowercased(), self.context.ids.next() as Int64),
            actor: actor.uri,
            object: object,
            to: to
        )
    }

    /// The Follow activity as the follower sent it, for Accept, Reject and Undo.
    static func follow(id: String?, follower: Account, target: Account) -> JSON {
        var body: [String: JSON] = [
            "type": "Follow", "actor": .string(follower.uri), "object": .string(target.uri),
        ]
        if let id { body["id"] = .string(id) }
        return .object(body)
    }
}
