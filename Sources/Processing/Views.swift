import Core

/// An account ready to render: the account and, when the viewer is its owner, the private `source` side.
/// The new account of a moved one, boxed (a struct cannot hold itself).
package final class MovedAccount: Sendable, Equatable {
    package let view: AccountView

    package init(_ view: AccountView) { self.view = view }

    package static func == (lhs: MovedAccount, rhs: MovedAccount) -> Bool { lhs.view == rhs.view }
}

package struct AccountView: Sendable, Equatable {
    private struct Values: Sendable, Equatable {
        let account: Account
        let user: User?
        let urls: URLBuilder
        var followRequestsCount = 0
        var movedTo: MovedAccount?
    }

    /// One allocation for all of it: a view is copied into every status and mention that shows the account.
    /// Its URLs are made from the account when asked for, so an equal view is an equal account, user and
    /// configuration (and making one allocates nothing else).
    private var storage: CopyOnWrite<Values>

    package var account: Account { self.storage.value.account }
    /// Present only for the owner (verify_credentials, update_credentials).
    package var user: User? { self.storage.value.user }
    /// The avatar URL: a local picture, a remote actor's own (shown from its server until the remote media
    /// cache exists), else the default image.
    package var avatarURL: String {
        let (account, urls) = (self.account, self.storage.value.urls)
        return account.avatarKey.map(urls.mediaFile) ?? account.avatarRemoteURL.flatMap(Self.webURL)
            ?? urls.missingAvatar
    }
    /// The header URL, the same way.
    package var headerURL: String {
        let (account, urls) = (self.account, self.storage.value.urls)
        return account.headerKey.map(urls.mediaFile) ?? account.headerRemoteURL.flatMap(Self.webURL)
            ?? urls.missingHeader
    }
    /// Where the account's profile page is.
    package var profileURL: String {
        let account = self.account
        return account.url ?? (account.isLocal ? self.storage.value.urls.profile(account.username) : account.uri)
    }
    /// For the owner: how many follow requests wait (`source.follow_requests_count`).
    package var followRequestsCount: Int {
        get { self.storage.value.followRequestsCount }
        set { self.storage.update { $0.followRequestsCount = newValue } }
    }
    /// The account it moved to, when it moved and that account is known (`moved`).
    package var movedTo: MovedAccount? {
        get { self.storage.value.movedTo }
        set { self.storage.update { $0.movedTo = newValue } }
    }

    package init(account: Account, user: User?, urls: URLBuilder) {
        self.storage = CopyOnWrite(Values(account: account, user: user, urls: urls))
    }

    /// Only http(s) URLs reach clients.
    static func webURL(_ text: String) -> String? {
        let lowered = text.lowercased()
        return lowered.hasPrefix("https://") || lowered.hasPrefix("http://") ? text : nil
    }
}

/// How the viewer relates to another account (`/api/v1/accounts/relationships`).
package struct RelationshipView: Sendable, Equatable {
    package let id: Account.ID
    package var following = false
    package var showingReblogs = false
    package var notifying = false
    package var languages: [String]?
    package var followedBy = false
    package var blocking = false
    package var blockedBy = false
    package var muting = false
    package var mutingNotifications = false
    package var requested = false
    package var requestedBy = false
    package var domainBlocking = false
    package var endorsed = false
    /// The viewer's private note on the account.
    package var note = ""

    package init(id: Account.ID) {
        self.id = id
    }
}
