import Core
import Federation
import Foundation
import HTMLSanitizer
import Storage

/// Profile-link verification (Mastodon's green links): a profile field whose value is a web page
/// is verified when that page links back to the profile with `rel="me"`.
///
/// Runs as the `verify_links` job, after a local profile's fields change and when a remote
/// profile arrives with new field values. Pages are fetched through the outbound guard (no
/// private addresses, redirects re-vetted, 1 MiB, timeouts) and parsed with the HTML5 parser.
package struct LinkVerifier: Sendable {
    let context: ProcessingContext

    init(_ context: ProcessingContext) {
        self.context = context
    }

    /// At most this many fields are checked per profile (Mastodon allows four; remote servers more).
    static let maxFields = 8

    /// The URL a field's value is, when it is one http(s) URL and nothing else.
    static func pageURL(of field: Account.Field, local: Bool) -> URL? {
        let text = (local ? field.value : HTMLText.plain(field.valueHTML)).trimmingCharacters(in: .whitespaces)
        guard text.count <= 2_000, !text.contains(where: \.isWhitespace), let url = URL(string: text),
            let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http", url.host != nil
        else { return nil }
        return url
    }

    /// Checks each field of the account and records which are verified now.
    package func verify(_ accountID: Account.ID) async throws {
        guard let account = try await self.context.db.read({ try await $0.account(id: accountID) }),
            !account.isSuspended
        else { return }
        let profile = self.profileURLs(of: account)
        var results: [String: Bool] = [:]  // field value → verified
        for field in account.fields.prefix(Self.maxFields) {
            guard let url = Self.pageURL(of: field, local: account.isLocal), results[field.value] == nil else {
                continue
            }
            results[field.value] = await self.linksBack(url, to: profile)
        }
        let now = self.context.clock.now()
        try await self.context.db.transaction { session in
            // The fields may have changed while pages were fetched: only those still the same are marked.
            guard var current = try await session.account(id: accountID) else { return }
            var changed = false
            for index in current.fields.indices {
                let verified = results[current.fields[index].value] ?? false
                let before = current.fields[index].verifiedAt
                let after = verified ? (before ?? now) : nil
                if before != after {
                    current.fields[index].verifiedAt = after
                    changed = true
                }
            }
            if changed { try await session.updateFields(accountID, fields: current.fields) }
        }
    }

    /// The URLs a page may link back to: the profile page and the actor (local), or what the remote
    /// actor published as its `url` and `id`.
    func profileURLs(of account: Account) -> Set<String> {
        var urls: Set<String> = [account.uri]
        if account.isLocal {
            urls.insert(self.context.urls.profile(account.username))
            urls.insert(self.context.urls.actor(account.username))
        } else if let url = account.url {
            urls.insert(url)
        }
        return Set(urls.map(Self.normalized))
    }

    /// Lower-case scheme and host, no trailing slash, no fragment: how links are compared.
    static func normalized(_ text: String) -> String {
        guard var components = URLComponents(string: text) else { return text }
        components.scheme = components.scheme?.lowercased()
        components.host = components.host?.lowercased()
        components.fragment = nil
        var result = components.string ?? text
        while result.hasSuffix("/") { result.removeLast() }
        return result
    }

    /// Whether the page at `url` has a `rel="me"` link to one of `profile`; any failure is "no".
    func linksBack(_ url: URL, to profile: Set<String>) async -> Bool {
        let client = RedirectingClient(transport: self.context.federation.transport)
        let request = OutboundRequest(
            url: url,
            headers: [("Accept", "text/html, application/xhtml+xml;q=0.9, */*;q=0.1")]
        )
        do {
            let response = try await client.send(request, limits: TransportLimits())
            guard (200..<300).contains(response.status) else { return false }
            let type = response.header("Content-Type")?.lowercased() ?? "text/html"
            guard type.hasPrefix("text/html") || type.hasPrefix("application/xhtml") else { return false }
            let html = String(decoding: response.body, as: UTF8.self)
            return RelMeLinks.find(in: html, base: response.finalURL).contains { profile.contains(Self.normalized($0)) }
        } catch {
            self.context.logger.debug("link verification of \(url.absoluteString) failed: \(error)")
            return false
        }
    }
}
