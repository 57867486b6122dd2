import Foundation

/// A post: original, reply, or reblog (a row whose `reblogOfID` names the reblogged status).
package struct Status: Sendable, Equatable {
    package typealias ID = EntityID<Status>

    package var id: ID
    package var accountID: Account.ID
    package var uri: String
    package var url: String?
    /// The text as typed (local); empty for reblogs.
    package var text: String
    /// The text as HTML.
    package var content: String
    package var spoilerText: String
    package var sensitive: Bool
    package var visibility: Visibility
    package var language: String?
    package var inReplyToID: ID?
    package var inReplyToAccountID: Account.ID?
    package var reblogOfID: ID?
    /// The thread: the root status's id (itself for a root).
    package var conversationID: ID?
    package var applicationID: OAuthApplication.ID?
    package var local: Bool
    package var createdAt: Date
    package var editedAt: Date?
    package var repliesCount: Int
    package var reblogsCount: Int
    package var favouritesCount: Int

    package init(
        id: ID,
        accountID: Account.ID,
        uri: String,
        url: String?,
        text: String,
        content: String,
        spoilerText: String = "",
        sensitive: Bool = false,
        visibility: Visibility,
        language: String? = nil,
        inReplyToID: ID? = nil,
        inReplyToAccountID: Account.ID? = nil,
        reblogOfID: ID? = nil,
        applicationID: OAuthApplication.ID? = nil,
        local: Bool = true,
        createdAt: Date,
        editedAt: Date? = nil,
        repliesCount: Int = 0,
        reblogsCount: Int = 0,
        favouritesCount: Int = 0
    ) {
        self.id = id
        self.accountID = accountID
        self.uri = uri
        self.url = url
        self.text = text
        self.content = content
        self.spoilerText = spoilerText
        self.sensitive = sensitive
        self.visibility = visibility
        self.language = language
        self.inReplyToID = inReplyToID
        self.inReplyToAccountID = inReplyToAccountID
        self.reblogOfID = reblogOfID
        self.conversationID = nil
        self.applicationID = applicationID
        self.local = local
        self.createdAt = createdAt
        self.editedAt = editedAt
        self.repliesCount = repliesCount
        self.reblogsCount = reblogsCount
        self.favouritesCount = favouritesCount
    }

    /// The thread this status belongs to, for muting.
    package var thread: ID { self.conversationID ?? self.id }

    /// Whether this row is a reblog of another status.
    package var isReblog: Bool { self.reblogOfID != nil }
}

/// One follow: `accountID` follows `targetAccountID`.
package struct Follow: Sendable, Equatable {
    package typealias ID = EntityID<Follow>

    package var id: ID
    package var accountID: Account.ID
    package var targetAccountID: Account.ID
    package var showReblogs: Bool
    package var notify: Bool
    package var languages: [String]?
    package var createdAt: Date

    package init(
        id: ID,
        accountID: Account.ID,
        targetAccountID: Account.ID,
        showReblogs: Bool = true,
        notify: Bool = false,
        languages: [String]? = nil,
        createdAt: Date
    ) {
        self.id = id
        self.accountID = accountID
        self.targetAccountID = targetAccountID
        self.showReblogs = showReblogs
        self.notify = notify
        self.languages = languages
        self.createdAt = createdAt
    }
}

/// Something that happened to an account that it should hear about.
package struct Notification: Sendable, Equatable {
    package typealias ID = EntityID<Notification>

    /// Mastodon's notification types, and `move` (Pleroma's and Akkoma's: an account the recipient
    /// followed moved, and the recipient now follows its new account; `account` is the old one).
    package enum Kind: String, Sendable, CaseIterable {
        case mention, status, reblog, follow
        case followRequest = "follow_request"
        case favourite, poll, update, move
    }

    package var id: ID
    package var accountID: Account.ID
    package var fromAccountID: Account.ID
    package var kind: Kind
    package var statusID: Status.ID?
    package var createdAt: Date
    /// Filed away by the recipient's notification policy (shown only through notification requests).
    package var filtered = false

    package init(
        id: ID,
        accountID: Account.ID,
        fromAccountID: Account.ID,
        kind: Kind,
        statusID: Status.ID?,
        createdAt: Date
    ) {
        self.id = id
        self.accountID = accountID
        self.fromAccountID = fromAccountID
        self.kind = kind
        self.statusID = statusID
        self.createdAt = createdAt
    }
}

