import Foundation
import Testing

@testable import HTMLSanitizer

/// Hostile inputs with the exact sanitised output expected for each.
private let hostileVectors: [(input: String, expected: String)] = [
    ("<script>alert(1)</script>hello", "hello"),
    ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>ok", "ok"),
    ("<scr<script>ipt>alert(1)</script>", "ipt&gt;alert(1)"),
    ("<p onclick=\"alert(1)\">hi</p>", "<p>hi</p>"),
    ("<img src=x onerror=alert(1)>", ""),
    ("<body onload=alert(1)>text", "text"),
    ("<svg onload=alert(1)><script>alert(1)</script></svg>after", "after"),
    ("<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>", ""),
    ("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", ""),
    ("<math href=\"javascript:alert(1)\">click</math>", ""),
    ("<a href=\"javascript:alert(1)\">x</a>", "<a rel=\"nofollow noopener\" target=\"_blank\">x</a>"),
    ("<a href=\"JAVASCRIPT:alert(1)\">x</a>", "<a rel=\"nofollow noopener\" target=\"_blank\">x</a>"),
    ("<a href=\" javascript:alert(1)\">x</a>", "<a rel=\"nofollow noopener\" target=\"_blank\">x</a>"),
    ("<a href=\"jav&#x09;ascript:alert(1)\">x</a>", "<a rel=\"nofollow noopener\" target=\"_blank\">x</a>"),
    ("<a href=\"jav&#x0A;ascript:alert(1)\">x</a>", "<a rel=\"nofollow noopener\" target=\"_blank\">x</a>"),
    ("<a href=\"jav\tascript:alert(1)\">x</a>", "<a rel=\"nofollow noopener\" target=\"_blank\">x</a>"),
    ("<a href=\"&#106;avascript:alert(1)\">x</a>", "<a rel=\"nofollow noopener\" target=\"_blank\">x</a>"),
    (
        "<a href=\"&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)\">x</a>",
        "<a rel=\"nofollow noopener\" target=\"_blank\">x</a>"
    ),
    (
        "<a href=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)\">x</a>",
        "<a rel=\"nofollow noopener\" target=\"_blank\">x</a>"
    ),
    ("<a href=\"javascript&colon;alert(1)\">x</a>", "<a rel=\"nofollow noopener\" target=\"_blank\">x</a>"),
    ("<a href=\"&#1;javascript:alert(1)\">x</a>", "<a rel=\"nofollow noopener\" target=\"_blank\">x</a>"),
    ("<a href=\"vbscript:msgbox(1)\">x</a>", "<a rel=\"nofollow noopener\" target=\"_blank\">x</a>"),
    ("<a href=\"VBScript:msgbox(1)\">x</a>", "<a rel=\"nofollow noopener\" target=\"_blank\">x</a>"),
    (
        "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
        "<a rel=\"nofollow noopener\" target=\"_blank\">x</a>"
    ),
    (
        "<a href=\"DATA:text/html,<script>alert(1)</script>\">x</a>",
        "<a rel=\"nofollow noopener\" target=\"_blank\">x</a>"
    ),
    ("<a href=\"file:///etc/passwd\">x</a>", "<a rel=\"nofollow noopener\" target=\"_blank\">x</a>"),
    ("<a href=\"//evil.example/\">x</a>", "<a rel=\"nofollow noopener\" target=\"_blank\">x</a>"),
    ("<a href=\"/relative\">x</a>", "<a rel=\"nofollow noopener\" target=\"_blank\">x</a>"),
    ("<a href=\"java\0script:alert(1)\">x</a>", "<a rel=\"nofollow noopener\" target=\"_blank\">x</a>"),
    (
        "<a href=\"javascript:alert(1)\" href=\"https://ok.example/\">x</a>",
        "<a rel=\"nofollow noopener\" target=\"_blank\">x</a>"
    ),
    ("<iframe src=\"javascript:alert(1)\"></iframe>after", "after"),
    ("<object data=\"data:text/html,x\"><param name=x value=y>fallback</object>", ""),
    ("<embed src=\"data:image/svg+xml,x\">", ""),
    ("<style>body{background:url(javascript:alert(1))}</style>text", "text"),
    ("<p style=\"background:url(javascript:alert(1))\">styled</p>", "<p>styled</p>"),
    ("<span style=\"color:red\" class=\"mention evil\">s</span>", "<span class=\"mention\">s</span>"),
    ("<div style=\"width: expression(alert(1))\">x</div>", "x"),
    ("<p>unclosed <b>bold <i>both", "<p>unclosed <b>bold <i>both</i></b></p>"),
    ("<b><i>mis</b>nested</i>", "<b><i>mis</i></b><i>nested</i>"),
    ("<p>a<p>b<p>c", "<p>a</p><p>b</p><p>c</p>"),
    (
        "<a href=\"https://a.example/\">one <a href=\"https://b.example/\">two</a></a>",
        "<a href=\"https://a.example/\" rel=\"nofollow noopener\" target=\"_blank\">one </a><a href=\"https://b.example/\" rel=\"nofollow noopener\" target=\"_blank\">two</a>"
    ),
    (
        "<a href=\"https://a.example/\"><div><a href=\"https://b.example/\">inner</a></div></a>",
        "<a href=\"https://a.example/\" rel=\"nofollow noopener\" target=\"_blank\"></a><a href=\"https://a.example/\" rel=\"nofollow noopener\" target=\"_blank\"></a><a href=\"https://b.example/\" rel=\"nofollow noopener\" target=\"_blank\">inner</a>"
    ),
    ("<p title=\"a&quot; onmouseover=&quot;alert(1)\">q</p>", "<p>q</p>"),
    (
        "<a href=\"https://x.example/&quot;onmouseover=&quot;alert(1)\">q</a>",
        "<a href=\"https://x.example/&quot;onmouseover=&quot;alert(1)\" rel=\"nofollow noopener\" target=\"_blank\">q</a>"
    ),
    (
        "<a href='https://x.example/' onmouseover='alert(1)'>q</a>",
        "<a href=\"https://x.example/\" rel=\"nofollow noopener\" target=\"_blank\">q</a>"
    ),
    (
        "<a href=https://x.example/ onmouseover=alert(1)>q</a>",
        "<a href=\"https://x.example/\" rel=\"nofollow noopener\" target=\"_blank\">q</a>"
    ),
    ("<a \"\"\" onmouseover=alert(1)>q</a>", "<a rel=\"nofollow noopener\" target=\"_blank\">q</a>"),
    ("<!-- <script>alert(1)</script> -->visible", "visible"),
    ("<!--[if IE]><script>alert(1)</script><![endif]-->visible", "visible"),
    ("<![CDATA[<script>alert(1)</script>]]>cdata", "alert(1)]]&gt;cdata"),
    ("<!--><script>alert(1)</script>-->", "--&gt;"),
    ("<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">", ""),
    ("<noembed><img title=\"</noembed><img src=x onerror=alert(1)>\"></noembed>", "&quot;&gt;"),
    ("<textarea><script>alert(1)</script></textarea>t", "t"),
    ("<title><script>alert(1)</script></title>t", "t"),
    ("<template><script>alert(1)</script></template>t", "t"),
    ("<xmp><img src=x onerror=alert(1)></xmp>", "&lt;img src=x onerror=alert(1)&gt;"),
    ("<plaintext><img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
    ("<listing>&lt;img src=x onerror=alert(1)&gt;</listing>", "&lt;img src=x onerror=alert(1)&gt;"),
    ("<form><button formaction=\"javascript:alert(1)\">b</button></form>", "b"),
    ("<input onfocus=alert(1) autofocus>", ""),
    ("<details open ontoggle=alert(1)>d</details>", "d"),
    ("<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">m", "m"),
    ("<base href=\"javascript:alert(1)//\">b", "b"),
    ("<link rel=stylesheet href=\"https://evil.example/x.css\">l", "l"),
    ("<table><tr><td>cell</td></tr></table>", "cell"),
    ("<p><table><td><p>x</p></td></table></p>", "<p></p><p>x</p><p></p>"),
    ("<ul><li><table><td><li>nested</li></td></table></li></ul>", "<ul><li>nested</li></ul>"),
    ("<ruby>k<rt><table><td><rt>r</rt></td></table></rt></ruby>", "<ruby>k<rt>r</rt></ruby>"),
    ("<pre>\n\ntwo newlines</pre>", "<pre>\n\ntwo newlines</pre>"),
    ("<pre><i>\nx</i></pre>", "<pre><i>\nx</i></pre>"),
    ("a\0b\0<p\0>c", "abc"),
    ("<p>caf\u{E9} \u{1F600} \u{FFFD} \u{202E}rtl</p>", "<p>caf\u{E9} \u{1F600} \u{FFFD} \u{202E}rtl</p>"),
    (
        "<a href=\"https://x.example/\" class=\"u-url mention evil h-card\" rel=\"me\" target=\"_top\" translate=\"no\">m</a>",
        "<a href=\"https://x.example/\" class=\"u-url mention h-card\" translate=\"no\" rel=\"nofollow noopener\" target=\"_blank\">m</a>"
    ),
    (
        "<ol start=\"3\" reversed type=\"a\"><li value=\"7\" class=\"x\">seven</li></ol>",
        "<ol start=\"3\" reversed=\"\"><li value=\"7\">seven</li></ol>"
    ),
    ("<ol start=\"abc\"><li value=\"9999999999999\">x</li></ol>", "<ol><li>x</li></ol>"),
    ("<span class=\"invisible ellipsis invisible\">dup</span>", "<span class=\"invisible ellipsis\">dup</span>"),
    (
        "<a href=\"gemini://g.example/\">g</a> <a href=\"ipfs://cid\">i</a> <a href=\"magnet:?xt=urn:btih:x\">m</a>",
        "<a href=\"gemini://g.example/\" rel=\"nofollow noopener\" target=\"_blank\">g</a> <a href=\"ipfs://cid\" rel=\"nofollow noopener\" target=\"_blank\">i</a> <a href=\"magnet:?xt=urn:btih:x\" rel=\"nofollow noopener\" target=\"_blank\">m</a>"
    ),
    (
        "<a href=\"https://ok.example/ path \">sp</a>",
        "<a href=\"https://ok.example/%20path\" rel=\"nofollow noopener\" target=\"_blank\">sp</a>"
    ),
    ("<<script>alert(1);//<</script>", "&lt;"),
    ("<img \"\"\"><script>alert(1)</script>\">", "&quot;&gt;"),
    (
        "<a href=\"https://ok.example/\">&lt;script&gt;alert(1)&lt;/script&gt;</a>",
        "<a href=\"https://ok.example/\" rel=\"nofollow noopener\" target=\"_blank\">&lt;script&gt;alert(1)&lt;/script&gt;</a>"
    ),
    ("'\"><svg/onload=alert(1)>", "&#39;&quot;&gt;"),
    ("<sCrIpT>alert(1)</sCrIpT><ScRiPt/XSS SRC=\"http://evil.example/x.js\"></ScRiPt>", ""),
    ("<div><p>in div</p></div>", "<p>in div</p>"),
    ("<frameset><frame src=\"javascript:alert(1)\"></frameset>x", "x"),
    ("<blockquote cite=\"javascript:alert(1)\"><p>q</p></blockquote>", "<blockquote><p>q</p></blockquote>"),
    (
        "<a href=\"https://ok.example/\"><span class=\"h-card\">x</span><p>block in a</p></a>",
        "<a href=\"https://ok.example/\" rel=\"nofollow noopener\" target=\"_blank\"><span class=\"h-card\">x</span><p>block in a</p></a>"
    ),
]

/// Elements and attributes the sanitiser may emit; used to scan every output for anything else.
private let emittable: [String: Set<String>] = [
    "p": [], "br": [], "span": ["class", "translate"], "a": ["href", "class", "translate", "rel", "target"],
    "del": [], "s": [], "pre": [], "blockquote": [], "code": [], "b": [], "strong": [], "u": [], "i": [], "em": [],
    "ul": [], "ol": ["start", "reversed"], "li": ["value"], "ruby": [], "rt": [], "rp": [],
]

/// Checks the safety properties every sanitised output must have, and that sanitising it again changes nothing.
private func expectSafeAndStable(_ output: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let lowered = output.lowercased()
    #expect(!lowered.contains("<script"), sourceLocation: sourceLocation)
    #expect(!lowered.contains("javascript:"), sourceLocation: sourceLocation)
    #expect(!lowered.contains("vbscript:"), sourceLocation: sourceLocation)
    #expect(!lowered.contains("data:"), sourceLocation: sourceLocation)
    for problem in tagProblems(output) {
        Issue.record("\(problem) in \(output.debugDescription)", sourceLocation: sourceLocation)
    }
    #expect(HTMLSanitizer.sanitize(output) == output, sourceLocation: sourceLocation)
}

/// Scans every tag in `output` (text cannot contain a raw `<`, so each one starts a tag) and lists disallowed
/// elements, attributes (such as `on…=` handlers) and malformed tags.
private func tagProblems(_ output: String) -> [String] {
    var problems: [String] = []
    var rest = Substring(output)
    while let open = rest.firstIndex(of: "<") {
        guard let close = rest[open...].firstIndex(of: ">") else {
            problems.append("unterminated tag")
            break
        }
        var tag = rest[rest.index(after: open)..<close]
        rest = rest[rest.index(after: close)...]
        if tag.hasPrefix("/") {
            tag = tag.dropFirst()
        }
        let name = String(tag.prefix { $0 != " " })
        guard let allowed = emittable[name] else {
            problems.append("element <\(name)>")
            continue
        }
        var attributes = tag.dropFirst(name.count)
        while !attributes.isEmpty {
            guard attributes.hasPrefix(" "), let equals = attributes.firstIndex(of: "=") else {
                problems.append("malformed attributes \(attributes)")
                break
            }
            let attribute = String(attributes[attributes.index(after: attributes.startIndex)..<equals])
            if !allowed.contains(attribute) || attribute.lowercased().hasPrefix("on") {
                problems.append("attribute \(attribute) on <\(name)>")
            }
            let valueStart = attributes.index(after: equals)
            guard attributes[valueStart...].hasPrefix("\""),
                let valueEnd = attributes[attributes.index(after: valueStart)...].firstIndex(of: "\"")
            else {
                problems.append("unquoted value in <\(name)>")
                break
            }
            let value = attributes[attributes.index(after: valueStart)..<valueEnd].lowercased()
            if value.contains("javascript:") || value.contains("vbscript:") || value.contains("data:") {
                problems.append("script URL in <\(name)>")
            }
            attributes = attributes[attributes.index(after: valueEnd)...]
        }
    }
    return problems
}

/// Hostile vectors: exact outputs, safety and stability.
@Suite struct HostileHTMLTests {
    @Test func vectorCount() {
        #expect(hostileVectors.count >= 60)
    }

    @Test(arguments: hostileVectors.indices)
    func hostileVector(_ index: Int) {
        let (input, expected) = hostileVectors[index]
        let output = HTMLSanitizer.sanitize(input)
        #expect(output == expected, "input: \(input.debugDescription)")
        expectSafeAndStable(output)
    }

    @Test func emptyAndTrivialInputs() {
        #expect(HTMLSanitizer.sanitize("") == "")
        #expect(HTMLSanitizer.sanitize("<") == "&lt;")
        #expect(HTMLSanitizer.sanitize("a & b < c > d \" e ' f") == "a &amp; b &lt; c &gt; d &quot; e &#39; f")
        #expect(HTMLSanitizer.sanitize("&amp;&lt;&#0;&#xD800;&bogus;") == "&amp;&lt;\u{FFFD}\u{FFFD}&amp;bogus;")
        #expect(HTMLSanitizer.sanitize("\0\0\0") == "")
        #expect(HTMLSanitizer.sanitize("<a href=\"https://x.example/\"") == "")
        for input in ["", "<", "\0", "&", "</p>", "<!--", "<![CDATA[", "<!DOCTYPE html>", "<p"] {
            expectSafeAndStable(HTMLSanitizer.sanitize(input))
        }
    }

    @Test func foreignContentThatAbortsGumboIsHarmless() {
        // gumbo 0.10.1 fails an assertion (and aborts) on this shape unless foreign content is kept from it.
        #expect(HTMLSanitizer.sanitize("<table><svg><select><title><select><tr>") == "")
        #expect(HTMLSanitizer.sanitize("<TABLE><SVG/><select><title><select><tr>x") == "")
        #expect(HTMLSanitizer.sanitize("<math><mi><table><select><tr>m</math>after") == "after")
        #expect(HTMLSanitizer.sanitize("<svgx>kept</svgx>") == "kept")
    }

    @Test func invalidUTF8IsRepaired() {
        let input = String(decoding: [0x3C, 0x70, 0x3E, 0xFF, 0xFE, 0xC3, 0x3C, 0x2F, 0x70, 0x3E, 0xC3], as: UTF8.self)
        let output = HTMLSanitizer.sanitize(input)
        #expect(output == "<p>\u{FFFD}\u{FFFD}\u{FFFD}</p>\u{FFFD}")
        expectSafeAndStable(output)
    }

    @Test func hugeInputIsCapped() {
        let text = String(repeating: "a", count: 1_000_000)
        #expect(HTMLSanitizer.sanitize(text).utf8.count == HTMLSanitizer.maxOutputBytes)

        let accents = String(repeating: "\u{E9}", count: 400_000)  // two bytes each: the cap falls mid-character
        let cappedAccents = HTMLSanitizer.sanitize("x" + accents)
        #expect(cappedAccents.utf8.count <= HTMLSanitizer.maxOutputBytes)
        #expect(!cappedAccents.contains("\u{FFFD}"))
        expectSafeAndStable(cappedAccents)

        let escapes = HTMLSanitizer.sanitize(String(repeating: "<\"", count: 300_000))
        #expect(escapes.utf8.count <= HTMLSanitizer.maxOutputBytes)
        #expect(escapes.hasPrefix("&lt;&quot;&lt;&quot;"))
        expectSafeAndStable(escapes)

        let pre = HTMLSanitizer.sanitize("<pre>\n\n" + String(repeating: "&", count: 200_000) + "</pre>")
        #expect(pre.hasPrefix("<pre>\n\n&amp;"))
        #expect(pre.hasSuffix("&amp;</pre>"))
        expectSafeAndStable(pre)

        let paragraphs = HTMLSanitizer.sanitize(String(repeating: "<p>a<script>alert(1)</script></p>", count: 50_000))
        #expect(paragraphs.hasPrefix("<p>a</p><p>a</p>"))
        expectSafeAndStable(paragraphs)
    }

    @Test func deepNestingIsFlattened() {
        let spans = HTMLSanitizer.sanitize(String(repeating: "<span>", count: 5_000) + "deep")
        #expect(spans.components(separatedBy: "<span>").count - 1 == HTMLSanitizer.maxDepth)
        #expect(spans.contains("deep"))
        expectSafeAndStable(spans)

        let unknownThenKept = String(repeating: "<div>", count: 300) + "<b>bold</b>"
        #expect(HTMLSanitizer.sanitize(unknownThenKept) == "<b>bold</b>")
    }

    @Test(arguments: ["<div>", "<b>", "<a href=\"https://x.example/\">", "<table>", "<p><button>", "<li>", "<svg>"])
    func pathologicalRepetitionTerminates(_ tag: String) {
        let output = HTMLSanitizer.sanitize(String(repeating: tag + "x", count: 40_000))
        expectSafeAndStable(output)
    }

    @Test func manyStartTagsAreCut() {
        let input = String(repeating: "<i>x</i>", count: HTMLSanitizer.maxStartTags + 10)
        let output = HTMLSanitizer.sanitize(input)
        #expect(output == String(repeating: "<i>x</i>", count: HTMLSanitizer.maxStartTags))
        expectSafeAndStable(output)
    }

    @Test func randomTagSoupIsSafeAndStable() {
        let pieces = [
            "<p>", "</p>", "<a href=\"https://x.example/\">", "</a>", "<b>", "</b>", "<i>", "</i>", "<li>", "</li>",
            "<ul>", "</ul>", "<ol start=2>", "<pre>", "</pre>", "\n", "<ruby>", "<rt>", "<rp>", "</rt>", "<table>",
            "<td>", "<tr>", "</table>", "<button>", "<div>", "</div>", "<blockquote>", "<br>", "<span class=mention>",
            "</span>", "<code>", "<svg>", "<math>", "<script>", "</script>", "<style>", "<!--", "-->", "<template>",
            "</template>", "<noscript>", "</noscript>", "<select>", "<option>", "<xmp>", "<textarea>", "<title>",
            "<a href=javascript:alert(1)>", "<img src=x onerror=alert(1)>", "text", " ", "&amp;", "&lt;", "\"", "'",
            "<", ">", "<frameset>", "<object>", "<marquee>", "<applet>", "<caption>", "<plaintext>", "<s>", "<u>",
            "<em>", "<strong>", "<del>", "</ruby>", "<h1>", "<dd>", "<dt>", "<nobr>", "<font>", "<form>", "<html>",
        ]
        var generator = SplitMix64(seed: 0x5EED)
        for _ in 0..<20_000 {
            var input = ""
            for _ in 0..<Int(generator.next() % 40) {
                input += pieces[Int(generator.next() % UInt64(pieces.count))]
            }
            // Raw-text elements (`xmp`, `plaintext`) turn markup into text, so only tags are checked here.
            let output = HTMLSanitizer.sanitize(input)
            #expect(!output.lowercased().contains("<script"))
            #expect(tagProblems(output).isEmpty, "output: \(output.debugDescription)")
            #expect(HTMLSanitizer.sanitize(output) == output, "input: \(input.debugDescription)")
        }
    }

    @Test func everyPrefixOfAHostileDocumentIsSafe() {
        let document = hostileVectors.map(\.input).joined(separator: "\n")
        var end = document.startIndex
        while end < document.endIndex {
            expectSafeAndStable(HTMLSanitizer.sanitize(String(document[..<end])))
            end = document.index(end, offsetBy: 97, limitedBy: document.endIndex) ?? document.endIndex
        }
        expectSafeAndStable(HTMLSanitizer.sanitize(document))
    }
}

/// Mastodon's own status HTML passes through unchanged, apart from the enforced `rel`/`target` on links.
@Suite struct MastodonHTMLTests {
    /// The `rel` and `target` every kept link ends with.
    let enforced = " rel=\"nofollow noopener\" target=\"_blank\""

    @Test func mentionSurvives() {
        let input =
            "<p><span class=\"h-card\" translate=\"no\"><a href=\"https://mastodon.social/@Gargron\" "
            + "class=\"u-url mention\">@<span>Gargron</span></a></span> hello</p>"
        let expected =
            "<p><span class=\"h-card\" translate=\"no\"><a href=\"https://mastodon.social/@Gargron\" "
            + "class=\"u-url mention\"\(self.enforced)>@<span>Gargron</span></a></span> hello</p>"
        #expect(HTMLSanitizer.sanitize(input) == expected)
        expectSafeAndStable(expected)
    }

    @Test func hashtagSurvives() {
        let input =
            "<p>Tagged <a href=\"https://mastodon.social/tags/swift\" class=\"mention hashtag\" rel=\"tag\">"
            + "#<span>swift</span></a></p>"
        let expected =
            "<p>Tagged <a href=\"https://mastodon.social/tags/swift\" class=\"mention hashtag\"\(self.enforced)>"
            + "#<span>swift</span></a></p>"
        #expect(HTMLSanitizer.sanitize(input) == expected)
    }

    @Test func shortenedLinkSurvives() {
        let input =
            "<p><a href=\"https://example.com/some/very/long/path?q=1&amp;r=2\" target=\"_blank\" "
            + "rel=\"nofollow noopener noreferrer\" translate=\"no\"><span class=\"invisible\">https://</span>"
            + "<span class=\"ellipsis\">example.com/some/very/lo</span><span class=\"invisible\">ng/path?q=1&amp;r=2"
            + "</span></a></p>"
        let expected =
            "<p><a href=\"https://example.com/some/very/long/path?q=1&amp;r=2\" translate=\"no\"\(self.enforced)>"
            + "<span class=\"invisible\">https://</span><span class=\"ellipsis\">example.com/some/very/lo</span>"
            + "<span class=\"invisible\">ng/path?q=1&amp;r=2</span></a></p>"
        #expect(HTMLSanitizer.sanitize(input) == expected)
        expectSafeAndStable(expected)
    }

    @Test func fullStatusSurvives() {
        let input =
            "<p>It&#39;s &quot;here&quot; &amp; now:<br>line two</p><p><span class=\"quote-inline\">RE: "
            + "<a href=\"https://example.social/@a/1\">link</a></span></p><blockquote><p><del>old</del> "
            + "<s>x</s> <b>b</b> <strong>s</strong> <i>i</i> <em>e</em> <u>u</u> <code>c</code></p></blockquote>"
            + "<pre><code>let x = 1 &lt; 2\n</code></pre><ul><li>one</li></ul><ol start=\"2\" reversed=\"\">"
            + "<li value=\"5\">five</li></ol><p><ruby>\u{6F22}<rp>(</rp><rt>kan</rt><rp>)</rp></ruby></p>"
        let expected = input.replacingOccurrences(of: "\">link", with: "\"\(self.enforced)>link")
        #expect(HTMLSanitizer.sanitize(input) == expected)
        expectSafeAndStable(expected)
    }

    @Test func selfClosingBreakIsNormalised() {
        #expect(HTMLSanitizer.sanitize("<p>a<br />b<br/>c</p>") == "<p>a<br>b<br>c</p>")
    }

    @Test(arguments: [
        "http://x.example/", "https://x.example/", "dat://x", "dweb:/ipfs/x", "ipfs://x", "ipns://x", "ssb://x",
        "gopher://x.example/", "xmpp:a@x.example", "magnet:?xt=urn:btih:x", "gemini://x.example/", "HTTPS://X.EXAMPLE/",
    ])
    func allowedSchemesAreKept(_ href: String) {
        #expect(
            HTMLSanitizer.sanitize("<a href=\"\(href)\">l</a>") == "<a href=\"\(href)\"\(self.enforced)>l</a>"
        )
    }

    @Test(arguments: [
        "javascript:alert(1)", " JAVASCRIPT:alert(1)", "jav&#x09;ascript:alert(1)", "java\nscript:alert(1)",
        "\u{1}javascript:alert(1)", "vbscript:x", "data:text/html,x", "file:///etc/passwd", "mailto:a@x.example",
        "relative/path", "/absolute/path", "//host.example/", "#fragment", "?query", "",
        "jav\u{200B}ascript:alert(1)", "javascript\u{FF1A}alert(1)",
    ])
    func refusedHrefsAreRemoved(_ href: String) {
        let output = HTMLSanitizer.sanitize("<a href=\"\(href)\">l</a>")
        #expect(output == "<a\(self.enforced)>l</a>")
        expectSafeAndStable(output)
    }
}

/// A small deterministic pseudo-random generator, so the tag-soup test is reproducible.
private struct SplitMix64 {
    /// Current state.
    var state: UInt64

    /// Creates a generator from a seed.
    init(seed: UInt64) {
        self.state = seed
    }

    /// The next pseudo-random value.
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var value = self.state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
