/// Percent-encoding (RFC 3986, section 2.1) over UTF-8 bytes.
///
/// Foundation's `addingPercentEncoding` and `removingPercentEncoding` go through `NSString` and
/// CoreFoundation on Linux: on the paths every request takes (query parsing, the `Link` header, tag
/// URLs) they were the only reason the server touched that library's code at all, a few MiB of
/// resident pages. These give the same answers for the ASCII sets below.
package enum PercentEncoding {
    /// Unreserved characters: ASCII letters, digits and `-._~`.
    @inlinable
    package static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default: false
        }
    }

    /// What a URL path keeps as it is: the unreserved characters, `!$&'()*+,=@` and `/` (Foundation's
    /// `urlPathAllowed` on Linux, which escapes `:` too).
    @inlinable
    package static func isPathAllowed(_ byte: UInt8) -> Bool {
        if Self.isUnreserved(byte) { return true }
        switch byte {
        case UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("),
            UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: "="),
            UInt8(ascii: "@"), UInt8(ascii: "/"):
            return true
        default: return false
        }
    }

    /// `text` with every UTF-8 byte that `keeps` refuses written as `%XX` (upper-case hex).
    package static func encode(_ text: some StringProtocol, keeping keeps: (UInt8) -> Bool) -> String {
        let utf8 = text.utf8
        if utf8.allSatisfy(keeps) { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            if keeps(byte) {
                bytes.append(byte)
            } else {
                bytes.append(UInt8(ascii: "%"))
                bytes.append(Self.hexDigit(byte >> 4))
                bytes.append(Self.hexDigit(byte & 0x0F))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `text` with every `%XX` replaced by its byte, and with `+` read as a space when `plusAsSpace`
    /// (HTML forms). Nil when a `%` is not followed by two hex digits or the bytes are not UTF-8, as
    /// Foundation's `removingPercentEncoding` answers.
    package static func decode(_ text: some StringProtocol, plusAsSpace: Bool = false) -> String? {
        let utf8 = text.utf8
        if !utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusAsSpace && $0 == UInt8(ascii: "+")) }) {
            return String(text)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            utf8.formIndex(after: &index)
            switch byte {
            case UInt8(ascii: "%"):
                guard index != utf8.endIndex, let high = Self.hexValue(utf8[index]) else { return nil }
                utf8.formIndex(after: &index)
                guard index != utf8.endIndex, let low = Self.hexValue(utf8[index]) else { return nil }
                utf8.formIndex(after: &index)
                bytes.append(high << 4 | low)
            case UInt8(ascii: "+") where plusAsSpace:
                bytes.append(UInt8(ascii: " "))
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "A") + value - 10
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
