import Foundation

/// Why a request signature could not be produced or was rejected.
package enum SignatureError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingSignature
    case malformedSignature
    case unsupportedAlgorithm(String)
    case missingHeader(String)
    case requiredHeaderNotSigned(String)
    case invalidDate
    case staleDate
    case badSignature
    case invalidKey

    package var description: String {
        switch self {
        case .missingSignature: "Request is not signed"
        case .malformedSignature: "Signature header could not be parsed"
        case .unsupportedAlgorithm(let name): "Unsupported signature algorithm \(name)"
        case .missingHeader(let name): "Signed header \(name) is missing from the request"
        case .requiredHeaderNotSigned(let name): "Header \(name) must be signed"
        case .invalidDate: "Date could not be parsed"
        case .staleDate: "Date is outside the accepted time window"
        case .badSignature: "Signature does not match"
        case .invalidKey: "Key could not be used"
        }
    }
}

/// The parameters of a `Signature:` header, or of an `Authorization: Signature …` header.
package struct SignatureParameters: Sendable, Equatable {
    package var keyID: String
    /// `rsa-sha256`, `hs2019` or absent.
    package var algorithm: String?
    /// Lowercased names of the signed headers; `["date"]` when the header gives none.
    package var headers: [String]
    package var signature: Data
    package var created: Int?
    package var expires: Int?

    package init(
        keyID: String,
        algorithm: String? = nil,
        headers: [String] = ["date"],
        signature: Data,
        created: Int? = nil,
        expires: Int? = nil
    ) {
        self.keyID = keyID
        self.algorithm = algorithm
        self.headers = headers
        self.signature = signature
        self.created = created
        self.expires = expires
    }

    /// Parses `keyId="…",algorithm="…",headers="…",signature="…"`.
    ///
    /// Parameters may come in any order with optional whitespace around commas and `=`; values may be quoted
    /// strings (with backslash escapes, and commas inside) or bare tokens; parameter names are matched without
    /// regard to case and unknown parameters are ignored. Returns nil when `keyId` or `signature` is missing or
    /// empty, a known parameter appears twice, `created`/`expires` are not numbers, or the signature is not base64.
    package static func parse(_ header: String) -> SignatureParameters? {
        var header = header
        return header.withUTF8 { parse(bytes: $0) }
    }

    /// Parses the value of an `Authorization` header using the `Signature` scheme; nil for any other scheme.
    package static func parse(authorization: String) -> SignatureParameters? {
        let scheme = "signature"
        var index = authorization.utf8.startIndex
        for expected in scheme.utf8 {
            guard index < authorization.utf8.endIndex,
                authorization.utf8[index] | 0x20 == expected
            else { return nil }
            index = authorization.utf8.index(after: index)
        }
        guard index < authorization.utf8.endIndex,
            authorization.utf8[index] == UInt8(ascii: " ") || authorization.utf8[index] == UInt8(ascii: "\t")
        else { return nil }
        return parse(String(authorization[index...]))
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>) -> SignatureParameters? {
        var keyID: String?
        var algorithm: String?
        var headers: String?
        var signature: String?
        var created: String?
        var expires: String?
        var index = 0
        let count = bytes.count

        func skipWhitespace() {
            while index < count, bytes[index] == .space || bytes[index] == .tab { index += 1 }
        }

        while true {
            while index < count, bytes[index] == .space || bytes[index] == .tab || bytes[index] == .comma {
                index += 1
            }
            if index == count { break }

            let nameStart = index
            while index < count, isTokenByte(bytes[index]) { index += 1 }
            guard index > nameStart else { return nil }
            let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[nameStart..<index]), as: UTF8.self)
            skipWhitespace()
            guard index < count, bytes[index] == .equals else { return nil }
            index += 1
            skipWhitespace()

            let value: String
            if index < count, bytes[index] == .quote {
                index += 1
                let valueStart = index
                var hasEscapes = false
                while index < count, bytes[index] != .quote {
                    if bytes[index] == .backslash {
                        hasEscapes = true
                        index += 2
                    } else {
                        index += 1
                    }
                }
                guard index < count else { return nil }
                let raw = UnsafeBufferPointer(rebasing: bytes[valueStart..<index])
                value = hasEscapes ? unescape(raw) : String(decoding: raw, as: UTF8.self)
                index += 1
            } else {
                let valueStart = index
                while index < count, bytes[index] != .comma, bytes[index] != .space, bytes[index] != .tab {
                    index += 1
                }
                value = String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart..<index]), as: UTF8.self)
            }
            skipWhitespace()
            if index < count {
                guard bytes[index] == .comma else { return nil }
                index += 1
            }

            switch name.lowercased() {
            case "keyid":
                guard keyID == nil else { return nil }
                keyID = value
            case "algorithm":
                guard algorithm == nil else { return nil }
                algorithm = value
            case "headers":
                guard headers == nil else { return nil }
                headers = value
            case "signature":
                guard signature == nil else { return nil }
                signature = value
            case "created":
                guard created == nil else { return nil }
                created = value
            case "expires":
                guard expires == nil else { return nil }
                expires = value
            default:
                continue
            }
        }

        guard let keyID, !keyID.isEmpty, let signature, let signatureBytes = decodeBase64(signature) else {
            return nil
        }
        var createdValue: Int?
        if let created {
            guard let parsed = parseTimestamp(created) else { return nil }
            createdValue = parsed
        }
        var expiresValue: Int?
        if let expires {
            guard let parsed = parseTimestamp(expires) else { return nil }
            expiresValue = parsed
        }
        let headerNames: [String]
        if let headers {
            headerNames = headers.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { $0.lowercased() }
        } else {
            headerNames = ["date"]
        }
        return SignatureParameters(
            keyID: keyID,
            algorithm: algorithm,
            headers: headerNames,
            signature: signatureBytes,
            created: createdValue,
            expires: expiresValue
        )
    }

    /// RFC 7230 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    private static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            if raw[index] == .backslash, index + 1 < raw.count {
                index += 1
            }
            result.append(raw[index])
            index += 1
        }
        return String(decoding: result, as: UTF8.self)
    }

    private static func decodeBase64(_ text: String) -> Data? {
        guard !text.isEmpty else { return nil }
        if let data = Data(base64Encoded: text), !data.isEmpty { return data }
        // Tolerate senders that drop the `=` padding.
        let remainder = text.utf8.count % 4
        guard remainder >= 2 else { return nil }
        let padded = text + String(repeating: "=", count: 4 - remainder)
        guard let data = Data(base64Encoded: padded), !data.isEmpty else { return nil }
        return data
    }

    /// A Unix timestamp; `expires` may carry a fractional part, which is dropped.
    private static func parseTimestamp(_ text: String) -> Int? {
        if let value = Int(text) { return value }
        guard let value = Double(text), value.isFinite, abs(value) < 1e15 else { return nil }
        return Int(value.rounded(.down))
    }
}

extension UInt8 {
    fileprivate static let space = UInt8(ascii: " ")
    fileprivate static let tab = UInt8(ascii: "\t")
    fileprivate static let comma = UInt8(ascii: ",")
    fileprivate static let equals = UInt8(ascii: "=")
    fileprivate static let quote = UInt8(ascii: "\"")
    fileprivate static let backslash = UInt8(ascii: "\\")
}
