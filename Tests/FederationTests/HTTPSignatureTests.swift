import Foundation
import Testing

@testable import Federation

private let keyID = "https://local.example/users/test#main-key"
private let postHeaders = ["(request-target)", "host", "date", "digest", "content-type"]
private let getHeaders = ["(request-target)", "host", "date"]

/// 1994-11-06 08:49:37 UTC.
private let referenceInstant = Date(timeIntervalSince1970: 784_111_777)

/// A second key pair, generated once for all tests that need a key other than the fixed one.
private let otherPair = Result { try RSAKeyPair.generate() }

private func fixedSigningKey() throws -> SigningKey {
    try SigningKey(keyID: keyID, privateKeyPEM: SignatureTestKeys.privatePKCS8)
}

private func fixedVerifyingKey() throws -> VerifyingKey {
    try VerifyingKey(publicKeyPEM: SignatureTestKeys.publicSPKI)
}

private func postRequest(target: String = "/users/test/inbox?x=1") -> SignableRequest {
    SignableRequest(
        method: "POST",
        target: target,
        headers: [
            ("Host", "remote.example:8443"),
            ("Date", "Sun, 06 Nov 1994 08:49:37 GMT"),
            ("Digest", SignatureTestKeys.bodyDigest),
            ("Content-Type", "application/activity+json"),
        ]
    )
}

private func getRequest() -> SignableRequest {
    SignableRequest(
        method: "GET",
        target: "/users/test",
        headers: [
            ("Host", "remote.example"),
            ("Date", HTTPSignature.httpDate(Date())),
            ("Accept", "application/activity+json"),
        ]
    )
}

/// `request` with a `Signature` header made by `key` over `headers`.
private func signed(_ request: SignableRequest, headers: [String], key: SigningKey) throws -> SignableRequest {
    var request = request
    request.headers.append(("Signature", try HTTPSignature.sign(request, headers: headers, key: key)))
    return request
}

