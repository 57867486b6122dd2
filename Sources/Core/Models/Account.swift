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

    /// The fields, kept in one allocation shared by copies (see `CopyOnWrite`).
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

    private var storage: CopyOnWrite<Values>

    package var id: ID {
        get { self.storage.value.id }
        set { self.storage.value.id = newValue }
    }

    package var username: String {
        get { self.storage.value.username }
        set { self.storage.value.username = newValue }
    }

    /// `nil` for local accounts.
    package var domain: String? {
        get { self.storage.value.domain }
        set { self.storage.value.domain = newValue }
    }

    package var displayName: String {
        get { self.storage.value.displayName }
        set { self.storage.value.displayName = newValue }
    }

    /// The profile text as typed (local) or as received (remote, sanitised HTML).
    package var note: String {
        get { self.storage.value.note }
        set { self.storage.value.note = newValue }
    }

    /// The profile text as HTML, rendered when it was written.
    package var noteHTML: String {
        get { self.storage.value.noteHTML }
        set { self.storage.value.noteHTML = newValue }
    }

    package var fields: [Field] {
        get { self.storage.value.fields }
        set { self.storage.value.fields = newValue }
    }

    package var locked: Bool {
        get { self.storage.value.locked }
        set { self.storage.value.locked = newValue }
    }

    package var bot: Bool {
        get { self.storage.value.bot }
        set { self.storage.value.bot = newValue }
    }

    package var discoverable: Bool {
        get { self.storage.value.discoverable }
        set { self.storage.value.discoverable = newValue }
    }

    package var indexable: Bool {
        get { self.storage.value.indexable }
        set { self.storage.value.indexable = newValue }
    }

    package var hideCollections: Bool {
        get { self.storage.value.hideCollections }
        set { self.storage.value.hideCollections = newValue }
    }

    package var uri: String {
        get { self.storage.value.uri }
        set { self.storage.value.uri = newValue }
    }

    package var url: String? {
        get { self.storage.value.url }
        set { self.storage.value.url = newValue }
    }

    package var createdAt: Date {
        get { self.storage.value.createdAt }
        set { self.storage.value.createdAt = newValue }
    }

    package var updatedAt: Date {
        get { self.storage.value.updatedAt }
        set { self.storage.value.updatedAt = newValue }
    }

    package var suspendedAt: Date? {
        get { self.storage.value.suspendedAt }
        set { self.storage.value.suspendedAt = newValue }
    }

    package var followersCount: Int {
        get { self.storage.value.followersCount }
        set { self.storage.value.followersCount = newValue }
    }

    package var followingCount: Int {
        get { self.storage.value.followingCount }
        set { self.storage.value.followingCount = newValue }
    }

    package var statusesCount: Int {
        get { self.storage.value.statusesCount }
        set { self.storage.value.statusesCount = newValue }
    }

    package var lastStatusAt: Date? {
        get { self.storage.value.lastStatusAt }
        set { self.storage.value.lastStatusAt = newValue }
    }

    /// The ActivityPub actor type: Person, Service (bots), Group, Application, Organization.
    package var actorType: String {
        get { self.storage.value.actorType }
        set { self.storage.value.actorType = newValue }
    }

    /// Where a remote actor receives and publishes; empty for local accounts (see `URLBuilder`).
    package var endpoints: ActorEndpoints {
        get { self.storage.value.endpoints }
        set { self.storage.value.endpoints = newValue }
    }

    /// A remote actor's avatar and header as published (shown until the `cache_profile_images` job has
    /// kept copies).
    package var avatarRemoteURL: String? {
        get { self.storage.value.avatarRemoteURL }
        set { self.storage.value.avatarRemoteURL = newValue }
    }

    package var headerRemoteURL: String? {
        get { self.storage.value.headerRemoteURL }
        set { self.storage.value.headerRemoteURL = newValue }
    }

    /// Keys in the media store of a local account's uploaded avatar and header, or of a remote account's
    /// cached copies (nil: the defaults, or the remote URLs).
    package var avatarKey: String? {
        get { self.storage.value.avatarKey }
        set { self.storage.value.avatarKey = newValue }
    }

    package var headerKey: String? {
        get { self.storage.value.headerKey }
        set { self.storage.value.headerKey = newValue }
    }

    /// Actor URIs this account says it also is (account migration).
    package var alsoKnownAs: [String] {
        get { self.storage.value.alsoKnownAs }
        set { self.storage.value.alsoKnownAs = newValue }
    }

    /// The actor URI this account moved to, if it moved.
    package var movedToURI: String? {
        get { self.storage.value.movedToURI }
        set { self.storage.value.movedToURI = newValue }
    }

    /// When a local account last moved away (another move waits 30 days).
    package var movedAt: Date? {
        get { self.storage.value.movedAt }
        set { self.storage.value.movedAt = newValue }
    }

    /// When a remote actor document was last fetched.
    package var fetchedAt: Date? {
        get { self.storage.value.fetchedAt }
        set { self.storage.value.fetchedAt = newValue }
    }

    /// When a local account was deleted: only this row remains (suspended, empty), keeping its username
    /// reserved and its key for signing the `Delete` it sends.
    package var deletedAt: Date? {
        get { self.storage.value.deletedAt }
        set { self.storage.value.deletedAt = newValue }
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
        self.storage = CopyOnWrite(
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
        lhs.storage == rhs.storage
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
