import Foundation
import Hummingbird
import NIOCore

/// Encodes responses the way Mastodon does: `2025-01-01T12:00:00.000Z` dates. Entities spell their
/// snake_case keys out in `CodingKeys` (a key strategy would convert every key of every object on
/// every response: measured at about a quarter of a timeline request's CPU). Bodies are written by
/// `StreamingJSONEncoder`, which writes as it goes instead of building a tree first.
package struct MastodonJSONEncoder: ResponseEncoder {
    package init() {}

    /// Foundation's `JSONEncoder` configured the same way: what `StreamingJSONEncoder` is checked against.
    package static func make() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Self.timestamp(date))
        }
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }

    /// ISO 8601 in UTC with milliseconds: `2025-01-01T12:00:00.000Z`.
    ///
    /// Written out with integer arithmetic (days to civil date, after Howard Hinnant's algorithm): the
    /// `Calendar` and `String(format:)` route cost a quarter of all JSON encoding on a timeline.
    package static func timestamp(_ date: Date) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        Self.appendTimestamp(date, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the `timestamp(_:)` of `date` to `bytes` (without quotes).
    package static func appendTimestamp(_ date: Date, to bytes: inout [UInt8]) {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (seconds, fraction) = millis.quotientAndRemainder(dividingBy: 1000)
        let (daysRaw, secondOfDay) = seconds.quotientAndRemainder(dividingBy: 86_400)
        var days = daysRaw
        var second = secondOfDay
        var milli = fraction
        if milli < 0 {
            milli += 1000
            second -= 1
        }
        if second < 0 {
            second += 86_400
            days -= 1
        }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)

        // Fixed-width fields, each digit by one division by a constant (the compiler makes it a multiply).
        func digit(_ value: Int64) { bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10)) }
        func two(_ value: Int64) {
            digit(value / 10)
            digit(value)
        }
        two(year / 100)
        two(year)
        bytes.append(UInt8(ascii: "-"))
        two(month)
        bytes.append(UInt8(ascii: "-"))
        two(day)
        bytes.append(UInt8(ascii: "T"))
        two(second / 3600)
        bytes.append(UInt8(ascii: ":"))
        two((second % 3600) / 60)
        bytes.append(UInt8(ascii: ":"))
        two(second % 60)
        bytes.append(UInt8(ascii: "."))
        digit(milli / 100)
        two(milli)
        bytes.append(UInt8(ascii: "Z"))
    }

    /// Parses an ISO 8601 date-time as clients send it: `Z`, `+00:00` or `+0000`, with or without fractions.
    package static func parseClientDate(_ text: String) -> Date? {
        guard text.count <= 40 else { return nil }
        for options: ISO8601DateFormatter.Options in [
            [.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime],
        ] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    /// A `200 OK` JSON response of `value`, written by `StreamingJSONEncoder`.
    package static func response(_ value: some Encodable) throws -> Response {
        let bytes = try StreamingJSONEncoder.encode(value)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .contentLength: String(bytes.count)],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }

    package func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response
    {
        try Self.response(value)
    }
}
