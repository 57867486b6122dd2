import Core

/// An account ready to render: the account and, when the viewer is its owner, the private `source` side.
/// The new account of a moved one, boxed (a struct cannot hold itself).
package final class MovedAccount: Sendable, Equatable {
    package let view: AccountView

    package init(_ view: AccountView) { self.view = view }

    package static func == (lhs: MovedAccount, rhs: MovedAccount) -> Bool { lhs.view == rhs.view }
}

package struct AccountView: Sendable, Equatable {
    package let account: Account
    /// Present only for the owner (verify_credentials, update_credentials).
    package let user: User?
    /// The avatar and header URLs: a remote actor's own (shown from its server until the remote media
    /// cache exists), else the default images.
    package let avatarURL: String
    package let headerURL: String
    /// Where the account's profile page is.
    package let profileURL: String
    /// For the owner: how many follow requests wait (`source.follow_requests_count`).
    package var followRequestsCount = 0
    /// The account it moved to, when it moved and that account is known (`moved`).
    package var movedTo: MovedAccount?

    package init(account: Account, user: User?, urls: URLBuilder) {
        self.account = account
        self.user = user
        self.avatarURL =
            account.avatarKey.map(urls.mediaFile) ?? account.avatarRemoteURL.flatMap(Self.webURL) ?? urls.missingAvatar
        self.headerURL =
            account.headerKey.map(urls.mediaFile) ?? account.headerRemoteURL.flatMap(Self.webURL) ?? urls.missingHeader
        self.profileURL = account.url ?? (account.isLocal ? urls.profile(account.username) : account.uri)
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