private func verifyError(_ request: SignableRequest, key: VerifyingKey) -> SignatureError? {
    do {
        try HTTPSignature.verify(request, key: key)
        return nil
    } catch let error as SignatureError {
        return error
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

@Suite("HTTP signatures")
struct HTTPSignatureTests {
    @Test func postRoundTrip() throws {
        let request = try signed(postRequest(), headers: postHeaders, key: fixedSigningKey())
        let parameters = try HTTPSignature.parameters(of: request)
        #expect(parameters.keyID == keyID)
        #expect(parameters.algorithm == "rsa-sha256")
        #expect(parameters.headers == postHeaders)
        try HTTPSignature.verify(request, parameters: parameters, key: fixedVerifyingKey())
    }

    @Test func getRoundTripWithGeneratedKey() throws {
        let pair = try otherPair.get()
        let key = try SigningKey(keyID: keyID, privateKeyPEM: pair.privateKeyPEM)
        let request = try signed(getRequest(), headers: getHeaders, key: key)
        try HTTPSignature.verify(request, key: VerifyingKey(publicKeyPEM: pair.publicKeyPEM))
    }

    @Test func signatureHeaderShape() throws {
        let value = try HTTPSignature.sign(postRequest(), headers: postHeaders, key: fixedSigningKey())
        #expect(
            value
                == "keyId=\"\(keyID)\",algorithm=\"rsa-sha256\","
                + "headers=\"(request-target) host date digest content-type\","
                + "signature=\"\(SignatureTestKeys.opensslSignature)\""
        )
    }

    @Test func signingStringMatchesReference() throws {
        let text = try HTTPSignature.signingString(for: postRequest(), headers: postHeaders)
        #expect(text == SignatureTestKeys.signingString)
    }

    @Test(arguments: [SignatureTestKeys.privatePKCS8, SignatureTestKeys.privatePKCS1])
    func signatureEqualsOpenSSL(privateKeyPEM: String) throws {
        let key = try SigningKey(keyID: keyID, privateKeyPEM: privateKeyPEM)
        #expect(key.keySizeInBits == 2048)
        let signature = try key.sign(Data(SignatureTestKeys.signingString.utf8))
        #expect(signature.base64EncodedString() == SignatureTestKeys.opensslSignature)
    }

    @Test(arguments: [SignatureTestKeys.publicSPKI, SignatureTestKeys.publicPKCS1])
    func verifiesOpenSSLSignature(publicKeyPEM: String) throws {
        let key = try VerifyingKey(publicKeyPEM: publicKeyPEM)
        let signature = try #require(Data(base64Encoded: SignatureTestKeys.opensslSignature))
        #expect(key.verify(signature, for: Data(SignatureTestKeys.signingString.utf8)))
        #expect(!key.verify(signature, for: Data((SignatureTestKeys.signingString + " ").utf8)))

        var request = postRequest()
        request.headers.append(
            (
                "signature",
                "keyId=\"\(keyID)\",algorithm=\"rsa-sha256\",headers=\"\(postHeaders.joined(separator: " "))\","
                    + "signature=\"\(SignatureTestKeys.opensslSignature)\""
            )
        )
        try HTTPSignature.verify(request, key: key)
    }

    @Test func pkcs1PublicKeyIsTheSameKey() throws {
        let spki = try VerifyingKey(publicKeyPEM: SignatureTestKeys.publicSPKI)
        let pkcs1 = try VerifyingKey(publicKeyPEM: SignatureTestKeys.publicPKCS1)
        #expect(pkcs1.publicKeyPEM == spki.publicKeyPEM)
        #expect(try fixedSigningKey().publicKeyPEM == spki.publicKeyPEM)
    }

    @Test func generatedPairIsPEM() throws {
        let pair = try otherPair.get()
        #expect(pair.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(pair.publicKeyPEM.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        #expect(try VerifyingKey(publicKeyPEM: pair.publicKeyPEM).keySizeInBits == 2048)
    }

    @Test func invalidKeysAreRejected() {
        #expect(throws: SignatureError.invalidKey) {
            try SigningKey(keyID: keyID, privateKeyPEM: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----")
        }
        #expect(throws: SignatureError.invalidKey) { try VerifyingKey(publicKeyPEM: "not a key") }
        #expect(throws: SignatureError.invalidKey) { try VerifyingKey(publicKeyPEM: SignatureTestKeys.privatePKCS8) }
    }

    @Test func tamperedDigestFails() throws {
        var request = try signed(postRequest(), headers: postHeaders, key: fixedSigningKey())
        request.headers[2].value = "SHA-256=" + Data(repeating: 7, count: 32).base64EncodedString()
        #expect(verifyError(request, key: try fixedVerifyingKey()) == .badSignature)
    }

    @Test func differentPathFails() throws {
        var request = try signed(postRequest(), headers: postHeaders, key: fixedSigningKey())
        request.target = "/users/other/inbox?x=1"
        #expect(verifyError(request, key: try fixedVerifyingKey()) == .badSignature)
    }

    @Test func differentMethodFails() throws {
        var request = try signed(postRequest(), headers: postHeaders, key: fixedSigningKey())
        request.method = "PUT"
        #expect(verifyError(request, key: try fixedVerifyingKey()) == .badSignature)
    }

    @Test func differentKeyFails() throws {
        let request = try signed(postRequest(), headers: postHeaders, key: fixedSigningKey())
        let other = try VerifyingKey(publicKeyPEM: otherPair.get().publicKeyPEM)
        #expect(verifyError(request, key: other) == .badSignature)
    }

    @Test func signatureWithoutQueryStringIsAccepted() throws {
        // Some senders leave the query string out of (request-target); Mastodon accepts that too.
        let signedWithoutQuery = try signed(
            postRequest(target: "/users/test/inbox"),
            headers: postHeaders,
            key: fixedSigningKey()
        )
        var request = signedWithoutQuery
        request.target = "/users/test/inbox?x=1"
        try HTTPSignature.verify(request, key: fixedVerifyingKey())
    }

    @Test func unsignedRequestIsMissingSignature() throws {
        #expect(verifyError(postRequest(), key: try fixedVerifyingKey()) == .missingSignature)
        var bearer = postRequest()
        bearer.headers.append(("Authorization", "Bearer abc"))
        #expect(verifyError(bearer, key: try fixedVerifyingKey()) == .missingSignature)
    }

    @Test func missingSignatureParametersAreMalformed() throws {
        var request = postRequest()
        request.headers.append(("Signature", "keyId=\"\(keyID)\",headers=\"(request-target) host date digest\""))
        #expect(verifyError(request, key: try fixedVerifyingKey()) == .malformedSignature)
    }

    @Test func unsupportedAlgorithmFails() throws {
        let key = try fixedSigningKey()
        let request = postRequest()
        let signature = try HTTPSignature.sign(request, headers: postHeaders, key: key)
        var params = try #require(SignatureParameters.parse(signature))
        params.algorithm = "hmac-sha256"
        #expect(throws: SignatureError.unsupportedAlgorithm("hmac-sha256")) {
            try HTTPSignature.verify(request, parameters: params, key: try fixedVerifyingKey())
        }
        params.algorithm = "HS2019"
        try HTTPSignature.verify(request, parameters: params, key: fixedVerifyingKey())
        params.algorithm = nil
        try HTTPSignature.verify(request, parameters: params, key: fixedVerifyingKey())
    }

    @Test func requestTargetMustBeSigned() throws {
        let request = try signed(
            postRequest(),
            headers: ["host", "date", "digest", "content-type"],
            key: fixedSigningKey()
        )
        #expect(verifyError(request, key: try fixedVerifyingKey()) == .requiredHeaderNotSigned("(request-target)"))
    }

    @Test func postMustSignDigest() throws {
        let request = try signed(postRequest(), headers: ["(request-target)", "host", "date"], key: fixedSigningKey())
        #expect(verifyError(request, key: try fixedVerifyingKey()) == .requiredHeaderNotSigned("digest"))
    }

    @Test func dateOrCreatedMustBeSigned() throws {
        let request = try signed(
            postRequest(),
            headers: ["(request-target)", "host", "digest"],
            key: fixedSigningKey()
        )
        #expect(verifyError(request, key: try fixedVerifyingKey()) == .requiredHeaderNotSigned("date"))
    }

    @Test func getMustSignHost() throws {
        let request = try signed(getRequest(), headers: ["(request-target)", "date"], key: fixedSigningKey())
        #expect(verifyError(request, key: try fixedVerifyingKey()) == .requiredHeaderNotSigned("host"))
    }

    @Test func listedHeaderMissingFromRequest() throws {
        var request = try signed(postRequest(), headers: postHeaders, key: fixedSigningKey())
        request.headers.removeAll { $0.name == "Content-Type" }
        #expect(verifyError(request, key: try fixedVerifyingKey()) == .missingHeader("content-type"))
        #expect(throws: SignatureError.missingHeader("accept")) {
            try HTTPSignature.sign(postRequest(), headers: ["(request-target)", "Accept"], key: fixedSigningKey())
        }
    }

    @Test func createdPseudoHeaderUsesHS2019() throws {
        let now = Int(Date().timeIntervalSince1970)
        var request = getRequest()
        request.headers.removeAll { $0.name == "Date" }
        let headers = ["(request-target)", "(created)", "(expires)", "host"]
        let value = try HTTPSignature.sign(
            request,
            headers: headers,
            key: fixedSigningKey(),
            created: now,
            expires: now + 300
        )
        let params = try #require(SignatureParameters.parse(value))
        #expect(params.algorithm == "hs2019")
        #expect(params.created == now)
        #expect(params.expires == now + 300)
        try HTTPSignature.verify(request, parameters: params, key: fixedVerifyingKey())
        try HTTPSignature.checkTimeWindow(request, parameters: params, now: Date())

        var rsa = params
        rsa.algorithm = "rsa-sha256"
        #expect(throws: SignatureError.malformedSignature) {
            try HTTPSignature.verify(request, parameters: rsa, key: try fixedVerifyingKey())
        }
        var noCreated = params
        noCreated.created = nil
        #expect(throws: SignatureError.missingHeader("(created)")) {
            try HTTPSignature.verify(request, parameters: noCreated, key: try fixedVerifyingKey())
        }
    }

    @Test func authorizationHeaderIsAccepted() throws {
        var request = postRequest()
        let value = try HTTPSignature.sign(request, headers: postHeaders, key: fixedSigningKey())
        request.headers.append(("Authorization", "Signature " + value))
        try HTTPSignature.verify(request, key: fixedVerifyingKey())
    }

    @Test func headerLookupIgnoresCaseAndJoinsDuplicates() throws {
        let request = SignableRequest(
            method: "GET",
            target: "/",
            headers: [("ACCEPT", "a/b"), ("Host", "h"), ("accept", " c/d ")]
        )
        #expect(request.header("accept") == "a/b, c/d")
        #expect(request.header("HOST") == "h")
        #expect(request.header("date") == nil)
        let text = try HTTPSignature.signingString(for: request, headers: ["(request-target)", "Accept"])
        #expect(text == "(request-target): get /\naccept: a/b, c/d")
    }
}

