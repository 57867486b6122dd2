import Core
import Foundation
import Testing

@Suite struct PercentEncodingTests {
    /// Strings with every kind of character the encoders meet: ASCII punctuation, spaces, non-ASCII
    /// letters, emoji, controls and `%` itself.
    static let samples = [
        "", "abc", "café", "a b", "a+b", "a&b=c", "100%", "%", "%2", "%zz", "%41", "%c3%a9", "%C3%A9", "%FF",
        "%e2%82", "tag_1-2.3~x", "[]", "types[]", "!$&'()*+,;=:@/?#", "\u{0}\u{1F}\u{7F}", "日本語", "👩‍💻",
        "a%20b+c", "%%", "%-1", "x%2Fy", "+%2B+",
    ]

    static let alphanumericsASCII = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    )

    @Test("encoding answers as Foundation does for the unreserved and path sets")
    func encodesLikeFoundation() {
        var unreserved = Self.alphanumericsASCII
        unreserved.insert(charactersIn: "-._~")
        for sample in Self.samples {
            #expect(
                PercentEncoding.encode(sample, keeping: PercentEncoding.isUnreserved)
                    == sample.addingPercentEncoding(withAllowedCharacters: unreserved),
                "\(sample)"
            )
            #expect(
                PercentEncoding.encode(sample, keeping: PercentEncoding.isPathAllowed)
                    == sample.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed),
                "\(sample)"
            )
        }
        #expect(
            PercentEncoding.encode("café au lait", keeping: PercentEncoding.isUnreserved) == "caf%C3%A9%20au%20lait"
        )
        #expect(PercentEncoding.encode("a/b:c@d", keeping: PercentEncoding.isPathAllowed) == "a/b%3Ac@d")
    }

    @Test("decoding answers as Foundation does, nil for a broken escape or bytes that are not UTF-8")
    func decodesLikeFoundation() {
        for sample in Self.samples {
            #expect(PercentEncoding.decode(sample) == sample.removingPercentEncoding, "\(sample)")
            #expect(
                PercentEncoding.decode(sample, plusAsSpace: true)
                    == sample.replacingOccurrences(of: "+", with: " ").removingPercentEncoding,
                "\(sample)"
            )
        }
        #expect(PercentEncoding.decode("%c3%a9t%C3%A9") == "été")
        #expect(PercentEncoding.decode("a+b") == "a+b")
        #expect(PercentEncoding.decode("a+b%2B", plusAsSpace: true) == "a b+")
        #expect(PercentEncoding.decode("%") == nil)
        #expect(PercentEncoding.decode("%4") == nil)
        #expect(PercentEncoding.decode("%G1") == nil)
        #expect(PercentEncoding.decode("%FF") == nil)
        #expect(PercentEncoding.decode("%00") == "\u{0}")
        #expect(PercentEncoding.decode("abc"[...]) == "abc")
    }

    @Test("a round trip gives the text back")
    func roundTrips() {
        for sample in Self.samples {
            let encoded = PercentEncoding.encode(sample, keeping: PercentEncoding.isUnreserved)
            #expect(encoded.utf8.allSatisfy { $0 < 0x80 })
            #expect(PercentEncoding.decode(encoded) == sample)
        }
    }
}
