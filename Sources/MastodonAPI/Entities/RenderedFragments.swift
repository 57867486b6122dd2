import Core
import Processing

/// The JSON of accounts and statuses as last written, kept for the next response that shows them.
///
/// A fragment is reused only when everything it was written from is equal to what the new response would
/// write it from: the account view, or the status with its mentions, tags and media. Nothing is
/// invalidated, so a count that changed, an edit, or a row changed by another process sharing the database
/// simply misses and writes afresh. Comparing a few dozen fields is an order of magnitude cheaper than
/// escaping and formatting them again (a timeline page shows the same twenty statuses to every refresh).
/// What depends on the viewer (the owner's `source`, the flags, a poll's votes, `filtered`) is never kept.
enum RenderedFragments {
    /// Each generation holds this many fragments of a kind: at most about two megabytes in all.
    static let capacity = 256

    static let accounts = RecentCache<AccountFragment>(capacity: Self.capacity)
    static let statuses = RecentCache<StatusFragment>(capacity: Self.capacity)
}

/// An account's JSON (the whole object) and the view it was written from.
final class AccountFragment: Sendable {
    let view: AccountView
    let bytes: [UInt8]

    init(view: AccountView, bytes: [UInt8]) {
        self.view = view
        self.bytes = bytes
    }
}

/// The members of a status's JSON that depend only on the status, its mentions, tags and media (not on
/// its author, the reblogged status, the poll or the viewer), and what they were written from.
final class StatusFragment: Sendable {
    /// A mention as written: its id, username, `acct` and profile URL (made from the account's own URL or
    /// URI, or for a local account from its username and the fragment's `urls`).
    struct Mention: Equatable, Sendable {
        let id: Account.ID
        let username: String
        let domain: String?
        let url: String?
        let uri: String

        init(_ view: AccountView) {
            self.id = view.account.id
            self.username = view.account.username
            self.domain = view.account.domain
            self.url = view.account.url
            self.uri = view.account.uri
        }

        func matches(_ view: AccountView) -> Bool {
            let account = view.account
            return self.id == account.id && self.username == account.username && self.domain == account.domain
                && self.url == account.url && self.uri == account.uri
        }
    }

    let status: Status
    let mentions: [Mention]
    let tags: [String]
    let media: [MediaView]
    /// Tag URLs are made with it.
    let urls: URLBuilder
    let bytes: [UInt8]

    init(view: StatusView, urls: URLBuilder, bytes: [UInt8]) {
        self.status = view.status
        self.mentions = view.mentions.map(Mention.init)
        self.tags = view.tags
        self.media = view.media
        self.urls = urls
        self.bytes = bytes
    }

    /// Whether these bytes are what `view` would be written as.
    func matches(_ view: StatusView, urls: URLBuilder) -> Bool {
        guard self.status == view.status, self.tags == view.tags, self.media == view.media, self.urls == urls,
            self.mentions.count == view.mentions.count
        else { return false }
        for (kept, mention) in zip(self.mentions, view.mentions) where !kept.matches(mention) { return false }
        return true
    }
}
