import Foundation
import QRCode
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite struct QRCodeTests {
    /// Whether the 7×7 finder pattern (dark ring, light ring, dark 3×3 core) sits with its top-left at `row`, `column`.
    static func hasFinder(_ matrix: [[Bool]], row: Int, column: Int) -> Bool {
        (0..<7).allSatisfy { y in
            (0..<7).allSatisfy { x in
                let ring = max(abs(x - 3), abs(y - 3))
                return matrix[row + y][column + x] == (ring != 2)
            }
        }
    }

    @Test("a short alphanumeric text fits version 1: 21 × 21 modules")
    func version1() throws {
        let matrix = try QRCode.modules(for: "HELLO WORLD")
        #expect(matrix.count == 21)
        #expect(matrix.allSatisfy { $0.count == 21 })
    }

    @Test("100 bytes of 8-bit text need version 6 at level M: 41 × 41 modules, finders in three corners only")
    func version6() throws {
        let matrix = try QRCode.modules(for: String(repeating: "otpauth", count: 15).prefix(100).lowercased())
        #expect(matrix.count == 41)
        #expect(matrix.allSatisfy { $0.count == 41 })
        #expect(Self.hasFinder(matrix, row: 0, column: 0))
        #expect(Self.hasFinder(matrix, row: 0, column: 34))
        #expect(Self.hasFinder(matrix, row: 34, column: 0))
        #expect(!Self.hasFinder(matrix, row: 34, column: 34))
        // Separators: the row and column just inside each finder are light.
        #expect((0..<8).allSatisfy { !matrix[7][$0] && !matrix[$0][7] })
        #expect((0..<8).allSatisfy { !matrix[7][40 - $0] && !matrix[$0][33] })
        // Timing pattern along row 6 alternates between the finders.
        #expect((8...32).allSatisfy { matrix[6][$0] == ($0 % 2 == 0) })
    }

    @Test("a typical otpauth URI (UTF-8 label) encodes")
    func otpauth() throws {
        let uri = "otpauth://totp/Tern%3A%20Staging:zo%C3%AB%40tern.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        let matrix = try QRCode.modules(for: uri + "&issuer=Tern%3A%20Staging&algorithm=SHA1&digits=6&period=30")
        #expect((matrix.count - 17) % 4 == 0)
        #expect(Self.hasFinder(matrix, row: 0, column: 0))
    }

    @Test("text that no symbol holds, empty text and NUL are errors")
    func errors() {
        #expect(throws: QRCodeError.textTooLong) { try QRCode.modules(for: String(repeating: "a", count: 3000)) }
        #expect(throws: QRCodeError.emptyText) { try QRCode.modules(for: "") }
        #expect(throws: QRCodeError.containsNUL) { try QRCode.modules(for: "a\u{0}b") }
        #expect(throws: QRCodeError.invalidModuleSize) { try QRCode.svg(for: "a", title: "t", moduleSize: 0) }
    }

    @Test("the SVG is well-formed, sized with a quiet zone, and carries the title")
    func svg() throws {
        let svg = try QRCode.svg(for: "HELLO WORLD", title: "Scan me", moduleSize: 5)
        let parsed = try #require(ParsedSVG(svg))
        let root = try #require(parsed.elements.first)
        #expect(root.name == "svg")
        #expect(root.attributes["viewBox"] == "0 0 29 29")
        #expect(root.attributes["width"] == "145" && root.attributes["height"] == "145")
        #expect(root.attributes["shape-rendering"] == "crispEdges")
        #expect(root.attributes["role"] == "img")
        #expect(root.attributes["aria-label"] == "Scan me")
        #expect(parsed.title == "Scan me")
        #expect(parsed.elements.filter { $0.name == "path" }.count == 1)
        let path = try #require(parsed.elements.first { $0.name == "path" }?.attributes["d"])
        #expect(path.hasPrefix("M4 4h7v1h-7z"))  // the top row of the top-left finder, after the quiet zone
    }

    @Test("the path covers exactly the dark modules")
    func pathMatchesMatrix() throws {
        let text = "otpauth://totp/x?secret=ABC"
        let matrix = try QRCode.modules(for: text)
        let svg = try QRCode.svg(for: text, title: "t")
        let path = try #require(ParsedSVG(svg)?.elements.first { $0.name == "path" }?.attributes["d"])
        var drawn = Array(repeating: Array(repeating: false, count: matrix.count), count: matrix.count)
        for rectangle in path.split(separator: "z") {
            // "Mx yhnv1h-n": x, y, the run, 1, -run.
            let numbers = rectangle.split { "Mhv ".contains($0) }.compactMap { Int($0) }
            try #require(numbers.count == 5 && numbers[3] == 1 && numbers[4] == -numbers[2])
            let (x, y, run) = (numbers[0] - 4, numbers[1] - 4, numbers[2])
            for column in x..<x + run {
                #expect(!drawn[y][column])
                drawn[y][column] = true
            }
        }
        #expect(drawn == matrix)
    }

    @Test("a hostile title is escaped in the attribute and in <title>")
    func hostileTitle() throws {
        let title = "\"<script>&'\u{1}"
        let svg = try QRCode.svg(for: "HELLO", title: title)
        #expect(!svg.contains("<script>"))
        #expect(svg.contains("aria-label=\"&quot;&lt;script&gt;&amp;&#39;\""))
        let parsed = try #require(ParsedSVG(svg))
        #expect(parsed.elements.first?.attributes["aria-label"] == "\"<script>&'")
        #expect(parsed.title == "\"<script>&'")
        #expect(parsed.elements.map(\.name) == ["svg", "title", "rect", "path"])
    }
}

/// The elements, attributes and `<title>` text of an SVG, read with Foundation's XMLParser; nil if not well-formed.
struct ParsedSVG {
    struct Element {
        var name: String
        var attributes: [String: String]
    }

    var elements: [Element]
    var title: String

    init?(_ svg: String) {
        let delegate = Collector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = delegate
        guard parser.parse() else {
            return nil
        }
        self.elements = delegate.elements
        self.title = delegate.title
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var elements: [Element] = []
        var title = ""
        var inTitle = false

        func parser(
            _ parser: XMLParser,
            didStartElement elementName: String,
            namespaceURI: String?,
            qualifiedName qName: String?,
            attributes attributeDict: [String: String] = [:]
        ) {
            self.elements.append(Element(name: elementName, attributes: attributeDict))
            self.inTitle = elementName == "title"
        }

        func parser(
            _ parser: XMLParser,
            didEndElement elementName: String,
            namespaceURI: String?,
            qualifiedName qName: String?
        ) {
            self.inTitle = false
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if self.inTitle {
                self.title += string
            }
        }
    }
}
