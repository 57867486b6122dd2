import Foundation

/// Every URI and URL this server hands out, built in one place (Mastodon's TagManager).
///
/// `domain` is the host that serves the URLs; `accountDomain` is the one in handles
/// (`@alice@example.org` served from `social.example.org`).
package struct URLBuilder: Sendable {
    package let scheme: String
    package let domain: String
    package let accountDomain: String

    package init(scheme: String, domain: String, accountDomain: String? = nil) {
        self.scheme = scheme
        self.domain = domain
        self.accountDomain = accountDomain ?? domain
    }

    /// `https://domain`
    package var base: String { "\(self.scheme)://\(self.domain)" }

    /// The ActivityPub actor of a local account.
    package func actor(_ username: String) -> String { "\(self.base)/users/\(username)" }
    /// The HTML profile page of a local account.
    package func profile(_ username: String) -> String { "\(self.base)/@\(username)" }
    /// A local account's inbox.
    package func inbox(_ username: String) -> String { "\(self.actor(username))/inbox" }
    /// A local account's outbox.
    package func outbox(_ username: String) -> String { "\(self.actor(username))/outbox" }
    /// A local account's followers collection.
    package func followers(_ username: String) -> String { "\(self.actor(username))/followers" }
    /// A local account's following collection.
    package func following(_ username: String) -> String { "\(self.actor(username))/following" }
    /// The server's shared inbox.
    package var sharedInbox: String { "\(self.base)/inbox" }
    /// The ActivityPub id of a local status.
    package func status(_ username: String, _ id: Int64) -> String { "\(self.actor(username))/statuses/\(id)" }
    /// The HTML page of a local status.
    package func statusPage(_ username: String, _ id: Int64) -> String { "\(self.profile(username))/\(id)" }
    /// A hashtag's page.
    package func tag(_ name: String) -> String {
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? name
        return "\(self.base)/tags/\(encoded)"
    }
    /// The NodeInfo document of a schema version ("2.0", "2.1").
    package func nodeInfo(_ version: String) -> String { "\(self.base)/nodeinfo/\(version)" }
    /// The streaming API base (wss or ws).
    package var streaming: String { "\(self.scheme == "https" ? "wss" : "ws")://\(self.domain)" }
    /// The `acct:` handle of a local account, with the account domain.
    package func acct(_ username: String) -> String { "\(username)@\(self.accountDomain)" }
    /// The OAuth authorization page.
    package var oauthAuthorize: String { "\(self.base)/oauth/authorize" }
    /// The OAuth token endpoint.
    package var oauthToken: String { "\(self.base)/oauth/token" }
    /// The OAuth revocation endpoint.
    package var oauthRevoke: String { "\(self.base)/oauth/revoke" }
    /// Where the oob flow shows the code.
    package var oauthNative: String { "\(self.base)/oauth/authorize/native" }
    /// The default avatar (an image the web UI serves).
    package var missingAvatar: String { "\(self.base)/avatars/original/missing.png" }
    /// The default header.
    package var missingHeader: String { "\(self.base)/headers/original/missing.png" }
}
