import Foundation

/// Base64url (RFC 4648, section 5): base64 with `-` and `_` for `+` and `/`, written without padding.
/// Used by PKCE challenges, VAPID keys and Web Push payload keys. The character swaps run over bytes:
/// Foundation's `replacingOccurrences` goes through `NSString` and CoreFoundation on Linux.
package enum Base64URL {
    /// The bytes in base64url, unpadded.
    package static func encode(_ bytes: some DataProtocol) -> String {
        let standard = Data(bytes).base64EncodedString()
        var out: [UInt8] = []
        out.reserveCapacity(standard.utf8.count)
        for byte in standard.utf8 {
            switch byte {
            case UInt8(ascii: "+"): out.append(UInt8(ascii: "-"))
            case UInt8(ascii: "/"): out.append(UInt8(ascii: "_"))
            case UInt8(ascii: "="): continue
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes base64url or standard base64, padded or not, around whitespace. Nil when it is neither.
    package static func decode(_ text: String) -> Data? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 3)
        for byte in text.trimmingWhitespace().utf8 {
            switch byte {
            case UInt8(ascii: "-"): bytes.append(UInt8(ascii: "+"))
            case UInt8(ascii: "_"): bytes.append(UInt8(ascii: "/"))
            default: bytes.append(byte)
            }
        }
        while bytes.count % 4 != 0 { bytes.append(UInt8(ascii: "=")) }
        return Data(base64Encoded: Data(bytes))
    }
}
