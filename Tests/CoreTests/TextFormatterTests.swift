import Core
import Testing

private let tagBase = "https://tern.example/tags/"

private let alice = ResolvedMention(url: "https://tern.example/@alice", username: "alice")
private let bob = ResolvedMention(url: "https://remote.example/users/bob", username: "bob")
private let accounts: [String: ResolvedMention] = ["alice": alice, "bob@remote.example": bob]

/// Formats with a resolver that knows `@alice` (local) and `@bob@remote.example`.
private func format(_ text: String) -> FormattedText {
    TextFormatter.format(
        text,
        mention: { token in accounts[token.acct.lowercased()] },
        hashtagURL: { name in tagBase + name }
    )
}

private func formatInline(_ text: String) -> FormattedText {
    TextFormatter.formatInline(
        text,
        mention: { token in accounts[token.acct.lowercased()] },
        hashtagURL: { name in tagBase + name }
    )
}

/// The expected anchor for a link whose display part does not need an ellipsis.
private func link(_ url: String, prefix: String = "https://", display: String) -> String {
    "<a href=\"\(url)\" target=\"_blank\" rel=\"nofollow noopener\" translate=\"no\">"
        + "<span class=\"invisible\">\(prefix)</span><span class=\"\">\(display)</span>"
        + "<span class=\"invisible\"></span></a>"
}

private func hashtag(_ name: String) -> String {
    "<a href=\"\(tagBase)\(name.lowercased())\" class=\"mention hashtag\" rel=\"tag\">#<span>\(name)</span></a>"
}

private let aliceHTML =
    "<span class=\"h-card\" translate=\"no\"><a href=\"https://tern.example/@alice\" class=\"u-url mention\">"
    + "@<span>alice</span></a></span>"

private let bobHTML =
    "<span class=\"h-card\" translate=\"no\"><a href=\"https://remote.example/users/bob\" class=\"u-url mention\">"
    + "@<span>bob</span></a></span>"

@Suite("TextFormatter")
struct TextFormatterTests {
    // MARK: Escaping and paragraphs

    @Test func emptyAndBlankTextGiveEmptyHTML() {
        #expect(format("") == FormattedText(html: "", mentions: [], hashtags: [], links: []))
        #expect(format(" \n\n\t \r\n").html == "")
        #expect(formatInline("   ").html == "")
    }

    @Test func plainTextIsOneParagraph() {
        #expect(format("Hello world").html == "<p>Hello world</p>")
    }

    @Test func scriptTagIsEscaped() {
        let result = format("<script>alert('x & \"y\"')</script>")
        #expect(result.html == "<p>&lt;script&gt;alert(&#39;x &amp; &quot;y&quot;&#39;)&lt;/script&gt;</p>")
    }

    @Test func escapeHandlesAllSpecialCharacters() {
        #expect(TextFormatter.escape("&<>\"'plain") == "&amp;&lt;&gt;&quot;&#39;plain")
        #expect(TextFormatter.escape("&amp;") == "&amp;amp;")
        #expect(TextFormatter.escape("") == "")
    }

    @Test func singleNewlinesBecomeLineBreaksAndBlankLinesParagraphs() {
        #expect(format("one\ntwo\n\nthree").html == "<p>one<br />two</p><p>three</p>")
    }

    @Test func crlfIsNormalisedAndManyNewlinesMakeOneParagraphBreak() {
        #expect(format("a\r\nb\r\n\r\n\r\n\r\nc\rd").html == "<p>a<br />b</p><p>c<br />d</p>")
    }

    @Test func surroundingWhitespaceIsTrimmed() {
        #expect(format("\n\n  hello  \n\n").html == "<p>hello</p>")
    }

    @Test func spaceOnlyLineIsNotAParagraphBreak() {
        #expect(format("a\n \nb").html == "<p>a<br /> <br />b</p>")
    }

    // MARK: Links

