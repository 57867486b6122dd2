import Core
import Crypto
import Foundation

/// Random secrets and their stored hashes.
package enum Secrets {
    /// A URL-safe random token of `bytes` bytes of entropy (tokens, codes, client ids, session ids).
    package static func token(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let data = Data((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
        return self.base64URL(data)
    }

    /// Lowercase hex SHA-256: what is stored for a token so a database leak gives no usable credential.
    package static func sha256Hex(_ text: String) -> String {
        var text = text
        // The bytes in place: a `Data` copy of them was a tenth of a signed-in request's authentication.
        return text.withUTF8 { bytes in
            var hasher = SHA256()
            hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
            return hasher.finalize().lowercaseHex
        }
    }

    /// Base64url without padding (RFC 7636's encoding of the PKCE challenge).
    package static func base64URL(_ data: some DataProtocol) -> String { Base64URL.encode(data) }

    /// The S256 PKCE challenge of a verifier.
    package static func pkceChallenge(_ verifier: String) -> String {
        self.base64URL(Data(SHA256.hash(data: Data(verifier.utf8))))
    }

    /// Compares two strings in time that does not depend on where they differ.
    package static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<x.count { difference |= x[index] ^ y[index] }
        return difference == 0
    }

    /// A readable random password for the admin CLI: 24 characters from an unambiguous alphabet.
    package static func password() -> String {
        self.readable(length: 24)
    }

    /// Random characters from an alphabet without look-alikes (no 0/O, 1/l/I): about 5.8 bits each.
    /// Eight of them make an invite code, as Mastodon's are.
    package static func readable(length: Int) -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
