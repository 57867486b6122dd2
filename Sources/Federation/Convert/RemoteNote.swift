import Core
import Foundation
import HTMLSanitizer

/// A remote Note (or Question, Article, Page) read into what a status needs, with its HTML sanitised.
package struct RemoteNote: Sendable, Equatable {
    package var uri: String
    package var url: String?
    package var type: String
    package var attributedTo: String
    package var content: String
    package var spoilerText: String
    package var sensitive: Bool
    package var language: String?
    package var published: Date?
    package var updated: Date?
    package var inReplyTo: String?
    package var to: [String]
    package var cc: [String]
    /// Actor URIs of `Mention` tags.
    package var mentions: [String]
    /// Names of `Hashtag` tags, without `#`, lowercased.
    package var hashtags: [String]
    /// A Question's options and counts.
    package var poll: RemotePoll?
    /// A Note with a `name` and no content: a vote in the poll it replies to (Mastodon's shape).
    package var voteName: String?
    /// Attachments (at most four), shown from their own server until the remote media cache exists.
    package var attachments: [RemoteAttachment] = []

    /// The object types shown as statuses.
    package static let types: Set<String> = ["Note", "Question", "Article", "Page"]

    /// Reads an object; nil when it is not a note-like object with an id and an author.
    package static func parse(_ object: JSON) -> RemoteNote? {
        guard let type = object.type, Self.types.contains(type), let uri = object["id"]?.string,
            let author = object["attributedTo"]?.ids.first
        else { return nil }
        let contentMap = object["contentMap"]?.object
        var html = object["content"]?.string ?? contentMap?.values.first?.string ?? ""
        if type == "Article" || type == "Page", let name = object["name"]?.string, !name.isEmpty {
            // Mastodon shows the title of long-form posts followed by a link to them.
            html = "<p>\(TextFormatter.escape(name))</p>" + html
        }
        var mentions: [String] = []
        var hashtags: [String] = []
        for tag in object["tag"]?.list ?? [] {
            switch tag.type {
            case "Mention": if let href = tag["href"]?.string { mentions.append(href) }
            case "Hashtag":
                if let name = tag["name"]?.string {
                    let bare = name.hasPrefix("#") ? String(name.dropFirst()) : name
                    if !bare.isEmpty, bare.count <= 100 { hashtags.append(bare.lowercased()) }
                }
            default: break
            }
        }
        let summary = object["summary"]?.string ?? ""
        return RemoteNote(
            uri: uri,
            url: RemoteActor.url(object["url"]),
            type: type,
            attributedTo: author,
            content: HTMLSanitizer.sanitize(String(html.prefix(100_000))),
            spoilerText: RemoteActor.plainText(summary, limit: 1000),
            sensitive: object["sensitive"]?.bool ?? !summary.isEmpty,
            language: contentMap?.keys.sorted().first,
            published: ActorDocument.parseTimestamp(object["published"]?.string),
            updated: ActorDocument.parseTimestamp(object["updated"]?.string),
            inReplyTo: object["inReplyTo"]?.id,
            to: object["to"]?.ids ?? [],
            cc: object["cc"]?.ids ?? [],
            mentions: Array(Set(mentions)).sorted().prefix(100).map { $0 },
            hashtags: Array(Set(hashtags)).sorted().prefix(50).map { $0 },
            poll: type == "Question" ? RemotePoll.parse(object) : nil,
            voteName: type == "Note" && (object["content"]?.string ?? "").isEmpty ? object["name"]?.string : nil,
            attachments: (object["attachment"]?.list ?? []).compactMap(RemoteAttachment.parse).prefix(4).map { $0 }
        )
    }
}

/// A remote Question's options (at most 20, 200 characters each) and what its server counted.
package struct RemotePoll: Sendable, Equatable {
    package var options: [String]
    package var counts: [Int]
    package var multiple: Bool
    package var endTime: Date?
    package var voters: Int?

    static func parse(_ object: JSON) -> RemotePoll? {
        let multiple = object["anyOf"] != nil
        let items = (multiple ? object["anyOf"] : object["oneOf"])?.list ?? []
        var options: [String] = []
        var counts: [Int] = []
        for item in items.prefix(20) {
            guard let name = item["name"]?.string else { continue }
            options.append(String(RemoteActor.plainText(name, limit: 200)))
            counts.append(max(0, item["replies"]?["totalItems"]?.int ?? 0))
        }
        guard options.count >= 1 else { return nil }
        return RemotePoll(
            options: options,
            counts: counts,
            multiple: multiple,
            endTime: ActorDocument.parseTimestamp(object["endTime"]?.string ?? object["closed"]?.string),
            voters: object["votersCount"]?.int
        )
    }
}

/// A remote attachment: a Document, Image, Video or Audio with an http(s) URL.
package struct RemoteAttachment: Sendable, Equatable {
    package var url: String
    package var mediaType: String
    package var description: String?
    package var blurhash: String?
    package var width: Int?
    package var height: Int?
    package var focusX: Double
    package var focusY: Double

    /// The attachment's kind as Mastodon names it, from its media type.
    package var kind: MediaAttachment.Kind {
        let type = self.mediaType.lowercased()
        if type == "image/gif" || type.hasPrefix("image/") { return .image }
        if type.hasPrefix("video/") { return .video }
        if type.hasPrefix("audio/") { return .audio }
        return .unknown
    }

    static func parse(_ item: JSON) -> RemoteAttachment? {
        guard let type = item.type, ["Document", "Image", "Video", "Audio"].contains(type),
            let url = RemoteActor.url(item["url"]), url.hasPrefix("http")
        else { return nil }
        let focus = item["focalPoint"]?.list.compactMap(\.number) ?? []
        return RemoteAttachment(
            url: String(url.prefix(2048)),
            mediaType: item["mediaType"]?.string ?? "application/octet-stream",
            description: item["name"]?.string.map { String($0.prefix(MediaAttachment.maxDescription)) },
            blurhash: item["blurhash"]?.string.flatMap { $0.count <= 100 ? $0 : nil },
            width: item["width"]?.int,
            height: item["height"]?.int,
            focusX: focus.count == 2 ? max(-1, min(1, focus[0])) : 0,
            focusY: focus.count == 2 ? max(-1, min(1, focus[1])) : 0
        )
    }
}
