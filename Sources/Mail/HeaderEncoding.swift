import Foundation

/// Header field encoding: RFC 2047 encoded-words, display names, folding and the RFC 5322 date.
enum HeaderEncoding {
    /// Recommended line length from RFC 5322; folding happens at spaces to stay under it where possible.
    static let foldLength = 78
    /// Raw bytes per encoded-word: 45 bytes become 60 base64 characters, 72 with `=?UTF-8?B?` and `?=`.
    static let bytesPerEncodedWord = 45

    /// Encodes unstructured text (Subject, extra header values): control characters become spaces, and text that is
    /// not plain ASCII becomes a run of `=?UTF-8?B?…?=` words separated by spaces.
    static func unstructured(_ text: String) -> String {
        let cleaned = String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }
            )
        )
        let needsEncoding =
            !cleaned.allSatisfy(\.isASCII) || cleaned.contains("=?")
            || cleaned.split(separator: " ").contains { $0.utf8.count > 70 }
        return needsEncoding ? Self.encodedWords(cleaned) : cleaned
    }

    /// Splits text into base64 encoded-words on Unicode scalar boundaries.
    static func encodedWords(_ text: String) -> String {
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > Self.bytesPerEncodedWord {
                words.append(Self.encodedWord(chunk))
                chunk = []
            }
            chunk.append(contentsOf: bytes)
        }
        if !chunk.isEmpty || words.isEmpty {
            words.append(Self.encodedWord(chunk))
        }
        return words.joined(separator: " ")
    }

    private static func encodedWord(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?\(Data(bytes).base64EncodedString())?="
    }

    /// Formats `Name <address>`, quoting or encoding the display name as needed.
    static func mailbox(_ address: MailAddress) -> String {
        guard let name = address.name else { return address.asciiAddress }
        return "\(Self.displayName(name)) <\(address.asciiAddress)>"
    }

    static func displayName(_ name: String) -> String {
        let scalars = name.unicodeScalars
        if scalars.allSatisfy({ $0.isASCII }) && !name.contains("=?") {
            if scalars.allSatisfy({ MailAddress.isAtext($0) || $0 == " " }) && !name.hasPrefix(" ") {
                return name
            }
            var quoted = "\""
            for scalar in scalars {
                if scalar == "\"" || scalar == "\\" {
                    quoted.unicodeScalars.append("\\")
                }
                quoted.unicodeScalars.append(scalar)
            }
            return quoted + "\""
        }
        return Self.encodedWords(name)
    }

    /// Renders `Name: value` with CRLF, folding at spaces so lines stay within 78 octets where the value allows.
    static func field(_ name: String, _ value: String) -> [UInt8] {
        var output: [UInt8] = Array(name.utf8) + [UInt8(ascii: ":")]
        var lineLength = output.count
        for word in value.split(separator: " ", omittingEmptySubsequences: false) {
            let width = word.utf8.count + 1
            if lineLength + width > Self.foldLength && lineLength > name.utf8.count + 1 {
                output.append(contentsOf: [13, 10])
                lineLength = 0
            }
            output.append(UInt8(ascii: " "))
            output.append(contentsOf: word.utf8)
            lineLength += width
        }
        output.append(contentsOf: [13, 10])
        return output
    }

    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Formats a date as RFC 5322 requires, in UTC: `Tue, 03 Mar 2026 09:05:00 +0000`.
    static func date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        let weekday = Self.weekdays[((parts.weekday ?? 1) - 1) % 7]
        let month = Self.months[((parts.month ?? 1) - 1) % 12]
        func two(_ value: Int?) -> String {
            let value = value ?? 0
            return value < 10 ? "0\(value)" : "\(value)"
        }
        return "\(weekday), \(two(parts.day)) \(month) \(parts.year ?? 1970) "
            + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }
}
