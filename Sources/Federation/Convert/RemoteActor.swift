import Core
import Foundation
import HTMLSanitizer

/// A remote actor document read into an account and its public key.
package struct RemoteActor: Sendable {
    package var account: Account
    package var keyID: String
    package var publicKeyPEM: String
    /// The counters the actor's collections report, when the document embeds them.
    package var followersCount: Int?
    package var followingCount: Int?
    package var statusesCount: Int?

    /// The actor types that are accounts here.
    static let actorTypes: Set<String> = ["Person", "Service", "Application", "Group", "Organization"]

    /// Reads an actor document fetched from `host` (its authority). Nil when it is not an actor, lacks an
    /// inbox or key, or claims ids on another host.
    package static func parse(_ document: JSON, fetchedFrom host: String, id: Account.ID, now: Date) -> RemoteActor? {
        guard let uri = document["id"]?.string, URLBuilder.authority(of: uri) == host,
            let type = document.type, Self.actorTypes.contains(type),
            let username = document["preferredUsername"]?.string, Self.isPlausibleUsername(username),
            let inbox = document["inbox"]?.string, URLBuilder.authority(of: inbox) == host
        else { return nil }
        guard let key = Self.publicKey(of: document, owner: uri) else { return nil }
        let sharedInbox = document["endpoints"]?["sharedInbox"]?.string.flatMap {
            URLBuilder.authority(of: $0) == host ? $0 : nil
        }
        var account = Account(
            id: id,
            username: username,
            domain: host,
            displayName: Self.plainText(document["name"]?.string ?? "", limit: 100),
            note: "",
            noteHTML: HTMLSanitizer.sanitize(String((document["summary"]?.string ?? "").prefix(20_000))),
            fields: Self.fields(document["attachment"]),
            locked: document["manuallyApprovesFollowers"]?.bool ?? false,
            bot: type == "Service" || type == "Application",
            discoverable: document["discoverable"]?.bool ?? false,
            indexable: document["indexable"]?.bool ?? false,
            uri: uri,
            url: Self.url(document["url"]) ?? uri,
            createdAt: ActorDocument.parseTimestamp(document["published"]?.string) ?? now,
            updatedAt: now
        )
        account.note = account.noteHTML
        account.actorType = type
        account.endpoints = ActorEndpoints(
            inbox: inbox,
            sharedInbox: sharedInbox,
            outbox: document["outbox"]?.id,
            followers: document["followers"]?.id,
            following: document["following"]?.id,
            featured: document["featured"]?.id
        )
        account.avatarRemoteURL = Self.url(document["icon"])
        account.headerRemoteURL = Self.url(document["image"])
        account.alsoKnownAs = Array((document["alsoKnownAs"]?.ids ?? []).prefix(20))
        account.movedToURI = document["movedTo"]?.id
        account.fetchedAt = now
        return RemoteActor(
            account: account,
            keyID: key.id,
            publicKeyPEM: key.pem,
            followersCount: document["followers"]?["totalItems"]?.int,
            followingCount: document["following"]?["totalItems"]?.int,
            statusesCount: document["outbox"]?["totalItems"]?.int
        )
    }

    /// The `publicKey` owned by `owner` (one object, or the first of an array that it owns).
    static func publicKey(of document: JSON, owner: String) -> (id: String, pem: String)? {
        for key in document["publicKey"]?.list ?? [] {
            guard let id = key["id"]?.string, let pem = key["publicKeyPem"]?.string,
                (key["owner"]?.id ?? owner) == owner, URLBuilder.authority(of: id) == URLBuilder.authority(of: owner)
            else { continue }
            return (id, pem)
        }
        return nil
    }

    static func isPlausibleUsername(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 100
            && name.unicodeScalars.allSatisfy {
                !CharacterSet.whitespacesAndNewlines.contains($0) && $0 != "@" && $0 != "/"
            }
    }

    /// A link's `href` or a plain URL string (Mastodon's `url` may be either, or an array of them).
    static func url(_ value: JSON?) -> String? {
        for item in value?.list ?? [] {
            if let text = item.string, text.hasPrefix("http") { return text }
            if let href = item["href"]?.string ?? item["url"]?.string, href.hasPrefix("http") { return href }
            if let nested = item["url"], let href = Self.url(nested) { return href }
        }
        return nil
    }

    static func fields(_ value: JSON?) -> [Account.Field] {
        (value?.list ?? []).compactMap { item -> Account.Field? in
            guard item.type == "PropertyValue", let name = item["name"]?.string, let value = item["value"]?.string
            else { return nil }
            let html = HTMLSanitizer.sanitize(String(value.prefix(2000)))
            return Account.Field(name: Self.plainText(name, limit: 255), value: html, valueHTML: html)
        }
        .prefix(16).map { $0 }
    }

    /// Plain text (names, content warnings) kept as sent, as Mastodon does: clients and pages escape it.
    /// Only surrounding whitespace goes, and the length is capped.
    static func plainText(_ text: String, limit: Int) -> String {
        String(text.trimmingCharacters(in: .whitespacesAndNewlines).prefix(limit))
    }
}
