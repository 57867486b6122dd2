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

    let view: AccountView

    init(_ view: AccountView) {
        self.view = view
    }

    /// Written straight from the view into the document's bytes, as statuses are: every status carries one.
    func encode(to encoder: any Encoder) throws {
        try JSONStreamWriter.writing(self, to: encoder).direct { try self.write(to: &$0) }
    }

    /// The account's JSON, kept in `RenderedFragments` for the next response when it is not the owner's.
    func write(to out: inout JSONDirectWriter) throws {
        guard self.view.user == nil else { return try self.render(to: &out) }
        let fragment = try RenderedFragments.accounts.value(
            for: self.view.account.id.rawValue,
            where: { $0.view == self.view },
            else: {
                var fresh = JSONDirectWriter()
                try self.render(to: &fresh)
                return AccountFragment(view: self.view, bytes: fresh.bytes)
            }
        )
        out.rawValue(fragment.bytes)
    }

    private func render(to out: inout JSONDirectWriter) throws {
        let view = self.view
        let account = view.account
        // Counts hidden from everyone but the owner when the account hides its collections.
        let hidesCounts = account.hideCollections && view.user == nil
        out.openObject()
        out.member("id", id: account.id.rawValue)
        out.member("username", account.username)
        out.member("acct", account.acct)
        out.member("display_name", account.displayName)
        out.member("locked", account.locked)
        out.member("bot", account.bot)
        out.member("discoverable", account.discoverable)
        out.member("indexable", account.indexable)
        out.member("group", false)
        // Mastodon rounds account creation down to the day.
        let day = (account.createdAt.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
        out.member("created_at", Date(timeIntervalSince1970: day))
        out.member("note", account.noteHTML)
        out.member("url", view.profileURL)
        out.member("uri", account.uri)
        out.member("avatar", view.avatarURL)
        out.member("avatar_static", view.avatarURL)
        out.member("header", view.headerURL)
        out.member("header_static", view.headerURL)
        out.member("followers_count", hidesCounts ? 0 : account.followersCount)
        out.member("following_count", hidesCounts ? 0 : account.followingCount)
        out.member("statuses_count", account.statusesCount)
        // A day, not a time.
        out.member("last_status_at", account.lastStatusAt.map { String(MastodonJSONEncoder.timestamp($0).prefix(10)) })
        out.member("hide_collections", account.hideCollections)
        out.member("noindex", !account.indexable)
        out.key("emojis")
        out.openArray()
        out.closeArray()
        out.key("roles")
        out.openArray()
        out.closeArray()
        out.key("fields")
        out.openArray()
        for field in account.fields {
            out.element()
            out.openObject()
            out.member("name", field.name)
            out.member("value", field.valueHTML)
            out.member("verified_at", field.verifiedAt)
            out.closeObject()
        }
        out.closeArray()
        // The owner's extras, and `moved` only for an account that moved (as Mastodon leaves it out).
        if let user = view.user {
            out.key("source")
            try out.value(
                SourceEntity(
                    privacy: user.settings.defaultVisibility.rawValue,
                    sensitive: user.settings.defaultSensitive,
                    language: user.settings.defaultLanguage,
                    note: account.note,
                    fields: account.fields.map {
                        FieldEntity(name: $0.name, value: $0.value, verifiedAt: $0.verifiedAt)
                    },
                    followRequestsCount: view.followRequestsCount,
                    hideCollections: account.hideCollections,
                    discoverable: account.discoverable,
                    indexable: account.indexable,
                    attributionDomains: []
                )
            )
            out.key("role")
            try out.value(
                RoleEntity(
                    id: user.role == .user ? "-99" : user.role == .moderator ? "2" : "3",
                    name: user.role == .user ? "" : user.role.rawValue.capitalized,
                    color: "",
                    permissions: user.role == .admin ? "1" : user.role == .moderator ? "1308" : "65536",
                    highlighted: user.role != .user
                )
            )
        }
        if let moved = view.movedTo {
            out.key("moved")
            try AccountEntity(moved.view).write(to: &out)
        }
        out.closeObject()
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
