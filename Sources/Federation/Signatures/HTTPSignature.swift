import Foundation

/// A request as seen by the signer and the verifier.
package struct SignableRequest: Sendable {
    /// The method, e.g. `POST`.
    package var method: String
    /// The path and `?query` exactly as sent.
    package var target: String
    /// Header fields in any case; names are looked up without regard to case.
    package var headers: [(name: String, value: String)]

    package init(method: String, target: String, headers: [(name: String, value: String)]) {
        self.method = method
        self.target = target
        self.headers = headers
    }

    /// The value of header `name` (any case), trimmed; several fields with that name are joined with ", ".
    package func header(_ name: String) -> String? {
        var result: String?
        for field in headers where SignatureText.equalsIgnoringASCIICase(field.name, name) {
            let value = SignatureText.trimmed(field.value)
            if result == nil {
                result = value
            } else {
                result! += ", " + value
            }
        }
        return result
    }
}

/// HTTP signatures as in draft-cavage-http-signatures-12, with the rules Mastodon applies to them.
package enum HTTPSignature {
    /// How far in the past a request's date may lie (Mastodon's `EXPIRATION_WINDOW_LIMIT`).
    package static let expirationWindowLimit: TimeInterval = 12 * 60 * 60
    /// How far in the future a request's date may lie (Mastodon's `CLOCK_SKEW_MARGIN`).
    package static let clockSkewMargin: TimeInterval = 60 * 60

    /// The signing string for `headers`, lines joined with "\n".
    ///
    /// Pseudo-headers: `(request-target)` is the lowercased method and the target (`post /inbox`); `(created)` and
    /// `(expires)` take the given values. Other headers read `name: value` with the name lowercased.
    /// Throws `SignatureError.missingHeader(name)` when a listed header is absent.
    package static func signingString(
        for request: SignableRequest,
        headers: [String],
        created: Int? = nil,
        expires: Int? = nil
    ) throws -> String {
        try buildSigningString(request, target: request.target, headers: headers, created: created, expires: expires)
    }

    /// The `Signature` header value for `request`, signing the listed `headers` with `key`.
    ///
    /// Typical lists: `(request-target) host date digest content-type` for a POST, `(request-target) host date
    /// accept` for a GET. The algorithm is `rsa-sha256`, or `hs2019` when `(created)` or `(expires)` is signed;
    /// `created` and `expires`, when given, are also added as parameters.
    package static func sign(
        _ request: SignableRequest,
        headers: [String],
        key: SigningKey,
        created: Int? = nil,
        expires: Int? = nil
    ) throws -> String {
        let names = headers.map { SignatureText.lowercased($0) }
        let signingString = try buildSigningString(
            request,
            target: request.target,
            headers: names,
            created: created,
            expires: expires
        )
        let signature = try key.sign(string: signingString).base64EncodedString()
        let usesPseudoTimes = names.contains("(created)") || names.contains("(expires)")
        var value = "keyId=\""
        value.reserveCapacity(signature.utf8.count + key.keyID.utf8.count + 128)
        value += SignatureText.quotedStringContent(key.keyID)
        value += usesPseudoTimes ? "\",algorithm=\"hs2019\"" : "\",algorithm=\"rsa-sha256\""
        if let created { value += ",created=\(created)" }
        if let expires { value += ",expires=\(expires)" }
        value += ",headers=\""
        value += names.joined(separator: " ")
        value += "\",signature=\""
        value += signature
        value += "\""
        return value
    }

    /// The parsed signature of `request`, from its `Signature` header or an `Authorization: Signature …` header.
    ///
    /// Throws `missingSignature` when there is neither, `malformedSignature` when the one present does not parse.
    package static func parameters(of request: SignableRequest) throws -> SignatureParameters {
        if let value = request.header("signature") {
            guard let parameters = SignatureParameters.parse(value) else { throw SignatureError.malformedSignature }
            return parameters
        }
        if let authorization = request.header("authorization") {
            if let parameters = SignatureParameters.parse(authorization: authorization) { return parameters }
            let scheme = authorization.prefix { $0 != " " && $0 != "\t" }
            if scheme.lowercased() == "signature" { throw SignatureError.malformedSignature }
        }
        throw SignatureError.missingSignature
    }

    /// Parses the signature carried by `request` and verifies it with `key`; see `verify(_:parameters:key:)`.
    package static func verify(_ request: SignableRequest, key: VerifyingKey) throws {
        try verify(request, parameters: parameters(of: request), key: key)
    }

    /// Verifies the signature described by `parameters` over `request` with `key`.
    ///
    /// Returns normally on success and throws `SignatureError` otherwise. As Mastodon does, it requires the
    /// algorithm to be absent, `rsa-sha256` or `hs2019`; `(request-target)` to be signed; `date` or `(created)` to
    /// be signed; `host` to be signed for a GET and `digest` for a POST; and `(created)`/`(expires)` only with
    /// `hs2019` (or no algorithm). A signature whose `(request-target)` left out the query string is also accepted,
    /// for senders that do so. The date's freshness is not checked here (see `checkDate` and `checkTimeWindow`),
    /// nor whether the `Digest` header matches the body (see `Digest.matches`).
    package static func verify(_ request: SignableRequest, parameters: SignatureParameters, key: VerifyingKey) throws {
        let allowsPseudoTimes: Bool
        switch parameters.algorithm.map(SignatureText.lowercased) {
        case nil, "hs2019": allowsPseudoTimes = true
        case "rsa-sha256": allowsPseudoTimes = false
        default: throw SignatureError.unsupportedAlgorithm(parameters.algorithm ?? "")
        }
        let signed = parameters.headers.map { SignatureText.lowercased($0) }
        guard signed.contains("(request-target)") else {
            throw SignatureError.requiredHeaderNotSigned("(request-target)")
        }
        guard signed.contains("date") || signed.contains("(created)") else {
            throw SignatureError.requiredHeaderNotSigned("date")
        }
        if SignatureText.equalsIgnoringASCIICase(request.method, "GET"), !signed.contains("host") {
            throw SignatureError.requiredHeaderNotSigned("host")
        }
        if SignatureText.equalsIgnoringASCIICase(request.method, "POST"), !signed.contains("digest") {
            throw SignatureError.requiredHeaderNotSigned("digest")
        }
        if !allowsPseudoTimes, signed.contains("(created)") || signed.contains("(expires)") {
            throw SignatureError.malformedSignature
        }

        let signingString = try buildSigningString(
            request,
            target: request.target,
            headers: signed,
            created: parameters.created,
            expires: parameters.expires
        )
        if key.verify(parameters.signature, forString: signingString) { return }

        if let query = request.target.utf8.firstIndex(of: UInt8(ascii: "?")) {
            let withoutQuery = try buildSigningString(
                request,
                target: String(request.target[..<query]),
                headers: signed,
                created: parameters.created,
                expires: parameters.expires
            )
            if key.verify(parameters.signature, forString: withoutQuery) { return }
        }
        throw SignatureError.badSignature
    }

    /// Checks that the HTTP-date `value` is at most 12 hours old and at most 1 hour ahead of `now`.
    ///
    /// Throws `invalidDate` when `value` is not an HTTP-date, `staleDate` when it is outside that window.
    package static func checkDate(_ value: String, now: Date) throws {
        guard let date = parseHTTPDate(value) else { throw SignatureError.invalidDate }
        try checkWindow(created: date.timeIntervalSince1970, expires: nil, now: now)
    }

    /// Checks the freshness of a verified request as Mastodon does: the `(created)` parameter when the algorithm is
    /// `hs2019` (or absent) and it is present, else the `Date` header, within the window of `checkDate`; and,
    /// when `expires` is given, that it has not passed by more than `clockSkewMargin`.
    package static func checkTimeWindow(
        _ request: SignableRequest,
        parameters: SignatureParameters,
        now: Date
    ) throws {
        let algorithm = parameters.algorithm.map(SignatureText.lowercased)
        let created: TimeInterval
        if algorithm == nil || algorithm == "hs2019", let value = parameters.created {
            created = TimeInterval(value)
        } else if let value = request.header("date") {
            guard let date = parseHTTPDate(value) else { throw SignatureError.invalidDate }
            created = date.timeIntervalSince1970
        } else {
            throw SignatureError.missingHeader("date")
        }
        try checkWindow(created: created, expires: parameters.expires.map(TimeInterval.init), now: now)
    }

    package static func checkWindow(created: TimeInterval, expires: TimeInterval?, now: Date) throws {
        let now = now.timeIntervalSince1970
        let age = now - created
        guard age <= expirationWindowLimit, -age <= clockSkewMargin else { throw SignatureError.staleDate }
        if let expires, now > expires + clockSkewMargin { throw SignatureError.staleDate }
    }

    /// Formats `date` as an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) for a `Date` header.
    package static func httpDate(_ date: Date) -> String {
        HTTPDateCodec.format(date)
    }

    /// Parses an HTTP-date: IMF-fixdate, or the obsolete RFC 850 and asctime forms.
    package static func parseHTTPDate(_ value: String) -> Date? {
        HTTPDateCodec.parse(value)
    }

    private static func buildSigningString(
        _ request: SignableRequest,
        target: String,
        headers: [String],
        created: Int?,
        expires: Int?
    ) throws -> String {
        var result = ""
        result.reserveCapacity(320)
        for (position, header) in headers.enumerated() {
            let name = SignatureText.lowercased(header)
            if position > 0 { result += "\n" }
            switch name {
            case "(request-target)":
                result += "(request-target): "
                result += SignatureText.lowercased(request.method)
                result += " "
                result += target
            case "(created)":
                guard let created else { throw SignatureError.missingHeader(name) }
                result += "(created): "
                result += String(created)
            case "(expires)":
                guard let expires else { throw SignatureError.missingHeader(name) }
                result += "(expires): "
                result += String(expires)
            default:
                guard let value = request.header(name) else { throw SignatureError.missingHeader(name) }
                result += name
                result += ": "
                result += value
            }
        }
        return result
    }
}

