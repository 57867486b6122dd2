import Foundation

/// Work that is done later, outside a request, by the JobRunner. Stored as a row in `jobs`.
///
/// Each case has a stable `kind` string (the column) and a JSON payload. Handlers are idempotent:
/// a job may run twice after a crash.
package enum Job: Sendable, Equatable {
    /// Deletes expired authorization codes and tokens revoked more than a day ago.
    case pruneOAuth
    /// Publishes a scheduled status if it is still scheduled for now (it may have been moved or cancelled).
    case publishScheduledStatus(id: Int64)
    /// Tells a poll's voters and author that it closed.
    case closePoll(id: Int64)
    /// Sends one activity to the inboxes of an account's remote followers and to named inboxes.
    case distribute(Distribution)
    /// POSTs one signed activity to one inbox.
    case deliver(Delivery)
    /// Applies an activity a remote server delivered, after its signature was verified.
    case inbox(InboxItem)
    /// Sends one notification to the Web Push subscriptions of its recipient.
    case webPush(notificationID: Int64)
    /// Makes the original and preview of an uploaded file.
    case processMedia(id: Int64)
    /// Checks which profile fields of an account link to pages that link back (`rel="me"`).
    case verifyLinks(accountID: Int64)
    /// Sends one email (confirmation, password reset, approval…), rendered when it was queued.
    case sendMail(OutgoingMail)
    /// Removes files from the media store whose rows are gone (a deleted account's uploads and pictures).
    case deleteMediaFiles(keys: [String])
    /// Applies an uploaded CSV import, row by row, recording progress.
    case runImport(id: Int64)
    /// Fetches a remote attachment into the media cache and processes it.
    case cacheRemoteMedia(id: Int64)
    /// Fetches a remote account's avatar and header into the media cache and processes them.
    case cacheProfileImages(accountID: Int64)
    /// Lets the cached copies of remote pictures of posts older than this many seconds go.
    case pruneMediaCache(olderThanSeconds: Int64)
    /// Moves the local followers of an account that moved to its new account, telling each.
    case moveFollowers(from: Int64, to: Int64)

    /// The `kind` column.
    package var kind: String {
        switch self {
        case .pruneOAuth: "prune_oauth"
        case .publishScheduledStatus: "publish_scheduled_status"
        case .closePoll: "close_poll"
        case .distribute: "distribute"
        case .deliver: "deliver"
        case .inbox: "inbox"
        case .webPush: "web_push"
        case .processMedia: "process_media"
        case .verifyLinks: "verify_links"
        case .sendMail: "send_mail"
        case .deleteMediaFiles: "delete_media_files"
        case .runImport: "run_import"
        case .moveFollowers: "move_followers"
        case .cacheRemoteMedia: "cache_remote_media"
        case .cacheProfileImages: "cache_profile_images"
        case .pruneMediaCache: "prune_media_cache"
        }
    }

    /// The `payload` column: JSON, `{}` for cases without data.
    package func payload() throws -> String {
        switch self {
        case .pruneOAuth: "{}"
        case .publishScheduledStatus(let id), .closePoll(let id): "{\"id\":\(id)}"
        case .distribute(let value): try Self.encode(value)
        case .deliver(let value): try Self.encode(value)
        case .inbox(let value): try Self.encode(value)
        case .sendMail(let value): try Self.encode(value)
        case .deleteMediaFiles(let keys): try Self.encode(["keys": keys])
        case .moveFollowers(let from, let to): "{\"from\":\(from),\"to\":\(to)}"
        case .pruneMediaCache(let seconds): "{\"seconds\":\(seconds)}"
        case .webPush(let id), .processMedia(let id), .verifyLinks(let id), .runImport(let id),
            .cacheRemoteMedia(let id), .cacheProfileImages(let id):
            "{\"id\":\(id)}"
        }
    }

    /// Rebuilds a job from its row; `nil` for a kind this build does not know (a newer process made it).
    package init?(kind: String, payload: String) throws {
        switch kind {
        case "prune_oauth": self = .pruneOAuth
        case "publish_scheduled_status":
            struct Payload: Decodable { let id: Int64 }
            self = .publishScheduledStatus(id: try JSONDecoder().decode(Payload.self, from: Data(payload.utf8)).id)
        case "close_poll":
            struct Payload: Decodable { let id: Int64 }
            self = .closePoll(id: try JSONDecoder().decode(Payload.self, from: Data(payload.utf8)).id)
        case "distribute": self = .distribute(try Self.decode(payload))
        case "deliver": self = .deliver(try Self.decode(payload))
        case "inbox": self = .inbox(try Self.decode(payload))
        case "send_mail": self = .sendMail(try Self.decode(payload))
        case "delete_media_files":
            let payload: [String: [String]] = try Self.decode(payload)
            self = .deleteMediaFiles(keys: payload["keys"] ?? [])
        case "prune_media_cache":
            let payload: [String: Int64] = try Self.decode(payload)
            guard let seconds = payload["seconds"] else { return nil }
            self = .pruneMediaCache(olderThanSeconds: seconds)
        case "cache_remote_media":
            struct Payload: Decodable { let id: Int64 }
            self = .cacheRemoteMedia(id: try JSONDecoder().decode(Payload.self, from: Data(payload.utf8)).id)
        case "cache_profile_images":
            struct Payload: Decodable { let id: Int64 }
            self = .cacheProfileImages(accountID: try JSONDecoder().decode(Payload.self, from: Data(payload.utf8)).id)
        case "move_followers":
            let payload: [String: Int64] = try Self.decode(payload)
            guard let from = payload["from"], let to = payload["to"] else { return nil }
            self = .moveFollowers(from: from, to: to)
        case "run_import":
            struct Payload: Decodable { let id: Int64 }
            self = .runImport(id: try JSONDecoder().decode(Payload.self, from: Data(payload.utf8)).id)
        case "process_media":
            struct Payload: Decodable { let id: Int64 }
            self = .processMedia(id: try JSONDecoder().decode(Payload.self, from: Data(payload.utf8)).id)
        case "verify_links":
            struct Payload: Decodable { let id: Int64 }
            self = .verifyLinks(accountID: try JSONDecoder().decode(Payload.self, from: Data(payload.utf8)).id)
        case "web_push":
            struct Payload: Decodable { let id: Int64 }
            self = .webPush(notificationID: try JSONDecoder().decode(Payload.self, from: Data(payload.utf8)).id)
        default: return nil
        }
    }

    private static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    private static func decode<T: Decodable>(_ payload: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(payload.utf8))
    }
}

