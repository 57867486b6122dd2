import Core
import Foundation

/// The ActivityPub actor documents this server publishes: one Person (or Service) per local account,
/// and the server's own Application actor.
package enum ActorDocument {
    /// The actor document of a local account.
    package static func person(_ account: Account, publicKeyPEM: String, urls: URLBuilder) -> JSON {
        let actor = urls.actor(account.username)
        var document: [String: JSON] = [
            "@context": ActivityStreams.actorContext,
            "id": .string(actor),
            "type": .string(account.bot ? "Service" : "Person"),
            "preferredUsername": .string(account.username),
            "name": .string(account.displayName),
            "summary": .string(account.noteHTML),
            "url": .string(urls.profile(account.username)),
            "inbox": .string(urls.inbox(account.username)),
            "outbox": .string(urls.outbox(account.username)),
            "followers": .string(urls.followers(account.username)),
            "following": .string(urls.following(account.username)),
            "featured": .string(urls.featured(account.username)),
            "featuredTags": .string(urls.featuredTags(account.username)),
            "endpoints": ["sharedInbox": .string(urls.sharedInbox)],
            "manuallyApprovesFollowers": .bool(account.locked),
            "discoverable": .bool(account.discoverable),
            "indexable": .bool(account.indexable),
            "memorial": false,
            "published": .string(Self.timestamp(account.createdAt)),
            "publicKey": [
                "id": .string(urls.actorKey(account.username)),
                "owner": .string(actor),
                "publicKeyPem": .string(publicKeyPEM),
            ],
            "tag": [],
            "attachment": .array(
                account.fields.map { field in
                    ["type": "PropertyValue", "name": .string(field.name), "value": .string(field.valueHTML)]
                }
            ),
            "icon": Self.image(account.avatarKey, urls: urls, missing: urls.missingAvatar),
            "image": Self.image(account.headerKey, urls: urls, missing: urls.missingHeader),
        ]
        if !account.alsoKnownAs.isEmpty {
            document["alsoKnownAs"] = .array(account.alsoKnownAs.map(JSON.string))
        }
        if let moved = account.movedToURI {
            document["movedTo"] = .string(moved)
        }
        return .object(document)
    }

    /// The server's actor: an Application whose key signs fetches made on nobody's behalf.
    package static func instance(publicKeyPEM: String, urls: URLBuilder) -> JSON {
        [
            "@context": ActivityStreams.actorContext,
            "id": .string(urls.instanceActor),
            "type": "Application",
            "preferredUsername": .string(urls.domain),
            "inbox": .string("\(urls.instanceActor)/inbox"),
            "outbox": .string("\(urls.instanceActor)/outbox"),
            "url": .string("\(urls.base)/about/more?instance_actor=true"),
            "manuallyApprovesFollowers": true,
            "endpoints": ["sharedInbox": .string(urls.sharedInbox)],
            "publicKey": [
                "id": .string(urls.instanceActorKey),
                "owner": .string(urls.instanceActor),
                "publicKeyPem": .string(publicKeyPEM),
            ],
        ]
    }

    /// ISO 8601 with seconds, as Mastodon writes `published`.
    package static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int = 2) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second))Z"
    }

    /// Reads an ISO 8601 timestamp (with or without fractional seconds). Format styles are values
    /// made once: building a formatter per call was a quarter of an inbox job's time.
    package static func parseTimestamp(_ text: String?) -> Date? {
        guard let text, text.utf8.count <= 64 else { return nil }
        if let date = try? Date(text, strategy: Self.plainTimestamp) { return date }
        return try? Date(text, strategy: Self.fractionalTimestamp)
    }

    static let plainTimestamp = Date.ISO8601FormatStyle()
    static let fractionalTimestamp = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// The `icon`/`image` of a local actor: its uploaded picture, or the default one.
    static func image(_ key: String?, urls: URLBuilder, missing: String) -> JSON {
        guard let key else { return ["type": "Image", "mediaType": "image/png", "url": .string(missing)] }
        return [
            "type": "Image", "mediaType": .string(URLBuilder.mediaType(ofKey: key)),
            "url": .string(urls.mediaFile(key)),
        ]
    }
}
