import Foundation

/// A URL found in the text, split the way Mastodon displays it.
struct LinkMatch {
    /// The URL exactly as typed.
    let url: String
    /// The hidden prefix: the scheme with `://`, plus `www.` when present.
    let prefix: String
    /// The rest of the URL, shown (and cut after 30 scalars).
    let display: String
}

/// A piece of the text; ranges index the scanned character array.
enum Segment {
    case text(Range<Int>)
    case link(LinkMatch, Range<Int>)
    case mention(MentionToken, Range<Int>)
    case hashtag(String, Range<Int>)
}

/// Collects deduplicated entities from segments, in order.
struct EntityCollector {
    var mentions: [MentionToken] = []
    var hashtags: [String] = []
    var links: [String] = []
    private var mentionKeys: Set<String> = []
    private var hashtagKeys: Set<String> = []
    private var linkKeys: Set<String> = []

    mutating func add(_ segment: Segment) {
        switch segment {
        case .text:
            break
        case .link(let link, _):
            if self.linkKeys.insert(link.url).inserted {
                self.links.append(link.url)
            }
        case .mention(let token, _):
            if self.mentionKeys.insert(token.acct.lowercased()).inserted {
                self.mentions.append(token)
            }
        case .hashtag(let name, _):
            let key = name.lowercased()
            if self.hashtagKeys.insert(key).inserted {
                self.hashtags.append(key)
            }
        }
    }
}

/// Splits text into plain text, links, mentions and hashtags in one left-to-right pass.
///
/// Every matcher only looks forward over characters that cannot start another match of its own kind,
/// and a successful match is consumed whole, so the total work is linear in the input length.
struct TextScanner {
    let characters: [Character]

    func segments() -> [Segment] {
        var segments: [Segment] = []
        var textStart = 0
        var index = 0
        let count = self.characters.count
        while index < count {
            let character = self.characters[index]
            var match: Segment?
            if character == "h" || character == "H" {
                match = self.matchURL(at: index)
            } else if character == "@" {
                match = self.matchMention(at: index)
            } else if character == "#" {
                match = self.matchHashtag(at: index)
            }
            guard let match else {
                index += 1
                continue
            }
            if textStart < index {
                segments.append(.text(textStart..<index))
            }
            segments.append(match)
            index = match.range.upperBound
            textStart = index
        }
        if textStart < count {
            segments.append(.text(textStart..<count))
        }
        return segments
    }

    // MARK: URLs

    private func matchURL(at start: Int) -> Segment? {
        let count = self.characters.count
        if start > 0 {
            let previous = self.characters[start - 1]
            if CharacterClass.isWord(previous) || previous == "@" || previous == "$" || previous == "#" {
                return nil
            }
        }
        guard self.hasASCIIPrefix("http", at: start) else { return nil }
        var index = start + 4
        if index < count, CharacterClass.asciiLower(self.characters[index]) == UInt8(ascii: "s") {
            index += 1
        }
        guard self.hasASCIIPrefix("://", at: index) else { return nil }
        let hostStart = index + 3
        var end = hostStart
        while end < count, CharacterClass.isHost(self.characters[end]) {
            end += 1
        }
        if end + 1 < count, self.characters[end] == ":", CharacterClass.isASCIIDigit(self.characters[end + 1]) {
            end += 1
            while end < count, CharacterClass.isASCIIDigit(self.characters[end]) {
                end += 1
            }
        }
        if end < count {
            let next = self.characters[end]
            if next == "@" {
                // `https://user@host`: user info is not supported, so do not link a fragment of it.
                return nil
            }
            if next == "/" || next == "?" || next == "#" {
                while end < count, !CharacterClass.endsURL(self.characters[end]) {
                    end += 1
                }
            }
        }
        end = self.trimURLEnd(from: hostStart, to: end)
        guard end > hostStart, CharacterClass.isLetterOrDigit(self.characters[hostStart]) else { return nil }

        var prefixEnd = hostStart
        if end > hostStart + 4, self.hasASCIIPrefix("www.", at: hostStart) {
            prefixEnd = hostStart + 4
        }
        let link = LinkMatch(
            url: String(self.characters[start..<end]),
            prefix: String(self.characters[start..<prefixEnd]),
            display: String(self.characters[prefixEnd..<end])
        )
        return .link(link, start..<end)
    }

