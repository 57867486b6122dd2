import Foundation

/// Names and contexts of the ActivityStreams vocabulary as Mastodon uses it.
package enum ActivityStreams {
    /// The public collection: an object addressed to it is public.
    package static let publicCollection = "https://www.w3.org/ns/activitystreams#Public"
    /// The short forms some servers use for the public collection.
    package static let publicAliases: Set<String> = [publicCollection, "as:Public", "Public"]

    /// The media types that mean an ActivityPub document.
    package static let contentTypes = ["application/activity+json", "application/ld+json"]
    /// The `Accept` header of our fetches.
    package static let accept =
        "application/activity+json, application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\""

    /// Whether an `Accept` or `Content-Type` header asks for an ActivityPub document.
    package static func isActivityJSON(_ header: String?) -> Bool {
        guard let header = header?.lowercased() else { return false }
        if header.contains("application/activity+json") { return true }
        return header.contains("application/ld+json") && header.contains("https://www.w3.org/ns/activitystreams")
    }

    /// Whether a media type may carry an inbound activity (the profile parameter is optional there).
    package static func isActivityContentType(_ header: String?) -> Bool {
        guard let type = header?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        else { return false }
        return type == "application/activity+json" || type == "application/ld+json" || type == "application/json"
    }

    /// The `@context` of actor documents.
    package static let actorContext: JSON = [
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        [
            "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
            "toot": "http://joinmastodon.org/ns#",
            "featured": ["@id": "toot:featured", "@type": "@id"],
            "featuredTags": ["@id": "toot:featuredTags", "@type": "@id"],
            "alsoKnownAs": ["@id": "as:alsoKnownAs", "@type": "@id"],
            "movedTo": ["@id": "as:movedTo", "@type": "@id"],
            "schema": "http://schema.org#",
            "PropertyValue": "schema:PropertyValue",
            "value": "schema:value",
            "discoverable": "toot:discoverable",
            "indexable": "toot:indexable",
            "memorial": "toot:memorial",
        ],
    ]

    /// The `@context` of activities and notes.
    package static let noteContext: JSON = [
        "https://www.w3.org/ns/activitystreams",
        [
            "ostatus": "http://ostatus.org#",
            "atomUri": "ostatus:atomUri",
            "inReplyToAtomUri": "ostatus:inReplyToAtomUri",
            "conversation": "ostatus:conversation",
            "sensitive": "as:sensitive",
            "toot": "http://joinmastodon.org/ns#",
            "votersCount": "toot:votersCount",
            "Hashtag": "as:Hashtag",
        ],
    ]
}
