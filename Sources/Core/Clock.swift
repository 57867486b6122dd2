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
    /// Milliseconds since 1970, the form every timestamp takes in storage. Rounded to the nearest: a
    /// date made from milliseconds is a binary fraction, and flooring it could lose one.
    package var millisecondsSince1970: Int64 { Int64((self.timeIntervalSince1970 * 1000).rounded()) }

    /// A date from milliseconds since 1970.
    package init(millisecondsSince1970 ms: Int64) {
        self.init(timeIntervalSince1970: Double(ms) / 1000)
    }
}
