import Foundation

/// A JSON encoder that writes bytes as `encode(to:)` calls arrive, instead of building a tree of
/// boxed values first as Foundation's `JSONEncoder` does (which measured at a quarter of a timeline
/// request's CPU). It produces what `MastodonJSONEncoder.make()` produces: the same keys in the order
/// `encode(to:)` writes them, `2025-01-01T12:00:00.000Z` dates, unescaped slashes, `nil` optionals
/// left out unless written as `null`.
///
/// Being a stream, it needs what synthesized `Codable` does anyway: a container is filled before its
/// parent goes on (a nested container left open is closed the moment its parent writes again) and a
/// key is written once. Non-finite numbers throw, as they do with `JSONEncoder`.
package enum StreamingJSONEncoder {
    /// The JSON text of `value`.
    package static func encode(_ value: some Encodable) throws -> [UInt8] {
        let writer = JSONStreamWriter()
        try writer.value(value)
        writer.close(to: 0)
        return writer.bytes
    }
}

/// The writer behind `StreamingJSONEncoder`: one per document, and the `Encoder` for every value in it.
/// The hottest entities skip the `Codable` containers and write themselves through `direct(_:)`.
///
/// Its state is marked `@exclusivity(unchecked)`: a writer belongs to one document on one task, and its
/// accesses never overlap, but the runtime's check of each access to a class's property (taken on every
/// byte appended) measured at 17 % of a timeline request's instructions.
package final class JSONStreamWriter: Encoder {
    @exclusivity(unchecked) private(set) var bytes: [UInt8] = []
    /// The closing byte of each open object or array, innermost last.
    @exclusivity(unchecked) private var closers: [UInt8] = []
    /// How many members each open container holds so far (to place the commas).
    @exclusivity(unchecked) private var counts: [Int] = []
    /// A value was asked for and nothing of it is written yet.
    @exclusivity(unchecked) private var pending = false

    package var codingPath: [any CodingKey] { [] }
    package var userInfo: [CodingUserInfoKey: Any] { [:] }

    init() {
        self.bytes.reserveCapacity(16_384)
    }

    /// A writer that goes on from `bytes` (what `JSONDirectWriter` hands over to write a nested value).
    init(adopting bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The bytes written, leaving this writer empty (so that whoever takes them holds the only reference).
    func takeBytes() -> [UInt8] {
        var taken: [UInt8] = []
        swap(&taken, &self.bytes)
        return taken
    }

    // MARK: Encoder

    package func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if self.pending { self.open(UInt8(ascii: "{"), UInt8(ascii: "}")) }
        return KeyedEncodingContainer(KeyedJSONStream<Key>(writer: self, depth: self.closers.count))
    }

    package func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if self.pending { self.open(UInt8(ascii: "["), UInt8(ascii: "]")) }
        return UnkeyedJSONStream(writer: self, depth: self.closers.count)
    }

    package func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleJSONStream(writer: self)
    }

    /// The writer behind `encoder`, for a `value` that writes its members by hand (and so can be written by
    /// `StreamingJSONEncoder` only); any other encoder gets an `EncodingError`.
    package static func writing(_ value: Any, to encoder: any Encoder) throws -> JSONStreamWriter {
        guard let writer = encoder as? JSONStreamWriter else {
            throw EncodingError.invalidValue(
                value,
                .init(
                    codingPath: encoder.codingPath,
                    debugDescription: "\(type(of: value)) is written by StreamingJSONEncoder only"
                )
            )
        }
        return writer
    }

    /// Writes one value, in the position this writer is at, straight into the document's bytes: how the
    /// hottest entities write themselves.
    package func direct(_ body: (inout JSONDirectWriter) throws -> Void) rethrows {
        self.pending = false
        var out = JSONDirectWriter(bytes: self.takeBytes())
        defer { self.bytes = out.takeBytes() }
        try body(&out)
    }

    // MARK: Structure

    fileprivate func open(_ opener: UInt8, _ closer: UInt8) {
        self.bytes.append(opener)
        self.closers.append(closer)
        self.counts.append(0)
        self.pending = false
    }

    /// Closes every container deeper than `depth`.
    func close(to depth: Int) {
        while self.closers.count > depth {
            self.bytes.append(self.closers.removeLast())
            self.counts.removeLast()
        }
    }

    /// Starts the next member of the container at `depth`: closes deeper ones, then writes a comma if needed.
    fileprivate func member(of depth: Int) {
        self.close(to: depth)
        let index = depth - 1
        if self.counts[index] > 0 { self.bytes.append(UInt8(ascii: ",")) }
        self.counts[index] += 1
    }

    /// How many objects and arrays are open.
    fileprivate var depth: Int { self.closers.count }

    fileprivate func key(_ key: some CodingKey, in depth: Int) {
        self.member(of: depth)
        self.string(key.stringValue)
        self.bytes.append(UInt8(ascii: ":"))
    }

    // MARK: Values

    /// Writes any value: strings, numbers, booleans and dates directly, everything else through its `encode(to:)`.
    func value<T: Encodable>(_ value: T) throws {
        // Metatype comparisons, not `as?` casts: a failed dynamic cast per value costs more than the writing.
        if T.self == String.self {
            self.string(unsafeBitCast(value, to: String.self))
        } else if T.self == Int.self {
            self.integer(unsafeBitCast(value, to: Int.self))
        } else if T.self == Bool.self {
            self.bool(unsafeBitCast(value, to: Bool.self))
        } else if T.self == Date.self {
            self.string(MastodonJSONEncoder.timestamp(unsafeBitCast(value, to: Date.self)))
        } else if T.self == Double.self {
            try self.double(unsafeBitCast(value, to: Double.self))
        } else if T.self == Int64.self {
            self.integer(unsafeBitCast(value, to: Int64.self))
        } else if T.self == URL.self {
            self.string(unsafeBitCast(value, to: URL.self).absoluteString)
        } else {
            let depth = self.closers.count
            self.pending = true
            try value.encode(to: self)
            if self.pending {
                // Nothing written, as for a type whose `encode(to:)` writes nothing: an empty object.
                self.open(UInt8(ascii: "{"), UInt8(ascii: "}"))
            }
            self.close(to: depth)
        }
    }

    func null() {
        self.pending = false
        self.bytes.append(contentsOf: "null".utf8)
    }

    func bool(_ value: Bool) {
        self.pending = false
        self.bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
    }

    func integer(_ value: some FixedWidthInteger) {
        self.pending = false
        JSONText.appendInteger(value, to: &self.bytes)
    }

    func double(_ value: Double) throws {
        self.pending = false
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value,
                .init(codingPath: [], debugDescription: "Unable to encode \(value) directly in JSON.")
            )
        }
        // As JSONEncoder writes them: the shortest round-tripping form, without a trailing ".0".
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        self.bytes.append(contentsOf: text.utf8)
    }

    /// A JSON string: quotes, backslashes and control characters escaped, everything else as UTF-8.
    func string(_ value: String) {
        self.pending = false
        var value = value
        value.withUTF8 { JSONText.appendQuoted($0, to: &self.bytes) }
    }
}

