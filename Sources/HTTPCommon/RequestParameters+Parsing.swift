import Core
import Foundation
import Hummingbird

extension RequestParameters {
    /// Parses `a=1&b[]=2&c[x]=3` (a query string or a form body).
    package static func urlEncoded(_ text: String) throws -> RequestParameters {
        var builder = Builder()
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.formDecode(String(parts[0]))
            let value = parts.count > 1 ? Self.formDecode(String(parts[1])) : ""
            guard !key.isEmpty else { continue }
            try builder.insert(key: key, value: .string(value))
        }
        return RequestParameters(builder.root)
    }

    private static func formDecode(_ text: String) -> String {
        PercentEncoding.decode(text, plusAsSpace: true) ?? text.replacing("+", with: " ")
    }

    /// Parses a JSON object body. Depth and size are bounded before parsing.
    package static func json(_ data: Data) throws -> RequestParameters {
        if data.isEmpty || data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return RequestParameters()
        }
        guard JSONNesting.depth(of: data, limit: Self.maxDepth) <= Self.maxDepth else {
            throw DomainError.badRequest("The JSON body is nested too deeply")
        }
        let decoded: JSONValue
        do {
            decoded = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw DomainError.badRequest("The request body is not valid JSON")
        }
        guard case .object(let values) = decoded.value else {
            throw DomainError.badRequest("The JSON body must be an object")
        }
        guard decoded.count <= Self.maxCount else { throw DomainError.badRequest("Too many parameters") }
        return RequestParameters(values)
    }

    /// A JSON document decoded into `ParamValue`s, counting the values as it goes.
    private struct JSONValue: Decodable {
        let value: ParamValue
        let count: Int

        init(from decoder: any Decoder) throws {
            if var list = try? decoder.unkeyedContainer() {
                var items: [ParamValue] = []
                var count = 1
                while !list.isAtEnd {
                    let item = try list.decode(JSONValue.self)
                    items.append(item.value)
                    count += item.count
                }
                self.value = .array(items)
                self.count = count
                return
            }
            if let map = try? decoder.container(keyedBy: AnyKey.self) {
                var items: [String: ParamValue] = [:]
                var count = 1
                for key in map.allKeys {
                    let item = try map.decode(JSONValue.self, forKey: key)
                    items[key.stringValue] = item.value
                    count += item.count
                }
                self.value = .object(items)
                self.count = count
                return
            }
            let single = try decoder.singleValueContainer()
            self.count = 1
            if single.decodeNil() {
                self.value = .null
            } else if let flag = try? single.decode(Bool.self) {
                self.value = .bool(flag)
            } else if let number = try? single.decode(Double.self) {
                self.value = .number(number)
            } else {
                self.value = .string(try single.decode(String.self))
            }
        }
    }

    private struct AnyKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Parses a `multipart/form-data` body: text parts as strings, file parts as `UploadedFile`.
    package static func multipart(_ data: Data, boundary: String) throws -> RequestParameters {
        guard !boundary.isEmpty, boundary.count <= 200 else { throw DomainError.badRequest("Bad multipart boundary") }
        let bytes = [UInt8](data)
        let delimiter = Array("--\(boundary)".utf8)
        var builder = Builder()
        var parts: [ArraySlice<UInt8>] = []
        var searchFrom = 0
        var partStart: Int?
        while let found = Self.find(delimiter, in: bytes[...], from: searchFrom) {
            if let start = partStart {
                var end = found
                if end >= 2 && bytes[end - 2] == 0x0D && bytes[end - 1] == 0x0A { end -= 2 }
                if end > start { parts.append(bytes[start..<end]) }
            }
            var next = found + delimiter.count
            if next + 1 < bytes.count && bytes[next] == 0x2D && bytes[next + 1] == 0x2D { break }  // closing "--"
            if next + 1 < bytes.count && bytes[next] == 0x0D && bytes[next + 1] == 0x0A { next += 2 }
            partStart = next
            searchFrom = next
            guard parts.count <= Self.maxCount else { throw DomainError.badRequest("Too many parameters") }
        }
        let headerEnd = Array("\r\n\r\n".utf8)
        for part in parts {
            // Indices stay those of `bytes`: the slices share its storage, so a large file is copied once
            // (into its `Data`), not once per step.
            guard let split = Self.find(headerEnd, in: part, from: part.startIndex) else { continue }
            let headerBytes = part[part.startIndex..<split]
            let body = Data(part[(split + 4)...])
            let headers = String(decoding: headerBytes, as: UTF8.self)
            var name: String?
            var filename: String?
            var contentType: String?
            for line in headers.split(separator: "\r\n") {
                let lower = line.lowercased()
                if lower.hasPrefix("content-disposition:") {
                    name = Self.headerParameter("name", in: String(line))
                    filename = Self.headerParameter("filename", in: String(line))
                } else if lower.hasPrefix("content-type:") {
                    contentType = line.dropFirst("content-type:".count).trimmingCharacters(in: .whitespaces)
                }
            }
            guard let name, !name.isEmpty else { continue }
            if let filename {
                try builder.insert(
                    key: name,
                    value: .file(UploadedFile(filename: filename, contentType: contentType, data: body))
                )
            } else {
                try builder.insert(key: name, value: .string(String(decoding: body, as: UTF8.self)))
            }
        }
        return RequestParameters(builder.root)
    }

    private static func headerParameter(_ name: String, in line: String) -> String? {
        for piece in line.split(separator: ";") {
            let trimmed = piece.trimmingCharacters(in: .whitespaces)
            guard trimmed.lowercased().hasPrefix("\(name)=") else { continue }
            var value = String(trimmed.dropFirst(name.count + 1))
            if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            return value
        }
        return nil
    }

    /// The index in `haystack` (its own indices) where `needle` starts, searching from `start`.
    private static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>, from start: Int) -> Int? {
        let last = haystack.endIndex - needle.count
        guard !needle.isEmpty, start >= haystack.startIndex, start <= last else { return nil }
        let first = needle[0]
        var index = start
        while index <= last {
            if haystack[index] == first && haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }

    /// Builds the tree from bracketed keys.
    struct Builder {
        var root: [String: ParamValue] = [:]
        var count = 0

        mutating func insert(key: String, value: ParamValue) throws {
            self.count += 1
            guard self.count <= RequestParameters.maxCount else { throw DomainError.badRequest("Too many parameters") }
            let path = Self.path(of: key)
            guard !path.isEmpty, path.count <= RequestParameters.maxDepth else {
                throw DomainError.badRequest("Parameter \(key.prefix(40)) is nested too deeply")
            }
            guard case .some(let head) = path[0] else { return }
            self.root[head] = try Self.inserting(value, into: self.root[head], path: path.dropFirst(), key: key)
        }

        /// `a[b][]` → ["a", "b", nil] (nil = append).
        static func path(of key: String) -> [String?] {
            guard let open = key.firstIndex(of: "["), key.hasSuffix("]") else { return [key] }
            var path: [String?] = [String(key[..<open])]
            let rest = key[open...].dropFirst().dropLast()
            for segment in rest.components(separatedBy: "][") {
                path.append(segment.isEmpty ? nil : segment)
            }
            return path
        }

        static func inserting(_ value: ParamValue, into existing: ParamValue?, path: ArraySlice<String?>, key: String)
            throws -> ParamValue
        {
            guard let segment = path.first else { return value }
            switch segment {
            case .none:
                var list: [ParamValue]
                if case .array(let items) = existing { list = items } else { list = [] }
                if path.count == 1 {
                    list.append(value)
                } else if let last = list.last, case .object(let map) = last,
                    let nextSegment = path.dropFirst().first, let next = nextSegment, map[next] == nil
                {
                    list[list.count - 1] = try Self.inserting(value, into: last, path: path.dropFirst(), key: key)
                } else {
                    list.append(try Self.inserting(value, into: nil, path: path.dropFirst(), key: key))
                }
                return .array(list)
            case .some(let name):
                var map: [String: ParamValue]
                if case .object(let items) = existing { map = items } else { map = [:] }
                map[name] = try Self.inserting(value, into: map[name], path: path.dropFirst(), key: key)
                return .object(map)
            }
        }
    }
}

