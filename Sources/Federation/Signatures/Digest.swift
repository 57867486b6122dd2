import Crypto
import Foundation

/// The `Digest` request header (RFC 3230) as used alongside HTTP signatures.
package enum Digest {
    /// `SHA-256=<base64>` for `body`.
    package static func header(for body: some DataProtocol) -> String {
        "SHA-256=" + Data(SHA256.hash(data: body)).base64EncodedString()
    }

    /// True when `header` has a SHA-256 entry (algorithm name case-insensitive) matching `body`.
    ///
    /// The header may list several comma-separated entries (`SHA-256=…,SHA-512=…`); SHA-512 entries are checked
    /// too, and entries for other algorithms are ignored. False when no SHA-256 or SHA-512 entry is present, or
    /// when any of them does not match.
    package static func matches(_ header: String, body: Data) -> Bool {
        var sawSupported = false
        var sha256: Data?
        var sha512: Data?
        for entry in header.split(separator: ",") {
            guard let equals = entry.firstIndex(of: "=") else { continue }
            let name = entry[..<equals].trimmingASCIIWhitespace()
            let value = entry[entry.index(after: equals)...].trimmingASCIIWhitespace()
            let expected: Data
            if name.utf8.count == 7, name.lowercased() == "sha-256" {
                if sha256 == nil { sha256 = Data(SHA256.hash(data: body)) }
                expected = sha256!
            } else if name.utf8.count == 7, name.lowercased() == "sha-512" {
                if sha512 == nil { sha512 = Data(SHA512.hash(data: body)) }
                expected = sha512!
            } else {
                continue
            }
            sawSupported = true
            guard let given = Data(base64Encoded: String(value)), given == expected else { return false }
        }
        return sawSupported
    }
}

extension Substring {
    /// The substring without leading and trailing spaces and tabs.
    fileprivate func trimmingASCIIWhitespace() -> Substring {
        var start = startIndex
        var end = endIndex
        while start < end, self[start] == " " || self[start] == "\t" { start = index(after: start) }
        while end > start {
            let previous = index(before: end)
            guard self[previous] == " " || self[previous] == "\t" else { break }
            end = previous
        }
        return self[start..<end]
    }
}
