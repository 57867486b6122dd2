import Synchronization

/// A bounded map from ids to values in two generations: when the current one is full it becomes the
/// previous one (dropping the older), and a value found in the previous one moves back to the current
/// one. What was used within the last `capacity` stores stays; nothing needs a clock or a list.
///
/// Rendered JSON (MastodonAPI) and decoded rows (Storage) are kept in these; each is checked against what
/// it was made from before it is used, so nothing is ever invalidated.
package final class RecentCache<Value: AnyObject & Sendable>: Sendable {
    private struct Generations {
        var current: [Int64: Value] = [:]
        var previous: [Int64: Value] = [:]
    }

    private let generations = Mutex(Generations())
    package let capacity: Int

    package init(capacity: Int) {
        self.capacity = capacity
    }

    /// The value kept for `id`, if any (still to be checked against what it was made from).
    package func value(for id: Int64) -> Value? {
        self.generations.withLock { generations in
            if let value = generations.current[id] { return value }
            guard let value = generations.previous.removeValue(forKey: id) else { return nil }
            self.insert(value, for: id, into: &generations)
            return value
        }
    }

    package func store(_ value: Value, for id: Int64) {
        self.generations.withLock { self.insert(value, for: id, into: &$0) }
    }

    /// The value kept for `id` when `isCurrent` accepts it, else the one `make` makes, kept in its place.
    package func value(
        for id: Int64,
        where isCurrent: (Value) -> Bool,
        else make: () throws -> Value
    ) rethrows -> Value {
        if let kept = self.value(for: id), isCurrent(kept) { return kept }
        let fresh = try make()
        self.store(fresh, for: id)
        return fresh
    }

    /// How many values are kept, in both generations.
    package var count: Int {
        self.generations.withLock { $0.current.count + $0.previous.count }
    }

    private func insert(_ value: Value, for id: Int64, into generations: inout Generations) {
        if generations.current.count >= self.capacity, generations.current[id] == nil {
            generations.previous = [:]
            swap(&generations.previous, &generations.current)
        }
        generations.current[id] = value
    }
}
