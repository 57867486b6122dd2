import Core
import Foundation
import Hummingbird
import Processing

/// The two feed formats: RSS 2.0 (what Mastodon offers) and Atom (RFC 4287).
enum FeedFormat: CaseIterable {
    case rss, atom

    /// The path suffix that asks for the format: `/@alice.rss`, `/tags/swift.atom`.
    var suffix: String {
        switch self {
        case .rss: ".rss"
        case .atom: ".atom"
        }
    }

    var contentType: String {
        switch self {
        case .rss: "application/rss+xml; charset=utf-8"
        case .atom: "application/atom+xml; charset=utf-8"
        }
    }
}

/// A feed of public posts, written directly as XML: every value goes through `HTMLText.xmlEscaped`,
/// post HTML travels as escaped text (RSS `description`, Atom `content type="html"`), and media
/// become enclosures.
struct Feed {
    let format: FeedFormat
    let title: String
    let description: String
    let pageURL: String
    let selfURL: String
    let image: String?
    let statuses: [StatusView]

    func response() -> Response {
        let xml =
            switch self.format {
            case .rss: self.rss()
            case .atom: self.atom()
            }
        return Response(
            status: .ok,
            headers: [.contentType: self.format.contentType, .cacheControl: "public, max-age=300"],
            body: .init(byteBuffer: ByteBuffer(string: xml))
        )
    }

    private static func x(_ text: String) -> String { HTMLText.xmlEscaped(text) }

    /// A one-line title for an item: the content warning, else the start of the text.
    private static func itemTitle(_ status: Status) -> String {
        if !status.spoilerText.isEmpty { return status.spoilerText }
        let text = HTMLText.plain(status.content)
        return text.isEmpty ? "Post" : HTMLText.excerpt(text, limit: 80)
    }

    private static func link(_ view: StatusView) -> String {
        view.status.url ?? view.status.uri
    }

    /// RFC 822 dates (RSS); made once per feed, not once per item.
    private static func rfc822Formatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter
    }

    private static func rfc3339(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    private static func mediaFiles(_ view: StatusView) -> [(url: String, type: String, size: Int, alt: String)] {
        view.media.compactMap { media in
            guard let url = media.url ?? media.attachment.remoteURL else { return nil }
            return (url, media.attachment.contentType, media.attachment.fileSize, media.attachment.description ?? "")
        }
    }

    func rss() -> String {
        let dates = Self.rfc822Formatter()
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">
            <channel>
            <title>\(Self.x(self.title))</title>
            <description>\(Self.x(self.description))</description>
            <link>\(Self.x(self.pageURL))</link>
            <atom:link href="\(Self.x(self.selfURL))" rel="self" type="application/rss+xml"/>
            <generator>Tern</generator>

            """
        if let image = self.image {
            xml += "<image><url>\(Self.x(image))</url><title>\(Self.x(self.title))</title>"
            xml += "<link>\(Self.x(self.pageURL))</link></image>\n"
        }
        if let newest = self.statuses.first {
            xml +=
                "<lastBuildDate>\(dates.string(from: newest.status.editedAt ?? newest.status.createdAt))</lastBuildDate>\n"
        }
        for view in self.statuses {
            let status = view.status
            xml += "<item>\n"
            xml += "<guid isPermaLink=\"true\">\(Self.x(Self.link(view)))</guid>\n"
            xml += "<link>\(Self.x(Self.link(view)))</link>\n"
            xml += "<title>\(Self.x(Self.itemTitle(status)))</title>\n"
            xml += "<pubDate>\(dates.string(from: status.createdAt))</pubDate>\n"
            var html = status.content
            if !status.spoilerText.isEmpty { html = "<p><strong>\(Self.x(status.spoilerText))</strong></p>" + html }
            xml += "<description>\(Self.x(html))</description>\n"
            let files = Self.mediaFiles(view)
            if let first = files.first {
                xml +=
                    "<enclosure url=\"\(Self.x(first.url))\" length=\"\(first.size)\" type=\"\(Self.x(first.type))\"/>\n"
            }
            for file in files {
                xml +=
                    "<media:content url=\"\(Self.x(file.url))\" type=\"\(Self.x(file.type))\" fileSize=\"\(file.size)\">"
                if !file.alt.isEmpty {
                    xml += "<media:description type=\"plain\">\(Self.x(file.alt))</media:description>"
                }
                xml += "</media:content>\n"
            }
            for tag in view.tags { xml += "<category>\(Self.x(tag))</category>\n" }
            xml += "</item>\n"
        }
        xml += "</channel>\n</rss>\n"
        return xml
    }

    func atom() -> String {
        let updated =
            self.statuses.first.map { $0.status.editedAt ?? $0.status.createdAt } ?? Date(timeIntervalSince1970: 0)
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
            <id>\(Self.x(self.pageURL))</id>
            <title>\(Self.x(self.title))</title>
            <subtitle>\(Self.x(self.description))</subtitle>
            <updated>\(Self.rfc3339(updated))</updated>
            <link rel="alternate" type="text/html" href="\(Self.x(self.pageURL))"/>
            <link rel="self" type="application/atom+xml" href="\(Self.x(self.selfURL))"/>
            <generator>Tern</generator>

            """
        if let image = self.image { xml += "<icon>\(Self.x(image))</icon>\n" }
        for view in self.statuses {
            let status = view.status
            let author = view.author.account
            xml += "<entry>\n"
            xml += "<id>\(Self.x(status.uri))</id>\n"
            xml += "<title>\(Self.x(Self.itemTitle(status)))</title>\n"
            xml += "<published>\(Self.rfc3339(status.createdAt))</published>\n"
            xml += "<updated>\(Self.rfc3339(status.editedAt ?? status.createdAt))</updated>\n"
            xml += "<author><name>\(Self.x(author.displayName.isEmpty ? author.username : author.displayName))</name>"
            xml += "<uri>\(Self.x(view.author.profileURL))</uri></author>\n"
            xml += "<link rel=\"alternate\" type=\"text/html\" href=\"\(Self.x(Self.link(view)))\"/>\n"
            if !status.spoilerText.isEmpty { xml += "<summary>\(Self.x(status.spoilerText))</summary>\n" }
            xml += "<content type=\"html\">\(Self.x(status.content))</content>\n"
            for file in Self.mediaFiles(view) {
                xml +=
                    "<link rel=\"enclosure\" href=\"\(Self.x(file.url))\" type=\"\(Self.x(file.type))\" length=\"\(file.size)\""
                if !file.alt.isEmpty { xml += " title=\"\(Self.x(file.alt))\"" }
                xml += "/>\n"
            }
            for tag in view.tags { xml += "<category term=\"\(Self.x(tag))\"/>\n" }
            xml += "</entry>\n"
        }
        xml += "</feed>\n"
        return xml
    }
}