/// An activity to send to many inboxes: the job computes the list when it runs, so one post to 30,000
/// followers commits one row in the request and the deliveries in the job.
package struct Distribution: Sendable, Equatable, Codable {
    /// The local account that signs; nil for the instance actor.
    package var accountID: Int64?
    /// The activity, serialised.
    package var activity: String
    /// Whether the account's remote followers receive it.
    package var followers: Bool
    /// Further inboxes (mentioned actors, the target of a follow…).
    package var inboxes: [String]
    /// Whether every inbox this server knows receives it (an account's `Delete` of itself).
    package var everyKnownInbox: Bool

    package init(
        accountID: Int64?,
        activity: String,
        followers: Bool,
        inboxes: [String] = [],
        everyKnownInbox: Bool = false
    ) {
        self.accountID = accountID
        self.activity = activity
        self.followers = followers
        self.inboxes = inboxes
        self.everyKnownInbox = everyKnownInbox
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.accountID = try container.decodeIfPresent(Int64.self, forKey: .accountID)
        self.activity = try container.decode(String.self, forKey: .activity)
        self.followers = try container.decode(Bool.self, forKey: .followers)
        self.inboxes = try container.decodeIfPresent([String].self, forKey: .inboxes) ?? []
        // Absent in jobs queued before this field existed.
        self.everyKnownInbox = try container.decodeIfPresent(Bool.self, forKey: .everyKnownInbox) ?? false
    }

    enum CodingKeys: String, CodingKey {
        case accountID = "account_id"
        case activity, followers, inboxes
        case everyKnownInbox = "every_known_inbox"
    }
}

/// One activity for one inbox.
package struct Delivery: Sendable, Equatable, Codable {
    package var inbox: String
    /// The local account that signs; nil for the instance actor.
    package var accountID: Int64?
    package var activity: String

    package init(inbox: String, accountID: Int64?, activity: String) {
        self.inbox = inbox
        self.accountID = accountID
        self.activity = activity
    }

    enum CodingKeys: String, CodingKey {
        case inbox
        case accountID = "account_id"
        case activity
    }
}

/// A verified inbound activity waiting to be applied.
package struct InboxItem: Sendable, Equatable, Codable {
    /// The activity as received.
    package var activity: String
    /// The actor whose key signed the request (the inbox checked it owns the activity).
    package var signer: String
    /// The local account whose inbox received it; nil for the shared inbox.
    package var recipient: Int64?

    package init(activity: String, signer: String, recipient: Int64? = nil) {
        self.activity = activity
        self.signer = signer
        self.recipient = recipient
    }
}

/// An email as the job that sends it stores it: one recipient, a subject and a plain-text body.
/// The sender address is the instance's setting when it is sent.
package struct OutgoingMail: Sendable, Equatable, Codable {
    package var to: String
    package var subject: String
    package var text: String

    package init(to: String, subject: String, text: String) {
        self.to = to
        self.subject = subject
        self.text = text
    }
}
