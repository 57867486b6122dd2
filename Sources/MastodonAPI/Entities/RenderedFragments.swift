import Core
import Processing
import Synchronization

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

    static let accounts = FragmentCache<AccountFragment>(capacity: Self.capacity)
    static let statuses = FragmentCache<StatusFragment>(capacity: Self.capacity)
}

/// A bounded map from ids to fragments in two generations: when the current one is full it becomes the
/// previous one (dropping the older), and a fragment found in the previous one moves back to the current
/// one. What was used within the last `capacity` stores stays; nothing needs a clock or a list.
final class FragmentCache<Fragment: AnyObject & Sendable>: Sendable {
    private struct Generations {
        var current: [Int64: Fragment] = [:]
        var previous: [Int64: Fragment] = [:]
    }

    private let generations = Mutex(Generations())
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The fragment kept for `id`, if any (still to be checked against what it is for).
    func fragment(for id: Int64) -> Fragment? {
        self.generations.withLock { generations in
            if let fragment = generations.current[id] { return fragment }
            guard let fragment = generations.previous.removeValue(forKey: id) else { return nil }
            self.insert(fragment, for: id, into: &generations)
            return fragment
        }
    }

    func store(_ fragment: Fragment, for id: Int64) {
        self.generations.withLock { self.insert(fragment, for: id, into: &$0) }
    }

    /// The fragment kept for `id` when `isCurrent` accepts it, else the one `make` writes, kept for the next
    /// response in its place.
    func fragment(
        for id: Int64,
        where isCurrent: (Fragment) -> Bool,
        else make: () throws -> Fragment
    ) rethrows -> Fragment {
        if let kept = self.fragment(for: id), isCurrent(kept) { return kept }
        let fresh = try make()
        self.store(fresh, for: id)
        return fresh
    }

    /// How many fragments are kept, in both generations.
    var count: Int {
        self.generations.withLock { $0.current.count + $0.previous.count }
    }

    private func insert(_ fragment: Fragment, for id: Int64, into generations: inout Generations) {
        if generations.current.count >= self.capacity, generations.current[id] == nil {
            generations.previous = [:]
            swap(&generations.previous, &generations.current)
        }
        generations.current[id] = fragment
    }
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
    /// A mention as written: its id, username, `acct` and profile URL.
    struct Mention: Equatable, Sendable {
        let id: Account.ID
        let username: String
        let domain: String?
        let profileURL: String

        init(_ view: AccountView) {
            self.id = view.account.id
            self.username = view.account.username
            self.domain = view.account.domain
            self.profileURL = view.profileURL
        }

        func matches(_ view: AccountView) -> Bool {
            self.id == view.account.id && self.username == view.account.username
                && self.domain == view.account.domain && self.profileURL == view.profileURL
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
