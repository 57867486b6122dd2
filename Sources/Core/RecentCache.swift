import Synchronization

/// A bounded map from ids to values in two generations: when the current one is full it becomes the
/// previous one (dropping the older), and a value found in the previous one moves back to the current
/// one. What was used within the last `capacity` stores stays; nothing needs a clock or a list.
///
/// Rendered JSON (MastodonAPI) and decoded rows (Storage) are kept in these; each is checked against what
/// it was made from before it is used, so nothing is ever invalidated.
///
/// The map itself holds plain objects and is not generic: generic, it looked up its dictionary's type at
/// run time on every call (a twentieth of a timeline request), as other modules did not specialize it.
/// `public`, not `package`, so that they can: the compiler inlines nothing of a generic `package` type into
/// another module, `@inlinable` or not.
public final class RecentCache<Value: AnyObject & Sendable>: Sendable {
    private let objects: RecentObjects

    public init(capacity: Int) {
        self.objects = RecentObjects(capacity: capacity)
    }

    /// The value kept for `id`, if any (still to be checked against what it was made from).
    @inlinable
    public func value(for id: Int64) -> Value? {
        guard let object = self.object(for: id) else { return nil }
        return unsafeDowncast(object, to: Value.self)
    }

    @inlinable
    public func store(_ value: Value, for id: Int64) {
        self.store(object: value, for: id)
    }

    /// The value kept for `id` when `isCurrent` accepts it, else the one `make` makes, kept in its place.
    @inlinable
    public func value(
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
    public var count: Int { self.objects.count }

    @usableFromInline
    func object(for id: Int64) -> (any AnyObject & Sendable)? { self.objects.object(for: id) }

    @usableFromInline
    func store(object: any AnyObject & Sendable, for id: Int64) { self.objects.store(object, for: id) }
}

/// `RecentCache`'s map, of objects of any one class.
private final class RecentObjects: Sendable {
    private struct Generations {
        var current: [Int64: any AnyObject & Sendable] = [:]
        var previous: [Int64: any AnyObject & Sendable] = [:]
    }

    private let generations = Mutex(Generations())
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    func object(for id: Int64) -> (any AnyObject & Sendable)? {
        self.generations.withLock { generations in
            if let object = generations.current[id] { return object }
            guard let object = generations.previous.removeValue(forKey: id) else { return nil }
            self.insert(object, for: id, into: &generations)
            return object
        }
    }

    func store(_ object: any AnyObject & Sendable, for id: Int64) {
        self.generations.withLock { self.insert(object, for: id, into: &$0) }
    }

    var count: Int {
        self.generations.withLock { $0.current.count + $0.previous.count }
    }

    private func insert(_ object: any AnyObject & Sendable, for id: Int64, into generations: inout Generations) {
        if generations.current.count >= self.capacity, generations.current[id] == nil {
            generations.previous = [:]
            swap(&generations.previous, &generations.current)
        }
        generations.current[id] = object
    }
}
