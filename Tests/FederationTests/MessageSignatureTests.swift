import Core
import Federation
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// RFC 9421 message signatures: the signature base, sign and verify, and the inbox accepting them.
@Suite struct MessageSignatureTests {
    /// RFC 9421 §2.5: the signature base of its example request.
    @Test func signatureBaseMatchesTheRFCExample() throws {
        let digest =
            "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:"
        let input =
            #"sig1=("@method" "@authority" "@path" "content-digest" "content-length" "content-type");created=1618884473;keyid="test-key-rsa-pss""#
        let signature = try #require(MessageSignature.parse(signatureInput: input, signature: "sig1=:AAAA:"))
        let message = MessageSignature.Message(
            method: "POST",
            scheme: "https",
            authority: "example.com",
            target: "/foo?param=Value&Pet=dog",
            headers: SignableRequest(
                method: "POST",
                target: "/foo?param=Value&Pet=dog",
                headers: [
                    ("Host", "example.com"), ("Date", "Tue, 20 Apr 2021 02:07:55 GMT"),
                    ("Content-Type", "application/json"), ("Content-Digest", digest), ("Content-Length", "18"),
                ]
            )
        )
        let expected = """
            "@method": POST
            "@authority": example.com
            "@path": /foo
            "content-digest": \(digest)
            "content-length": 18
            "content-type": application/json
            "@signature-params": ("@method" "@authority" "@path" "content-digest" "content-length" "content-type");created=1618884473;keyid="test-key-rsa-pss"
            """
        #expect(try signature.base(for: message) == expected)
        #expect(ContentDigest.matches(digest, body: Data(#"{"hello": "world"}"#.utf8)))
        #expect(!ContentDigest.matches(digest, body: Data(#"{"hello": "there"}"#.utf8)))
    }

    @Test func parsingRefusesGarbageAndComponentParameters() {
        #expect(MessageSignature.parse(signatureInput: "sig1=nonsense", signature: "sig1=:AAAA:") == nil)
        #expect(MessageSignature.parse(signatureInput: #"sig1=("@method");keyid="k""#, signature: "sig2=:AAAA:") == nil)
        #expect(
            MessageSignature.parse(
                signatureInput: #"sig1=("@query-param";name="a");keyid="k""#,
                signature: "sig1=:AAAA:"
            )
                == nil
        )
        #expect(MessageSignature.parse(signatureInput: #"sig1=("@method")"#, signature: "sig1=:AAAA:") == nil)
    }

    @Test func signAndVerifyRoundTrip() throws {
        let pair = try RemoteKeys.main.get()
        let key = try SigningKey(
            keyID: "https://remote.example/users/mallory#main-key",
            privateKeyPEM: pair.privateKeyPEM
        )
        let body = Data(#"{"type":"Create"}"#.utf8)
        let now = Date()
        var fields: [(name: String, value: String)] = [
            ("Host", "tern.test"), ("Content-Digest", ContentDigest.header(for: body)),
        ]
        let message = MessageSignature.Message(
            method: "POST",
            scheme: "https",
            authority: "tern.test",
            target: "/inbox",
            headers: SignableRequest(method: "POST", target: "/inbox", headers: fields)
        )
        let signed = try MessageSignature.sign(
            message,
            components: ["@method", "@target-uri", "content-digest"],
            key: key,
            created: Int(now.timeIntervalSince1970)
        )
        fields += [("Signature-Input", signed.input), ("Signature", signed.signature)]
        let parsed = try #require(MessageSignature.parse(signatureInput: signed.input, signature: signed.signature))
        let verifying = try VerifyingKey(publicKeyPEM: pair.publicKeyPEM)
        try parsed.verify(message, hasBody: true, key: verifying, now: now)

        var elsewhere = message
        elsewhere.target = "/users/alice/inbox"
        #expect(throws: SignatureError.badSignature) {
            try parsed.verify(elsewhere, hasBody: true, key: verifying, now: now)
        }
        #expect(throws: SignatureError.staleDate) {
            try parsed.verify(message, hasBody: true, key: verifying, now: now.addingTimeInterval(13 * 3600))
        }
        let other = try VerifyingKey(publicKeyPEM: try RemoteKeys.other.get().publicKeyPEM)
        #expect(throws: SignatureError.badSignature) { try parsed.verify(message, hasBody: true, key: other, now: now) }
        let unsignedMethod = try MessageSignature.sign(
            message,
            components: ["@target-uri", "content-digest"],
            key: key,
            created: Int(now.timeIntervalSince1970)
        )
        let weak = try #require(
            MessageSignature.parse(signatureInput: unsignedMethod.input, signature: unsignedMethod.signature)
        )
        #expect(throws: SignatureError.requiredHeaderNotSigned("@method")) {
            try weak.verify(message, hasBody: true, key: verifying, now: now)
        }
    }

    @Test(
        "the inbox accepts an RFC 9421 signed Create and refuses one whose Content-Digest lies",
        arguments: TestDatabase.available
    )
    func inboxAcceptsMessageSignatures(db: TestDatabase) async throws {
        let clock = TestClock(Date())
        let network = LoopbackNetwork()
        let mallory = try FakeRemote.mallory()
        mallory.serve(on: network)
        try await TestApp.run(db, clock: clock.clock, network: network) { t in
            try await mallory.store(in: t)
            let key = try SigningKey(keyID: mallory.keyID, privateKeyPEM: mallory.keyPair.privateKeyPEM)
            func post(_ body: Data, digestOf: Data) async throws -> TestResponse {
                var pairs: [(name: String, value: String)] = [
                    ("Host", "tern.test"), ("Content-Type", "application/activity+json"),
                    ("Content-Digest", ContentDigest.header(for: digestOf)),
                ]
                let signed = try MessageSignature.sign(
                    MessageSignature.Message(
                        method: "POST",
                        scheme: "http",
                        authority: "tern.test",
                        target: "/inbox",
                        headers: SignableRequest(method: "POST", target: "/inbox", headers: pairs)
                    ),
                    components: ["@method", "@target-uri", "content-digest"],
                    key: key,
                    created: Int(clock.clock.now().timeIntervalSince1970)
                )
                pairs += [("Signature-Input", signed.input), ("Signature", signed.signature)]
                var fields = HTTPFields()
                for pair in pairs { fields.append(HTTPField(name: HTTPField.Name(pair.name)!, value: pair.value)) }
                let headers = fields
                return try await t.client { client in
                    try await client.execute(
                        uri: "/inbox",
                        method: .post,
                        headers: headers,
                        body: ByteBuffer(data: body)
                    )
                }
            }
            let note = mallory.create(id: mallory.uri("statuses/9421"), content: "<p>signed the new way</p>").data()
            let lying = try await post(note, digestOf: Data("something else".utf8))
            #expect(lying.status == .unauthorized)
            #expect(try await t.pendingJobs("inbox") == 0)
            let accepted = try await post(note, digestOf: note)
            #expect(accepted.status == .accepted, "\(accepted.text)")
            #expect(try await t.pendingJobs("inbox") == 1)
            _ = try await t.jobs.drain()
            #expect(try await t.storedStatus(mallory.uri("statuses/9421")) != nil)
        }
    }
}
