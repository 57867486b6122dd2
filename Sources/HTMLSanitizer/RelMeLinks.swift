import CGumbo
import Foundation

/// The links a web page marks as its owner's other profiles: `<a rel="me" href>` and
/// `<link rel="me" href>` anywhere in the document, as profile-link verification looks for them.
package enum RelMeLinks {
    /// Pages are read up to this many bytes; a link-back sits near the top of any real page.
    package static let maxInputBytes = 1_048_576
    /// At most this many links are returned.
    static let maxLinks = 100

    /// The `href`s of `rel="me"` links in `html` (the `rel` tokens are matched case-insensitively,
    /// among others such as `nofollow`), resolved against `base` when relative.
    package static func find(in html: String, base: URL? = nil) -> [String] {
        let bytes = Array(html.utf8.prefix(Self.maxInputBytes))
        let output: UnsafeMutablePointer<GumboOutput>? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                tern_gumbo_parse_document(chars.baseAddress, chars.count)
            }
        }
        guard let output else { return [] }
        defer { tern_gumbo_destroy_output(output) }
        guard let root = output.pointee.root else { return [] }
        var links: [String] = []
        // An explicit stack: hostile pages nest deeply.
        var stack: [UnsafeMutablePointer<GumboNode>] = [root]
        while let node = stack.popLast(), links.count < Self.maxLinks {
            guard node.pointee.type == GUMBO_NODE_ELEMENT else { continue }
            let element = node.pointee.v.element
            if element.tag == GUMBO_TAG_A || element.tag == GUMBO_TAG_LINK {
                let attributes = Self.attributes(element.attributes)
                if let rel = attributes["rel"],
                    rel.lowercased().split(whereSeparator: \.isWhitespace).contains("me"),
                    let href = attributes["href"]?.trimmingCharacters(in: .whitespacesAndNewlines), !href.isEmpty
                {
                    links.append(URL(string: href, relativeTo: base)?.absoluteString ?? href)
                }
            }
            let children = element.children
            guard let data = children.data else { continue }
            for index in (0..<Int(children.length)).reversed() {
                if let child = data[index]?.assumingMemoryBound(to: GumboNode.self) { stack.append(child) }
            }
        }
        return links
    }

    private static func attributes(_ vector: GumboVector) -> [String: String] {
        var result: [String: String] = [:]
        guard let data = vector.data else { return result }
        for index in 0..<Int(vector.length) {
            guard let raw = data[index] else { continue }
            let attribute = raw.assumingMemoryBound(to: GumboAttribute.self).pointee
            guard let name = attribute.name, let value = attribute.value else { continue }
            let key = String(cString: name).lowercased()
            if result[key] == nil { result[key] = String(cString: value) }
        }
        return result
    }
}
