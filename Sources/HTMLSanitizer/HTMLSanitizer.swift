import CGumbo
import Foundation

/// Allow-list sanitiser for HTML that arrives from other servers (status `content`, profile notes).
///
/// The input is parsed as a `<body>` fragment by gumbo, a conforming HTML5 parser, and the resulting tree is
/// re-serialised with Mastodon's rules:
/// - elements `p br span a del s pre blockquote code b strong u i em ul ol li ruby rt rp` are kept;
/// - attributes: `a` keeps `href`, `class`, `translate`; `span` keeps `class`, `translate`; `ol` keeps `start` and
///   `reversed`; `li` keeps `value`; classes on `a`/`span` are filtered to Mastodon's microformat list;
/// - every kept `a` gets `rel="nofollow noopener"` and `target="_blank"` (any incoming `rel`/`target` is replaced);
/// - `href` survives only with an allowed scheme (see ``allowedSchemes``); relative and unparseable URLs are dropped;
/// - other elements are unwrapped (their text is kept, escaped); script-like and foreign containers and comments are
///   dropped together with their content (see ``droppedElements``);
/// - every text node and attribute value is escaped (`& < > " '`).
///
/// The result is stable: sanitising the output again yields the same string. Elements the HTML parser would
/// re-nest differently when reading the output back (a block inside `p`, `a` inside `a`, `li` directly inside `li`,
/// `rt`/`rp` whose opening would implicitly close the current element) are unwrapped instead of emitted.
/// Input is capped at ``maxInputBytes`` bytes and ``maxStartTags`` start tags (the rest is dropped), and at most
/// ``maxDepth`` kept elements are nested (deeper elements are unwrapped to text), so malformed or huge input can
/// neither crash nor stall the parser.
package enum HTMLSanitizer {
    /// Inputs longer than this many UTF-8 bytes are truncated (at a character boundary) before parsing.
    package static let maxInputBytes = 512 * 1024

    /// At most this many start-tag openings (`<` followed by an ASCII letter) are parsed; the input is cut before the
    /// next one. This bounds the parser's work on pathological nesting.
    package static let maxStartTags = 10_000

    /// The output is kept below this many UTF-8 bytes (escaping can grow the input): once the next tag or text would
    /// exceed it, the text is cut and the rest of the input is dropped (open elements are still closed). Being below
    /// ``maxInputBytes`` keeps the output stable when it is sanitised again.
    package static let maxOutputBytes = maxInputBytes - 4 * 1024

    /// At most this many kept elements are nested in the output; deeper elements are unwrapped (their text is kept).
    package static let maxDepth = 100

    /// Inputs with more start tags than this are parsed on a thread with a large stack, because gumbo frees its tree
    /// recursively.
    static let largeStackThreshold = 500

    /// Stack size of the thread used for large inputs.
    static let largeStackSize = 64 * 1024 * 1024

    /// URL schemes allowed in `href`: the web, plus the decentralised-web and chat schemes Mastodon allows
    /// (`dat dweb ipfs ipns ssb gopher xmpp magnet gemini`). None of them can run script in a browser;
    /// `javascript:`, `vbscript:`, `data:`, `file:` and every scheme not listed here are refused.
    package static let allowedSchemes: Set<String> = [
        "http", "https", "dat", "dweb", "ipfs", "ipns", "ssb", "gopher", "xmpp", "magnet", "gemini",
    ]

    /// Classes kept on `a` and `span` (Mastodon's microformats and link-shortening classes); others are dropped.
    package static let allowedClasses: Set<String> = [
        "h-card", "u-url", "mention", "hashtag", "invisible", "ellipsis", "quote-inline",
    ]

    /// Elements that are kept (with filtered attributes).
    package static let allowedElements: Set<String> = [
        "p", "br", "span", "a", "del", "s", "pre", "blockquote", "code", "b", "strong", "u", "i", "em", "ul", "ol",
        "li", "ruby", "rt", "rp",
    ]

    /// Elements dropped together with everything inside them.
    package static let droppedElements: Set<String> = [
        "script", "style", "template", "iframe", "object", "embed", "svg", "math", "noscript", "textarea", "title",
        "noembed", "noframes", "frameset", "frame", "applet",
    ]

    /// Kept elements that the parser closes a still-open `p` for, so they cannot be emitted inside one.
    static let blockElements: Set<String> = ["p", "pre", "blockquote", "ul", "ol", "li"]

    /// Sanitises remote HTML into the allow-listed subset described on ``HTMLSanitizer``. Never throws.
    ///
    /// - Parameter html: untrusted HTML (a fragment, as found in ActivityPub `content`).
    /// - Returns: safe HTML that sanitises to itself.
    ///
    /// Inputs with many tags are parsed on a helper thread with a large stack; the call blocks until it is done.
    package static func sanitize(_ html: String) -> String {
        let bytes = self.cappedInput(html)
        if bytes.isEmpty {
            return ""
        }
        let startTags = self.countStartTags(bytes)
        let parserInput = self.withoutForeignContent(bytes)
        if startTags <= self.largeStackThreshold {
            return self.parseAndSerialize(parserInput)
        }
        return self.onLargeStack { self.parseAndSerialize(parserInput) }
    }

    /// The UTF-8 bytes of `html`, cut at ``maxInputBytes`` (on a character boundary) and before the start tag that
    /// would exceed ``maxStartTags``.
    static func cappedInput(_ html: String) -> [UInt8] {
        var bytes = Array(html.utf8)
        if bytes.count > self.maxInputBytes {
            var end = self.maxInputBytes
            while end > 0 && bytes[end] & 0xC0 == 0x80 {
                end -= 1
            }
            bytes.removeSubrange(end...)
        }
        var tags = 0
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "<") && self.isASCIILetter(bytes[index + 1]) {
                tags += 1
                if tags > self.maxStartTags {
                    bytes.removeSubrange(index...)
                    break
                }
            }
            index += 1
        }
        return bytes
    }

    /// `bytes` with every `<svg`/`<math` start or end tag renamed to `noembed`, a raw-text element that is dropped
    /// with its content.
    ///
    /// SVG and MathML are dropped anyway, but gumbo 0.10.1 aborts on an assertion for some mis-nested foreign
    /// content (for example `<table><svg><select><title><select><tr>`), so foreign content never reaches the parser.
    /// The rename is byte-level, so a literal `<svg`/`<math` inside a comment or attribute value is renamed too; that
    /// only changes text that is dropped or still filtered like any other value.
    static func withoutForeignContent(_ bytes: [UInt8]) -> [UInt8] {
        let noembed = Array("noembed".utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            result.append(byte)
            index += 1
            guard byte == UInt8(ascii: "<") else {
                continue
            }
            if index < bytes.count && bytes[index] == UInt8(ascii: "/") {
                result.append(bytes[index])
                index += 1
            }
            for name in ["svg", "math"] where self.hasTagName(name, in: bytes, at: index) {
                result.append(contentsOf: noembed)
                index += name.utf8.count
                break
            }
        }
        return result
    }

    /// Whether `bytes[index...]` starts with the tag name `name` (ASCII case-insensitive) followed by whitespace,
    /// `/`, `>` or the end of the input.
    static func hasTagName(_ name: String, in bytes: [UInt8], at index: Int) -> Bool {
        let nameBytes = Array(name.utf8)
        guard index + nameBytes.count <= bytes.count else {
            return false
        }
        for (offset, expected) in nameBytes.enumerated() where bytes[index + offset] | 0x20 != expected {
            return false
        }
        let end = index + nameBytes.count
        if end == bytes.count {
            return true
        }
        return [0x09, 0x0A, 0x0C, 0x0D, 0x20, UInt8(ascii: "/"), UInt8(ascii: ">")].contains(bytes[end])
    }

    /// Number of `<` bytes followed by an ASCII letter (what the tokenizer would treat as a start tag).
    static func countStartTags(_ bytes: [UInt8]) -> Int {
        var count = 0
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "<") && self.isASCIILetter(bytes[index + 1]) {
                count += 1
            }
            index += 1
        }
        return count
    }

    /// Whether `byte` is `A`–`Z` or `a`–`z`.
    static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    /// Runs `work` on a fresh thread with a ``largeStackSize`` stack and waits for its result.
    static func onLargeStack(_ work: @escaping @Sendable () -> String) -> String {
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.value = work()
            done.signal()
        }
        thread.stackSize = self.largeStackSize
        thread.start()
        done.wait()
        return box.value
    }

    /// Parses `bytes` with gumbo and serialises the sanitised tree; frees the parse tree before returning.
    static func parseAndSerialize(_ bytes: [UInt8]) -> String {
        let output: UnsafeMutablePointer<GumboOutput>? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                tern_gumbo_parse_body_fragment(chars.baseAddress, chars.count)
            }
        }
        guard let output else {
            return ""
        }
        defer { tern_gumbo_destroy_output(output) }
        guard let root = output.pointee.root, root.pointee.type == GUMBO_NODE_ELEMENT else {
            return ""
        }
        var serializer = Serializer()
        serializer.serializeChildren(of: root)
        return serializer.output
    }
}

