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
            hashtags: Array(Set(hashtags)).sorted().prefix(50).map { $0 }
        )
    }
}
