import Foundation

/// JSON written straight into a document's bytes, for the entities a timeline is made of (statuses and
/// their accounts). `JSONStreamWriter` serves any `Encodable`; this serves the hottest few, which write
/// their members by hand through `JSONStreamWriter.direct(_:)`. It is a value used `inout`, so writing
/// costs no retain of a writer object and no runtime exclusivity check, and it keeps no state beyond the
/// bytes: a comma goes before a member or an element unless the byte before is the container's opener
/// (a complete value never ends in `{` or `[`).
package struct JSONDirectWriter {
    package var bytes: [UInt8]

    package init(bytes: [UInt8] = []) {
        self.bytes = bytes
    }

    // MARK: Structure

    package mutating func openObject() { self.bytes.append(UInt8(ascii: "{")) }
    package mutating func closeObject() { self.bytes.append(UInt8(ascii: "}")) }
    package mutating func openArray() { self.bytes.append(UInt8(ascii: "[")) }
    package mutating func closeArray() { self.bytes.append(UInt8(ascii: "]")) }

    /// The separator and key of the next member of the open object (a key written in source: plain ASCII,
    /// nothing to escape).
    package mutating func key(_ key: StaticString) {
        self.separate(after: UInt8(ascii: "{"))
        self.bytes.append(UInt8(ascii: "\""))
        self.bytes.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        self.bytes.append(UInt8(ascii: "\""))
        self.bytes.append(UInt8(ascii: ":"))
    }

    /// The separator before the next element of the open array.
    package mutating func element() {
        self.separate(after: UInt8(ascii: "["))
    }

    private mutating func separate(after opener: UInt8) {
        if let last = self.bytes.last, last != opener { self.bytes.append(UInt8(ascii: ",")) }
    }

    /// A whole value written before by another writer, in place of a value (after `key(_:)` or `element()`).
    package mutating func rawValue(_ written: [UInt8]) {
        self.bytes.append(contentsOf: written)
    }

    /// Members of an object written before by another writer (from an object's inside, without braces), in
    /// place of members of the open object.
    package mutating func rawMembers(_ written: [UInt8]) {
        guard !written.isEmpty else { return }
        self.separate(after: UInt8(ascii: "{"))
        self.bytes.append(contentsOf: written)
    }

    // MARK: Values

    package mutating func null() { self.append("null") }

    package mutating func bool(_ value: Bool) { self.append(value ? "true" : "false") }

    package mutating func integer(_ value: some FixedWidthInteger) {
        JSONText.appendInteger(value, to: &self.bytes)
    }

    /// An id as Mastodon writes ids: a number in a string.
    package mutating func id(_ value: Int64) {
        self.bytes.append(UInt8(ascii: "\""))
        self.integer(value)
        self.bytes.append(UInt8(ascii: "\""))
    }

    /// A JSON string: quotes, backslashes and control characters escaped, everything else as UTF-8.
    package mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { JSONText.appendQuoted($0, to: &self.bytes) }
    }

    /// A date as Mastodon writes it: `2025-01-01T12:00:00.000Z`.
    package mutating func date(_ value: Date) {
        self.bytes.append(UInt8(ascii: "\""))
        MastodonJSONEncoder.appendTimestamp(value, to: &self.bytes)
        self.bytes.append(UInt8(ascii: "\""))
    }

    /// Any other value, through its `encode(to:)`.
    package mutating func value<T: Encodable>(_ value: T) throws {
        let writer = JSONStreamWriter(adopting: self.takeBytes())
        defer { self.bytes = writer.takeBytes() }
        try writer.value(value)
        writer.close(to: 0)
    }

    // MARK: Members

    package mutating func member(_ key: StaticString, _ value: String) {
        self.key(key)
        self.string(value)
    }

    /// The string, or `null`.
    package mutating func member(_ key: StaticString, _ value: String?) {
        self.key(key)
        if let value { self.string(value) } else { self.null() }
    }

    package mutating func member(_ key: StaticString, _ value: Bool) {
        self.key(key)
        self.bool(value)
    }

    package mutating func member(_ key: StaticString, _ value: Int) {
        self.key(key)
        self.integer(value)
    }

    /// The date, or `null`.
    package mutating func member(_ key: StaticString, _ value: Date?) {
        self.key(key)
        if let value { self.date(value) } else { self.null() }
    }

    /// The id (as a string), or `null`.
    package mutating func member(_ key: StaticString, id value: Int64?) {
        self.key(key)
        if let value { self.id(value) } else { self.null() }
    }

    /// A list of values through their `encode(to:)`; `[]` without any encoding when empty.
    ///
    /// Inlinable: specialized where it is called, an empty list costs no run-time type lookup (most
    /// statuses have no media and no matching filter).
    @inlinable
    package mutating func member<T: Encodable>(_ key: StaticString, _ values: [T]) throws {
        self.key(key)
        if values.isEmpty { self.append("[]") } else { try self.value(values) }
    }

    @usableFromInline
    mutating func append(_ text: StaticString) {
        self.bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// The bytes, leaving this writer empty (so that whoever takes them holds the only reference).
    package mutating func takeBytes() -> [UInt8] {
        var taken: [UInt8] = []
        swap(&taken, &self.bytes)
        return taken
    }
}

/// Numbers and strings as JSON text, shared by both writers.
enum JSONText {
    /// Appends `value` in decimal.
    static func appendInteger(_ value: some FixedWidthInteger, to bytes: inout [UInt8]) {
        guard value != 0 else {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        // Digits of the magnitude, least significant first, into a small stack buffer.
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { buffer in
            var count = 0
            while magnitude > 0 {
                let (quotient, remainder) = magnitude.quotientAndRemainder(dividingBy: 10)
                buffer[count] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: remainder)
                count += 1
                magnitude = quotient
            }
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            while count > 0 {
                count -= 1
                bytes.append(buffer[count])
            }
        }
    }

    /// Appends `utf8` as a JSON string: quotes, backslashes and control characters escaped.
    static func appendQuoted(_ utf8: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var start = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            if start < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index])) }
            Self.appendEscape(byte, to: &bytes)
            start = index + 1
        }
        if start < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...])) }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func appendEscape(_ byte: UInt8, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            let hex: StaticString = "0123456789abcdef"
            bytes.append(contentsOf: "u00".utf8)
            bytes.append(hex.utf8Start[Int(byte >> 4)])
            bytes.append(hex.utf8Start[Int(byte & 0x0F)])
        }
    }
}
