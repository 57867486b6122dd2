import Core
import Foundation
import HTTPCommon
import Hummingbird
import Processing

/// https://docs.joinmastodon.org/entities/Status/
///
/// Written straight from the view into the document's bytes (`JSONDirectWriter`), not copied into
/// entity fields and encoded through `Codable` containers first: a timeline is mostly statuses, and this
/// is its hottest loop. Every documented field is written, `null` where empty.
struct StatusEntity: ResponseEncodable, Sendable {
    let view: StatusView
    let urls: URLBuilder

    init(_ view: StatusView, urls: URLBuilder) {
        self.view = view
        self.urls = urls
    }

    func encode(to encoder: any Encoder) throws {
        try JSONStreamWriter.writing(self, to: encoder).direct { try self.write(to: &$0) }
    }

    func write(to out: inout JSONDirectWriter) throws {
        let view = self.view
        out.openObject()
        try self.writeKept(to: &out)
        out.key("account")
        try AccountEntity(view.author).write(to: &out)
        out.key("reblog")
        if let reblog = view.reblog { try StatusEntity(reblog, urls: self.urls).write(to: &out) } else { out.null() }
        out.key("poll")
        if let poll = view.poll { try out.value(PollEntity(poll, viewer: view.viewerID)) } else { out.null() }
        // The source text and the viewer's flags appear only when there is something to say.
        if view.includeSource { out.member("text", view.status.text) }
        if let flags = view.viewer {
            out.member("favourited", flags.favourited)
            out.member("reblogged", flags.reblogged)
            out.member("muted", flags.muted)
            out.member("bookmarked", flags.bookmarked)
            // `pinned` only appears on the viewer's own statuses, as in Mastodon.
            if view.viewerIsAuthor && !view.status.isReblog { out.member("pinned", flags.pinned) }
        }
        if let filtered = view.filtered { try out.member("filtered", filtered.map(FilterResultEntity.init)) }
        out.closeObject()
    }

    /// The members that depend on the status alone, from `RenderedFragments` when they were written before
    /// from equal values.
    private func writeKept(to out: inout JSONDirectWriter) throws {
        let fragment = try RenderedFragments.statuses.value(
            for: self.view.status.id.rawValue,
            where: { $0.matches(self.view, urls: self.urls) },
            else: {
                // Members without the object's braces: the first one needs no comma in an empty writer.
                var fresh = JSONDirectWriter()
                try self.renderOwnMembers(to: &fresh)
                return StatusFragment(view: self.view, urls: self.urls, bytes: fresh.bytes)
            }
        )
        out.rawMembers(fragment.bytes)
    }

    private func renderOwnMembers(to out: inout JSONDirectWriter) throws {
        let view = self.view
        let status = view.status
        out.member("id", id: status.id.rawValue)
        out.member("uri", status.uri)
        out.member("url", status.url)
        out.member("created_at", status.createdAt)
        out.member("edited_at", status.editedAt)
        out.member("content", status.content)
        out.member("visibility", status.visibility.rawValue)
        out.member("sensitive", status.sensitive)
        out.member("spoiler_text", status.spoilerText)
        try out.member("media_attachments", view.media.map(MediaAttachmentEntity.init))
        out.member("application", nil as String?)
        out.key("mentions")
        out.openArray()
        for mention in view.mentions {
            out.element()
            out.openObject()
            out.member("id", id: mention.account.id.rawValue)
            out.member("username", mention.account.username)
            out.member("url", mention.profileURL)
            out.member("acct", mention.account.acct)
            out.closeObject()
        }
        out.closeArray()
        out.key("tags")
        out.openArray()
        for tag in view.tags {
            out.element()
            out.openObject()
            out.member("name", tag)
            out.member("url", self.urls.tag(tag))
            out.closeObject()
        }
        out.closeArray()
        out.key("emojis")
        out.openArray()
        out.closeArray()
        out.member("reblogs_count", status.reblogsCount)
        out.member("favourites_count", status.favouritesCount)
        out.member("replies_count", status.repliesCount)
        out.member("in_reply_to_id", id: status.inReplyToID?.rawValue)
        out.member("in_reply_to_account_id", id: status.inReplyToAccountID?.rawValue)
        out.member("card", nil as String?)
        out.member("language", status.language)
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
