import Foundation
import HTMLSanitizer
import Testing

@Suite struct RelMeLinksTests {
    @Test func findsAnchorsAndLinksWithAMeToken() {
        let html = """
            <!doctype html><html><head><link rel="me" href="https://social.example/@a">
            <link rel="stylesheet" href="/x.css"></head>
            <body><p>Hi <a href="https://other.example/@b" rel="nofollow ME noopener">me too</a>
            <a href="https://not.example/" rel="meh">no</a> <a rel="me">no href</a>
            <a href="/relative" rel="me">relative</a></p></body></html>
            """
        let links = RelMeLinks.find(in: html, base: URL(string: "https://page.example/about/"))
        #expect(
            links == ["https://social.example/@a", "https://other.example/@b", "https://page.example/relative"]
        )
    }

    @Test func hostilePagesGiveNothingOrTheirLinksWithoutCrashing() {
        #expect(RelMeLinks.find(in: "").isEmpty)
        #expect(RelMeLinks.find(in: "<a href='https://x.example' rel=me").isEmpty)  // cut off inside the tag
        let deep = String(repeating: "<div>", count: 20_000) + "<a rel=me href='https://deep.example/'>x</a>"
        #expect(RelMeLinks.find(in: deep) == ["https://deep.example/"])
        let many = String(repeating: "<a rel=me href='https://m.example/'>x</a>", count: 500)
        #expect(RelMeLinks.find(in: many).count == 100)
    }
}