    /// Drops trailing punctuation and unbalanced closing brackets from a URL candidate.
    private func trimURLEnd(from start: Int, to end: Int) -> Int {
        var balance: [Character: Int] = ["(": 0, ")": 0, "[": 0, "]": 0, "{": 0, "}": 0]
        for character in self.characters[start..<end] where balance[character] != nil {
            balance[character, default: 0] += 1
        }
        let pairs: [Character: Character] = [")": "(", "]": "[", "}": "{"]
        var end = end
        while end > start {
            let last = self.characters[end - 1]
            if CharacterClass.isURLTrailingPunctuation(last) {
                end -= 1
            } else if let opening = pairs[last], balance[last, default: 0] > balance[opening, default: 0] {
                balance[last, default: 0] -= 1
                end -= 1
            } else {
                break
            }
        }
        return end
    }

    // MARK: Mentions

    private func matchMention(at start: Int) -> Segment? {
        let count = self.characters.count
        if start > 0 {
            let previous = self.characters[start - 1]
            if CharacterClass.isWord(previous) || previous == "/" || previous == "=" {
                return nil
            }
        }
        let userStart = start + 1
        guard userStart < count, CharacterClass.isUsernameEdge(self.characters[userStart]) else { return nil }
        var userEnd = userStart + 1
        while userEnd < count, CharacterClass.isUsername(self.characters[userEnd]) {
            userEnd += 1
        }
        while !CharacterClass.isUsernameEdge(self.characters[userEnd - 1]) {
            userEnd -= 1
        }
        var end = userEnd
        var domain: String?
        if end < count, self.characters[end] == "@" {
            guard let (matchedDomain, domainEnd) = self.matchDomain(at: end + 1) else { return nil }
            domain = matchedDomain
            end = domainEnd
        }
        if end < count, CharacterClass.isWord(self.characters[end]) {
            return nil
        }
        let token = MentionToken(username: String(self.characters[userStart..<userEnd]), domain: domain)
        return .mention(token, start..<end)
    }

    /// A strict host name (ASCII labels, at least one dot, or `localhost`) with an optional `:port`.
    private func matchDomain(at start: Int) -> (String, Int)? {
        let count = self.characters.count
        var end = start
        while end < count, CharacterClass.isDomain(self.characters[end]) {
            end += 1
        }
        while end > start, self.characters[end - 1] == "." || self.characters[end - 1] == "-" {
            end -= 1
        }
        guard end > start, end - start <= 253 else { return nil }
        var domain = String(self.characters[start..<end]).lowercased()
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            guard !label.isEmpty, label.count <= 63, label.first != "-", label.last != "-" else { return nil }
        }
        guard labels.count >= 2 || domain == "localhost" else { return nil }
        if end + 1 < count, self.characters[end] == ":", CharacterClass.isASCIIDigit(self.characters[end + 1]) {
            var portEnd = end + 1
            while portEnd < count, CharacterClass.isASCIIDigit(self.characters[portEnd]) {
                portEnd += 1
            }
            let digits = String(self.characters[(end + 1)..<portEnd])
            let followedByWord = portEnd < count && CharacterClass.isWord(self.characters[portEnd])
            if digits.count <= 5, let port = Int(digits), (1...65_535).contains(port), !followedByWord {
                domain += ":" + digits
                end = portEnd
            }
        }
        return (domain, end)
    }

    // MARK: Hashtags

    private func matchHashtag(at start: Int) -> Segment? {
        let count = self.characters.count
        if start > 0 {
            let previous = self.characters[start - 1]
            if CharacterClass.isWord(previous) || previous == "&" || previous == "/" || previous == ")" {
                return nil
            }
        }
        let nameStart = start + 1
        var end = nameStart
        while end < count {
            let character = self.characters[end]
            let isSeparator =
                CharacterClass.isTagSeparator(character) && end > nameStart && end + 1 < count
                && CharacterClass.isWord(self.characters[end + 1])
            guard CharacterClass.isWord(character) || isSeparator else { break }
            end += 1
        }
        guard end > nameStart else { return nil }
        // Mastodon's rule: the name needs a letter, or a separator strictly inside it (`#1_1`, not `#_1`).
        let name = self.characters[nameStart..<end]
        let hasLetter = name.contains { character in CharacterClass.isLetterOrMark(character) }
        let hasInnerSeparator =
            name.count >= 3
            && name.dropFirst().dropLast().contains { character in
                character == "_" || CharacterClass.isTagSeparator(character)
            }
        guard hasLetter || hasInnerSeparator else { return nil }
        return .hashtag(String(name), start..<end)
    }

    // MARK: Helpers

    /// Whether the characters at `index` are `prefix`, compared ASCII case-insensitively.
    private func hasASCIIPrefix(_ prefix: String, at index: Int) -> Bool {
        var position = index
        for expected in prefix.utf8 {
            guard position < self.characters.count,
                CharacterClass.asciiLower(self.characters[position]) == expected
            else { return false }
            position += 1
        }
        return true
    }
}

