import Testing
import TwoFactor

@Suite struct RecoveryCodesTests {
    static let alphabet = Set("0123456789abcdefghjkmnpqrstvwxyz")

    @Test("ten codes of two dash-separated groups of five unambiguous characters")
    func format() {
        let codes = RecoveryCodes.generate()
        #expect(codes.count == 10)
        #expect(Set(codes).count == 10)
        for code in codes {
            let groups = code.split(separator: "-", omittingEmptySubsequences: false)
            #expect(groups.count == 2)
            #expect(groups.allSatisfy { $0.count == 5 })
            #expect(groups.joined().allSatisfy { Self.alphabet.contains($0) })
        }
    }

    @Test("50 bits per code: 10 symbols of a 32-symbol alphabet, all symbols in use")
    func entropy() {
        #expect(Self.alphabet.count == 32)
        let seen = Set(RecoveryCodes.generate(count: 200).joined().filter { $0 != "-" })
        #expect(seen == Self.alphabet)
    }

    @Test("a count of zero or less gives no codes")
    func count() {
        #expect(RecoveryCodes.generate(count: 0).isEmpty)
        #expect(RecoveryCodes.generate(count: -3).isEmpty)
        #expect(RecoveryCodes.generate(count: 3).count == 3)
    }

    @Test("normalize lowercases, strips spaces and dashes and reads look-alikes as digits")
    func normalize() {
        #expect(RecoveryCodes.normalize("A3F9K-2M7XQ") == "a3f9k2m7xq")
        #expect(RecoveryCodes.normalize(" a3f9k 2m7xq\n") == "a3f9k2m7xq")
        #expect(RecoveryCodes.normalize("a3f9k\u{2013}2m7xq") == "a3f9k2m7xq")
        #expect(RecoveryCodes.normalize("OIL0-1") == "01101")
    }

    @Test("a code matches itself typed loosely and nothing else")
    func matches() {
        for code in RecoveryCodes.generate(count: 5) {
            #expect(RecoveryCodes.matches(code.uppercased().replacingOccurrences(of: "-", with: " "), code: code))
            #expect(RecoveryCodes.matches(code, code: code))
            #expect(!RecoveryCodes.matches(String(code.dropLast()), code: code))
            #expect(!RecoveryCodes.matches(code + "x", code: code))
        }
        #expect(RecoveryCodes.matches("IOo2l-abcde", code: "10021-abcde"))
        #expect(!RecoveryCodes.matches("", code: "a3f9k-2m7xq"))
    }
}
