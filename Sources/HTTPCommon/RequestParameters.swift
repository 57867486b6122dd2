import Core
import Foundation

/// One request parameter, whatever way it arrived: query string, form, JSON or multipart.
package indirect enum ParamValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case array([ParamValue])
    case object([String: ParamValue])
    case file(UploadedFile)
}

/// A file part of a multipart body.
package struct UploadedFile: Sendable, Equatable {
    package let filename: String
    package let contentType: String?
    package let data: Data
}

/// Request parameters merged from the query string and the body, as Rails (and so Mastodon) sees them.
///
/// Form keys with brackets build structure: `fields_attributes[0][name]=x`, `scopes[]=read`. Every
/// typed accessor accepts the forms clients send (`"true"`, `"1"`, `true`...) and throws a 422
/// `DomainError.validation` naming the parameter when a value has the wrong shape.
package struct RequestParameters: Sendable, Equatable {
    package private(set) var values: [String: ParamValue]

    /// At most this many parameters and this deep: protection against hostile bodies.
    package static let maxCount = 1000
    package static let maxDepth = 16

    package init(_ values: [String: ParamValue] = [:]) {
        self.values = values
    }

    /// Adds `other` over these values (body over query).
    package mutating func merge(_ other: RequestParameters) {
        self.values.merge(other.values) { _, new in new }
    }

    /// Whether the parameter was sent at all.
    package func has(_ key: String) -> Bool { self.values[key] != nil }

    /// The raw value.
    package subscript(_ key: String) -> ParamValue? { self.values[key] }

    /// A string; numbers and booleans are turned into their text. Arrays and objects are an error.
    package func string(_ key: String) throws -> String? {
        guard let value = self.values[key] else { return nil }
        return try Self.string(value, key: key)
    }

    static func string(_ value: ParamValue, key: String) throws -> String? {
        switch value {
        case .string(let text): return text
        case .number(let number):
            return number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return nil
        case .array, .object, .file: throw DomainError.validation("\(key) must be a string")
        }
    }

    /// A boolean in any form clients send: `true`/`false`, `"true"`, `"1"`, `"0"`, `"on"`, `1`...
    /// An empty string counts as absent.
    package func bool(_ key: String) throws -> Bool? {
        guard let value = self.values[key] else { return nil }
        switch value {
        case .bool(let flag): return flag
        case .number(let number): return number != 0
        case .null: return nil
        case .string(let text):
            switch text.lowercased() {
            case "": return nil
            case "true", "1", "on", "yes", "t": return true
            case "false", "0", "off", "no", "f": return false
            default: throw DomainError.validation("\(key) must be a boolean")
            }
        case .array, .object, .file: throw DomainError.validation("\(key) must be a boolean")
        }
    }

    /// An integer, from a number or a numeric string.
    package func int(_ key: String) throws -> Int? {
        guard let value = self.values[key] else { return nil }
        switch value {
        case .number(let number) where number.rounded() == number && abs(number) < 1e15: return Int(number)
        case .string(let text) where text.isEmpty: return nil
        case .string(let text):
            guard let number = Int(text.trimmingWhitespace()) else {
                throw DomainError.validation("\(key) must be an integer")
            }
            return number
        case .null: return nil
        default: throw DomainError.validation("\(key) must be an integer")
        }
    }

    /// A list of strings: a JSON array, `key[]=a&key[]=b`, or one string (a single element).
    package func strings(_ key: String) throws -> [String]? {
        guard let value = self.values[key] else { return nil }
        switch value {
        case .array(let items): return try items.compactMap { try Self.string($0, key: key) }
        case .object(let items):
            // `key[0]=a&key[1]=b`: ordered by index.
            return try items.sorted { Self.indexOrder($0.key, $1.key) }.compactMap {
                try Self.string($0.value, key: key)
            }
        case .null: return nil
        default: return try Self.string(value, key: key).map { [$0] }
        }
    }

    /// Strings at any depth of nested lists: Mastodon.py sends `id[][]=1&id[][]=2` for a list it already
    /// named `id[]`, which reads as a list of lists.
    package func flatStrings(_ key: String) throws -> [String]? {
        func flatten(_ value: ParamValue) throws -> [String] {
            switch value {
            case .array(let items): return try items.flatMap(flatten)
            case .null: return []
            default: return try Self.string(value, key: key).map { [$0] } ?? []
            }
        }
        guard let value = self.values[key] else { return nil }
        if case .array = value { return try flatten(value) }
        return try self.strings(key)
    }

    /// A list of objects: a JSON array of objects, or a Rails hash keyed by index (`key[0][name]=...`).
    package func objects(_ key: String) throws -> [RequestParameters]? {
        guard let value = self.values[key] else { return nil }
        let items: [ParamValue]
        switch value {
        case .array(let list): items = list
        case .object(let map): items = map.sorted { Self.indexOrder($0.key, $1.key) }.map(\.value)
        case .null: return nil
        default: throw DomainError.validation("\(key) must be a list")
        }
        return try items.map { item in
            guard case .object(let fields) = item else {
                throw DomainError.validation("\(key) must be a list of objects")
            }
            return RequestParameters(fields)
        }
    }

    /// A nested object (`source[privacy]=...` or `{"source": {...}}`).
    package func object(_ key: String) throws -> RequestParameters? {
        guard let value = self.values[key] else { return nil }
        switch value {
        case .object(let map): return RequestParameters(map)
        case .null: return nil
        default: throw DomainError.validation("\(key) must be an object")
        }
    }

    /// An uploaded file part.
    package func file(_ key: String) -> UploadedFile? {
        if case .file(let file) = self.values[key] { return file }
        return nil
    }

    private static func indexOrder(_ a: String, _ b: String) -> Bool {
        switch (Int(a), Int(b)) {
        case (let x?, let y?): x < y
        default: a < b
        }
    }
}