/// Carries a result out of the large-stack thread; the semaphore orders the write before the read.
private final class ResultBox: @unchecked Sendable {
    /// The result written by the worker thread.
    var value = ""
}

/// Walks a gumbo tree iteratively (no recursion) and writes the sanitised HTML.
private struct Serializer {
    /// One step of the walk: visit a node, or close an element opened earlier.
    enum Step {
        /// Visit this node.
        case visit(UnsafeMutablePointer<GumboNode>)
        /// Emit the end tag of the innermost kept element.
        case close
    }

    /// The serialised output.
    var output = ""

    /// Names of the kept elements currently open in the output, outermost first.
    var open: [String] = []

    /// True right after `<pre>` was written: a leading newline in the next text must be doubled, because the
    /// parser drops the first newline after `<pre>`.
    var justOpenedPre = false

    /// Set once the output budget (``HTMLSanitizer/maxOutputBytes``) is spent: remaining nodes are skipped and only
    /// the end tags of open elements are still written.
    var exhausted = false

    /// Serialises the children of `root` (the fragment's context element), which itself is not written.
    mutating func serializeChildren(of root: UnsafeMutablePointer<GumboNode>) {
        var steps: [Step] = []
        Self.pushChildren(of: root, onto: &steps)
        while let step = steps.popLast() {
            switch step {
            case .close:
                let name = self.open.removeLast()
                self.write("</\(name)>")
            case .visit(let node):
                self.visit(node, steps: &steps)
            }
        }
        while let name = self.open.popLast() {
            self.write("</\(name)>")
        }
    }

