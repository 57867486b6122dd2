import Testing
import TwoFactor

@Suite struct Base32Tests {
    /// RFC 4648 §10, with the padding the encoder leaves out.
    static let vectors: [(String, String, String)] = [
        ("", "", ""),
        ("f", "MY", "MY======"),
        ("fo", "MZXQ", "MZXQ===="),
        ("foo", "MZXW6", "MZXW6==="),
        ("foob", "MZXW6YQ", "MZXW6YQ="),
        ("fooba", "MZXW6YTB", "MZXW6YTB"),
        ("foobar", "MZXW6YTBOI", "MZXW6YTBOI======"),
    ]

    @Test("RFC 4648 test vectors encode without padding", arguments: 0..<7)
    func encode(index: Int) {
        let (plain, encoded, _) = Self.vectors[index]
        #expect(Base32.encode(Array(plain.utf8)) == encoded)
    }

    @Test("RFC 4648 test vectors decode with and without padding and in lower case", arguments: 0..<7)
    func decode(index: Int) {
        let (plain, encoded, padded) = Self.vectors[index]
        #expect(Base32.decode(encoded) == Array(plain.utf8))
        #expect(Base32.decode(padded) == Array(plain.utf8))
        #expect(Base32.decode(encoded.lowercased()) == Array(plain.utf8))
    }

    @Test("all byte values round-trip")
    func roundTrip() {
        let bytes = (0...255).map { UInt8($0) }
        #expect(Base32.decode(Base32.encode(bytes)) == bytes)
    }

    @Test("spaces and dashes are ignored", arguments: ["MZXW 6YTB OI", "mzxw-6ytb-oi", " MZXW6YTBOI======"])
    func loose(text: String) {
        #expect(Base32.decode(text) == Array("foobar".utf8))
    }

    @Test(
        "characters outside the alphabet, data after padding and impossible lengths are rejected",
        arguments: [
            "MZXW0", "MZXW1", "MZXW8", "MZ=XW", "M", "MZX", "MZXW6Y", "MZXW6YTBO", "MZXW6!", "MZXW6\u{0}", "ÄÖ",
        ]
    )
    func rejects(text: String) {
        #expect(Base32.decode(text) == nil)
    }
}
