import Foundation
import Testing

@testable import Core

@Suite("Stored milliseconds")
struct ClockTests {
    @Test("A date made from milliseconds gives the same milliseconds back")
    func roundTrip() {
        var ms: Int64 = 1_700_000_000_000
        for step in 0..<5_000 {
            ms += Int64(step % 997) + 1
            #expect(Date(millisecondsSince1970: ms).millisecondsSince1970 == ms)
        }
    }

    @Test("A stored time is never later than the moment it records")
    func neverInTheFuture() {
        for fraction in stride(from: 0.0001, to: 0.001, by: 0.0001) {
            let date = Date(timeIntervalSince1970: 1_763_796_727.154 + fraction)
            let stored = Date(millisecondsSince1970: date.millisecondsSince1970)
            #expect(stored <= date, "\(date.timeIntervalSince1970) stored as \(stored.timeIntervalSince1970)")
        }
    }
}