    /// Handles one node: text is escaped, comments and dropped containers vanish, elements are kept or unwrapped.
    mutating func visit(_ node: UnsafeMutablePointer<GumboNode>, steps: inout [Step]) {
        if self.exhausted {
            return
        }
        switch node.pointee.type {
        case GUMBO_NODE_TEXT, GUMBO_NODE_WHITESPACE:
            guard let text = node.pointee.v.text.text else {
                return
            }
            self.writeText(String(cString: text))
        case GUMBO_NODE_ELEMENT:
            let element = node.pointee.v.element
            if element.tag_namespace != GUMBO_NAMESPACE_HTML {
                return
            }
            let name = String(cString: gumbo_normalized_tagname(element.tag))
            if HTMLSanitizer.droppedElements.contains(name) {
                return
            }
            if HTMLSanitizer.allowedElements.contains(name) && self.canOpen(name) {
                guard self.writeStartTag(name, attributes: element.attributes) else {
                    return
                }
                if name == "br" {
                    return
                }
                self.open.append(name)
                steps.append(.close)
            }
            Self.pushChildren(of: node, onto: &steps)
        default:
            // Comments, CDATA (foreign content only), templates and documents are dropped with their content.
            return
        }
    }

    /// Whether emitting `<name>` here reads back as the same tree; otherwise the element is unwrapped.
    func canOpen(_ name: String) -> Bool {
        if name == "br" {
            return true
        }
        if self.open.count >= HTMLSanitizer.maxDepth {
            return false
        }
        if name == "a" && self.open.contains("a") {
            return false
        }
        if HTMLSanitizer.blockElements.contains(name) && self.open.contains("p") {
            return false
        }
        if name == "li" {
            for ancestor in self.open.reversed() {
                if ancestor == "li" {
                    return false
                }
                if ["blockquote", "ol", "ul", "pre"].contains(ancestor) {
                    break
                }
            }
        }
        if name == "rt" || name == "rp" {
            if self.open.contains("ruby"), let current = self.open.last, ["p", "li", "rt", "rp"].contains(current) {
                return false
            }
        }
        return true
    }

    /// Pushes the children of an element node so that the first child is visited first.
    static func pushChildren(of node: UnsafeMutablePointer<GumboNode>, onto steps: inout [Step]) {
        let children = node.pointee.v.element.children
        guard let data = children.data, children.length > 0 else {
            return
        }
        var index = Int(children.length) - 1
        while index >= 0 {
            if let child = data[index] {
                steps.append(.visit(child.assumingMemoryBound(to: GumboNode.self)))
            }
            index -= 1
        }
    }

    /// Writes the start tag of a kept element with its filtered attributes; returns false (and marks the output
    /// exhausted) when the tag does not fit the output budget.
    mutating func writeStartTag(_ name: String, attributes: GumboVector) -> Bool {
        var tag = "<" + name
        for (attribute, value) in Self.filteredAttributes(of: name, attributes) {
            tag += " \(attribute)=\"\(escape(value))\""
        }
        tag += ">"
        if self.output.utf8.count + tag.utf8.count > HTMLSanitizer.maxOutputBytes {
            self.exhausted = true
            return false
        }
        self.write(tag)
        if name == "pre" {
            self.justOpenedPre = true
        }
        return true
    }

