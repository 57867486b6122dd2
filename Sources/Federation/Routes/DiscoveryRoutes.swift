import Core
import Foundation
import HTTPCommon
import Hummingbird
import Storage

/// `/.well-known/webfinger`, `/.well-known/host-meta`, `/.well-known/nodeinfo` and the NodeInfo documents.
///
/// WebFinger answers for `acct:user@account_domain` (and the serving domain), and for profile and
/// actor URLs, so `@alice@example.org` works when Tern is served from `social.example.org`.
package struct DiscoveryRoutes: Sendable {
    let db: Database
    let urls: URLBuilder
    let openRegistrations: Bool

    package init(db: Database, urls: URLBuilder, openRegistrations: Bool) {
        self.db = db
        self.urls = urls
        self.openRegistrations = openRegistrations
    }

    package func addRoutes(to router: Router<AppRequestContext>) {
        router.get(".well-known/webfinger", use: self.webfinger)
        router.get(".well-known/host-meta", use: self.hostMeta)
        router.get(".well-known/nodeinfo", use: self.nodeInfoIndex)
        router.get("nodeinfo/:version", use: self.nodeInfo)
    }

    @Sendable func webfinger(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let resource = request.uri.queryParameters.get("resource"), !resource.isEmpty, resource.count <= 512
        else {
            return Self.status(.badRequest)
        }
        guard let username = self.localUsername(in: resource),
            let account = try await self.db.read({ try await $0.account(username: username, domain: nil) }),
            !account.isSuspended
        else { return Self.status(.notFound) }
        let actor = self.urls.actor(account.username)
        let body: [String: Any] = [
            "subject": "acct:\(self.urls.acct(account.username))",
            "aliases": [self.urls.profile(account.username), actor],
            "links": [
                [
                    "rel": "http://webfinger.net/rel/profile-page", "type": "text/html",
                    "href": self.urls.profile(account.username),
                ],
                ["rel": "self", "type": "application/activity+json", "href": actor],
                [
                    "rel": "http://ostatus.org/schema/1.0/subscribe",
                    "template": "\(self.urls.base)/authorize_interaction?uri={uri}",
                ],
            ],
        ]
        return Self.json(body, contentType: "application/jrd+json; charset=utf-8")
    }

    /// The local username a WebFinger resource names, or nil when it is not one of ours.
    func localUsername(in resource: String) -> String? {
        var text = resource
        if text.lowercased().hasPrefix("acct:") {
            text = String(text.dropFirst(5))
            if text.hasPrefix("@") { text.removeFirst() }
            let parts = text.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2 else { return parts.count == 1 ? String(parts[0]) : nil }
            let host = parts[1].lowercased()
            guard host == self.urls.accountDomain.lowercased() || host == self.urls.domain.lowercased() else {
                return nil
            }
            return String(parts[0])
        }
        for prefix in [self.urls.base + "/users/", self.urls.base + "/@"] where text.hasPrefix(prefix) {
            let rest = text.dropFirst(prefix.count)
            guard !rest.isEmpty, !rest.contains("/") else { return nil }
            return String(rest)
        }
        return nil
    }

    @Sendable func hostMeta(_ request: Request, context: AppRequestContext) async throws -> Response {
        let template = TextFormatter.escape("\(self.urls.base)/.well-known/webfinger?resource={uri}")
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
              <Link rel="lrdd" template="\(template)"/>
            </XRD>

            """
        return Response(
            status: .ok,
            headers: [.contentType: "application/xrd+xml; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: xml))
        )
    }

    @Sendable func nodeInfoIndex(_ request: Request, context: AppRequestContext) async throws -> Response {
        Self.json([
            "links": [
                ["rel": "http://nodeinfo.diaspora.software/ns/schema/2.0", "href": self.urls.nodeInfo("2.0")],
                ["rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": self.urls.nodeInfo("2.1")],
            ]
        ])
    }

    @Sendable func nodeInfo(_ request: Request, context: AppRequestContext) async throws -> Response {
        let version = context.parameters.get("version") ?? ""
        guard version == "2.0" || version == "2.1" else { return Self.status(.notFound) }
        let stats = try await self.db.instanceStats()
        var software: [String: Any] = ["name": "tern", "version": SoftwareVersion.tern]
        if version == "2.1" { software["homepage"] = self.urls.base }
        let body: [String: Any] = [
            "version": version,
            "software": software,
            "protocols": ["activitypub"],
            "services": ["outbound": [String](), "inbound": [String]()],
            "usage": [
                "users": [
                    "total": stats.localUsers, "activeMonth": stats.activeMonth, "activeHalfyear": stats.activeHalfYear,
                ],
                "localPosts": stats.localStatuses,
            ],
            "openRegistrations": self.openRegistrations,
            "metadata": [String: String](),
        ]
        let profile = "http://nodeinfo.diaspora.software/ns/schema/\(version)#"
        return Self.json(body, contentType: "application/json; profile=\"\(profile)\"; charset=utf-8")
    }

    static func json(_ body: [String: Any], contentType: String = "application/json; charset=utf-8") -> Response {
        let data =
            (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data()
        return Response(
            status: .ok,
            headers: [.contentType: contentType, .accessControlAllowOrigin: "*"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    static func status(_ status: HTTPResponse.Status) -> Response {
        Response(status: status)
    }
}