extension Request {
    /// The query string and body parameters merged (body wins), whatever the body's content type.
    ///
    /// Bodies over `limit` bytes answer 413; malformed bodies answer 400; neither reaches a handler.
    package func parameters(context: some RequestContext, limit: Int = 1_048_576) async throws -> RequestParameters {
        var parameters = try RequestParameters.urlEncoded(self.uri.query ?? "")
        let hasBody = self.method != .get && self.method != .head
        guard hasBody else { return parameters }
        let contentType = self.headers[.contentType]?.lowercased() ?? ""
        let buffer: ByteBuffer
        do {
            buffer = try await self.body.collect(upTo: limit)
        } catch {
            throw DomainError.payloadTooLarge
        }
        let data = Data(buffer: buffer)
        if contentType.hasPrefix("application/json") || (contentType.isEmpty && data.first == UInt8(ascii: "{")) {
            parameters.merge(try RequestParameters.json(data))
        } else if contentType.hasPrefix("application/x-www-form-urlencoded") || contentType.isEmpty {
            parameters.merge(try RequestParameters.urlEncoded(String(decoding: data, as: UTF8.self)))
        } else if contentType.hasPrefix("multipart/form-data") {
            let headerValue = self.headers[.contentType] ?? ""
            let boundary = headerValue.split(separator: ";").compactMap { piece -> String? in
                let trimmed = piece.trimmingCharacters(in: .whitespaces)
                guard trimmed.lowercased().hasPrefix("boundary=") else { return nil }
                return String(trimmed.dropFirst("boundary=".count)).trimmingCharacters(
                    in: CharacterSet(charactersIn: "\"")
                )
            }.first
            guard let boundary else { throw DomainError.badRequest("Missing multipart boundary") }
            parameters.merge(try RequestParameters.multipart(data, boundary: boundary))
        } else if !data.isEmpty {
            throw DomainError.unsupportedMediaType
        }
        return parameters
    }
}
