import Foundation
import HTTPCommon
import Testing

@Suite struct TimestampTests {
    @Test("timestamps match Foundation's ISO 8601 formatter, leap days and centuries included")
    func matchesFoundation() {
        let reference = ISO8601DateFormatter()
        reference.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        reference.timeZone = TimeZone(secondsFromGMT: 0)
        var dates: [Date] = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 951_782_400),  // 2000-02-29
            Date(timeIntervalSince1970: 4_107_542_400),  // 2100-03-01
            Date(timeIntervalSince1970: -86_400.5), Date(timeIntervalSince1970: 1_790_000_000.123),
            Date(timeIntervalSince1970: 253_402_300_799.999),  // 9999-12-31T23:59:59.999
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let millis = Int64.random(in: -2_208_988_800_000...4_102_444_800_000, using: &generator)
            dates.append(Date(timeIntervalSince1970: Double(millis) / 1000))
        }
        for date in dates {
            #expect(
                MastodonJSONEncoder.timestamp(date) == reference.string(from: date),
                "\(date.timeIntervalSince1970)"
            )
        }
    }
}