/// A page request in Mastodon's terms: `max_id` (older than), `since_id` (newer than, newest first),
/// `min_id` (newer than, oldest first), `limit`.
package struct PageRequest: Sendable, Equatable {
    package var maxID: Int64?
    package var sinceID: Int64?
    package var minID: Int64?
    package var limit: Int

    package init(maxID: Int64? = nil, sinceID: Int64? = nil, minID: Int64? = nil, limit: Int = 20) {
        self.maxID = maxID
        self.sinceID = sinceID
        self.minID = minID
        self.limit = limit
    }
}

/// Which public statuses a public timeline shows.
package enum PublicTimelineScope: Sendable {
    case all, local, remote
}

/// One version of a status: what it said at `createdAt`.
package struct StatusVersion: Sendable, Equatable {
    /// An attachment as the version had it: which, and its alt text then.
    package struct Attachment: Sendable, Equatable, Codable {
        package let id: Int64
        package let description: String?

        package init(id: Int64, description: String?) {
            self.id = id
            self.description = description
        }
    }

    package let text: String
    package let content: String
    package let spoilerText: String
    package let sensitive: Bool
    package let createdAt: Date
    /// The attachments, in order (empty for versions saved before attachments were kept).
    package var media: [Attachment] = []

    package init(text: String, content: String, spoilerText: String, sensitive: Bool, createdAt: Date) {
        self.text = text
        self.content = content
        self.spoilerText = spoilerText
        self.sensitive = sensitive
        self.createdAt = createdAt
    }
}

/// A poll as a client asks for it, before it exists: on a new status, or waiting in a scheduled one.
package struct PollDraft: Sendable, Equatable, Codable {
    package var options: [String]
    /// Seconds from posting.
    package var expiresIn: Int
    package var multiple: Bool
    package var hideTotals: Bool

    package init(options: [String], expiresIn: Int, multiple: Bool, hideTotals: Bool) {
        self.options = options
        self.expiresIn = expiresIn
        self.multiple = multiple
        self.hideTotals = hideTotals
    }
}

/// A list of followed accounts with its own timeline.
package struct AccountList: Sendable, Equatable {
    package typealias ID = EntityID<AccountList>

    /// Which replies a list timeline shows.
    package enum RepliesPolicy: String, Sendable, CaseIterable {
        /// Replies to any followed account.
        case followed
        /// Replies to members of the list.
        case list
        /// No replies (to others).
        case none
    }

    package var id: ID
    package var accountID: Account.ID
    package var title: String
    package var repliesPolicy: RepliesPolicy
    /// Members' posts stay out of the home timeline.
    package var exclusive: Bool

    package init(id: ID, accountID: Account.ID, title: String, repliesPolicy: RepliesPolicy, exclusive: Bool) {
        self.id = id
        self.accountID = accountID
        self.title = title
        self.repliesPolicy = repliesPolicy
        self.exclusive = exclusive
    }
}

/// Where the user stopped reading a timeline (`/api/v1/markers`).
package struct Marker: Sendable, Equatable {
    package var timeline: String
    package var lastReadID: String
    package var version: Int
    package var updatedAt: Date

    package init(timeline: String, lastReadID: String, version: Int, updatedAt: Date) {
        self.timeline = timeline
        self.lastReadID = lastReadID
        self.version = version
        self.updatedAt = updatedAt
    }
}

/// A status waiting to be published at `scheduledAt`.
package struct ScheduledStatus: Sendable, Equatable {
    package typealias ID = EntityID<ScheduledStatus>

    /// What will be posted: the parameters of `POST /api/v1/statuses`.
    package struct Params: Sendable, Equatable, Codable {
        package var text: String
        package var spoilerText: String
        package var sensitive: Bool?
        package var visibility: Visibility?
        package var language: String?
        package var inReplyToID: Int64?
        package var applicationID: Int64?
        /// Media held for it (absent in statuses scheduled before media could be).
        package var mediaIDs: [Int64]?
        /// A poll to post with it (`expiresIn` counts from publishing).
        package var poll: PollDraft?

        package init(
            text: String,
            spoilerText: String,
            sensitive: Bool?,
            visibility: Visibility?,
            language: String?,
            inReplyToID: Int64?,
            applicationID: Int64?
        ) {
            self.text = text
            self.spoilerText = spoilerText
            self.sensitive = sensitive
            self.visibility = visibility
            self.language = language
            self.inReplyToID = inReplyToID
            self.applicationID = applicationID
        }
    }

    package var id: ID
    package var accountID: Account.ID
    package var scheduledAt: Date
    package var params: Params

    package init(id: ID, accountID: Account.ID, scheduledAt: Date, params: Params) {
        self.id = id
        self.accountID = accountID
        self.scheduledAt = scheduledAt
        self.params = params
    }
}
