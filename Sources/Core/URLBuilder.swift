import Foundation

/// Every URI and URL this server hands out, built in one place (Mastodon's TagManager).
///
/// `domain` is the host that serves the URLs; `accountDomain` is the one in handles
/// (`@alice@example.org` served from `social.example.org`).
///
/// A class: it is made once per configuration and travels with every entity a response writes, so a
/// copy is one retain instead of one per string.
package final class URLBuilder: Sendable, Equatable {
    package let scheme: String
    package let domain: String
    package let accountDomain: String
    /// `https://domain`
    package let base: String
    /// The default avatar, for accounts without one: a picture the web UI serves from its static files
    /// (made once, as every account a timeline shows asks for it).
    package let missingAvatar: String
    /// The default header.
    package let missingHeader: String

    package init(scheme: String, domain: String, accountDomain: String? = nil) {
        self.scheme = scheme
        self.domain = domain
        self.accountDomain = accountDomain ?? domain
        self.base = "\(scheme)://\(domain)"
        self.missingAvatar = "\(self.base)/assets/missing-avatar.png"
        self.missingHeader = "\(self.base)/assets/missing-header.png"
    }

    package static func == (lhs: URLBuilder, rhs: URLBuilder) -> Bool {
        lhs === rhs
            || (lhs.scheme == rhs.scheme && lhs.domain == rhs.domain && lhs.accountDomain == rhs.accountDomain)
    }

    /// `host` or `host:port` of an absolute http(s) URI, lowercased; nil when it has none.
    ///
    /// Origin checks compare this: two servers on one host with different ports are different origins.
    package static func authority(of uri: String) -> String? {
        guard let components = URLComponents(string: uri), let scheme = components.scheme?.lowercased(),
            scheme == "https" || scheme == "http", let host = components.host, !host.isEmpty
        else { return nil }
        let name = host.lowercased()
        let display = name.contains(":") && !name.hasPrefix("[") ? "[\(name)]" : name
        guard let port = components.port else { return display }
        if (scheme == "https" && port == 443) || (scheme == "http" && port == 80) { return display }
        return "\(display):\(port)"
    }

    /// Whether an absolute URI belongs to this server.
    package func isLocal(_ uri: String) -> Bool {
        Self.authority(of: uri) == self.domain.lowercased()
    }

    /// The server's own actor (an Application), whose key signs fetches.
    package var instanceActor: String { "\(self.base)/actor" }
    /// The instance actor's key id.
    package var instanceActorKey: String { "\(self.instanceActor)#main-key" }
    /// A local account's key id.
    package func actorKey(_ username: String) -> String { "\(self.actor(username))#main-key" }
    /// A local account's featured (pinned) collection.
    package func featured(_ username: String) -> String { "\(self.actor(username))/collections/featured" }
    /// A local account's featured tags collection.
    package func featuredTags(_ username: String) -> String { "\(self.actor(username))/collections/tags" }
    /// The Create activity of a local status.
    package func statusActivity(_ username: String, _ id: Int64) -> String { "\(self.status(username, id))/activity" }
    /// An activity this server sends that has no object of its own (Follow, Like, Undo, Accept…).
    package func activity(_ username: String, _ kind: String, _ id: Int64) -> String {
        "\(self.actor(username))#\(kind)/\(id)"
    }

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
        let encoded = PercentEncoding.encode(name, keeping: PercentEncoding.isPathAllowed)
        return "\(self.base)/tags/\(encoded)"
    }
    /// The NodeInfo document of a schema version ("2.0", "2.1").
    package func nodeInfo(_ version: String) -> String { "\(self.base)/nodeinfo/\(version)" }
    /// The streaming API base (wss or ws).
    package var streaming: String { "\(self.scheme == "https" ? "wss" : "ws")://\(self.domain)" }
    /// The `acct:` handle of a local account, with the account domain.
    package func acct(_ username: String) -> String { "\(username)@\(self.accountDomain)" }
    /// `username@host` for any account: remote ones with their host, local ones (`domain` nil) with
    /// the account domain. What exports, moves and pages show as a full handle.
    package func handle(username: String, domain: String?) -> String {
        domain.map { "\(username)@\($0)" } ?? self.acct(username)
    }
    /// The OAuth authorization page.
    package var oauthAuthorize: String { "\(self.base)/oauth/authorize" }
    /// The OAuth token endpoint.
    package var oauthToken: String { "\(self.base)/oauth/token" }
    /// The OAuth revocation endpoint.
    package var oauthRevoke: String { "\(self.base)/oauth/revoke" }
    /// Where the oob flow shows the code.
    package var oauthNative: String { "\(self.base)/oauth/authorize/native" }
    /// The sign-up page of an invite link.
    package func invite(_ code: String) -> String { "\(self.base)/invite/\(code)" }
    /// A file of the local media store (uploads, avatars, headers), served from `/system/`.
    package func mediaFile(_ key: String) -> String { "\(self.base)/system/\(key)" }

    /// The MIME type of a media file, from the extension its key was given when it was stored.
    package static func mediaType(ofKey key: String) -> String {
        switch key.split(separator: ".").last?.lowercased() {
        case "jpg", "jpeg": "image/jpeg"
        case "png": "image/png"
        case "gif": "image/gif"
        case "webp": "image/webp"
        default: "application/octet-stream"
        }
    }
}
