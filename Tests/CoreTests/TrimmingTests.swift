import Core
import Foundation
import Testing

@Suite struct TrimmingTests {
    @Test("leading and trailing whitespace go, inner whitespace and everything else stay")
    func trims() {
        #expect("  abc \t".trimmingWhitespace() == "abc")
        #expect("\n\ta b\r\n".trimmingWhitespace() == "a b")
        #expect("abc".trimmingWhitespace() == "abc")
        #expect("x".trimmingWhitespace() == "x")
        #expect("".trimmingWhitespace() == "")
        #expect(" \t\n ".trimmingWhitespace() == "")
        #expect("\u{00A0}é✓\u{2003}".trimmingWhitespace() == "é✓")
        #expect("  12 ".dropFirst().trimmingWhitespace() == "12")
        for text in ["  token ", "\ttoken", "token", " a  b ", "   "] {
            #expect(String(text.trimmingWhitespace()) == text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}
