import Foundation
import Synchronization

/// Makes time-ordered 64-bit ids: milliseconds since 1970 in the high bits, then 6 bits of node and
/// 10 bits of sequence.
///
/// Ordering by id is ordering by creation time, so `max_id`/`since_id` pagination is a plain
/// `ORDER BY id`. The node bits keep two processes sharing one PostgreSQL database apart; within a
/// process the sequence makes ids unique, borrowing the next millisecond when 1,024 were taken.
package final class IDGenerator: Sendable {
    private struct State {
        var lastMillis: Int64 = 0
        var sequence: Int64 = 0
    }

    private let node: Int64
    private let clock: Clock
    private let state = Mutex(State())

    /// - Parameter node: 0...63; defaults to a random value so processes rarely share one.
    package init(node: Int64 = Int64.random(in: 0..<64), clock: Clock = .system) {
        self.node = node & 0x3F
        self.clock = clock
    }

    /// The next id; strictly greater than every id this generator returned before.
    package func next() -> Int64 {
        let now = Int64((self.clock.now().timeIntervalSince1970 * 1000).rounded(.down))
        return self.state.withLock { state in
            if now > state.lastMillis {
                state.lastMillis = now
                state.sequence = 0
            } else {
                state.sequence += 1
                if state.sequence >= 1024 {
                    state.lastMillis += 1
                    state.sequence = 0
                }
            }
            return (state.lastMillis << 16) | (self.node << 10) | state.sequence
        }
    }

    /// The next id, typed.
    package func next<Tag>(_: Tag.Type = Tag.self) -> EntityID<Tag> {
        EntityID(rawValue: self.next())
    }

    /// The smallest id that could have been made at `date`: the lower bound for "created after".
    package static func lowerBound(for date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) << 16
    }
}