extension Segment {
    /// The characters the segment covers.
    var range: Range<Int> {
        switch self {
        case .text(let range), .link(_, let range), .mention(_, let range), .hashtag(_, let range):
            return range
        }
    }
}

/// Character predicates used by the scanner; classification uses a character's first scalar.
enum CharacterClass {
    /// A word character as in Ruby's `[[:word:]]`: letter, mark, decimal digit or connector punctuation.
    static func isWord(_ character: Character) -> Bool {
        if let ascii = character.asciiValue {
            return Self.isASCIIAlphanumeric(ascii) || ascii == UInt8(ascii: "_")
        }
        guard let scalar = character.unicodeScalars.first else { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation:
            return true
        default:
            return false
        }
    }

    static func isLetterOrMark(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark:
            return true
        default:
            return false
        }
    }

    static func isLetterOrDigit(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber:
            return true
        default:
            return false
        }
    }

    /// `·` and `・`, allowed between word characters of a hashtag.
    static func isTagSeparator(_ character: Character) -> Bool {
        character == "\u{B7}" || character == "\u{30FB}"
    }

    static func isHost(_ character: Character) -> Bool {
        character == "." || character == "-" || Self.isWord(character)
    }

    static func isDomain(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return Self.isASCIIAlphanumeric(ascii) || ascii == UInt8(ascii: ".") || ascii == UInt8(ascii: "-")
    }

    static func isUsernameEdge(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return Self.isASCIIAlphanumeric(ascii) || ascii == UInt8(ascii: "_")
    }

    static func isUsername(_ character: Character) -> Bool {
        Self.isUsernameEdge(character) || character == "." || character == "-"
    }

    static func isASCIIDigit(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return ascii >= UInt8(ascii: "0") && ascii <= UInt8(ascii: "9")
    }

    /// The lowercased ASCII value of a single-scalar ASCII character, or `nil`.
    static func asciiLower(_ character: Character) -> UInt8? {
        guard let ascii = character.asciiValue, character.unicodeScalars.count == 1 else { return nil }
        if ascii >= UInt8(ascii: "A") && ascii <= UInt8(ascii: "Z") {
            return ascii + 32
        }
        return ascii
    }

    /// Whitespace, control and invisible bidi/format characters, `<`, `>` and `"` end a URL.
    static func endsURL(_ character: Character) -> Bool {
        if character.isWhitespace || character == "<" || character == ">" || character == "\"" {
            return true
        }
        for scalar in character.unicodeScalars {
            if scalar.properties.generalCategory == .control {
                return true
            }
            switch scalar.value {
            case 0x200B, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF:
                return true
            default:
                continue
            }
        }
        return false
    }

    static func isURLTrailingPunctuation(_ character: Character) -> Bool {
        switch character {
        case ".", ",", ":", ";", "!", "?", "'", "*", "~",
            "\u{3002}", "\u{3001}", "\u{FF0C}", "\u{FF0E}", "\u{FF01}", "\u{FF1F}", "\u{FF1A}", "\u{FF1B}",
            "\u{300D}", "\u{300F}", "\u{FF09}", "\u{3011}", "\u{2026}":
            return true
        default:
            return false
        }
    }

    private static func isASCIIAlphanumeric(_ ascii: UInt8) -> Bool {
        (ascii >= UInt8(ascii: "a") && ascii <= UInt8(ascii: "z"))
            || (ascii >= UInt8(ascii: "A") && ascii <= UInt8(ascii: "Z"))
            || (ascii >= UInt8(ascii: "0") && ascii <= UInt8(ascii: "9"))
    }
}
