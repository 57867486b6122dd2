import Core
import Foundation
import HTTPCommon
import Hummingbird
import Processing

/// https://docs.joinmastodon.org/entities/Status/
struct StatusEntity: ResponseEncodable, Sendable {
    struct MentionEntity: Encodable, Sendable {
        let id: String
        let username: String
        let url: String
        let acct: String
    }

    struct TagEntity: Encodable, Sendable {
        let name: String
        let url: String
    }

    struct ApplicationRef: Encodable, Sendable {
        let name: String
        @Nullable var website: String?
    }

    final class Box: Encodable, Sendable {
        let value: StatusEntity
        init(_ value: StatusEntity) { self.value = value }
        func encode(to encoder: any Encoder) throws { try self.value.encode(to: encoder) }
    }

    let id: String
    let uri: String
    @Nullable var url: String?
    let createdAt: Date
    @Nullable var editedAt: Date?
    let account: AccountEntity
    let content: String
    let visibility: String
    let sensitive: Bool
    let spoilerText: String
    let mediaAttachments: [MediaAttachmentEntity]
    @Nullable var application: ApplicationRef?
    let mentions: [MentionEntity]
    let tags: [TagEntity]
    let emojis: [String]
    let reblogsCount: Int
    let favouritesCount: Int
    let repliesCount: Int
    @Nullable var inReplyToId: String?
    @Nullable var inReplyToAccountId: String?
    @Nullable var reblog: Box?
    @Nullable var poll: PollEntity?
    @Nullable var card: String?
    @Nullable var language: String?
    var text: String?
    var favourited: Bool?
    var reblogged: Bool?
    var muted: Bool?
    var bookmarked: Bool?
    var pinned: Bool?
    /// Present when the viewer's filters were applied (timelines, threads, notifications).
    var filtered: [FilterResultEntity]?

    init(_ view: StatusView, urls: URLBuilder) {
        let status = view.status
        self.id = status.id.description
        self.uri = status.uri
        self.url = status.url
        self.createdAt = status.createdAt
        self.editedAt = status.editedAt
        self.account = AccountEntity(view.author)
        self.content = status.content
        self.visibility = status.visibility.rawValue
        self.sensitive = status.sensitive
        self.spoilerText = status.spoilerText
        self.mediaAttachments = view.media.map(MediaAttachmentEntity.init)
        self.application = nil
        self.mentions = view.mentions.map {
            MentionEntity(
                id: $0.account.id.description,
                username: $0.account.username,
                url: $0.profileURL,
                acct: $0.account.acct
            )
        }
        self.tags = view.tags.map { TagEntity(name: $0, url: urls.tag($0)) }
        self.emojis = []
        self.reblogsCount = status.reblogsCount
        self.favouritesCount = status.favouritesCount
        self.repliesCount = status.repliesCount
        self.inReplyToId = status.inReplyToID?.description
        self.inReplyToAccountId = status.inReplyToAccountID?.description
        self.reblog = view.reblog.map { Box(StatusEntity($0, urls: urls)) }
        self.poll = view.poll.map { PollEntity($0, viewer: view.viewerID) }
        self.language = status.language
        if view.includeSource { self.text = status.text }
        self.filtered = view.filtered.map { $0.map(FilterResultEntity.init) }
        if let flags = view.viewer {
            self.favourited = flags.favourited
            self.reblogged = flags.reblogged
            self.bookmarked = flags.bookmarked
            self.muted = flags.muted
            // `pinned` only appears on the viewer's own statuses, as in Mastodon.
            self.pinned = view.viewerIsAuthor && !status.isReblog ? flags.pinned : nil
        }
    }

    /// Written member by member, not through `Codable` containers: a timeline is mostly statuses, and this is
    /// its hottest loop. Every documented field is written, `null` where empty.
    func encode(to encoder: any Encoder) throws {
        try JSONStreamWriter.writing(self, to: encoder).object { o in
            o.string("id", self.id)
            o.string("uri", self.uri)
            o.string("url", self.url)
            o.date("created_at", self.createdAt)
            o.date("edited_at", self.editedAt)
            try o.value("account", self.account)
            o.string("content", self.content)
            o.string("visibility", self.visibility)
            o.bool("sensitive", self.sensitive)
            o.string("spoiler_text", self.spoilerText)
            try o.array("media_attachments", self.mediaAttachments)
            try o.value("application", self.application)
            try o.array("mentions", self.mentions)
            try o.array("tags", self.tags)
            try o.array("emojis", self.emojis)
            o.int("reblogs_count", self.reblogsCount)
            o.int("favourites_count", self.favouritesCount)
            o.int("replies_count", self.repliesCount)
            o.string("in_reply_to_id", self.inReplyToId)
            o.string("in_reply_to_account_id", self.inReplyToAccountId)
            try o.value("reblog", self.reblog)
            try o.value("poll", self.poll)
            o.string("card", self.card)
            o.string("language", self.language)
            // The source text and the viewer's flags appear only when there is something to say.
            if let text = self.text { o.string("text", text) }
            if let favourited = self.favourited { o.bool("favourited", favourited) }
            if let reblogged = self.reblogged { o.bool("reblogged", reblogged) }
            if let muted = self.muted { o.bool("muted", muted) }
            if let bookmarked = self.bookmarked { o.bool("bookmarked", bookmarked) }
            if let pinned = self.pinned { o.bool("pinned", pinned) }
            if let filtered = self.filtered { try o.array("filtered", filtered) }
        }
    }
}

/// https://docs.joinmastodon.org/entities/Notification/
struct NotificationEntity: Encodable, Sendable {
    let id: String
    let type: String
    let createdAt: Date
    let groupKey: String
    let account: AccountEntity
    var status: StatusEntity?

    init(_ view: NotificationView, urls: URLBuilder) {
        self.id = view.notification.id.description
        self.type = view.notification.kind.rawValue
        self.createdAt = view.notification.createdAt
        self.groupKey = "ungrouped-\(view.notification.id)"
        self.account = AccountEntity(view.account)
        self.status = view.status.map { StatusEntity($0, urls: urls) }
    }

    enum CodingKeys: String, CodingKey {
        case id, type
        case createdAt = "created_at"
        case groupKey = "group_key"
        case account, status
    }
}

/// https://docs.joinmastodon.org/entities/Context/
struct ContextEntity: ResponseEncodable, Sendable {
    let ancestors: [StatusEntity]
    let descendants: [StatusEntity]
}
