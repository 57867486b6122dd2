import App
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The pages and feeds anyone can read without signing in: what they show, what they must never
/// show, and how hostile text comes out.
@Suite struct PublicPagesTests {
    static let hostileName = "<script>alert(1)</script>\"E\"&"

    /// Items (RSS `item`, Atom `entry`) of a feed, parsed back with a real XML parser: their links and
    /// enclosure URLs. Fails the test when the XML does not parse.
    final class FeedReader: NSObject, XMLParserDelegate {
        var items: [[String: String]] = []
        var enclosures: [String] = []
        var channelTitle = ""
        private var current: [String: String]?
        private var text = ""
        private var depth = 0

        static func read(_ xml: String) throws -> FeedReader {
            let reader = FeedReader()
            let parser = XMLParser(data: Data(xml.utf8))
            parser.delegate = reader
            guard parser.parse() else {
                throw TestFailure("feed did not parse: \(String(describing: parser.parserError))\n\(xml)")
            }
            return reader
        }

        func parser(
            _ parser: XMLParser,
            didStartElement name: String,
            namespaceURI: String?,
            qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            self.text = ""
            if name == "item" || name == "entry" { self.current = [:] }
            if name == "enclosure" || name == "media:content", let url = attributes["url"] {
                self.enclosures.append(url)
            }
            if name == "link", attributes["rel"] == "enclosure", let url = attributes["href"] {
                self.enclosures.append(url)
            }
            if name == "link", self.current != nil, attributes["rel"] == "alternate", let href = attributes["href"] {
                self.current?["link"] = href
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { self.text += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "item" || name == "entry", let current = self.current {
                self.items.append(current)
                self.current = nil
            } else if self.current != nil, ["link", "title", "description", "content", "summary"].contains(name) {
                if !(name == "link" && self.text.isEmpty) { self.current?[name] = self.text }
            } else if self.current == nil, name == "title", self.channelTitle.isEmpty {
                self.channelTitle = self.text
            }
        }
    }

    @Test(
        "a profile shows public and unlisted posts, escapes hostile text and links AP and feeds",
        arguments: TestDatabase.available
    )
    func profile(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                let update = try await client.execute(
                    uri: "/api/v1/accounts/update_credentials",
                    method: .patch,
                    headers: .bearer(alice.token, contentType: "application/x-www-form-urlencoded"),
                    body: formBody([
                        ("display_name", Self.hostileName), ("note", "Bio with <b>tags</b>"),
                        ("fields_attributes[0][name]", "Site"),
                        ("fields_attributes[0][value]", "https://alice.example"),
                    ])
                )
                #expect(update.status == .ok, "\(update.text)")
                let publicID = try await api.status(alice.token, "Public <img src=x onerror=alert(1)> words")
                let unlistedID = try await api.status(alice.token, "Unlisted words", visibility: "unlisted")
                let privateID = try await api.status(alice.token, "Followers-only secret", visibility: "private")
                let directID = try await api.status(alice.token, "Direct secret", visibility: "direct")

                let page = try await client.execute(uri: "/@alice", method: .get)
                #expect(page.status == .ok)
                #expect(page.headers[.contentType] == "text/html; charset=utf-8")
                let csp = try #require(page.headers[.contentSecurityPolicy])
                #expect(!csp.contains("script-src"))  // default-src 'none': no script at all
                #expect(csp.hasPrefix("default-src 'none'"))
                let html = page.text
                #expect(!html.contains("<script>alert(1)</script>"))
                #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
                #expect(!html.contains("<img src=x"))
                #expect(html.contains("Public &lt;img src=x onerror=alert(1)&gt; words"))
                #expect(html.contains("Bio with &lt;b&gt;tags&lt;/b&gt;"))
                #expect(html.contains("rel=\"me nofollow noopener\""))
                #expect(html.contains("/@alice/\(publicID)"))
                #expect(html.contains("/@alice/\(unlistedID)"))
                #expect(!html.contains(privateID) && !html.contains("Followers-only secret"))
                #expect(!html.contains(directID) && !html.contains("Direct secret"))
                #expect(
                    html.contains(
                        "<link rel=\"alternate\" type=\"application/activity+json\" href=\"http://tern.test/users/alice\">"
                    )
                )
                #expect(html.contains("<link rel=\"canonical\" href=\"http://tern.test/@alice\">"))
                #expect(html.contains("<link rel=\"alternate\" type=\"application/rss+xml\" href=\"/@alice.rss\">"))
                #expect(html.contains("<meta property=\"og:title\" content=\"&lt;script&gt;"))
                #expect(
                    html.contains("<meta property=\"og:description\" content=\"Bio with &lt;b&gt;tags&lt;/b&gt;\">")
                )

