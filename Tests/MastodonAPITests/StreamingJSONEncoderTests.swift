import Foundation
import HTTPCommon
import MastodonAPI
import Testing

/// `StreamingJSONEncoder` writes what Foundation's `JSONEncoder` (as `MastodonJSONEncoder.make()`
/// configures it) writes for the shapes the entities use: the same scalars byte for byte, the same
/// documents once parsed (Foundation's object keys come out in hash order, the stream's in writing order).
@Suite struct StreamingJSONEncoderTests {
    struct Leaf: Encodable, Sendable {
        var text: String
        var number: Int
        var optional: String?
        @Nullable var nullable: String?
        var flag: Bool
    }

    struct Tree: Encodable, Sendable {
        let id: String
        let createdAt: Date
        let leaves: [Leaf]
        let empty: [String]
        let numbers: [Int64]
        let ratio: Double
        let whole: Double
        let nested: [[Int]]
        let link: URL
        let child: Box?
        @Nullable var missing: Box?

        enum CodingKeys: String, CodingKey {
            case id
            case createdAt = "created_at"
            case leaves, empty, numbers, ratio, whole, nested, link, child, missing
        }
    }

    final class Box: Encodable, Sendable {
        let tree: Tree
        init(_ tree: Tree) { self.tree = tree }
        func encode(to encoder: any Encoder) throws { try self.tree.encode(to: encoder) }
    }