/// Small ASCII helpers that avoid allocating in the common case.
enum SignatureText {
    static func equalsIgnoringASCIICase(_ lhs: String, _ rhs: String) -> Bool {
        let left = lhs.utf8
        let right = rhs.utf8
        guard left.count == right.count else { return false }
        for (a, b) in zip(left, right) where a != b {
            guard a | 0x20 == b | 0x20, (a | 0x20) >= UInt8(ascii: "a"), (a | 0x20) <= UInt8(ascii: "z") else {
                return false
            }
        }
        return true
    }

    /// `value` lowercased, returned as is when it has no ASCII capitals.
    static func lowercased(_ value: String) -> String {
        value.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) ? value.lowercased() : value
    }

    /// `value` without leading and trailing spaces and tabs, returned as is when it has none.
    static func trimmed(_ value: String) -> String {
        let bytes = value.utf8
        guard let first = bytes.first, let last = bytes.last else { return value }
        guard isWhitespace(first) || isWhitespace(last) else { return value }
        guard let start = bytes.firstIndex(where: { !isWhitespace($0) }),
            let end = bytes.lastIndex(where: { !isWhitespace($0) })
        else { return "" }
        return String(value[start...end])
    }

    /// `value` with `"` and `\` escaped for use inside a quoted string.
    static func quotedStringContent(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            return value
        }
        var result = ""
        for character in value {
            if character == "\"" || character == "\\" { result.append("\\") }
            result.append(character)
        }
        return result
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }
}
