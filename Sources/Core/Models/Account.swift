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

    package var id: ID
    package var username: String
    /// `nil` for local accounts.
    package var domain: String?
    package var displayName: String
    /// The profile text as typed (local) or as received (remote, sanitised HTML).
    package var note: String
    /// The profile text as HTML, rendered when it was written.
    package var noteHTML: String
    package var fields: [Field]
    package var locked: Bool
    package var bot: Bool
    package var discoverable: Bool
    package var indexable: Bool
    package var hideCollections: Bool
    package var uri: String
    package var url: String?
    package var createdAt: Date
    package var updatedAt: Date
    package var suspendedAt: Date?
    package var followersCount: Int
    package var followingCount: Int
    package var statusesCount: Int
    package var lastStatusAt: Date?
    /// The ActivityPub actor type: Person, Service (bots), Group, Application, Organization.
    package var actorType = "Person"
    /// Where a remote actor receives and publishes; empty for local accounts (see `URLBuilder`).
    package var endpoints = ActorEndpoints()
    /// A remote actor's avatar and header as published (shown until the `cache_profile_images` job has
    /// kept copies).
    package var avatarRemoteURL: String?
    package var headerRemoteURL: String?
    /// Keys in the media store of a local account's uploaded avatar and header, or of a remote account's
    /// cached copies (nil: the defaults, or the remote URLs).
    package var avatarKey: String?
    package var headerKey: String?
    /// Actor URIs this account says it also is (account migration).
    package var alsoKnownAs: [String] = []
    /// The actor URI this account moved to, if it moved.
    package var movedToURI: String?
    /// When a local account last moved away (another move waits 30 days).
    package var movedAt: Date?
    /// When a remote actor document was last fetched.
    package var fetchedAt: Date?
    /// When a local account was deleted: only this row remains (suspended, empty), keeping its username
    /// reserved and its key for signing the `Delete` it sends.
    package var deletedAt: Date?

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
        self.id = id
        self.username = username
        self.domain = domain
        self.displayName = displayName
        self.note = note
        self.noteHTML = noteHTML
        self.fields = fields
        self.locked = locked
        self.bot = bot
        self.discoverable = discoverable
        self.indexable = indexable
        self.hideCollections = hideCollections
        self.uri = uri
        self.url = url
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.suspendedAt = suspendedAt
        self.followersCount = followersCount
        self.followingCount = followingCount
        self.statusesCount = statusesCount
        self.lastStatusAt = lastStatusAt
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
