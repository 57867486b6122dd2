import Foundation

/// Where "now" comes from. Tests pass a clock they control (token expiry, TOTP, job back-off).
package struct Clock: Sendable {
    private let read: @Sendable () -> Date

    package init(_ read: @escaping @Sendable () -> Date) {
        self.read = read
    }

    /// The current time.
    package func now() -> Date { self.read() }

    /// The wall clock.
    package static let system = Clock { Date() }
}

extension Date {
    /// Milliseconds since 1970, the form every timestamp takes in storage. Truncated, so a stored time
    /// is never later than the moment it records: rounding up let an invite expired "now" read back
    /// as still usable for the rest of that millisecond. A date made from milliseconds is a binary
    /// fraction a few nanoseconds either side of its value, so the floor is taken a microsecond up to
    /// give the same milliseconds back.
    package var millisecondsSince1970: Int64 {
        Int64((self.timeIntervalSince1970 * 1000 + 0.001).rounded(.down))
    }

    /// A date from milliseconds since 1970.
    package init(millisecondsSince1970 ms: Int64) {
        self.init(timeIntervalSince1970: Double(ms) / 1000)
    }
}