                // The same URL answers ActivityPub clients with the actor.
                let actor = try await client.execute(
                    uri: "/@alice",
                    method: .get,
                    headers: [.accept: "application/activity+json"]
                )
                #expect(actor.json["type"] as? String == "Person")
                #expect(actor.json["id"] as? String == "http://tern.test/users/alice")

                for missing in ["/@nobody", "/@nobody.rss", "/@alice@unknown.example", "/@%00"] {
                    let response = try await client.execute(uri: missing, method: .get)
                    #expect(response.status == .notFound, "\(missing)")
                }
            }
        }
    }

    @Test(
        "profiles page with an Older posts link; the stylesheet and default pictures are served",
        arguments: TestDatabase.available
    )
    func paging(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                var ids: [String] = []
                for n in 1...23 { ids.append(try await api.status(bob.token, "post number \(n)")) }
                let first = try await client.execute(uri: "/@bob", method: .get).text
                #expect(first.contains("post number 23") && first.contains("post number 4"))
                #expect(!first.contains("post number 3<"))
                let next = try #require(first.firstMatch(of: /href="(\/@bob\?max_id=\d+)" rel="next"/)?.1)
                let second = try await client.execute(uri: String(next), method: .get).text
                #expect(second.contains("post number 3<") && second.contains("post number 1<"))
                #expect(!second.contains("post number 4<"))
                #expect(!second.contains("rel=\"next\""))

                let css = try await client.execute(uri: "/assets/site.css", method: .get)
                #expect(css.status == .ok)
                #expect(css.headers[.contentType] == "text/css")
                for picture in ["/assets/missing-avatar.png", "/assets/missing-header.png"] {
                    let response = try await client.execute(uri: picture, method: .get)
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "image/png")
                    #expect(Array(response.body.readableBytesView.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
                }
                let account = try await api.account(bob.id)
                #expect(account["avatar"] as? String == "http://tern.test/assets/missing-avatar.png")
            }
        }
    }

    @Test(
        "a post page shows its thread; private, direct, reblog and wrong-author URLs are 404",
        arguments: TestDatabase.available
    )
    func statusPage(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                let root = try await api.status(alice.token, "The root of the thread")
                let reply = try await api.status(bob.token, "@alice a public reply", [("in_reply_to_id", root)])
                let hidden = try await api.status(
                    bob.token,
                    "@alice a private reply",
                    visibility: "private",
                    [("in_reply_to_id", root)]
                )
                let page = try await client.execute(uri: "/@alice/\(root)", method: .get)
                #expect(page.status == .ok)
                #expect(page.text.contains("The root of the thread"))
                #expect(page.text.contains("a public reply"))
                #expect(!page.text.contains("a private reply"))
                #expect(page.text.contains("class=\"status focused\""))
                #expect(page.text.contains("<meta property=\"og:type\" content=\"article\">"))
                #expect(page.text.contains("<meta property=\"og:description\" content=\"The root of the thread\">"))
                let replyPage = try await client.execute(uri: "/@bob/\(reply)", method: .get)
                #expect(replyPage.status == .ok)
                #expect(replyPage.text.contains("The root of the thread"))

                let privateID = try await api.status(alice.token, "only followers", visibility: "private")
                let directID = try await api.status(alice.token, "@bob just you", visibility: "direct")
                let boost = try await api.post("/api/v1/statuses/\(root)/reblog", bob.token)
                let boostID = try #require(boost.json["id"] as? String)
                for path in [
                    "/@alice/\(privateID)", "/@alice/\(directID)", "/@bob/\(hidden)", "/@bob/\(boostID)",
                    "/@bob/\(root)", "/@alice/999999", "/@alice/not-a-number",
                ] {
                    let response = try await client.execute(uri: path, method: .get)
                    #expect(response.status == .notFound, "\(path)")
                    #expect(!response.text.contains("only followers") && !response.text.contains("just you"))
                    #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                }
                let note = try await client.execute(
                    uri: "/@alice/\(root)",
                    method: .get,
                    headers: [.accept: "application/activity+json"]
                )
                #expect(note.json["type"] as? String == "Note")
            }
        }
    }

    @Test("hashtag pages and feeds list public posts only", arguments: TestDatabase.available)
    func tags(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                _ = try await api.status(alice.token, "Loving #Swift today")
                _ = try await api.status(alice.token, "Quiet #swift note", visibility: "private")
                let page = try await client.execute(uri: "/tags/swift", method: .get)
                #expect(page.status == .ok)
                #expect(page.text.contains("Loving"))
                #expect(!page.text.contains("Quiet"))
                #expect(page.text.contains("<h1>#swift</h1>"))
                let rss = try await client.execute(uri: "/tags/swift.rss", method: .get)
                #expect(rss.headers[.contentType] == "application/rss+xml; charset=utf-8")
                let feed = try FeedReader.read(rss.text)
                #expect(feed.items.count == 1)
                #expect(feed.channelTitle == "#swift")
                let atom = try await client.execute(uri: "/tags/swift.atom", method: .get)
                #expect(atom.headers[.contentType] == "application/atom+xml; charset=utf-8")
                #expect(try FeedReader.read(atom.text).items.count == 1)
                for bad in ["/tags/no%20space", "/tags/%3Cscript%3E", "/tags/" + String(repeating: "a", count: 101)] {
                    #expect(try await client.execute(uri: bad, method: .get).status == .notFound, "\(bad)")
                }
            }
        }
    }

    @Test(
        "account feeds: valid RSS and Atom of public posts without replies, hostile text escaped, media enclosed",
        arguments: TestDatabase.available
    )
    func accountFeeds(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                let bobs = try await api.status(bob.token, "bob speaks")
                let upload = try await TestImages.upload(
                    client,
                    alice.token,
                    TestImages.png(width: 20, height: 10),
                    fields: [("description", "A red <box> & \"quotes\"")]
                )
                #expect(upload.status == .ok, "\(upload.text)")
                let mediaID = try #require(upload.json["id"] as? String)
                let withMedia = try await api.status(alice.token, "Look & see <this>", [("media_ids[]", mediaID)])
                _ = try await api.status(alice.token, "Control \u{01} character and ]]> end")
                _ = try await api.status(alice.token, "@bob a reply", [("in_reply_to_id", bobs)])
                _ = try await api.status(alice.token, "secret", visibility: "private")
                _ = try await api.status(alice.token, "hidden warning body", [("spoiler_text", "CW <here>")])

                for format in ["rss", "atom"] {
                    let response = try await client.execute(uri: "/@alice.\(format)", method: .get)
                    #expect(response.status == .ok)
                    let feed = try FeedReader.read(response.text)
                    #expect(feed.items.count == 3, "\(format): \(feed.items)")
                    let links = feed.items.compactMap { $0["link"] }
                    #expect(links.contains("http://tern.test/@alice/\(withMedia)"), "\(links)")
                    #expect(!response.text.contains("secret"))
                    #expect(!response.text.contains("a reply"))
                    #expect(feed.enclosures.count == (format == "rss" ? 2 : 1))
                    #expect(feed.enclosures.allSatisfy { $0.hasPrefix("http://tern.test/system/") })
                    // Parsed back, the post HTML is the server's own: escaped text, no raw tags.
                    let body = feed.items.compactMap { $0["description"] ?? $0["content"] }.joined()
                    #expect(body.contains("Look &amp; see &lt;this&gt;"))
                    #expect(feed.items.contains { ($0["title"] ?? $0["summary"] ?? "").contains("CW <here>") })
                }
            }
        }
    }

    static func withRules(_ config: inout AppConfig) {
        config.instance.rules = [.init(id: "1", text: "Be <kind>")]
    }

    @Test(
        "/ sends browsers to the app when signed in, else to the about page with rules and stats",
        arguments: TestDatabase.available
    )
    func aboutAndRoot(db: TestDatabase) async throws {
        try await TestApp.run(db, configure: Self.withRules) { t in
            _ = try await t.user("alice")
            try await t.client { client in
                let anonymous = try await client.execute(uri: "/", method: .get)
                #expect(anonymous.status == .found)
                #expect(anonymous.headers[.location] == "/about")
                let signedIn = try await client.execute(uri: "/", method: .get, headers: [.cookie: "_tern_session=abc"])
                #expect(signedIn.headers[.location] == "/web/home")
                let about = try await client.execute(uri: "/about", method: .get)
                #expect(about.status == .ok)
                #expect(about.text.contains("<li>Be &lt;kind&gt;</li>"))
                #expect(about.text.contains("<strong>1</strong> people"))
                #expect(about.text.contains("mailto:admin@tern.test"))
            }
        }
    }
}