    @Test func simpleURLIsLinked() {
        let result = format("Visit https://example.com/path now")
        let expected =
            "<p>Visit <a href=\"https://example.com/path\" target=\"_blank\" rel=\"nofollow noopener\" "
            + "translate=\"no\"><span class=\"invisible\">https://</span><span class=\"\">example.com/path</span>"
            + "<span class=\"invisible\"></span></a> now</p>"
        #expect(result.html == expected)
        #expect(result.links == ["https://example.com/path"])
    }

    @Test(arguments: [".", ",", ":", ";", "!", "?", "'", "...", "?!", "\u{3002}"])
    func trailingPunctuationIsNotPartOfURL(_ punctuation: String) {
        let result = format("see https://example.com/a\(punctuation)")
        let escaped = TextFormatter.escape(punctuation)
        #expect(result.html == "<p>see \(link("https://example.com/a", display: "example.com/a"))\(escaped)</p>")
        #expect(result.links == ["https://example.com/a"])
    }

    @Test func urlInParenthesesExcludesClosingParen() {
        let result = format("(see https://example.com/a)")
        #expect(result.html == "<p>(see \(link("https://example.com/a", display: "example.com/a")))</p>")
        let bare = format("(https://example.com)")
        #expect(bare.html == "<p>(\(link("https://example.com", display: "example.com")))</p>")
    }

    @Test func balancedParenthesesStayInURL() {
        let result = format("(https://example.com/wiki/Foo_(bar)).")
        let expected = link("https://example.com/wiki/Foo_(bar)", display: "example.com/wiki/Foo_(bar)")
        #expect(result.html == "<p>(\(expected)).</p>")
        #expect(result.links == ["https://example.com/wiki/Foo_(bar)"])
    }

    @Test func longURLIsCutWithEllipsis() {
        let url = "https://example.com/a/very/long/path/that/keeps/going?x=1"
        let expected =
            "<p><a href=\"\(url)\" target=\"_blank\" rel=\"nofollow noopener\" translate=\"no\">"
            + "<span class=\"invisible\">https://</span><span class=\"ellipsis\">example.com/a/very/long/path/t</span>"
            + "<span class=\"invisible\">hat/keeps/going?x=1</span></a></p>"
        #expect(format(url).html == expected)
    }

    @Test func displayOfExactlyThirtyCharactersHasNoEllipsis() {
        let display = "example.com/" + String(repeating: "x", count: 18)
        #expect(display.count == 30)
        #expect(format("https://" + display).html == "<p>\(link("https://" + display, display: display))</p>")
    }

    @Test func wwwAndSchemeAreHiddenPrefix() {
        let result = format("http://www.example.com")
        let expected = link("http://www.example.com", prefix: "http://www.", display: "example.com")
        #expect(result.html == "<p>\(expected)</p>")
    }

    @Test func urlWithoutSchemeIsNotLinked() {
        let result = format("go to www.example.com or example.com")
        #expect(result.html == "<p>go to www.example.com or example.com</p>")
        #expect(result.links.isEmpty)
    }

    @Test func otherSchemesAndBrokenURLsAreNotLinked() {
        for text in ["ftp://example.com", "javascript:alert(1)", "https://", "https://.", "https:example.com"] {
            let result = format(text)
            #expect(result.links.isEmpty, "\(text)")
            #expect(result.html == "<p>\(TextFormatter.escape(text))</p>")
        }
    }

    @Test func urlGluedToAWordIsNotLinked() {
        #expect(format("xhttps://example.com").links.isEmpty)
    }

    @Test func urlSpecialCharactersAreEscapedAndAngleBracketsEndTheURL() {
        let result = format("<https://example.com/?a=1&b=2>")
        let expected = link("https://example.com/?a=1&amp;b=2", display: "example.com/?a=1&amp;b=2")
        #expect(result.html == "<p>&lt;\(expected)&gt;</p>")
        #expect(result.links == ["https://example.com/?a=1&b=2"])
    }