@Suite("Signature parameters")
struct SignatureParametersTests {
    private static let signature = "dGVzdCBzaWduYXR1cmU="

    @Test func parsesReorderedWithSpaces() throws {
        let header =
            "signature=\"\(Self.signature)\",  headers=\"(request-target) Host date\" , algorithm=\"rsa-sha256\","
            + "\tkeyId=\"https://remote.example/actor#main-key\""
        let params = try #require(SignatureParameters.parse(header))
        #expect(params.keyID == "https://remote.example/actor#main-key")
        #expect(params.algorithm == "rsa-sha256")
        #expect(params.headers == ["(request-target)", "host", "date"])
        #expect(params.signature == Data("test signature".utf8))
        #expect(params.created == nil)
        #expect(params.expires == nil)
    }

    @Test func headersDefaultToDate() throws {
        let params = try #require(SignatureParameters.parse("keyId=\"k\",signature=\"\(Self.signature)\""))
        #expect(params.headers == ["date"])
        #expect(params.algorithm == nil)
    }

    @Test func quotedValuesMayHoldCommasAndEscapes() throws {
        let header =
            #"keyId="https://remote.example/a,b#k\"1",signature="\#(Self.signature)",created=1402170695,"#
            + #"expires="1402170699.5",extra="ignored, really""#
        let params = try #require(SignatureParameters.parse(header))
        #expect(params.keyID == #"https://remote.example/a,b#k"1"#)
        #expect(params.created == 1_402_170_695)
        #expect(params.expires == 1_402_170_699)
    }

