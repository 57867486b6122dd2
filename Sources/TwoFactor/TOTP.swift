import Crypto
import Foundation

/// A time-based one-time password generator and checker (RFC 6238, on HOTP from RFC 4226).
///
/// The defaults (SHA-1, 6 digits, 30 seconds) are the only ones every authenticator app supports; the others exist
/// for the RFC test vectors and for apps that honour the `algorithm`, `digits` and `period` URI parameters.
package struct TOTP: Sendable {
    /// The HMAC hash function of the HOTP computation.
    package enum Algorithm: String, CaseIterable, Sendable {
        /// HMAC-SHA-1, the default and the one every app supports.
        case sha1 = "SHA1"
        /// HMAC-SHA-256.
        case sha256 = "SHA256"
        /// HMAC-SHA-512.
        case sha512 = "SHA512"
    }

    /// The shared secret; 20 random bytes (160 bits, the HMAC-SHA-1 block output size RFC 4226 recommends) by default.
    package let secret: [UInt8]
    /// Number of decimal digits in a code; 6 to 8 are what apps accept. Values outside 1...10 are clamped.
    package var digits = 6
    /// Length of one time step in seconds. Values below 1 are treated as 1.
    package var period = 30
    /// The HMAC hash function.
    package var algorithm = Algorithm.sha1

    /// Makes a new random 20-byte secret from the system's cryptographically secure generator.
    package static func generateSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<20).map { _ in generator.next() }
    }

    /// A generator for `secret`, a fresh random one by default.
    package init(
        secret: [UInt8] = TOTP.generateSecret(),
        digits: Int = 6,
        period: Int = 30,
        algorithm: Algorithm = .sha1
    ) {
        self.secret = secret
        self.digits = digits
        self.period = period
        self.algorithm = algorithm
    }

    /// A generator for a base32 secret as stored or typed (case, padding, spaces and dashes are forgiven); nil when
    /// the text is not base32 or decodes to nothing.
    package init?(base32: String, digits: Int = 6, period: Int = 30, algorithm: Algorithm = .sha1) {
        guard let secret = Base32.decode(base32), !secret.isEmpty else {
            return nil
        }
        self.init(secret: secret, digits: digits, period: period, algorithm: algorithm)
    }

    /// The secret in RFC 4648 base32 without padding, as the `secret` URI parameter and manual entry expect.
    package var base32Secret: String {
        Base32.encode(self.secret)
    }

    /// The time step that contains `date`: whole periods since the Unix epoch (negative before it).
    package func step(at date: Date) -> Int64 {
        let step = (date.timeIntervalSince1970 / Double(self.effectivePeriod)).rounded(.down)
        return Int64(exactly: step) ?? (step < 0 ? .min : .max)
    }

    /// The code for the time step containing `date`, zero-padded to `digits`.
    package func code(at date: Date) -> String {
        self.code(forStep: self.step(at: date))
    }

    /// The code for one time step (HOTP with the step as counter), zero-padded to `digits`.
    package func code(forStep step: Int64) -> String {
        let digits = self.effectiveDigits
        let value = UInt64(self.truncatedHMAC(counter: UInt64(bitPattern: step))) % Self.powersOfTen[digits]
        let decimal = String(value)
        return String(repeating: "0", count: digits - decimal.count) + decimal
    }

    /// The matched step when `code` matches the step of `date` or one step either side (clock drift), and that step
    /// is later than `lastUsedStep` (replay protection: a used code can't be used again); nil otherwise.
    ///
    /// Spaces in `code` are ignored ("123 456"); anything but exactly `digits` ASCII digits is rejected. Codes are
    /// compared in constant time. The caller must store the returned step as the new `lastUsedStep` in the same
    /// transaction that signs the user in, which also rejects any code from an earlier step.
    package func verify(_ code: String, at date: Date, lastUsedStep: Int64?) -> Int64? {
        let entered = Array(code.utf8.filter { $0 != UInt8(ascii: " ") })
        guard entered.count == self.effectiveDigits,
            entered.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else {
            return nil
        }
        let current = self.step(at: date)
        var matched: Int64?
        // Every candidate is computed and compared so the time taken doesn't tell which step matched. The current
        // step is preferred, then the earlier one (a slow clock or typist is more common than a fast clock).
        for offset: Int64 in [1, -1, 0] {
            let (candidate, overflow) = current.addingReportingOverflow(offset)
            let equal = ConstantTime.equals(entered, Array(self.code(forStep: candidate).utf8))
            if !overflow, equal, candidate > (lastUsedStep ?? .min) {
                matched = candidate
            }
        }
        return matched
    }

    /// An `otpauth://totp/` key URI for enrolling an authenticator app, usually shown as a QR code.
    ///
    /// The label is `issuer:accountName` and the `issuer` parameter is set too, as Google's key URI format asks. Both
    /// parts are percent-encoded as UTF-8 with only RFC 3986 unreserved characters left bare, so a colon inside the
    /// issuer or account becomes `%3A` and can't be mistaken for the separator, and a space becomes `%20` (not `+`,
    /// which some apps show literally). An empty issuer leaves the label as the account name alone.
    package func provisioningURI(accountName: String, issuer: String) -> String {
        let account = Self.percentEncode(accountName)
        var uri = "otpauth://totp/"
        if issuer.isEmpty {
            uri += account + "?secret=" + self.base32Secret
        } else {
            let encodedIssuer = Self.percentEncode(issuer)
            uri += encodedIssuer + ":" + account + "?secret=" + self.base32Secret + "&issuer=" + encodedIssuer
        }
        uri += "&algorithm=\(self.algorithm.rawValue)&digits=\(self.effectiveDigits)&period=\(self.effectivePeriod)"
        return uri
    }

    private static let powersOfTen: [UInt64] = (0...10).map { exponent in
        (0..<exponent).reduce(1) { power, _ in power * 10 }
    }

    /// `digits` within 1...10 (a truncated HMAC has at most 10 decimal digits).
    private var effectiveDigits: Int {
        min(max(self.digits, 1), 10)
    }

    /// `period`, at least one second.
    private var effectivePeriod: Int {
        max(self.period, 1)
    }

    /// HOTP's dynamic truncation (RFC 4226 §5.3): 31 bits of the HMAC of the big-endian counter.
    private func truncatedHMAC(counter: UInt64) -> UInt32 {
        let message = withUnsafeBytes(of: counter.bigEndian) { Array($0) }
        let key = SymmetricKey(data: self.secret)
        let mac: [UInt8] =
            switch self.algorithm {
            case .sha1: Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: key))
            case .sha256: Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
            case .sha512: Array(HMAC<SHA512>.authenticationCode(for: message, using: key))
            }
        let offset = Int(mac[mac.count - 1] & 0x0F)
        return mac[offset..<offset + 4].reduce(0) { ($0 << 8) | UInt32($1) } & 0x7FFF_FFFF
    }

    /// Percent-encodes the UTF-8 bytes of `text`, leaving only `A–Z a–z 0–9 - . _ ~` as they are.
    private static func percentEncode(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                output.append(byte)
            default:
                output += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
