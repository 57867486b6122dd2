import Core
import Foundation
import HTTPCommon
import Hummingbird
import Processing

/// https://docs.joinmastodon.org/entities/Account/ — with `source` and `role` for the owner
/// (the CredentialAccount of verify_credentials and update_credentials).
struct AccountEntity: ResponseEncodable, Sendable {
    struct FieldEntity: Encodable, Sendable {
        let name: String
        let value: String
        @Nullable var verifiedAt: Date?

        enum CodingKeys: String, CodingKey {
            case name, value
            case verifiedAt = "verified_at"
        }
    }

    struct SourceEntity: Encodable, Sendable {
        let privacy: String
        let sensitive: Bool
        @Nullable var language: String?
        let note: String
        let fields: [FieldEntity]
        let followRequestsCount: Int
        let hideCollections: Bool
        let discoverable: Bool
        let indexable: Bool
        let attributionDomains: [String]

        enum CodingKeys: String, CodingKey {
            case privacy, sensitive, language, note, fields
            case followRequestsCount = "follow_requests_count"
            case hideCollections = "hide_collections"
            case discoverable, indexable
            case attributionDomains = "attribution_domains"
        }
    }

    struct RoleEntity: Encodable, Sendable {
        let id: String
        let name: String
        let color: String
        let permissions: String
        let highlighted: Bool
    }

    let id: String
    let username: String
    let acct: String
    let displayName: String
    let locked: Bool
    let bot: Bool
    let discoverable: Bool
    let indexable: Bool
    let group: Bool
    let createdAt: Date
    let note: String
    let url: String
    let uri: String
    let avatar: String
    let avatarStatic: String
    let header: String
    let headerStatic: String
    let followersCount: Int
    let followingCount: Int
    let statusesCount: Int
    @Nullable var lastStatusAt: String?
    let hideCollections: Bool
    let noindex: Bool
    let emojis: [String]
    let roles: [RoleEntity]
    let fields: [FieldEntity]
    var source: SourceEntity?
    var role: RoleEntity?
    /// The account it moved to; absent when it did not move (as Mastodon leaves it out).
    var moved: MovedEntity?

    /// Boxes the new account of a moved one (a struct cannot hold itself).
    final class MovedEntity: Encodable, Sendable {
        let account: AccountEntity
        init(_ account: AccountEntity) { self.account = account }
        func encode(to encoder: any Encoder) throws { try self.account.encode(to: encoder) }
    }