    /// Writes some keys itself, with a nested container filled after a sibling.
    struct Custom: Encodable {
        enum Keys: String, CodingKey { case first, inner, after, list }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode("one", forKey: .first)
            var inner = container.nestedContainer(keyedBy: Keys.self, forKey: .inner)
            try inner.encode(2, forKey: .first)
            try inner.encodeIfPresent(String?.none, forKey: .after)
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try list.encode(true)
            try list.encodeNil()
            try list.encode(-7)
            try container.encode(3.25, forKey: .after)
        }
    }

    /// Writes its members by hand, as the hottest entities do.
    struct HandWritten: Encodable {
        var name: String?
        var count: Int
        var when: Date?
        var leaves: [Leaf]
        var flag: Bool?

        func encode(to encoder: any Encoder) throws {
            try JSONStreamWriter.writing(self, to: encoder).direct { out in
                out.openObject()
                out.member("name", self.name)
                out.member("count", self.count)
                out.member("when", self.when)
                try out.member("leaves", self.leaves)
                out.key("first")
                if let first = self.leaves.first { try out.value(first) } else { out.null() }
                if let flag = self.flag { out.member("flag", flag) }
                out.closeObject()
            }
        }
    }

    /// Writes itself straight into the document's bytes, as statuses and accounts do.
    struct Direct: Encodable {
        var id: Int64
        var name: String?
        var when: Date?
        var leaves: [Leaf]
        var inner: [Direct]

        func encode(to encoder: any Encoder) throws {
            try JSONStreamWriter.writing(self, to: encoder).direct { try self.write(to: &$0) }
        }

        func write(to out: inout JSONDirectWriter) throws {
            out.openObject()
            out.member("id", id: self.id)
            out.member("name", self.name)
            out.member("when", self.when)
            out.member("count", self.leaves.count)
            out.member("flag", self.leaves.isEmpty)
            try out.member("leaves", self.leaves)
            out.key("first")
            if let first = self.leaves.first { try out.value(first) } else { out.null() }
            out.key("inner")
            out.openArray()
            for inner in self.inner {
                out.element()
                try inner.write(to: &out)
            }
            out.closeArray()
            out.closeObject()
        }
    }

    static func tree(depth: Int) -> Tree {
        Tree(
            id: "\(depth)",
            createdAt: Date(timeIntervalSince1970: 1_790_000_000.123 + Double(depth)),
            leaves: [
                Leaf(
                    text: "quote \" backslash \\ slash / tab \t newline \n nul \u{0} bell \u{7} é ✓ 🐦",
                    number: Int.min,
                    optional: nil,
                    nullable: nil,
                    flag: true
                ),
                Leaf(text: "", number: 0, optional: "<p>x</p>", nullable: "y", flag: false),
            ],
            empty: [],
            numbers: [Int64.max, -1, 42],
            ratio: 1.7777777777777777,
            whole: 2,
            nested: [[], [1, 2], [3]],
            link: URL(string: "https://example.com/a/b?c=d&e=f")!,
            child: depth > 0 ? Box(tree(depth: depth - 1)) : nil,
            missing: nil
        )
    }

    static func reference(_ value: some Encodable) throws -> String {
        String(decoding: try MastodonJSONEncoder.make().encode(value), as: UTF8.self)
    }

    static func streamed(_ value: some Encodable) throws -> String {
        String(decoding: try StreamingJSONEncoder.encode(value), as: UTF8.self)
    }

    static func parsed(_ text: String) throws -> NSObject? {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) as? NSObject
    }

    @Test("nested structs, arrays, optionals, nulls, dates, URLs and escapes match JSONEncoder")
    func matchesJSONEncoder() throws {
        let value = [Self.tree(depth: 3), Self.tree(depth: 0)]
        let streamed = try Self.streamed(value)
        let reference = try Self.reference(value)
        #expect(try Self.parsed(streamed) == Self.parsed(reference), "\(streamed)\n\(reference)")
        // Written in declaration order, nil optionals left out, `@Nullable` ones as null.
        #expect(streamed.hasPrefix(#"[{"id":"3","created_at":"2026-09-21T14:13:23.123Z","leaves":[{"text":"quote"#))
        #expect(streamed.contains(#""number":-9223372036854775808,"nullable":null,"flag":true}"#))
        #expect(streamed.hasSuffix(#""link":"https://example.com/a/b?c=d&e=f","missing":null}]"#))
    }

    @Test("top-level scalars, empty containers and dictionaries")
    func scalars() throws {
        let text = "quote \" backslash \\ slash / controls \t\n\r\u{8}\u{C}\u{0}\u{1F} é ✓ 🐦"
        #expect(try Self.streamed(text) == Self.reference(text))
        #expect(try Self.streamed(Date(timeIntervalSince1970: 0.5)) == Self.reference(Date(timeIntervalSince1970: 0.5)))
        #expect(try Self.streamed(-12) == "-12")
        #expect(try Self.streamed(0.5) == Self.reference(0.5))
        #expect(try Self.streamed(-3.0) == Self.reference(-3.0))
        #expect(try Self.streamed([String]()) == "[]")
        #expect(try Self.streamed([String: Int]()) == "{}")
        #expect(try Self.streamed(["k": [1, 2]]) == Self.reference(["k": [1, 2]]))
        #expect(try Self.streamed([Int?.none, 1]) == Self.reference([Int?.none, 1]))
    }

    @Test("a hand-written encode(to:) with nested containers closes each one in place")
    func customEncoding() throws {
        let streamed = try Self.streamed([Custom(), Custom()])
        #expect(
            streamed == #"[{"first":"one","inner":{"first":2},"list":[true,null,-7],"after":3.25},"#
                + #"{"first":"one","inner":{"first":2},"list":[true,null,-7],"after":3.25}]"#
        )
        #expect(try Self.parsed(streamed) == Self.parsed(Self.reference([Custom(), Custom()])))
    }

    @Test("hand-written members nest inside Codable containers and hold Codable values")
    func handWritten() throws {
        let leaf = Leaf(text: "a\"b", number: -1, optional: nil, nullable: nil, flag: false)
        let values = [
            ["x": HandWritten(name: nil, count: 0, when: nil, leaves: [], flag: nil)],
            [
                "x": HandWritten(
                    name: "n",
                    count: 7,
                    when: Date(timeIntervalSince1970: 1),
                    leaves: [leaf, leaf],
                    flag: true
                )
            ],
        ]
        let leafJSON = #"{"text":"a\"b","number":-1,"nullable":null,"flag":false}"#
        #expect(
            try Self.streamed(values)
                == #"[{"x":{"name":null,"count":0,"when":null,"leaves":[],"first":null}},"#
                + #"{"x":{"name":"n","count":7,"when":"1970-01-01T00:00:01.000Z","leaves":["#
                + leafJSON + "," + leafJSON + #"],"first":"# + leafJSON + #","flag":true}}]"#
        )
    }

    @Test("values written straight into the bytes nest inside Codable containers and hold Codable values")
    func direct() throws {
        let leaf = Leaf(text: "q\"\n", number: 3, optional: "o", nullable: nil, flag: true)
        let empty = Direct(id: 0, name: nil, when: nil, leaves: [], inner: [])
        let full = Direct(
            id: -42,
            name: "é\\✓",
            when: Date(timeIntervalSince1970: 86_400.25),
            leaves: [leaf, leaf],
            inner: [empty, empty]
        )
        let leafJSON = #"{"text":"q\"\n","number":3,"optional":"o","nullable":null,"flag":true}"#
        let emptyJSON = #"{"id":"0","name":null,"when":null,"count":0,"flag":true,"leaves":[],"first":null,"inner":[]}"#
        let fullJSON =
            #"{"id":"-42","name":"é\\✓","when":"1970-01-02T00:00:00.250Z","count":2,"flag":false,"leaves":["#
            + leafJSON + "," + leafJSON + #"],"first":"# + leafJSON + #","inner":["# + emptyJSON + "," + emptyJSON
            + "]}"
        #expect(
            try Self.streamed([["a": empty], ["a": full]]) == #"[{"a":"# + emptyJSON + #"},{"a":"# + fullJSON + "}]"
        )
        #expect(try Self.streamed(full) == fullJSON)
        #expect(try Self.parsed(Self.streamed([full, empty])) != nil)
        #expect(throws: EncodingError.self) { try MastodonJSONEncoder.make().encode(full) }
    }

    @Test("a value that writes its members by hand refuses other encoders with an error")
    func handWrittenNeedsTheStream() {
        let value = HandWritten(name: nil, count: 1, when: nil, leaves: [], flag: nil)
        #expect(throws: EncodingError.self) { try MastodonJSONEncoder.make().encode(value) }
    }

    @Test("numbers JSON cannot hold are refused, as JSONEncoder refuses them")
    func nonFinite() {
        #expect(throws: EncodingError.self) { try StreamingJSONEncoder.encode([Double.nan]) }
        #expect(throws: EncodingError.self) { try StreamingJSONEncoder.encode(["x": Double.infinity]) }
    }
}
