import Crypto
import Foundation

/// RFC 9421 HTTP Message Signatures, the subset fediverse servers send: one signature over derived
/// components (`@method`, `@target-uri`, `@authority`, `@path`, `@query`, `@scheme`, `@request-target`)
/// and header fields, with `rsa-v1_5-sha256` (or no `alg`, meaning the key's own algorithm: RSA here).
/// Components with parameters (`;sf`, `;key`, `;req`) are not supported and make parsing fail.
package struct MessageSignature: Sendable, Equatable {
    package var label: String
    /// Component identifiers, in signed order, e.g. `@method`, `content-digest`.
    package var components: [String]
    /// The signature parameters exactly as received after `label=` (the last line of the signature base).
    package var parametersText: String
    package var keyID: String
    package var algorithm: String?
    package var created: Int?
    package var expires: Int?
    package var signature: Data

    /// The request as the receiver saw it.
    package struct Message: Sendable {
        package var method: String
        package var scheme: String
        package var authority: String
        /// Path and query as received (`/inbox?x=1`).
        package var target: String
        package var headers: SignableRequest

        package init(method: String, scheme: String, authority: String, target: String, headers: SignableRequest) {
            self.method = method
            self.scheme = scheme
            self.authority = authority
            self.target = target
            self.headers = headers
        }
    }

    /// Reads the first signature of `Signature-Input` that `Signature` carries; nil when malformed.
    package static func parse(signatureInput: String, signature: String) -> MessageSignature? {
        let signatures = Dictionary(Self.dictionary(signature), uniquingKeysWith: { first, _ in first })
        for (label, value) in Self.dictionary(signatureInput) {
            guard let encoded = signatures[label], encoded.hasPrefix(":"), encoded.hasSuffix(":"), encoded.count >= 2,
                let bytes = Data(base64Encoded: String(encoded.dropFirst().dropLast()))
            else { continue }
            guard var parsed = Self.parseInput(value) else { return nil }
            parsed.label = label
            parsed.signature = bytes
            return parsed
        }
        return nil
    }

    /// The signature base (RFC 9421 §2.5) of `message` for these components.
    package func base(for message: Message) throws -> String {
        var lines: [String] = []
        lines.reserveCapacity(self.components.count + 1)
        let (path, query) = Self.split(message.target)
        for component in self.components {
            let value: String
            switch component {
            case "@method": value = message.method.uppercased()
            case "@target-uri": value = "\(message.scheme)://\(message.authority)\(message.target)"
            case "@authority": value = message.authority.lowercased()
            case "@scheme": value = message.scheme.lowercased()
            case "@path": value = path
            case "@query": value = "?" + (query ?? "")
            case "@request-target": value = message.target
            default:
                guard !component.hasPrefix("@") else { throw SignatureError.malformedSignature }
                guard let header = message.headers.header(component) else {
                    throw SignatureError.missingHeader(component)
                }
                value = header
            }
            lines.append("\"\(component)\": \(value)")
        }
        lines.append("\"@signature-params\": \(self.parametersText)")
        return lines.joined(separator: "\n")
    }

    /// Verifies as Mastodon requires: `@method` and the target (`@target-uri`, or `@authority` with
    /// `@path`) signed, `content-digest` signed when there is a body, a supported algorithm, a
    /// `created` within the window and an `expires` not passed.
    package func verify(_ message: Message, hasBody: Bool, key: VerifyingKey, now: Date) throws {
        if let algorithm = self.algorithm?.lowercased(), algorithm != "rsa-v1_5-sha256" {
            throw SignatureError.unsupportedAlgorithm(algorithm)
        }
        guard self.components.contains("@method") else { throw SignatureError.requiredHeaderNotSigned("@method") }
        guard
            self.components.contains("@target-uri")
                || (self.components.contains("@authority") && self.components.contains("@path"))
        else { throw SignatureError.requiredHeaderNotSigned("@target-uri") }
        if hasBody && !self.components.contains("content-digest") {
            throw SignatureError.requiredHeaderNotSigned("content-digest")
        }
        guard let created = self.created else { throw SignatureError.invalidDate }
        try HTTPSignature.checkWindow(
            created: TimeInterval(created),
            expires: self.expires.map(TimeInterval.init),
            now: now
        )
        guard key.verify(self.signature, for: Data(try self.base(for: message).utf8)) else {
            throw SignatureError.badSignature
        }
    }

    /// Signs `message` (used by tests and by peers that prefer RFC 9421): `Signature-Input` and
    /// `Signature` header values.
    package static func sign(
        _ message: Message,
        components: [String],
        key: SigningKey,
        created: Int,
        label: String = "sig1"
    ) throws -> (input: String, signature: String) {
        let list = components.map { "\"\($0)\"" }.joined(separator: " ")
        let parameters = "(\(list));created=\(created);keyid=\"\(key.keyID)\";alg=\"rsa-v1_5-sha256\""
        let draft = MessageSignature(
            label: label,
            components: components,
            parametersText: parameters,
            keyID: key.keyID,
            algorithm: "rsa-v1_5-sha256",
            created: created,
            expires: nil,
            signature: Data()
        )
        let signature = try key.sign(Data(try draft.base(for: message).utf8))
        return ("\(label)=\(parameters)", "\(label)=:\(signature.base64EncodedString()):")
    }

    // MARK: Parsing structured fields (the small part needed)

    /// `label=value, label=value` split at top-level commas (outside quotes and parentheses).
    static func dictionary(_ text: String) -> [(String, String)] {
        var members: [(String, String)] = []
        var current = ""
        var depth = 0
        var quoted = false
        var escaped = false
        func flush() {
            let member = current.trimmingCharacters(in: .whitespaces)
            current = ""
            guard let equals = member.firstIndex(of: "=") else { return }
            let key = member[..<equals].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else { return }
            members.append((key, String(member[member.index(after: equals)...])))
        }
        for character in text {
            if quoted {
                current.append(character)
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    quoted = false
                }
                continue
            }
            switch character {
            case "\"": quoted = true
            case "(": depth += 1
            case ")": depth -= 1
            case "," where depth == 0:
                flush()
                continue
            default: break
            }
            current.append(character)
        }
        flush()
        return members
    }

    /// `("@method" "content-digest");created=1;keyid="k";alg="a"`
    static func parseInput(_ value: String) -> MessageSignature? {
        let text = value.trimmingCharacters(in: .whitespaces)
        guard text.hasPrefix("("), let close = text.firstIndex(of: ")") else { return nil }
        let inner = text[text.index(after: text.startIndex)..<close]
        var components: [String] = []
        for item in inner.split(separator: " ", omittingEmptySubsequences: true) {
            let name = item.dropFirst().dropLast()
            // A bare quoted name: component parameters (`"x";sf`) are not supported.
            guard item.count >= 2, item.hasPrefix("\""), item.hasSuffix("\""), !name.contains("\"") else { return nil }
            components.append(String(name).lowercased())
        }
        var keyID: String?
        var algorithm: String?
        var created: Int?
        var expires: Int?
        for parameter in text[text.index(after: close)...].split(separator: ";", omittingEmptySubsequences: true) {
            let parts = parameter.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let name = parts[0].trimmingCharacters(in: .whitespaces)
            var raw = parts[1].trimmingCharacters(in: .whitespaces)
            if raw.hasPrefix("\""), raw.hasSuffix("\""), raw.count >= 2 { raw = String(raw.dropFirst().dropLast()) }
            switch name {
            case "keyid": keyID = raw
            case "alg": algorithm = raw
            case "created": created = Int(raw)
            case "expires": expires = Int(raw)
            default: break
            }
        }
        guard let keyID, !components.isEmpty else { return nil }
        return MessageSignature(
            label: "",
            components: components,
            parametersText: text,
            keyID: keyID,
            algorithm: algorithm,
            created: created,
            expires: expires,
            signature: Data()
        )
    }

    static func split(_ target: String) -> (path: String, query: String?) {
        guard let mark = target.firstIndex(of: "?") else { return (target.isEmpty ? "/" : target, nil) }
        return (String(target[..<mark]), String(target[target.index(after: mark)...]))
    }
}

/// RFC 9530 `Content-Digest`: `sha-256=:base64:` (and `sha-512`).
package enum ContentDigest {
    package static func header(for body: Data) -> String {
        "sha-256=:\(Data(SHA256.hash(data: body)).base64EncodedString()):"
    }

    /// True when every supported entry matches `body` and there is at least one.
    package static func matches(_ header: String, body: Data) -> Bool {
        var checked = false
        for (name, value) in MessageSignature.dictionary(header) {
            guard value.hasPrefix(":"), value.hasSuffix(":"), value.count >= 2,
                let expected = Data(base64Encoded: String(value.dropFirst().dropLast()))
            else { return false }
            switch name.lowercased() {
            case "sha-256":
                guard Data(SHA256.hash(data: body)) == expected else { return false }
                checked = true
            case "sha-512":
                guard Data(SHA512.hash(data: body)) == expected else { return false }
                checked = true
            default: continue
            }
        }
        return checked
    }
}
