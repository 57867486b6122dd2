import Core
import Foundation

/// A JSON value, for ActivityPub documents: their fields are polymorphic (a string or an object, one
/// value or an array), so they are read leniently through accessors rather than a fixed `Codable` shape.
package enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSON])
    case object([String: JSON])

    // MARK: Reading

    /// The member `key` of an object; nil for anything else or a missing key.
    package subscript(key: String) -> JSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    package var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    package var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    package var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    package var int: Int? {
        guard case .number(let value) = self, value.isFinite, value.rounded() == value, abs(value) < 9e15 else {
            return nil
        }
        return Int(value)
    }

    package var object: [String: JSON]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// One value or an array as an array (`null` and a missing value are empty).
    package var list: [JSON] {
        switch self {
        case .array(let items): items
        case .null: []
        default: [self]
        }
    }

    /// The id of a reference: the string itself, or an embedded object's `id`.
    package var id: String? {
        switch self {
        case .string(let value): value
        case .object(let members): members["id"]?.string
        default: nil
        }
    }

    /// The ids of one reference or an array of them.
    package var ids: [String] { self.list.compactMap(\.id) }

    /// The `type` of an object, or the first of several types.
    package var type: String? {
        switch self["type"] {
        case .string(let value)?: value
        case .array(let values)?: values.first?.string
        default: nil
        }
    }

    // MARK: Parsing

    /// Parses a document, refusing nesting deeper than `maxDepth` before any allocation happens.
    package static func parse(_ data: Data, maxDepth: Int = 32) throws -> JSON {
        guard JSONNesting.depth(of: data, limit: maxDepth) <= maxDepth else { throw JSONError.tooDeep(maxDepth) }
        do {
            return try JSONDecoder().decode(JSON.self, from: data)
        } catch {
            throw JSONError.malformed
        }
    }

    // MARK: Writing

    /// Compact JSON text; `@context` first, then keys in sorted order so documents are stable.
    package func serialized() -> String {
        var out = ""
        out.reserveCapacity(512)
        self.write(into: &out)
        return out
    }

    /// `serialized()` as bytes.
    package func data() -> Data { Data(self.serialized().utf8) }

    private func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .number(let value):
            if value.rounded() == value && abs(value) < 9e15 {
                out += String(Int64(value))
            } else {
                out += "\(value)"
            }
        case .string(let value): Self.writeString(value, into: &out)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            var first = true
            var keys = members.keys.sorted()
            if let index = keys.firstIndex(of: "@context") {
                keys.remove(at: index)
                keys.insert("@context", at: 0)
            }
            for key in keys {
                guard let value = members[key] else { continue }
                if !first { out += "," }
                first = false
                Self.writeString(key, into: &out)
                out += ":"
                value.write(into: &out)
            }
            out += "}"
        }
    }

    private static func writeString(_ value: String, into out: inout String) {
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

extension JSON: Decodable {
    package init(from decoder: any Decoder) throws {
        if var list = try? decoder.unkeyedContainer() {
            var items: [JSON] = []
            while !list.isAtEnd { items.append(try list.decode(JSON.self)) }
            self = .array(items)
            return
        }
        if let map = try? decoder.container(keyedBy: MemberKey.self) {
            var members: [String: JSON] = [:]
            for key in map.allKeys { members[key.stringValue] = try map.decode(JSON.self, forKey: key) }
            self = .object(members)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let value = try? single.decode(String.self) {
            self = .string(value)
        } else if let value = try? single.decode(Bool.self) {
            self = .bool(value)
        } else {
            self = .number(try single.decode(Double.self))
        }
    }

    private struct MemberKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

extension JSON: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral, ExpressibleByIntegerLiteral
{
    package init(stringLiteral value: String) { self = .string(value) }
    package init(booleanLiteral value: Bool) { self = .bool(value) }
    package init(arrayLiteral elements: JSON...) { self = .array(elements) }
    package init(integerLiteral value: Int) { self = .number(Double(value)) }
    package init(dictionaryLiteral elements: (String, JSON)...) {
        var members: [String: JSON] = [:]
        for (key, value) in elements { members[key] = value }
        self = .object(members)
    }

    /// A string, or `null` when nil.
    package static func optional(_ value: String?) -> JSON { value.map(JSON.string) ?? .null }
}

/// Why a document could not be read.
package enum JSONError: Error, Equatable, Sendable {
    case malformed
    case tooDeep(Int)
}
