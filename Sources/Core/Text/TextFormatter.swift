import Foundation

/// A mention as typed: `@user` (local) or `@user@domain`.
package struct MentionToken: Sendable, Hashable {
    /// The username as typed, without the leading `@`.
    package let username: String
    /// The lowercased domain (with `:port` when one was typed), or `nil` for a local mention.
    package let domain: String?

    /// Creates a token from its parts.
    package init(username: String, domain: String?) {
        self.username = username
        self.domain = domain
    }

    /// `user` or `user@domain`, the form used for account look-ups.
    package var acct: String {
        guard let domain = self.domain else { return self.username }
        return "\(self.username)@\(domain)"
    }
}

/// What the formatter needs to know about a mention that resolved to an account.
package struct ResolvedMention: Sendable, Hashable {
    /// The account's profile URL, used as the link target.
    package let url: String
    /// The account's username without domain, shown as the link text.
    package let username: String

    /// Creates a resolved mention.
    package init(url: String, username: String) {
        self.url = url
        self.username = username
    }
}

/// The result of formatting.
package struct FormattedText: Sendable, Equatable {
    /// The rendered HTML (empty when the text is blank).
    package let html: String
    /// Every mention found, resolved or not, deduplicated case-insensitively, in order of appearance.
    package let mentions: [MentionToken]
    /// Hashtag names, lowercased, deduplicated, in order of appearance.
    package let hashtags: [String]
    /// Linked URLs exactly as typed, deduplicated, in order of appearance.
    package let links: [String]

    /// Creates a result from its parts.
    package init(html: String, mentions: [MentionToken], hashtags: [String], links: [String]) {
        self.html = html
        self.mentions = mentions
        self.hashtags = hashtags
        self.links = links
    }
}