    /// Writes markup (not text), ending the "just after `<pre>`" state.
    mutating func write(_ markup: String) {
        self.output += markup
        self.justOpenedPre = false
    }

    /// Writes escaped text, doubling a leading newline directly after `<pre>`; text beyond the output budget is cut
    /// (at a character boundary) and marks the output exhausted.
    mutating func writeText(_ text: String) {
        if text.isEmpty {
            return
        }
        var escaped = escape(text)
        if self.justOpenedPre && text.hasPrefix("\n") {
            escaped = "\n" + escaped
        }
        let room = HTMLSanitizer.maxOutputBytes - self.output.utf8.count
        if escaped.utf8.count > room {
            self.exhausted = true
            var prefix = ""
            for character in text {
                let piece = escape(String(character))
                if prefix.utf8.count + piece.utf8.count > room - (self.justOpenedPre ? 1 : 0) {
                    break
                }
                prefix += piece
            }
            if prefix.isEmpty {
                return
            }
            escaped = (self.justOpenedPre && text.hasPrefix("\n") ? "\n" : "") + prefix
        }
        self.output += escaped
        self.justOpenedPre = false
    }

    /// The allowed attributes of `element`, in input order, with values normalised; `a` gets `rel` and `target`.
    static func filteredAttributes(of element: String, _ attributes: GumboVector) -> [(String, String)] {
        var result: [(String, String)] = []
        var seen: Set<String> = []
        if let data = attributes.data {
            for index in 0..<Int(attributes.length) {
                guard let raw = data[index] else {
                    continue
                }
                let attribute = raw.assumingMemoryBound(to: GumboAttribute.self).pointee
                guard let namePointer = attribute.name, let valuePointer = attribute.value else {
                    continue
                }
                let name = String(cString: namePointer)
                guard !seen.contains(name),
                    let value = Self.allowedValue(element: element, name: name, value: String(cString: valuePointer))
                else {
                    continue
                }
                seen.insert(name)
                result.append((name, value))
            }
        }
        if element == "a" {
            result.append(("rel", "nofollow noopener"))
            result.append(("target", "_blank"))
        }
        return result
    }

    /// The normalised value to keep for `name` on `element`, or nil when the attribute is dropped.
    static func allowedValue(element: String, name: String, value: String) -> String? {
        switch (element, name) {
        case ("a", "href"):
            return safeHref(value)
        case ("a", "class"), ("span", "class"):
            var kept: [String] = []
            for token in value.split(whereSeparator: { isHTMLSpace($0) }) {
                let className = String(token)
                if HTMLSanitizer.allowedClasses.contains(className) && !kept.contains(className) {
                    kept.append(className)
                }
            }
            return kept.isEmpty ? nil : kept.joined(separator: " ")
        case ("a", "translate"), ("span", "translate"):
            let lowered = value.lowercased()
            return lowered == "yes" || lowered == "no" ? lowered : nil
        case ("ol", "start"), ("li", "value"):
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            guard trimmed.count <= 10, let number = Int(trimmed) else {
                return nil
            }
            return String(number)
        case ("ol", "reversed"):
            return ""
        default:
            return nil
        }
    }
}

/// Whether `character` is HTML's ASCII whitespace (space, tab, LF, FF, CR).
private func isHTMLSpace(_ character: Character) -> Bool {
    character == " " || character == "\t" || character == "\n" || character == "\u{0C}" || character == "\r"
        || character == "\r\n"
}

/// Whether `scalar` is a C0 or C1 control character or DEL.
private func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value <= 0x9F)
}

/// The `href` to emit for an entity-decoded `value`, or nil when its scheme is not allowed.
///
/// Control characters are removed everywhere (browsers ignore tabs and newlines inside URLs), surrounding spaces are
/// trimmed and inner spaces percent-encoded. The scheme is then read case-insensitively and must be in
/// ``HTMLSanitizer/allowedSchemes``; URLs without a scheme (relative ones) are refused.
private func safeHref(_ value: String) -> String? {
    var scalars = String.UnicodeScalarView()
    for scalar in value.unicodeScalars where !isControl(scalar) {
        scalars.append(scalar)
    }
    let cleaned = String(scalars).trimmingCharacters(in: CharacterSet(charactersIn: " "))
    guard let colon = cleaned.firstIndex(of: ":") else {
        return nil
    }
    let scheme = cleaned[..<colon]
    guard let first = scheme.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic,
        scheme.unicodeScalars.allSatisfy({
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0))
        }),
        HTMLSanitizer.allowedSchemes.contains(scheme.lowercased())
    else {
        return nil
    }
    return cleaned.replacingOccurrences(of: " ", with: "%20")
}

/// Escapes `& < > " '` for use in text and in double-quoted attribute values.
private func escape(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += "&#39;"
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result
}
