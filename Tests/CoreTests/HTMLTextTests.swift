import Core
import Testing

@Suite struct HTMLTextTests {
    @Test func plainKeepsWordsApartAtBlocksOnly() {
        let html =
            "<p>Hi &lt;b&gt; <a href=\"x\" class=\"mention hashtag\">#<span>swift</span></a></p><p>two<br>lines &amp; more</p>"
        #expect(HTMLText.plain(html) == "Hi <b> #swift two lines & more")
        #expect(
            HTMLText.plain("<span class=\"invisible\">https://</span><span>example.org</span>") == "https://example.org"
        )
        #expect(HTMLText.plain("no markup  at\n all") == "no markup at all")
        #expect(HTMLText.plain("") == "")
    }

    @Test func excerptCutsWithAnEllipsis() {
        #expect(HTMLText.excerpt("short", limit: 10) == "short")
        #expect(HTMLText.excerpt("a longer sentence here", limit: 10) == "a longer…")
        #expect(HTMLText.excerpt("a longer sentence here", limit: 10).count <= 10)
    }

    @Test func xmlEscapingDropsWhatXMLCannotCarry() {
        #expect(HTMLText.xmlEscaped("<a href=\"x\">&'</a>") == "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;")
        #expect(HTMLText.xmlEscaped("bell\u{07}nul\u{00}tab\tline\n") == "bellnultab\tline\n")
        #expect(HTMLText.xmlEscaped("\u{FFFE}ok\u{FFFF}") == "ok")
        #expect(HTMLText.xmlEscaped("café 🐦") == "café 🐦")
    }
}
