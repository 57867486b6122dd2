import Foundation

/// An account: a local person (with a `User` for signing in) or a remote actor we know of.
package struct Account: Sendable, Equatable {
    package typealias ID = EntityID<Account>

    /// One profile metadata field ("name: value"); `verifiedAt` is set once a rel=me link was found.
    package struct Field: Sendable, Equatable, Codable {
        package var name: String
        /// The value as typed (local) or as received (remote).
        package var value: String
        /// The value as HTML: linked URLs and mentions.
        package var valueHTML: String
        package var verifiedAt: Date?

        package init(name: String, value: String, valueHTML: String? = nil, verifiedAt: Date? = nil) {
            self.name = name
            self.value = value
            self.valueHTML = valueHTML ?? value
            self.verifiedAt = verifiedAt
        }
    }

    /// The fields, in one allocation shared by copies until one of them changes (copy on write): a copy of
    /// an Account is one retain, not one per string, and two copies of the same one compare by identity.
    private final class Storage: @unchecked Sendable {
        // Written only through `values` below, which copies a shared storage first.
        @exclusivity(unchecked) var values: Values

        init(_ values: Values) {
            self.values = values
        }
    }

    private struct Values: Equatable {
        var id: ID
        var username: String
        var domain: String?
        var displayName: String
        var note: String
        var noteHTML: String
        var fields: [Field]
        var locked: Bool
        var bot: Bool
        var discoverable: Bool
        var indexable: Bool
        var hideCollections: Bool
        var uri: String
        var url: String?
        var createdAt: Date
        var updatedAt: Date
        var suspendedAt: Date?
        var followersCount: Int
        var followingCount: Int
        var statusesCount: Int
        var lastStatusAt: Date?
        var actorType: String = "Person"
        var endpoints: ActorEndpoints = ActorEndpoints()
        var avatarRemoteURL: String? = nil
        var headerRemoteURL: String? = nil
        var avatarKey: String? = nil
        var headerKey: String? = nil
        var alsoKnownAs: [String] = []
        var movedToURI: String? = nil
        var movedAt: Date? = nil
        var fetchedAt: Date? = nil
        var deletedAt: Date? = nil
    }

    private var storage: Storage

    /// The fields for changing: a storage shared with another copy is copied first.
    private var values: Values {
        get { self.storage.values }
        _modify {
            if !isKnownUniquelyReferenced(&self.storage) { self.storage = Storage(self.storage.values) }
            yield &self.storage.values
        }
    }

    package var id: ID {
        get { self.storage.values.id }
        set { self.values.id = newValue }
    }

    package var username: String {
        get { self.storage.values.username }
        set { self.values.username = newValue }
    }

    /// `nil` for local accounts.
    package var domain: String? {
        get { self.storage.values.domain }
        set { self.values.domain = newValue }
    }

    package var displayName: String {
        get { self.storage.values.displayName }
        set { self.values.displayName = newValue }
    }

    /// The profile text as typed (local) or as received (remote, sanitised HTML).
    package var note: String {
        get { self.storage.values.note }
        set { self.values.note = newValue }
    }

    /// The profile text as HTML, rendered when it was written.
    package var noteHTML: String {
        get { self.storage.values.noteHTML }
        set { self.values.noteHTML = newValue }
    }

    package var fields: [Field] {
        get { self.storage.values.fields }
        set { self.values.fields = newValue }
    }

    package var locked: Bool {
        get { self.storage.values.locked }
        set { self.values.locked = newValue }
    }

    package var bot: Bool {
        get { self.storage.values.bot }
        set { self.values.bot = newValue }
    }

    package var discoverable: Bool {
        get { self.storage.values.discoverable }
        set { self.values.discoverable = newValue }
    }

    package var indexable: Bool {
        get { self.storage.values.indexable }
        set { self.values.indexable = newValue }
    }

    package var hideCollections: Bool {
        get { self.storage.values.hideCollections }
        set { self.values.hideCollections = newValue }
    }

    package var uri: String {
        get { self.storage.values.uri }
        set { self.values.uri = newValue }
    }

    package var url: String? {
        get { self.storage.values.url }
        set { self.values.url = newValue }
    }

    package var createdAt: Date {
        get { self.storage.values.createdAt }
        set { self.values.createdAt = newValue }
    }

    package var updatedAt: Date {
        get { self.storage.values.updatedAt }
        set { self.values.updatedAt = newValue }
    }

    package var suspendedAt: Date? {
        get { self.storage.values.suspendedAt }
        set { self.values.suspendedAt = newValue }
    }

    package var followersCount: Int {
        get { self.storage.values.followersCount }
        set { self.values.followersCount = newValue }
    }

    package var followingCount: Int {
        get { self.storage.values.followingCount }
        set { self.values.followingCount = newValue }
    }

    package var statusesCount: Int {
        get { self.storage.values.statusesCount }
        set { self.values.statusesCount = newValue }
    }

    package var lastStatusAt: Date? {
        get { self.storage.values.lastStatusAt }
        set { self.values.lastStatusAt = newValue }
    }

    /// The ActivityPub actor type: Person, Service (bots), Group, Application, Organization.
    package var actorType: String {
        get { self.storage.values.actorType }
        set { self.values.actorType = newValue }
    }

    /// Where a remote actor receives and publishes; empty for local accounts (see `URLBuilder`).
    package var endpoints: ActorEndpoints {
        get { self.storage.values.endpoints }
        set { self.values.endpoints = newValue }
    }

    /// A remote actor's avatar and header as published (shown until the `cache_profile_images` job has
    /// kept copies).
    package var avatarRemoteURL: String? {
        get { self.storage.values.avatarRemoteURL }
        set { self.values.avatarRemoteURL = newValue }
    }

    package var headerRemoteURL: String? {
        get { self.storage.values.headerRemoteURL }
        set { self.values.headerRemoteURL = newValue }
    }

    /// Keys in the media store of a local account's uploaded avatar and header, or of a remote account's
    /// cached copies (nil: the defaults, or the remote URLs).
    package var avatarKey: String? {
        get { self.storage.values.avatarKey }
        set { self.values.avatarKey = newValue }
    }

    package var headerKey: String? {
        get { self.storage.values.headerKey }
        set { self.values.headerKey = newValue }
    }

    /// Actor URIs this account says it also is (account migration).
    package var alsoKnownAs: [String] {
        get { self.storage.values.alsoKnownAs }
        set { self.values.alsoKnownAs = newValue }
    }

    /// The actor URI this account moved to, if it moved.
    package var movedToURI: String? {
        get { self.storage.values.movedToURI }
        set { self.values.movedToURI = newValue }
    }

    /// When a local account last moved away (another move waits 30 days).
    package var movedAt: Date? {
        get { self.storage.values.movedAt }
        set { self.values.movedAt = newValue }
    }

    /// When a remote actor document was last fetched.
    package var fetchedAt: Date? {
        get { self.storage.values.fetchedAt }
        set { self.values.fetchedAt = newValue }
    }

    /// When a local account was deleted: only this row remains (suspended, empty), keeping its username
    /// reserved and its key for signing the `Delete` it sends.
    package var deletedAt: Date? {
        get { self.storage.values.deletedAt }
        set { self.values.deletedAt = newValue }
    }

    package init(
        id: ID,
        username: String,
        domain: String?,
        displayName: String = "",
        note: String = "",
        noteHTML: String = "",
        fields: [Field] = [],
        locked: Bool = false,
        bot: Bool = false,
        discoverable: Bool = true,
        indexable: Bool = true,
        hideCollections: Bool = false,
        uri: String,
        url: String?,
        createdAt: Date,
        updatedAt: Date,
        suspendedAt: Date? = nil,
        followersCount: Int = 0,
        followingCount: Int = 0,
        statusesCount: Int = 0,
        lastStatusAt: Date? = nil
    ) {
        self.storage = Storage(
            Values(
                id: id,
                username: username,
                domain: domain,
                displayName: displayName,
                note: note,
                noteHTML: noteHTML,
                fields: fields,
                locked: locked,
                bot: bot,
                discoverable: discoverable,
                indexable: indexable,
                hideCollections: hideCollections,
                uri: uri,
                url: url,
                createdAt: createdAt,
                updatedAt: updatedAt,
                suspendedAt: suspendedAt,
                followersCount: followersCount,
                followingCount: followingCount,
                statusesCount: statusesCount,
                lastStatusAt: lastStatusAt
            )
        )
    }

    package static func == (lhs: Account, rhs: Account) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.values == rhs.storage.values
    }

    /// Whether the account lives on this server.
    package var isLocal: Bool { self.domain == nil }

    /// The handle relative to this server: `alice` for local, `bob@elsewhere.social` for remote.
    package var acct: String {
        if let domain = self.domain { return "\(self.username)@\(domain)" }
        return self.username
    }

    /// The host part of the actor URI (with a port when it has one), the unit of origin checks.
    package var uriHost: String? { URLBuilder.authority(of: self.uri) }

    /// Whether the account is suspended.
    package var isSuspended: Bool { self.suspendedAt != nil }
}

/// A remote actor's collection and inbox URLs, as its actor document gives them.
package struct ActorEndpoints: Sendable, Equatable {
    package var inbox: String?
    package var sharedInbox: String?
    package var outbox: String?
    package var followers: String?
    package var following: String?
    package var featured: String?

    package init(
        inbox: String? = nil,
        sharedInbox: String? = nil,
        outbox: String? = nil,
        followers: String? = nil,
        following: String? = nil,
        featured: String? = nil
    ) {
        self.inbox = inbox
        self.sharedInbox = sharedInbox
        self.outbox = outbox
        self.followers = followers
        self.following = following
        self.featured = featured
    }

    /// Where to deliver: the shared inbox when the actor has one.
    package var deliveryInbox: String? { self.sharedInbox ?? self.inbox }
}
