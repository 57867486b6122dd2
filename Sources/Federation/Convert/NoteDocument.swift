import Core
import Foundation

/// Everything a Note needs besides the status row: who wrote it, whom it mentions, its tags and parent.
package struct NoteSource: Sendable {
    package var status: Status
    package var author: Account
    package var mentions: [Account]
    package var tags: [String]
    /// The ActivityPub id of the status this one replies to.
    package var inReplyToURI: String?
    /// The thread's root status URI, for `conversation`.
    package var conversationURI: String?
    /// The poll, with its counts: the Note becomes a Question.
    package var poll: PollTally?
    /// The attachments with their public URLs.
    package var attachments: [(media: MediaAttachment, url: String)] = []

    package init(
        status: Status,
        author: Account,
        mentions: [Account] = [],
        tags: [String] = [],
        inReplyToURI: String? = nil,
        conversationURI: String? = nil
    ) {
        self.status = status
        self.author = author
        self.mentions = mentions
        self.tags = tags
        self.inReplyToURI = inReplyToURI
        self.conversationURI = conversationURI
    }
}

/// `to` and `cc` of an object, as Mastodon addresses each visibility.
package struct Audience: Sendable, Equatable {
    package var to: [String]
    package var cc: [String]

    /// public: to Public, cc followers; unlisted: to followers, cc Public; private: to followers;
    /// direct: to the mentioned. Mentioned actors are added to `cc` (to `to` for direct).
    package static func of(_ visibility: Visibility, followers: String, mentions: [String]) -> Audience {
        switch visibility {
        case .public: Audience(to: [ActivityStreams.publicCollection], cc: [followers] + mentions)
        case .unlisted: Audience(to: [followers], cc: [ActivityStreams.publicCollection] + mentions)
        case .private: Audience(to: [followers], cc: mentions)
        case .direct: Audience(to: mentions, cc: [])
        }
    }

    /// The visibility an inbound object's addressing means (Mastodon's `visibility_from_audience`).
    package static func visibility(to: [String], cc: [String], followers: String?) -> Visibility {
        if to.contains(where: ActivityStreams.publicAliases.contains) { return .public }
        if cc.contains(where: ActivityStreams.publicAliases.contains) { return .unlisted }
        if let followers, to.contains(followers) || cc.contains(followers) { return .private }
        return .direct
    }
}

