import Foundation
import Hummingbird
import NIOCore

/// Encodes responses the way Mastodon does: `2025-01-01T12:00:00.000Z` dates. Entities spell their
/// snake_case keys out in `CodingKeys` (a key strategy would convert every key of every object on
/// every response: measured at about a quarter of a timeline request's CPU).
package struct MastodonJSONEncoder: ResponseEncoder {
    package init() {}

    /// The configured `JSONEncoder`; tests use it to build expected bodies.
    package static func make() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Self.timestamp(date))
        }
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }

    /// The matching decoder (tests and clients of our own JSON).
    package static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Self.parseTimestamp(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "bad date \(text)")
            }
            return date
        }
        return decoder
    }

    /// ISO 8601 in UTC with milliseconds.
    package static func timestamp(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = Int(
            millis.quotientAndRemainder(dividingBy: 1000).quotient - (millis < 0 && millis % 1000 != 0 ? 1 : 0)
        )
        let fraction = Int(millis - Int64(seconds) * 1000)
        let parts = Self.utc.dateComponents(
            [.year, .month, .day, .hour, .minute, .second],
            from: Date(timeIntervalSince1970: Double(seconds))
        )
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
            parts.year ?? 1970,
            parts.month ?? 1,
            parts.day ?? 1,
            parts.hour ?? 0,
            parts.minute ?? 0,
            parts.second ?? 0,
            fraction
        )
    }

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? .current
        return calendar
    }()

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

    /// Parses what `timestamp` writes (and the same without fractions).
    package static func parseTimestamp(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)) {
            return date
        }
        return try? Date(text, strategy: .iso8601)
    }

    package func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response
    {
        let data = try Self.make().encode(value)
        var buffer = ByteBuffer()
        buffer.writeBytes(data)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .contentLength: String(buffer.readableBytes)],
            body: .init(byteBuffer: buffer)
        )
    }
}
