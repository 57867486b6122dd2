/// One-time recovery codes for signing in without the authenticator app.
///
/// A code is ten characters from Crockford's base32 alphabet (`0–9 a–z` without `i l o u`) shown as two groups of
/// five, `a3f9k-2m7xq`: 50 random bits. The alphabet has no letter that looks like a digit, and `normalize` maps the
/// look-alikes people type (`o` → `0`, `i`/`l` → `1`) back, so a code can be read aloud or copied from paper loosely.
/// Store only a slow hash of `normalize(code)` and delete it once used.
package enum RecoveryCodes {
    /// Crockford's base32 alphabet, lower case; 32 symbols, so one symbol is exactly five random bits.
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)
    /// Symbols per group; a code is two groups.
    private static let groupLength = 5

    /// `count` fresh codes like `a3f9k-2m7xq`, each 50 bits from the system's cryptographically secure generator.
    package static func generate(count: Int = 10) -> [String] {
        var generator = SystemRandomNumberGenerator()
        return (0..<max(count, 0)).map { _ in
            let symbols = (0..<2 * self.groupLength).map { _ in
                // 32 divides 256, so the top five bits of a random byte pick a symbol without bias.
                self.alphabet[Int(UInt8.random(in: .min ... .max, using: &generator) >> 3)]
            }
            let first = String(decoding: symbols[..<self.groupLength], as: UTF8.self)
            let second = String(decoding: symbols[self.groupLength...], as: UTF8.self)
            return first + "-" + second
        }
    }

    /// The canonical form of a typed code: lower case, without spaces or dashes, with `o` read as `0` and `i`, `l`
    /// as `1`. Other characters are kept, so a mistyped code stays wrong rather than turning into another code.
    package static func normalize(_ input: String) -> String {
        var output = ""
        for character in input.lowercased() {
            switch character {
            case "-", "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2212}": continue
            case _ where character.isWhitespace: continue
            case "o": output.append("0")
            case "i", "l": output.append("1")
            default: output.append(character)
            }
        }
        return output
    }

    /// Whether `input`, typed loosely, is the issued `code`; compares the normalized forms in constant time.
    package static func matches(_ input: String, code: String) -> Bool {
        ConstantTime.equals(Array(self.normalize(input).utf8), Array(self.normalize(code).utf8))
    }
}
