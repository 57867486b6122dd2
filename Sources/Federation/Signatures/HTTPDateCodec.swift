import Foundation

/// Formats and parses HTTP-dates (RFC 9110 section 5.6.7) without DateFormatter, so it is cheap and thread-safe.
enum HTTPDateCodec {
    private static let weekdayNames: [StaticString] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let monthNames: [StaticString] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    private static let longWeekdayNames = [
        "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    ]

    /// `Sun, 06 Nov 1994 08:49:37 GMT`; fractions of a second are dropped, years are clamped to 0...9999.
    static func format(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        let clamped = min(max(interval.rounded(.down), -62_167_219_200), 253_402_300_799)
        let seconds = Int64(clamped)
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let (year, month, day) = civilDate(fromDays: days)
        let weekday = Int(((days % 7) + 11) % 7)  // 1970-01-01 was a Thursday.
        let hour = Int(secondOfDay / 3600)
        let minute = Int(secondOfDay / 60 % 60)
        let second = Int(secondOfDay % 60)

        return String(unsafeUninitializedCapacity: 29) { buffer in
            var index = 0
            func put(_ byte: UInt8) {
                buffer[index] = byte
                index += 1
            }
            func putName(_ name: StaticString) {
                name.withUTF8Buffer { for byte in $0 { put(byte) } }
            }
            func putDigits(_ value: Int, count: Int) {
                var divisor = 1
                for _ in 1..<count { divisor *= 10 }
                while divisor > 0 {
                    put(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                    divisor /= 10
                }
            }
            putName(weekdayNames[weekday])
            put(UInt8(ascii: ","))
            put(UInt8(ascii: " "))
            putDigits(day, count: 2)
            put(UInt8(ascii: " "))
            putName(monthNames[month - 1])
            put(UInt8(ascii: " "))
            putDigits(year, count: 4)
            put(UInt8(ascii: " "))
            putDigits(hour, count: 2)
            put(UInt8(ascii: ":"))
            putDigits(minute, count: 2)
            put(UInt8(ascii: ":"))
            putDigits(second, count: 2)
            putName(" GMT")
            return index
        }
    }

    /// Parses IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime
    /// (`Sun Nov  6 08:49:37 1994`); names are matched without regard to case and surrounding whitespace is ignored.
    static func parse(_ value: String) -> Date? {
        var value = value
        return value.withUTF8 { bytes in
            var scanner = Scanner(bytes: bytes)
            return scanner.parseDate()
        }
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        var end: Int

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
            self.end = bytes.count
            while index < end, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
            while end > index, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        }

        mutating func parseDate() -> Date? {
            let nameStart = index
            while index < end, isLetter(bytes[index]) { index += 1 }
            let nameLength = index - nameStart
            guard index < end else { return nil }

            let year: Int
            let month: Int
            let day: Int
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                guard expect(UInt8(ascii: " ")) else { return nil }
                if nameLength == 3 {
                    // IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`
                    guard matchesShortWeekday(at: nameStart),
                        let parsedDay = digits(2), expect(UInt8(ascii: " ")),
                        let parsedMonth = monthName(), expect(UInt8(ascii: " ")),
                        let parsedYear = digits(4), expect(UInt8(ascii: " "))
                    else { return nil }
                    (year, month, day) = (parsedYear, parsedMonth, parsedDay)
                } else {
                    // RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT`
                    guard matchesLongWeekday(at: nameStart, length: nameLength),
                        let parsedDay = digits(2), expect(UInt8(ascii: "-")),
                        let parsedMonth = monthName(), expect(UInt8(ascii: "-")),
                        let shortYear = digits(2), expect(UInt8(ascii: " "))
                    else { return nil }
                    (year, month, day) = (shortYear < 50 ? 2000 + shortYear : 1900 + shortYear, parsedMonth, parsedDay)
                }
                guard let time = timeOfDay(), expect(UInt8(ascii: " ")), letters("gmt"), index == end else {
                    return nil
                }
                return makeDate(year: year, month: month, day: day, time: time)
            }

            // asctime: `Sun Nov  6 08:49:37 1994`
            guard nameLength == 3, matchesShortWeekday(at: nameStart), expect(UInt8(ascii: " ")),
                let parsedMonth = monthName(), expect(UInt8(ascii: " "))
            else { return nil }
            if index < end, bytes[index] == UInt8(ascii: " ") { index += 1 }
            guard let parsedDay = digits(1) else { return nil }
            var dayValue = parsedDay
            if let second = digits(1) { dayValue = dayValue * 10 + second }
            guard expect(UInt8(ascii: " ")), let time = timeOfDay(), expect(UInt8(ascii: " ")),
                let parsedYear = digits(4), index == end
            else { return nil }
            return makeDate(year: parsedYear, month: parsedMonth, day: dayValue, time: time)
        }

        private func makeDate(year: Int, month: Int, day: Int, time: Int) -> Date? {
            guard day >= 1, day <= HTTPDateCodec.daysInMonth(year: year, month: month) else { return nil }
            let days = HTTPDateCodec.daysFromCivil(year: year, month: month, day: day)
            return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + Int64(time)))
        }

        /// `HH:MM:SS` as seconds since midnight.
        private mutating func timeOfDay() -> Int? {
            guard let hour = digits(2), hour < 24, expect(UInt8(ascii: ":")),
                let minute = digits(2), minute < 60, expect(UInt8(ascii: ":")),
                let second = digits(2), second <= 60
            else { return nil }
            return hour * 3600 + minute * 60 + second
        }

        private mutating func expect(_ byte: UInt8) -> Bool {
            guard index < end, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        private mutating func digits(_ count: Int) -> Int? {
            guard end - index >= count else { return nil }
            var value = 0
            for offset in 0..<count {
                let byte = bytes[index + offset]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            index += count
            return value
        }

        /// Consumes `lowercase` (ASCII letters) matched without regard to case.
        private mutating func letters(_ lowercase: StaticString) -> Bool {
            let count = lowercase.utf8CodeUnitCount
            guard end - index >= count else { return false }
            let matches = lowercase.withUTF8Buffer { expected in
                (0..<count).allSatisfy { bytes[index + $0] | 0x20 == expected[$0] }
            }
            if matches { index += count }
            return matches
        }

        /// A three-letter month name as 1...12.
        private mutating func monthName() -> Int? {
            guard end - index >= 3 else { return nil }
            for (offset, name) in HTTPDateCodec.monthNames.enumerated() where matchesName(name, at: index) {
                index += 3
                return offset + 1
            }
            return nil
        }

        private func matchesShortWeekday(at position: Int) -> Bool {
            HTTPDateCodec.weekdayNames.contains { matchesName($0, at: position) }
        }

        private func matchesLongWeekday(at position: Int, length: Int) -> Bool {
            let name = String(
                decoding: UnsafeBufferPointer(rebasing: bytes[position..<position + length]),
                as: UTF8.self
            )
            return HTTPDateCodec.longWeekdayNames.contains(name.lowercased())
        }

        private func matchesName(_ name: StaticString, at position: Int) -> Bool {
            name.withUTF8Buffer { expected in
                (0..<3).allSatisfy { bytes[position + $0] | 0x20 == expected[$0] | 0x20 }
            }
        }

        private func isLetter(_ byte: UInt8) -> Bool {
            (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
        }
    }

    private static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: 31
        case 4, 6, 9, 11: 30
        default: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        }
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date.
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date `days` after 1970-01-01.
    private static func civilDate(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }
}
