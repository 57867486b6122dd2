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
            "icon": ["type": "Image", "mediaType": "image/png", "url": .string(urls.missingAvatar)],
            "image": ["type": "Image", "mediaType": "image/png", "url": .string(urls.missingHeader)],
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

    /// Reads an ISO 8601 timestamp (with or without fractional seconds).
    package static func parseTimestamp(_ text: String?) -> Date? {
        guard let text else { return nil }
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}
