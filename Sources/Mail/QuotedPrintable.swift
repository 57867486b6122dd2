/// RFC 2045 quoted-printable encoding for message bodies.
enum QuotedPrintable {
    /// The longest encoded line, soft-break `=` included.
    static let maximumLineLength = 76

    /// Encodes text with CRLF hard line breaks; any input line ending (CRLF, LF or CR) becomes CRLF.
    ///
    /// The result ends with CRLF. A leading `.` is left as is: SMTP dot-stuffing is the transport's job.
    static func encode(_ text: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        for line in Self.lines(of: text) {
            Self.encodeLine(line, into: &output)
            output.append(contentsOf: [13, 10])
        }
        return output
    }

    /// Splits on CRLF, LF and CR; a trailing line break does not produce an extra empty line.
    static func lines(of text: String) -> [ArraySlice<UInt8>] {
        let bytes = Array(text.utf8)
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 13 || byte == 10 {
                lines.append(bytes[start..<index])
                if byte == 13, index + 1 < bytes.count, bytes[index + 1] == 10 {
                    index += 1
                }
                start = index + 1
            }
            index += 1
        }
        if start < bytes.count || lines.isEmpty {
            lines.append(bytes[start..<bytes.count])
        }
        return lines
    }

    private static func encodeLine(_ line: ArraySlice<UInt8>, into output: inout [UInt8]) {
        var length = 0
        for index in line.indices {
            let byte = line[index]
            let isLast = index == line.index(before: line.endIndex)
            let literal: Bool
            switch byte {
            case 32, 9: literal = !isLast  // trailing whitespace would be stripped in transit
            case 33...126: literal = byte != UInt8(ascii: "=")
            default: literal = false
            }
            let width = literal ? 1 : 3
            // Leave room for the soft-break "=" unless this is the line's last token.
            let limit = isLast ? Self.maximumLineLength : Self.maximumLineLength - 1
            if length + width > limit {
                output.append(contentsOf: [UInt8(ascii: "="), 13, 10])
                length = 0
            }
            if literal {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "="))
                output.append(Self.hexDigit(byte >> 4))
                output.append(Self.hexDigit(byte & 0x0F))
            }
            length += width
        }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "A") + value - 10
    }
}
