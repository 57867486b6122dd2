/// A value kept in one heap allocation that copies share until one of them changes it (copy on
/// write), for models made of many strings: copying one is a single retain instead of one per
/// string, and copies of the same value compare by identity before comparing fields.
///
/// Read the fields through `value` (borrowed, nothing copied) and change them through it (a shared
/// allocation is copied first). Sendable like its value: a change never reaches an allocation
/// another copy can see.
///
/// `public`, not `package`: the compiler inlines nothing of a generic `package` type into another module,
/// `@inlinable` or not, and each call from the views (Processing) then looked its types up at run time.
public struct CopyOnWrite<Value: Sendable>: @unchecked Sendable {
    @usableFromInline
    final class Box {
        // Written only through `value` below, after making sure no other copy holds this box.
        @exclusivity(unchecked) @usableFromInline var value: Value

        @inlinable
        init(_ value: Value) {
            self.value = value
        }
    }

    @usableFromInline var box: Box

    // Inlinable: the models of other modules change fields through `value`, and a generic `_modify`
    // looked up its types at run time on each change.
    @inlinable
    public init(_ value: Value) {
        self.box = Box(value)
    }

    @inlinable
    public var value: Value {
        _read { yield self.box.value }
        _modify {
            if !isKnownUniquelyReferenced(&self.box) { self.box = Box(self.box.value) }
            yield &self.box.value
        }
    }

    /// Changes the value in place (a shared allocation is copied first), as `value`'s setter does, but as a
    /// plain function: other modules specialize it, where they call the generic `_modify` coroutine as it
    /// is, looking its types up at run time (3 % of a home request, through the views' setters).
    @inlinable
    public mutating func update<R>(_ change: (inout Value) throws -> R) rethrows -> R {
        if !isKnownUniquelyReferenced(&self.box) { self.box = Box(self.box.value) }
        return try change(&self.box.value)
    }
}

extension CopyOnWrite: Equatable where Value: Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.box === rhs.box || lhs.box.value == rhs.box.value
    }
}