    init(_ view: AccountView) {
        let account = view.account
        self.id = account.id.description
        self.username = account.username
        self.acct = account.acct
        self.displayName = account.displayName
        self.locked = account.locked
        self.bot = account.bot
        self.discoverable = account.discoverable
        self.indexable = account.indexable
        self.group = false
        // Mastodon rounds account creation down to the day.
        self.createdAt = Date(
            timeIntervalSince1970: (account.createdAt.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
        )
        self.note = account.noteHTML
        self.url = view.profileURL
        self.uri = account.uri
        self.avatar = view.avatarURL
        self.avatarStatic = view.avatarURL
        self.header = view.headerURL
        self.headerStatic = view.headerURL
        self.followersCount = account.hideCollections && view.user == nil ? 0 : account.followersCount
        self.followingCount = account.hideCollections && view.user == nil ? 0 : account.followingCount
        self.statusesCount = account.statusesCount
        self.lastStatusAt = account.lastStatusAt.map { String(MastodonJSONEncoder.timestamp($0).prefix(10)) }
        self.hideCollections = account.hideCollections
        self.noindex = !account.indexable
        self.emojis = []
        self.roles = []
        self.fields = account.fields.map { FieldEntity(name: $0.name, value: $0.valueHTML, verifiedAt: $0.verifiedAt) }
        self.moved = view.movedTo.map { MovedEntity(AccountEntity($0.view)) }
        if let user = view.user {
            self.source = SourceEntity(
                privacy: user.settings.defaultVisibility.rawValue,
                sensitive: user.settings.defaultSensitive,
                language: user.settings.defaultLanguage,
                note: account.note,
                fields: account.fields.map { FieldEntity(name: $0.name, value: $0.value, verifiedAt: $0.verifiedAt) },
                followRequestsCount: view.followRequestsCount,
                hideCollections: account.hideCollections,
                discoverable: account.discoverable,
                indexable: account.indexable,
                attributionDomains: []
            )
            self.role = RoleEntity(
                id: user.role == .user ? "-99" : user.role == .moderator ? "2" : "3",
                name: user.role == .user ? "" : user.role.rawValue.capitalized,
                color: "",
                permissions: user.role == .admin ? "1" : user.role == .moderator ? "1308" : "65536",
                highlighted: user.role != .user
            )
        }
    }

    /// Written member by member, not through `Codable` containers: every status carries one.
    func encode(to encoder: any Encoder) throws {
        try JSONStreamWriter.writing(self, to: encoder).object { o in
            o.string("id", self.id)
            o.string("username", self.username)
            o.string("acct", self.acct)
            o.string("display_name", self.displayName)
            o.bool("locked", self.locked)
            o.bool("bot", self.bot)
            o.bool("discoverable", self.discoverable)
            o.bool("indexable", self.indexable)
            o.bool("group", self.group)
            o.date("created_at", self.createdAt)
            o.string("note", self.note)
            o.string("url", self.url)
            o.string("uri", self.uri)
            o.string("avatar", self.avatar)
            o.string("avatar_static", self.avatarStatic)
            o.string("header", self.header)
            o.string("header_static", self.headerStatic)
            o.int("followers_count", self.followersCount)
            o.int("following_count", self.followingCount)
            o.int("statuses_count", self.statusesCount)
            o.string("last_status_at", self.lastStatusAt)
            o.bool("hide_collections", self.hideCollections)
            o.bool("noindex", self.noindex)
            try o.array("emojis", self.emojis)
            try o.array("roles", self.roles)
            try o.array("fields", self.fields)
            // The owner's extras, and `moved` only for an account that moved (as Mastodon leaves it out).
            if let source = self.source { try o.value("source", source) }
            if let role = self.role { try o.value("role", role) }
            if let moved = self.moved { try o.value("moved", moved) }
        }
    }
}

/// https://docs.joinmastodon.org/entities/Relationship/
struct RelationshipEntity: ResponseEncodable, Sendable {
    let id: String
    let following: Bool
    let showingReblogs: Bool
    let notifying: Bool
    @Nullable var languages: [String]?
    let followedBy: Bool
    let blocking: Bool
    let blockedBy: Bool
    let muting: Bool
    let mutingNotifications: Bool
    let requested: Bool
    let requestedBy: Bool
    let domainBlocking: Bool
    let endorsed: Bool
    let note: String

    init(_ view: RelationshipView) {
        self.id = view.id.description
        self.following = view.following
        self.showingReblogs = view.showingReblogs
        self.notifying = view.notifying
        self.languages = view.languages
        self.followedBy = view.followedBy
        self.blocking = view.blocking
        self.blockedBy = view.blockedBy
        self.muting = view.muting
        self.mutingNotifications = view.mutingNotifications
        self.requested = view.requested
        self.requestedBy = view.requestedBy
        self.domainBlocking = view.domainBlocking
        self.endorsed = view.endorsed
        self.note = view.note
    }

    enum CodingKeys: String, CodingKey {
        case id, following
        case showingReblogs = "showing_reblogs"
        case notifying, languages
        case followedBy = "followed_by"
        case blocking
        case blockedBy = "blocked_by"
        case muting
        case mutingNotifications = "muting_notifications"
        case requested
        case requestedBy = "requested_by"
        case domainBlocking = "domain_blocking"
        case endorsed, note
    }
}
