import Foundation

/// A typed, time-ordered 64-bit identifier: `Account.ID`, `Status.ID`, ...
///
/// The phantom `Tag` keeps ids of different entities apart at compile time. Rendered as a decimal
/// string in JSON, as Mastodon does, because JavaScript clients cannot hold 64-bit integers.
///
/// Its comparisons and hashing are `@inlinable`: sets and dictionaries of ids in the other modules are
/// then specialized, where before each lookup fetched the generic conformance's witness table at run
/// time (2 % of a timeline request). It is `public` for that: the compiler inlines nothing of a generic
/// `package` type into another module, `@inlinable` or not (see docs/ARCHITECTURE.md).
public struct EntityID<Tag>: RawRepresentable, Hashable, Comparable, Sendable, LosslessStringConvertible {
    public let rawValue: Int64

    @inlinable public init(rawValue: Int64) {
        self.rawValue = rawValue
    }

    @inlinable public init(_ rawValue: Int64) {
        self.rawValue = rawValue
    }

    @inlinable public static func == (lhs: Self, rhs: Self) -> Bool { lhs.rawValue == rhs.rawValue }

    @inlinable public func hash(into hasher: inout Hasher) { hasher.combine(self.rawValue) }

    /// What `Set` and `Dictionary` call: written out, so that their specializations in other modules call
    /// it directly instead of through the generic conformance's witness table.
    @inlinable public func _rawHashValue(seed: Int) -> Int { self.rawValue._rawHashValue(seed: seed) }

    public init?(_ description: String) {
        guard !description.isEmpty, description.count <= 19, let value = Int64(description), value > 0 else {
            return nil
        }
        self.rawValue = value
    }

    public var description: String { String(self.rawValue) }

    @inlinable public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension EntityID: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self) {
            self.rawValue = number
            return
        }
        let string = try container.decode(String.self)
        guard let value = Int64(string) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Not a valid id")
        }
        self.rawValue = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(self.rawValue))
    }
}