/// Notes and the activities that carry them.
package enum NoteDocument {
    /// The Note of a status (without `@context`; the activity carries it).
    package static func note(_ source: NoteSource, urls: URLBuilder) -> JSON {
        let status = source.status
        let author = source.author
        let followers = urls.followers(author.username)
        let audience = Audience.of(status.visibility, followers: followers, mentions: source.mentions.map(\.uri))
        var tags: [JSON] = source.mentions.map { account in
            [
                "type": "Mention", "href": .string(account.uri),
                "name": .string("@\(account.domain == nil ? urls.acct(account.username) : account.acct)"),
            ]
        }
        tags += source.tags.map { name in
            ["type": "Hashtag", "href": .string(urls.tag(name)), "name": .string("#\(name)")]
        }
        let published = ActorDocument.timestamp(status.createdAt)
        var note: [String: JSON] = [
            "id": .string(status.uri),
            "type": "Note",
            "summary": status.spoilerText.isEmpty ? .null : .string(status.spoilerText),
            "inReplyTo": .optional(source.inReplyToURI),
            "published": .string(published),
            "url": .optional(status.url),
            "attributedTo": .string(author.uri),
            "to": .array(audience.to.map(JSON.string)),
            "cc": .array(audience.cc.map(JSON.string)),
            "sensitive": .bool(status.sensitive),
            "atomUri": .string(status.uri),
            "inReplyToAtomUri": .optional(source.inReplyToURI),
            "conversation": .optional(source.conversationURI),
            "content": .string(status.content),
            "attachment": .array(source.attachments.map(Self.attachment)),
            "tag": .array(tags),
        ]
        if let language = status.language {
            note["contentMap"] = [language: .string(status.content)]
        }
        if let edited = status.editedAt {
            note["updated"] = .string(ActorDocument.timestamp(edited))
        }
        if let tally = source.poll {
            note["type"] = "Question"
            let options: [JSON] = tally.poll.options.enumerated().map { index, name in
                [
                    "type": "Note", "name": .string(name),
                    "replies": [
                        "type": "Collection",
                        "totalItems": .number(Double(tally.votes.indices.contains(index) ? tally.votes[index] : 0)),
                    ],
                ]
            }
            note[tally.poll.multiple ? "anyOf" : "oneOf"] = .array(options)
            note["endTime"] = .string(ActorDocument.timestamp(tally.poll.expiresAt))
            note["votersCount"] = .number(Double(tally.voters))
        }
        return .object(note)
    }

    /// A `Document` attachment as Mastodon writes it: media type, URL, alt text, blurhash, focal point, size.
    static func attachment(_ item: (media: MediaAttachment, url: String)) -> JSON {
        var document: [String: JSON] = [
            "type": "Document",
            "mediaType": .string(item.media.contentType),
            "url": .string(item.url),
            "name": .optional(item.media.description),
            "focalPoint": [.number(item.media.focusX), .number(item.media.focusY)],
        ]
        if let blurhash = item.media.blurhash { document["blurhash"] = .string(blurhash) }
        if let width = item.media.width { document["width"] = .number(Double(width)) }
        if let height = item.media.height { document["height"] = .number(Double(height)) }
        return .object(document)
    }

    /// `Create` of a status's Note.
    package static func create(_ source: NoteSource, urls: URLBuilder) -> JSON {
        Self.wrap("Create", id: "\(source.status.uri)/activity", source: source, urls: urls)
    }

    /// `Update` of an edited status's Note.
    package static func update(_ source: NoteSource, urls: URLBuilder) -> JSON {
        let stamp = (source.status.editedAt ?? source.status.createdAt).millisecondsSince1970
        return Self.wrap("Update", id: "\(source.status.uri)#updates/\(stamp)", source: source, urls: urls)
    }

    private static func wrap(_ type: String, id: String, source: NoteSource, urls: URLBuilder) -> JSON {
        let note = Self.note(source, urls: urls)
        return [
            "@context": ActivityStreams.noteContext,
            "id": .string(id),
            "type": .string(type),
            "actor": .string(source.author.uri),
            "published": .string(ActorDocument.timestamp(source.status.createdAt)),
            "to": note["to"] ?? [],
            "cc": note["cc"] ?? [],
            "object": note,
        ]
    }

    /// `Delete` of a status: a Tombstone, addressed like the status was.
    package static func delete(_ source: NoteSource, urls: URLBuilder) -> JSON {
        let audience = Audience.of(
            source.status.visibility,
            followers: urls.followers(source.author.username),
            mentions: source.mentions.map(\.uri)
        )
        return [
            "@context": ActivityStreams.noteContext,
            "id": .string("\(source.status.uri)#delete"),
            "type": "Delete",
            "actor": .string(source.author.uri),
            "to": .array(audience.to.map(JSON.string)),
            "cc": .array(audience.cc.map(JSON.string)),
            "object": ["id": .string(source.status.uri), "type": "Tombstone", "atomUri": .string(source.status.uri)],
        ]
    }

    /// `Announce` of a status by a local account (the reblog row's URI names the activity).
    package static func announce(
        reblog: Status,
        by booster: Account,
        of original: Status,
        originalAuthor: Account,
        urls: URLBuilder
    ) -> JSON {
        let followers = urls.followers(booster.username)
        let audience: Audience =
            reblog.visibility == .public
            ? Audience(to: [ActivityStreams.publicCollection], cc: [originalAuthor.uri, followers])
            : Audience(to: [followers], cc: [originalAuthor.uri])
        return [
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": .string(reblog.uri),
            "type": "Announce",
            "actor": .string(booster.uri),
            "published": .string(ActorDocument.timestamp(reblog.createdAt)),
            "to": .array(audience.to.map(JSON.string)),
            "cc": .array(audience.cc.map(JSON.string)),
            "object": .string(original.uri),
        ]
    }
}

/// Activities about relationships and reactions; ids come from `URLBuilder.activity`.
package enum SocialActivity {
    /// A plain activity: `{ id, type, actor, object }` with the ActivityStreams context.
    package static func make(_ type: String, id: String, actor: String, object: JSON, to: [String]? = nil) -> JSON {
        var body: [String: JSON] = [
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": .string(id),
            "type": .string(type),
            "actor": .string(actor),
            "object": object,
        ]
        if let to { body["to"] = .array(to.map(JSON.string)) }
        return .object(body)
    }

    /// `Undo` of an activity we sent (embedded, as Mastodon does).
    package static func undo(_ activity: JSON, actor: String) -> JSON {
        var inner = activity.object ?? [:]
        inner["@context"] = nil
        let id = (activity["id"]?.string ?? actor) + "/undo"
        return Self.make("Undo", id: id, actor: actor, object: .object(inner))
    }
}