    @Test func unpaddedSignatureIsAccepted() throws {
        let params = try #require(SignatureParameters.parse("keyId=\"k\",signature=\"dGVzdCBzaWduYXR1cmU\""))
        #expect(params.signature == Data("test signature".utf8))
    }

    @Test(arguments: [
        "",
        "garbage",
        "keyId=\"k\"",
        "signature=\"\(signature)\"",
        "keyId=\"\",signature=\"\(signature)\"",
        "keyId=\"k\",signature=\"not base64!\"",
        "keyId=\"k\",signature=\"\"",
        "keyId=\"k\",signature=\"\(signature)",
        "keyId=\"k\" signature=\"\(signature)\"",
        "keyId=\"k\",keyId=\"j\",signature=\"\(signature)\"",
        "keyId=\"k\",signature=\"\(signature)\",created=soon",
        "=\"k\",signature=\"\(signature)\"",
    ])
    func rejectsMalformed(header: String) {
        #expect(SignatureParameters.parse(header) == nil)
    }

    @Test func parsesAuthorizationHeader() throws {
        let value = "keyId=\"k\",signature=\"\(Self.signature)\""
        let params = try #require(SignatureParameters.parse(authorization: "Signature " + value))
        #expect(params == SignatureParameters.parse(value))
        #expect(SignatureParameters.parse(authorization: "signature  " + value) == params)
        #expect(SignatureParameters.parse(authorization: "Bearer " + value) == nil)
        #expect(SignatureParameters.parse(authorization: "Signature") == nil)
        #expect(SignatureParameters.parse(authorization: "Signatures " + value) == nil)
    }
}

@Suite("Digest header")
struct DigestHeaderTests {
    private static let body = Data(SignatureTestKeys.body.utf8)
    private static let sha256 = String(SignatureTestKeys.bodyDigest.dropFirst("SHA-256=".count))

    @Test func headerFormat() {
        #expect(Digest.header(for: Self.body) == SignatureTestKeys.bodyDigest)
        #expect(Digest.header(for: Data()) == "SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
    }

    @Test(arguments: ["SHA-256=", "sha-256=", "Sha-256=", " SHA-256 = "])
    func matchesAnyCase(prefix: String) {
        #expect(Digest.matches(prefix + Self.sha256, body: Self.body))
    }

    @Test func matchesSeveralEntries() {
        let sha512 = SignatureTestKeys.bodySHA512
        #expect(Digest.matches("SHA-256=\(Self.sha256),SHA-512=\(sha512)", body: Self.body))
        #expect(Digest.matches("MD5=abc, SHA-256=\(Self.sha256)", body: Self.body))
        #expect(!Digest.matches("SHA-256=\(Self.sha256),SHA-512=\(Self.sha256)", body: Self.body))
    }