    @Test func uppercaseSchemeAndPortAreLinked() {
        let result = format("HTTPS://Example.com:8443/x")
        let expected = link("HTTPS://Example.com:8443/x", prefix: "HTTPS://", display: "Example.com:8443/x")
        #expect(result.html == "<p>\(expected)</p>")
    }

    @Test func linksAreDeduplicatedInOrder() {
        let result = format("https://b.example https://a.example https://b.example")
        #expect(result.links == ["https://b.example", "https://a.example"])
    }

    // MARK: Mentions

    @Test func localMentionIsLinked() {
        let result = format("hi @alice!")
        #expect(result.html == "<p>hi \(aliceHTML)!</p>")
        #expect(result.mentions == [MentionToken(username: "alice", domain: nil)])
    }

    @Test func remoteMentionShowsUsernameOnly() {
        let result = format("@bob@remote.example hello")
        #expect(result.html == "<p>\(bobHTML) hello</p>")
        #expect(result.mentions == [MentionToken(username: "bob", domain: "remote.example")])
    }

    @Test func unresolvedMentionIsLeftAsText() {
        let result = format("cc @carol@else.example & @dave")
        #expect(result.html == "<p>cc @carol@else.example &amp; @dave</p>")
        #expect(
            result.mentions == [
                MentionToken(username: "carol", domain: "else.example"), MentionToken(username: "dave", domain: nil),
            ]
        )
    }

    @Test func emailAddressIsNotAMention() {
        let result = format("write to alice@example.com")
        #expect(result.html == "<p>write to alice@example.com</p>")
        #expect(result.mentions.isEmpty)
    }

    @Test func mentionAfterSlashOrEqualsIsNotAMention() {
        #expect(format("example.org/@alice").mentions.isEmpty)
        #expect(format("key=@alice").mentions.isEmpty)
        #expect(format("(@alice)").html == "<p>(\(aliceHTML))</p>")
    }

    @Test func trailingDotIsNotPartOfMention() {
        let result = format("Thanks @alice. And @bob@remote.example.")
        #expect(result.html == "<p>Thanks \(aliceHTML). And \(bobHTML).</p>")
    }

    @Test func mentionWithInvalidDomainOrGluedLetterIsIgnored() {
        #expect(format("@alice@nodot").mentions.isEmpty)
        #expect(format("@alice@-bad.example").mentions.isEmpty)
        #expect(format("@alicé").mentions.isEmpty)
        #expect(format("@alice@nodot").html == "<p>@alice@nodot</p>")
    }

    @Test func mentionDomainIsLowercasedAndMayHavePort() {
        let scanned = TextFormatter.scan("@Bob@Remote.Example @dev@localhost:3000")
        #expect(
            scanned.mentions == [
                MentionToken(username: "Bob", domain: "remote.example"),
                MentionToken(username: "dev", domain: "localhost:3000"),
            ]
        )
        #expect(format("@Bob@Remote.Example").html == "<p>\(bobHTML)</p>")
    }

    @Test func mentionsAreDeduplicatedAndResolvedOnce() {
        var calls = 0
        let result = TextFormatter.format(
            "@alice @ALICE @alice @zed",
            mention: { token in
                calls += 1
                return accounts[token.acct.lowercased()]
            },
            hashtagURL: { name in tagBase + name }
        )
        let expectedMentions = [
            MentionToken(username: "alice", domain: nil), MentionToken(username: "zed", domain: nil),
        ]
        #expect(result.mentions == expectedMentions)
        #expect(result.html == "<p>\(aliceHTML) \(aliceHTML) \(aliceHTML) @zed</p>")
        #expect(calls == 3)
    }

    @Test func mentionHrefIsEscaped() {
        let result = TextFormatter.format(
            "@eve",
            mention: { _ in ResolvedMention(url: "https://x.example/?a=\"1\"&b", username: "<eve>") },
            hashtagURL: { name in name }
        )
        let expected =
            "<p><span class=\"h-card\" translate=\"no\">"
            + "<a href=\"https://x.example/?a=&quot;1&quot;&amp;b\" class=\"u-url mention\">"
            + "@<span>&lt;eve&gt;</span></a></span></p>"
        #expect(result.html == expected)
    }

    // MARK: Hashtags

    @Test func hashtagIsLinkedKeepingCase() {
        let result = format("I like #Swift.")
        let expected =
            "<p>I like <a href=\"https://tern.example/tags/swift\" class=\"mention hashtag\" rel=\"tag\">"
            + "#<span>Swift</span></a>.</p>"
        #expect(result.html == expected)
        #expect(result.hashtags == ["swift"])
    }

    @Test func unicodeHashtags() {
        let result = format("#Café #日本語 #مرحبا")
        #expect(result.html == "<p>\(hashtag("Café")) \(hashtag("日本語")) \(hashtag("مرحبا"))</p>")
        #expect(result.hashtags == ["café", "日本語", "مرحبا"])
    }

    @Test func hashtagInURLIsNotAHashtag() {
        let result = format("https://example.com/page#section")
        #expect(result.hashtags.isEmpty)
        let expected = link("https://example.com/page#section", display: "example.com/page#section")
        #expect(result.html == "<p>\(expected)</p>")
    }

    @Test func numericHashtagIsNotAHashtag() {
        let result = format("#123 #_1 #1_1 #2024Recap")
        #expect(result.hashtags == ["1_1", "2024recap"])
        #expect(result.html == "<p>#123 #_1 \(hashtag("1_1")) \(hashtag("2024Recap"))</p>")
    }

    @Test func htmlLookingTextAroundHashtagsIsEscaped() {
        let result = format("#<b>bold</b> #tag<i>")
        #expect(result.html == "<p>#&lt;b&gt;bold&lt;/b&gt; \(hashtag("tag"))&lt;i&gt;</p>")
        #expect(result.hashtags == ["tag"])
    }

    @Test func hashtagAfterWordAmpersandOrSlashIsNotAHashtag() {
        #expect(format("R&#D a#b x/#y").hashtags.isEmpty)
        #expect(format("(#ok) ##double").hashtags == ["ok", "double"])
    }

    @Test func hashtagsAreDeduplicatedCaseInsensitively() {
        #expect(format("#Tag #tag #TAG #other").hashtags == ["tag", "other"])
    }

    // MARK: Counting

    @Test func countPlainTextInGraphemes() {
        #expect(TextFormatter.countCharacters("hello") == 5)
        #expect(TextFormatter.countCharacters("👩‍👩‍👧 e\u{301}") == 3)
        #expect(TextFormatter.countCharacters("") == 0)
    }

    @Test func countURLsAsTwentyThree() {
        let long = "https://example.com/" + String(repeating: "a", count: 200)
        #expect(TextFormatter.countCharacters(long) == 23)
        #expect(TextFormatter.countCharacters("see https://a.co.") == 4 + 23 + 1)
    }

    @Test func countRemoteMentionsWithoutDomain() {
        #expect(TextFormatter.countCharacters("@bob@remote.example hi") == 4 + 3)
        #expect(TextFormatter.countCharacters("@alice") == 6)
        #expect(TextFormatter.countCharacters("alice@example.com") == 17)
    }

    // MARK: Inline mode

    @Test func inlineModeHasNoParagraphsAndJoinsLines() {
        let result = formatInline("  see https://example.com\n\nby @alice\n#tag  ")
        let expected = "see \(link("https://example.com", display: "example.com")) by \(aliceHTML) \(hashtag("tag"))"
        #expect(result.html == expected)
        #expect(result.links == ["https://example.com"])
        #expect(result.hashtags == ["tag"])
    }

    @Test func inlineModeEscapes() {
        #expect(formatInline("<b>x</b>").html == "&lt;b&gt;x&lt;/b&gt;")
    }

    // MARK: Scanning

    @Test func scanFindsEntitiesInOrder() {
        let scanned = TextFormatter.scan("@alice #One https://x.example/@bob @bob@remote.example #two #one")
        #expect(
            scanned.mentions == [
                MentionToken(username: "alice", domain: nil),
                MentionToken(username: "bob", domain: "remote.example"),
            ]
        )
        #expect(scanned.hashtags == ["one", "two"])
        #expect(scanned.links == ["https://x.example/@bob"])
    }

    @Test func scanAgreesWithFormat() {
        let text = "Hi @alice, @carol@c.example! #A #b https://e.example/x?y=(1) #a email@x.example"
        let scanned = TextFormatter.scan(text)
        let formatted = format(text)
        #expect(scanned.mentions == formatted.mentions)
        #expect(scanned.hashtags == formatted.hashtags)
        #expect(scanned.links == formatted.links)
    }

    // MARK: Robustness

    @Test func emojiAndCombiningMarks() {
        let result = format("👋🏽 héllo #tag😀 e\u{301}")
        #expect(result.html == "<p>👋🏽 héllo \(hashtag("tag"))😀 e\u{301}</p>")
    }

    @Test func rightToLeftText() {
        let result = format("שלום @alice עולם #שלום")
        #expect(result.html == "<p>שלום \(aliceHTML) עולם \(hashtag("שלום"))</p>")
    }

    @Test func nulCharactersAreReplacedAndSeparateEntities() {
        let result = format("a\u{0}b #t\u{0}ag https://example.com\u{0}x")
        #expect(!result.html.contains("\u{0}"))
        let linked = link("https://example.com", display: "example.com")
        #expect(result.html == "<p>a\u{FFFD}b \(hashtag("t"))\u{FFFD}ag \(linked)\u{FFFD}x</p>")
        #expect(TextFormatter.escape("\u{0}") == "\u{FFFD}")
    }

    @Test func largeInputFinishesQuickly() {
        let line = "Hello @alice and @bob@remote.example, see https://example.com/a_(b) #tag & <b> 👋\n"
        let text = String(repeating: line, count: 100_000 / line.utf8.count + 1)
        #expect(text.utf8.count >= 100_000)
        let clock = ContinuousClock()
        var result = FormattedText(html: "", mentions: [], hashtags: [], links: [])
        let elapsed = clock.measure {
            result = format(text)
            _ = TextFormatter.countCharacters(text)
        }
        #expect(elapsed < .seconds(10))
        #expect(result.mentions.count == 2)
        #expect(result.hashtags == ["tag"])
        #expect(result.html.hasPrefix("<p>Hello \(aliceHTML)"))
    }

    @Test(arguments: [
        "open parens", "closing parens after URL", "dots after scheme", "at signs", "hash digits", "http repeated",
        "broken remote mentions", "NUL with combining marks",
    ])
    func pathologicalInputsFinishQuickly(_ kind: String) {
        let inputs: [String: String] = [
            "open parens": String(repeating: "(", count: 100_000),
            "closing parens after URL": "https://example.com/" + String(repeating: ")", count: 100_000),
            "dots after scheme": "https://" + String(repeating: ".", count: 100_000),
            "at signs": String(repeating: "@a", count: 50_000),
            "hash digits": String(repeating: "#1", count: 50_000),
            "http repeated": String(repeating: "http", count: 25_000),
            "broken remote mentions": String(repeating: "@a@b.", count: 20_000),
            "NUL with combining marks": String(repeating: "\u{0}\u{301}", count: 20_000),
        ]
        let text = inputs[kind] ?? ""
        #expect(!text.isEmpty)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            _ = format(text)
            _ = formatInline(text)
            _ = TextFormatter.scan(text)
            _ = TextFormatter.countCharacters(text)
        }
        #expect(elapsed < .seconds(10))
    }
}