/// An object being written.
private struct KeyedJSONStream<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: JSONStreamWriter
    let depth: Int

    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws {
        self.writer.key(key, in: self.depth)
        self.writer.null()
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        self.writer.key(key, in: self.depth)
        self.writer.bool(value)
    }

    mutating func encode(_ value: String, forKey key: Key) throws {
        self.writer.key(key, in: self.depth)
        self.writer.string(value)
    }

    mutating func encode(_ value: Double, forKey key: Key) throws {
        self.writer.key(key, in: self.depth)
        try self.writer.double(value)
    }

    mutating func encode(_ value: Float, forKey key: Key) throws {
        self.writer.key(key, in: self.depth)
        try self.writer.double(Double(value))
    }

    mutating func encode(_ value: Int, forKey key: Key) throws { self.integer(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { self.integer(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { self.integer(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { self.integer(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { self.integer(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { self.integer(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { self.integer(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { self.integer(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { self.integer(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { self.integer(value, key) }

    private func integer(_ value: some FixedWidthInteger, _ key: Key) {
        self.writer.key(key, in: self.depth)
        self.writer.integer(value)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        self.writer.key(key, in: self.depth)
        try self.writer.value(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type,
        forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        self.writer.key(key, in: self.depth)
        self.writer.open(UInt8(ascii: "{"), UInt8(ascii: "}"))
        return KeyedEncodingContainer(KeyedJSONStream<NestedKey>(writer: self.writer, depth: self.depth + 1))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        self.writer.key(key, in: self.depth)
        self.writer.open(UInt8(ascii: "["), UInt8(ascii: "]"))
        return UnkeyedJSONStream(writer: self.writer, depth: self.depth + 1)
    }

    mutating func superEncoder() -> any Encoder {
        self.superEncoder(forKey: Key(stringValue: "super")!)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        self.writer.key(key, in: self.depth)
        return SuperJSONStream(writer: self.writer)
    }
}

/// An array being written.
private struct UnkeyedJSONStream: UnkeyedEncodingContainer {
    let writer: JSONStreamWriter
    let depth: Int
    private(set) var count = 0

    init(writer: JSONStreamWriter, depth: Int) {
        self.writer = writer
        self.depth = depth
    }

    var codingPath: [any CodingKey] { [] }

    private mutating func next() {
        self.writer.member(of: self.depth)
        self.count += 1
    }

    mutating func encodeNil() throws {
        self.next()
        self.writer.null()
    }

    mutating func encode(_ value: Bool) throws {
        self.next()
        self.writer.bool(value)
    }

    mutating func encode(_ value: String) throws {
        self.next()
        self.writer.string(value)
    }

    mutating func encode(_ value: Double) throws {
        self.next()
        try self.writer.double(value)
    }

    mutating func encode(_ value: Float) throws {
        self.next()
        try self.writer.double(Double(value))
    }

    mutating func encode(_ value: Int) throws { self.integer(value) }
    mutating func encode(_ value: Int8) throws { self.integer(value) }
    mutating func encode(_ value: Int16) throws { self.integer(value) }
    mutating func encode(_ value: Int32) throws { self.integer(value) }
    mutating func encode(_ value: Int64) throws { self.integer(value) }
    mutating func encode(_ value: UInt) throws { self.integer(value) }
    mutating func encode(_ value: UInt8) throws { self.integer(value) }
    mutating func encode(_ value: UInt16) throws { self.integer(value) }
    mutating func encode(_ value: UInt32) throws { self.integer(value) }
    mutating func encode(_ value: UInt64) throws { self.integer(value) }

    private mutating func integer(_ value: some FixedWidthInteger) {
        self.next()
        self.writer.integer(value)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        self.next()
        try self.writer.value(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<
        NestedKey
    > {
        self.next()
        self.writer.open(UInt8(ascii: "{"), UInt8(ascii: "}"))
        return KeyedEncodingContainer(KeyedJSONStream<NestedKey>(writer: self.writer, depth: self.depth + 1))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        self.next()
        self.writer.open(UInt8(ascii: "["), UInt8(ascii: "]"))
        return UnkeyedJSONStream(writer: self.writer, depth: self.depth + 1)
    }

    mutating func superEncoder() -> any Encoder {
        self.next()
        return SuperJSONStream(writer: self.writer)
    }
}

/// One value being written.
private struct SingleJSONStream: SingleValueEncodingContainer {
    let writer: JSONStreamWriter

    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { self.writer.null() }
    mutating func encode(_ value: Bool) throws { self.writer.bool(value) }
    mutating func encode(_ value: String) throws { self.writer.string(value) }
    mutating func encode(_ value: Double) throws { try self.writer.double(value) }
    mutating func encode(_ value: Float) throws { try self.writer.double(Double(value)) }
    mutating func encode(_ value: Int) throws { self.writer.integer(value) }
    mutating func encode(_ value: Int8) throws { self.writer.integer(value) }
    mutating func encode(_ value: Int16) throws { self.writer.integer(value) }
    mutating func encode(_ value: Int32) throws { self.writer.integer(value) }
    mutating func encode(_ value: Int64) throws { self.writer.integer(value) }
    mutating func encode(_ value: UInt) throws { self.writer.integer(value) }
    mutating func encode(_ value: UInt8) throws { self.writer.integer(value) }
    mutating func encode(_ value: UInt16) throws { self.writer.integer(value) }
    mutating func encode(_ value: UInt32) throws { self.writer.integer(value) }
    mutating func encode(_ value: UInt64) throws { self.writer.integer(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try self.writer.value(value) }
}

/// The encoder handed out by `superEncoder`: one value at the position already started, written
/// through the same writer (its containers are closed when the parent writes again).
private struct SuperJSONStream: Encoder {
    let writer: JSONStreamWriter

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        self.writer.open(UInt8(ascii: "{"), UInt8(ascii: "}"))
        return self.writer.container(keyedBy: type)
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        self.writer.open(UInt8(ascii: "["), UInt8(ascii: "]"))
        return self.writer.unkeyedContainer()
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleJSONStream(writer: self.writer)
    }
}