    @Test func mismatchIsFalse() {
        #expect(!Digest.matches(SignatureTestKeys.bodyDigest, body: Data("{}".utf8)))
        #expect(!Digest.matches("SHA-256=not-base64", body: Self.body))
        #expect(!Digest.matches("MD5=\(Self.sha256)", body: Self.body))
        #expect(!Digest.matches("", body: Self.body))
    }

    @Test func sha512Alone() {
        #expect(Digest.matches("SHA-512=\(SignatureTestKeys.bodySHA512)", body: Self.body))
        #expect(!Digest.matches("SHA-512=\(SignatureTestKeys.bodySHA512)", body: Data()))
    }
}

@Suite("Dates")
struct SignatureDateTests {
    private static let now = Date(timeIntervalSince1970: 1_700_000_000)

    private static func header(_ offset: TimeInterval) -> String {
        HTTPSignature.httpDate(now.addingTimeInterval(offset))
    }

    @Test func acceptsDatesInsideWindow() throws {
        try HTTPSignature.checkDate(Self.header(0), now: Self.now)
        try HTTPSignature.checkDate(Self.header(-11 * 3600), now: Self.now)
        try HTTPSignature.checkDate(Self.header(-12 * 3600), now: Self.now)
        try HTTPSignature.checkDate(Self.header(50 * 60), now: Self.now)
    }

    @Test func rejectsStaleDates() {
        #expect(throws: SignatureError.staleDate) {
            try HTTPSignature.checkDate(Self.header(-13 * 3600), now: Self.now)
        }
        #expect(throws: SignatureError.staleDate) { try HTTPSignature.checkDate(Self.header(2 * 3600), now: Self.now) }
    }

    @Test(arguments: [
        "", "yesterday", "Sun, 06 Nov 1994 08:49:37", "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 31 Feb 1994 08:49:37 GMT",
        "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT extra", "1700000000",
    ])
    func rejectsInvalidDates(value: String) {
        #expect(throws: SignatureError.invalidDate) { try HTTPSignature.checkDate(value, now: Self.now) }
    }

    @Test func formatsIMFFixdate() {
        #expect(HTTPSignature.httpDate(referenceInstant) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPSignature.httpDate(referenceInstant.addingTimeInterval(0.9)) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPSignature.httpDate(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPSignature.httpDate(Date(timeIntervalSince1970: 951_825_600)) == "Tue, 29 Feb 2000 12:00:00 GMT")
        #expect(HTTPSignature.httpDate(Date(timeIntervalSince1970: -1)) == "Wed, 31 Dec 1969 23:59:59 GMT")
    }

    @Test func formatMatchesDateFormatter() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        var seconds: Int64 = -2_000_000_000
        while seconds < 5_000_000_000 {
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            let text = HTTPSignature.httpDate(date)
            #expect(text == formatter.string(from: date))
            #expect(HTTPSignature.parseHTTPDate(text) == date)
            seconds += 7_777_777
        }
    }

    @Test(arguments: [
        "Sun, 06 Nov 1994 08:49:37 GMT", "sun, 06 nov 1994 08:49:37 gmt", "  Sun, 06 Nov 1994 08:49:37 GMT ",
        "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "Sun Nov 06 08:49:37 1994",
    ])
    func parsesAllHTTPDateForms(value: String) {
        #expect(HTTPSignature.parseHTTPDate(value) == referenceInstant)
    }

    @Test func timeWindowFollowsExpires() throws {
        let request = SignableRequest(method: "GET", target: "/", headers: [("Date", Self.header(-600))])
        let params = SignatureParameters(keyID: "k", algorithm: "rsa-sha256", signature: Data([1]), expires: nil)
        try HTTPSignature.checkTimeWindow(request, parameters: params, now: Self.now)
        var expired = params
        expired.algorithm = "hs2019"
        expired.created = Int(Self.now.timeIntervalSince1970) - 7300
        expired.expires = Int(Self.now.timeIntervalSince1970) - 3700
        #expect(throws: SignatureError.staleDate) {
            try HTTPSignature.checkTimeWindow(request, parameters: expired, now: Self.now)
        }
    }
}
