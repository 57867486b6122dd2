import Core
import Foundation
import Testing

@Suite struct Base64URLTests {
    @Test("RFC 4648's test vectors, unpadded, and the two characters base64url swaps")
    func encodes() {
        let vectors = [
            "": "", "f": "Zg", "fo": "Zm8", "foo": "Zm9v", "foob": "Zm9vYg", "fooba": "Zm9vYmE", "foobar": "Zm9vYmFy",
        ]
        for (plain, encoded) in vectors {
            #expect(Base64URL.encode(Data(plain.utf8)) == encoded)
            #expect(Base64URL.decode(encoded) == Data(plain.utf8))
        }
        // 0xfb 0xff in standard base64 is "+/8=": "-_8" here.
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64URL.decode("-_8") == Data([0xFB, 0xFF]))
        for length in 0..<40 {
            let bytes = Data((0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 250) })
            let encoded = Base64URL.encode(bytes)
            #expect(!encoded.contains("+") && !encoded.contains("/") && !encoded.contains("="))
            #expect(Base64URL.decode(encoded) == bytes)
        }
    }

    @Test("standard base64, padding and surrounding whitespace are read too; other text is refused")
    func decodesLeniently() {
        #expect(Base64URL.decode("+/8=") == Data([0xFB, 0xFF]))
        #expect(Base64URL.decode(" Zm9v\n") == Data("foo".utf8))
        #expect(Base64URL.decode("Zm9vYg==") == Data("foob".utf8))
        #expect(Base64URL.decode("Zm9v!") == nil)
        #expect(Base64URL.decode("Z") == nil)
    }
}
