import Foundation

/// Plain text out of the HTML the server stores (its own rendering or sanitised remote HTML), for
/// places that cannot show markup: filter matching, link previews, feed titles.
package enum HTMLText {
    /// The text of `html` with tags removed (block elements and line breaks become spaces, so words do not run together),
    /// the five entities the server writes decoded, and whitespace runs collapsed.
    package static func plain(_ html: String) -> String {
        var text = ""
        var tag = ""
        var inTag = false
        for character in html {
            if character == "<" {
                inTag = true
                tag = ""
            } else if character == ">" {
                inTag = false
                // Block boundaries separate words; inline tags (links, spans) do not.
                let name = tag.drop(while: { $0 == "/" }).prefix(while: { $0.isLetter || $0.isNumber }).lowercased()
                if Self.breaking.contains(name) { text.append(" ") }
            } else if inTag {
                if tag.count < 16 { tag.append(character) }
            } else {
                text.append(character)
            }
        }
        let decoded = text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
        return decoded.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Elements whose edges separate words.
    static let breaking: Set<String> = [
        "p", "br", "div", "li", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td",
    ]

    /// `text` cut to at most `limit` characters, ending with an ellipsis when cut.
    package static func excerpt(_ text: String, limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(max(0, limit - 1))).trimmingCharacters(in: .whitespaces) + "…"
    }

    /// `text` escaped for XML 1.0 text and attribute values; characters XML cannot carry at all
    /// (C0 controls other than tab, newline and carriage return, lone surrogates, U+FFFE/U+FFFF)
    /// are dropped.
    package static func xmlEscaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                if value < 0x20 || value == 0xFFFE || value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
