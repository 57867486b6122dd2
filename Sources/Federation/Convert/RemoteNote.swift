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
            voteName: type == "Note" && (object["content"]?.string ?? "").isEmpty ? object["name"]?.string : nil
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