/// Renders plain text typed by a local user into Mastodon-style HTML and extracts its entities.
///
/// The text is tokenised by a hand-written, single-pass scanner over grapheme clusters (no regular
/// expressions), so the running time is linear in the length of the input.
///
/// Recognised entities:
/// - URLs: `http://` or `https://` (scheme case-insensitive) followed by a host, an optional `:port` and
///   an optional path/query/fragment that runs until whitespace, a control or bidi-control character,
///   `<`, `>` or `"`. Trailing `.,:;!?'*~` (and their full-width forms) and unbalanced closing `)`, `]`,
///   `}` are not part of the URL. A URL must not directly follow a word character or `@ $ #`.
///   Links without a scheme (`www.example.com`) are not linked.
/// - Mentions: `@user` or `@user@domain[:port]`, not directly after a word character, `/` or `=`.
///   Usernames are `[A-Za-z0-9_]` with inner `.`/`-`; domains are ASCII labels with at least one dot,
///   or `localhost`. A candidate directly followed by a word character, or with an invalid domain after
///   the second `@`, is not a mention at all.
/// - Hashtags: `#` followed by word characters (Unicode letters, marks, decimal digits, `_`, with inner
///   `·`/`・` separators), not directly after a word character, `&`, `/` or `)`. As in Mastodon, the
///   name must contain a letter, or have `_`/`·`/`・` strictly inside it, so `#123` and `#_1` are not
///   hashtags.
package enum TextFormatter {
    /// Characters a URL counts for in ``countCharacters(_:)``, whatever its real length.
    package static let urlCharacterCount = 23
    /// Unicode scalars of a link's display text shown before the rest is hidden behind an ellipsis.
    package static let urlDisplayLength = 30

    /// Multi-paragraph text (statuses, bios): `<p>` per paragraph (split on blank lines), `<br />` for single newlines.
    ///
    /// `\r\n` and lone `\r` become `\n` and the whole text is trimmed of whitespace first. Two or more
    /// consecutive newlines start a new paragraph; a single newline becomes `<br />`. A line that only
    /// holds spaces does not count as blank (as in Mastodon). Blank text gives an empty `html`.
    /// `mention` is called once per distinct spelling of a mention. `hashtagURL` receives the lowercased name
    /// and must return a ready URL (percent-encoding is its job; the formatter only HTML-escapes it).
    package static func format(
        _ text: String,
        mention: (MentionToken) -> ResolvedMention?,
        hashtagURL: (String) -> String
    ) -> FormattedText {
        self.render(text, multiline: true, mention: mention, hashtagURL: hashtagURL)
    }

    /// One-line text (profile field values): no `<p>`, each run of newlines becomes one space; links,
    /// mentions and hashtags are still linked.
    ///
    /// The text is trimmed of whitespace first; blank text gives an empty `html`.
    package static func formatInline(
        _ text: String,
        mention: (MentionToken) -> ResolvedMention?,
        hashtagURL: (String) -> String
    ) -> FormattedText {
        self.render(text, multiline: false, mention: mention, hashtagURL: hashtagURL)
    }

    /// Mentions, hashtags and URLs in order of appearance, without rendering (used before resolving mentions).
    ///
    /// The lists are deduplicated exactly as in ``FormattedText`` and always equal the ones
    /// ``format(_:mention:hashtagURL:)`` reports for the same text.
    package static func scan(_ text: String) -> (mentions: [MentionToken], hashtags: [String], links: [String]) {
        let characters = self.normalizedCharacters(text)
        var collector = EntityCollector()
        for segment in TextScanner(characters: characters).segments() {
            collector.add(segment)
        }
        return (collector.mentions, collector.hashtags, collector.links)
    }

    /// Characters counted against the post limit, as Mastodon counts them.
    ///
    /// Every URL counts as ``urlCharacterCount`` characters and `@user@domain` counts as `@user`, whether
    /// or not the mention resolves; everything else counts in grapheme clusters (Swift `Character`s),
    /// which is what Mastodon's validator counts too (so an emoji with modifiers counts as 1). The text
    /// is counted as given, without trimming. A content warning is not included: Mastodon adds its plain
    /// grapheme count (`spoilerText.count`) without URL or mention replacement.
    package static func countCharacters(_ text: String) -> Int {
        let characters = self.normalizedCharacters(text)
        var count = 0
        for segment in TextScanner(characters: characters).segments() {
            switch segment {
            case .text(let range), .hashtag(_, let range):
                count += range.count
            case .link:
                count += self.urlCharacterCount
            case .mention(let token, _):
                count += 1 + token.username.count
            }
        }
        return count
    }

    /// Escapes `& < > " '` for HTML text and attribute values.
    ///
    /// They become `&amp; &lt; &gt; &quot; &#39;`; a NUL character becomes U+FFFD (as an HTML parser
    /// would treat it), so the output never contains NUL.
    package static func escape(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            self.appendEscaped(scalar, to: &output)
        }
        return output
    }

    // MARK: - Rendering

    private static func render(
        _ text: String,
        multiline: Bool,
        mention: (MentionToken) -> ResolvedMention?,
        hashtagURL: (String) -> String
    ) -> FormattedText {
        let characters = self.trimmed(self.normalizedCharacters(text))
        if characters.isEmpty {
            return FormattedText(html: "", mentions: [], hashtags: [], links: [])
        }
        var collector = EntityCollector()
        var resolutions: [MentionToken: ResolvedMention?] = [:]
        var html = multiline ? "<p>" : ""
        for segment in TextScanner(characters: characters).segments() {
            collector.add(segment)
            switch segment {
            case .text(let range):
                self.appendText(characters[range], multiline: multiline, to: &html)
            case .link(let link, _):
                self.appendLink(link, to: &html)
            case .mention(let token, let range):
                let resolved: ResolvedMention?
                if let cached = resolutions[token] {
                    resolved = cached
                } else {
                    resolved = mention(token)
                    resolutions[token] = .some(resolved)
                }
                if let resolved {
                    html += "<span class=\"h-card\" translate=\"no\"><a href=\""
                    html += self.escape(resolved.url)
                    html += "\" class=\"u-url mention\">@<span>"
                    html += self.escape(resolved.username)
                    html += "</span></a></span>"
                } else {
                    self.appendText(characters[range], multiline: multiline, to: &html)
                }
            case .hashtag(let name, _):
                html += "<a href=\""
                html += self.escape(hashtagURL(name.lowercased()))
                html += "\" class=\"mention hashtag\" rel=\"tag\">#<span>"
                html += self.escape(name)
                html += "</span></a>"
            }
        }
        if multiline {
            html += "</p>"
        }
        return FormattedText(
            html: html,
            mentions: collector.mentions,
            hashtags: collector.hashtags,
            links: collector.links
        )
    }

    /// Appends escaped text; newline runs become `<br />`/paragraph breaks, or one space when inline.
    private static func appendText(_ characters: ArraySlice<Character>, multiline: Bool, to html: inout String) {
        var newlines = 0
        for character in characters {
            if character == "\n" {
                newlines += 1
                continue
            }
            if newlines > 0 {
                self.appendLineBreak(count: newlines, multiline: multiline, to: &html)
                newlines = 0
            }
            for scalar in character.unicodeScalars {
                self.appendEscaped(scalar, to: &html)
            }
        }
        if newlines > 0 {
            self.appendLineBreak(count: newlines, multiline: multiline, to: &html)
        }
    }

    private static func appendLineBreak(count: Int, multiline: Bool, to html: inout String) {
        if !multiline {
            html += " "
        } else if count == 1 {
            html += "<br />"
        } else {
            html += "</p><p>"
        }
    }

    private static func appendLink(_ link: LinkMatch, to html: inout String) {
        let scalars = Array(link.display.unicodeScalars)
        let cut = min(scalars.count, self.urlDisplayLength)
        var visible = String.UnicodeScalarView()
        visible.append(contentsOf: scalars[0..<cut])
        var hidden = String.UnicodeScalarView()
        hidden.append(contentsOf: scalars[cut...])
        html += "<a href=\""
        html += self.escape(link.url)
        html += "\" target=\"_blank\" rel=\"nofollow noopener\" translate=\"no\"><span class=\"invisible\">"
        html += self.escape(link.prefix)
        html += scalars.count > self.urlDisplayLength ? "</span><span class=\"ellipsis\">" : "</span><span class=\"\">"
        html += self.escape(String(visible))
        html += "</span><span class=\"invisible\">"
        html += self.escape(String(hidden))
        html += "</span></a>"
    }

    private static func appendEscaped(_ scalar: Unicode.Scalar, to output: inout String) {
        switch scalar {
        case "&": output += "&amp;"
        case "<": output += "&lt;"
        case ">": output += "&gt;"
        case "\"": output += "&quot;"
        case "'": output += "&#39;"
        case "\u{0}": output.unicodeScalars.append("\u{FFFD}")
        default: output.unicodeScalars.append(scalar)
        }
    }

    // MARK: - Normalisation

    /// The text as grapheme clusters, with `\r\n` and lone `\r` turned into `\n`.
    private static func normalizedCharacters(_ text: String) -> [Character] {
        var characters: [Character] = []
        for character in text {
            if character == "\r\n" || character == "\r" {
                characters.append("\n")
            } else {
                characters.append(character)
            }
        }
        return characters
    }

    private static func trimmed(_ characters: [Character]) -> [Character] {
        var start = 0
        var end = characters.count
        while start < end, characters[start].isWhitespace {
            start += 1
        }
        while end > start, characters[end - 1].isWhitespace {
            end -= 1
        }
        return Array(characters[start..<end])
    }
}
