import Foundation

/// A post: original, reply, or reblog (a row whose `reblogOfID` names the reblogged status).
package struct Status: Sendable, Equatable {
    package typealias ID = EntityID<Status>

    /// The fields, kept in one allocation shared by copies (see `CopyOnWrite`).
    private struct Values: Equatable {
        var id: ID
        var accountID: Account.ID
        var uri: String
        var url: String?
        var text: String
        var content: String
        var spoilerText: String
        var sensitive: Bool
        var visibility: Visibility
        var language: String?
        var inReplyToID: ID?
        var inReplyToAccountID: Account.ID?
        var reblogOfID: ID?
        var conversationID: ID? = nil
        var applicationID: OAuthApplication.ID?
        var local: Bool
        var createdAt: Date
        var editedAt: Date?
        var repliesCount: Int
        var reblogsCount: Int
        var favouritesCount: Int
    }

    private var storage: CopyOnWrite<Values>

    package var id: ID {
        get { self.storage.value.id }
        set { self.storage.value.id = newValue }
    }

    package var accountID: Account.ID {
        get { self.storage.value.accountID }
        set { self.storage.value.accountID = newValue }
    }

    package var uri: String {
        get { self.storage.value.uri }
        set { self.storage.value.uri = newValue }
    }

    package var url: String? {
        get { self.storage.value.url }
        set { self.storage.value.url = newValue }
    }

    /// The text as typed (local); empty for reblogs.
    package var text: String {
        get { self.storage.value.text }
        set { self.storage.value.text = newValue }
    }

    /// The text as HTML.
    package var content: String {
        get { self.storage.value.content }
        set { self.storage.value.content = newValue }
    }

    package var spoilerText: String {
        get { self.storage.value.spoilerText }
        set { self.storage.value.spoilerText = newValue }
    }

    package var sensitive: Bool {
        get { self.storage.value.sensitive }
        set { self.storage.value.sensitive = newValue }
    }

    package var visibility: Visibility {
        get { self.storage.value.visibility }
        set { self.storage.value.visibility = newValue }
    }

    package var language: String? {
        get { self.storage.value.language }
        set { self.storage.value.language = newValue }
    }

    package var inReplyToID: ID? {
        get { self.storage.value.inReplyToID }
        set { self.storage.value.inReplyToID = newValue }
    }

    package var inReplyToAccountID: Account.ID? {
        get { self.storage.value.inReplyToAccountID }
        set { self.storage.value.inReplyToAccountID = newValue }
    }

    package var reblogOfID: ID? {
        get { self.storage.value.reblogOfID }
        set { self.storage.value.reblogOfID = newValue }
    }

    /// The thread: the root status's id (itself for a root).
    package var conversationID: ID? {
        get { self.storage.value.conversationID }
        set { self.storage.value.conversationID = newValue }
    }

    package var applicationID: OAuthApplication.ID? {
        get { self.storage.value.applicationID }
        set { self.storage.value.applicationID = newValue }
    }

    package var local: Bool {
        get { self.storage.value.local }
        set { self.storage.value.local = newValue }
    }

    package var createdAt: Date {
        get { self.storage.value.createdAt }
        set { self.storage.value.createdAt = newValue }
    }

    package var editedAt: Date? {
        get { self.storage.value.editedAt }
        set { self.storage.value.editedAt = newValue }
    }

    package var repliesCount: Int {
        get { self.storage.value.repliesCount }
        set { self.storage.value.repliesCount = newValue }
    }

    package var reblogsCount: Int {
        get { self.storage.value.reblogsCount }
        set { self.storage.value.reblogsCount = newValue }
    }

    package var favouritesCount: Int {
        get { self.storage.value.favouritesCount }
        set { self.storage.value.favouritesCount = newValue }
    }

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
        self.storage = CopyOnWrite(
            Values(
                id: id,
                accountID: accountID,
                uri: uri,
                url: url,
                text: text,
                content: content,
                spoilerText: spoilerText,
                sensitive: sensitive,
                visibility: visibility,
                language: language,
                inReplyToID: inReplyToID,
                inReplyToAccountID: inReplyToAccountID,
                reblogOfID: reblogOfID,
                applicationID: applicationID,
                local: local,
                createdAt: createdAt,
                editedAt: editedAt,
                repliesCount: repliesCount,
                reblogsCount: reblogsCount,
                favouritesCount: favouritesCount
            )
        )
    }

    package static func == (lhs: Status, rhs: Status) -> Bool {
        lhs.storage == rhs.storage
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
