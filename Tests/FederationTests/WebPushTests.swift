import Core
import Crypto
import Federation
import Foundation
import HTTPCommon
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import TestSupport
import Testing

/// Web Push: RFC 8291 encryption, VAPID, the subscription API, and notifications pushed to a push
/// service that decrypts what it receives.
@Suite struct WebPushTests {
    static func b64(_ text: String) -> Data { WebPush.base64URLDecode(text) ?? Data() }

    /// RFC 8291 §5 and Appendix A: the same inputs give the same message, byte for byte.
    @Test func encryptionMatchesTheRFCExample() throws {
        let keys = try #require(
            WebPush.Keys(
                p256dh: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
                auth: "BTBZMqHH6r4Tts7J_aSIgg"
            )
        )
        let sender = try P256.KeyAgreement.PrivateKey(
            rawRepresentation: Self.b64("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw")
        )
        let body = try WebPush.encrypt(
            Self.b64("V2hlbiBJIGdyb3cgdXAsIEkgd2FudCB0byBiZSBhIHdhdGVybWVsb24"),
            for: keys,
            senderKey: sender,
            salt: Self.b64("DGv6ra1nlYgDCS1FRnbzlw")
        )
        let expected =
            "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"
        #expect(WebPush.base64URL(body) == expected)
    }

    @Test func keysMustBeAPointAndSixteenBytes() throws {
        let point = WebPush.base64URL(P256.KeyAgreement.PrivateKey().publicKey.x963Representation)
        let auth = WebPush.base64URL(Data(repeating: 7, count: 16))
        #expect(WebPush.Keys(p256dh: point, auth: auth) != nil)
        #expect(WebPush.Keys(p256dh: point, auth: WebPush.base64URL(Data(repeating: 7, count: 8))) == nil)
        #expect(WebPush.Keys(p256dh: "not-a-key", auth: auth) == nil)
        #expect(WebPush.Keys(p256dh: WebPush.base64URL(Data(repeating: 4, count: 65)), auth: auth) == nil)
    }

    @Test func vapidIsAnES256TokenForTheEndpointsOrigin() throws {
        let key = P256.Signing.PrivateKey()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let header = try WebPush.vapidAuthorization(
            endpoint: URL(string: "https://push.example:8443/send/abc?x=1")!,
            key: key,
            subject: "mailto:admin@tern.test",
            now: now
        )
        #expect(header.hasPrefix("vapid t="))
        let parts = header.dropFirst("vapid t=".count).components(separatedBy: ", k=")
        #expect(parts.count == 2)
        #expect(parts[1] == WebPush.base64URL(key.publicKey.x963Representation))
        let jwt = parts[0].split(separator: ".").map(String.init)
        #expect(jwt.count == 3)
        let claims = try JSONSerialization.jsonObject(with: Self.b64(jwt[1])) as? [String: Any]
        #expect(claims?["aud"] as? String == "https://push.example:8443")
        #expect(claims?["exp"] as? Int == 1_800_000_000 + 12 * 3600)
        #expect(claims?["sub"] as? String == "mailto:admin@tern.test")
        let signature = try P256.Signing.ECDSASignature(rawRepresentation: Self.b64(jwt[2]))
        #expect(key.publicKey.isValidSignature(signature, for: Data("\(jwt[0]).\(jwt[1])".utf8)))
    }

    // MARK: The API and delivery

    /// A push service on the loopback network: records what it receives, answers `status`.
    final class PushService: Sendable {
        let received = Mutex<[(path: String, headers: HTTPFields, body: Data)]>([])
        let status = Mutex<HTTPResponse.Status>(.created)

        func attach(to network: LoopbackNetwork) {
            let router = Router(context: AppRequestContext.self)
            router.post("push/:id") { request, _ -> Response in
                let body = try await request.body.collect(upTo: 1 << 20)
                self.received.withLock { $0.append((request.uri.path, request.headers, Data(buffer: body))) }
                return Response(status: self.status.withLock { $0 })
            }
            network.attach("push.test", router.buildResponder())
        }
    }

    /// A client's subscription keys, and how it decrypts (RFC 8291 from the receiving side).
    struct Client {
        let key = P256.KeyAgreement.PrivateKey()
        let auth = Data((0..<16).map { _ in UInt8.random(in: 0...255) })
        var p256dh: String { WebPush.base64URL(self.key.publicKey.x963Representation) }
        var authText: String { WebPush.base64URL(self.auth) }

        func decrypt(_ body: Data) throws -> [String: Any] {
            let bytes = [UInt8](body)
            let salt = Data(bytes[0..<16])
            let idLength = Int(bytes[20])
            let senderPublic = Data(bytes[21..<(21 + idLength)])
            let ciphertext = Data(bytes[(21 + idLength)...])
            let sender = try P256.KeyAgreement.PublicKey(x963Representation: senderPublic)
            let shared = try self.key.sharedSecretFromKeyAgreement(with: sender).withUnsafeBytes { Data($0) }
            let info = Data("WebPush: info".utf8) + [0] + self.key.publicKey.x963Representation + senderPublic
            let prkKey = HKDF<SHA256>.extract(inputKeyMaterial: SymmetricKey(data: shared), salt: self.auth)
            let ikm = HKDF<SHA256>.expand(pseudoRandomKey: prkKey, info: info, outputByteCount: 32)
            let prk = HKDF<SHA256>.extract(inputKeyMaterial: ikm, salt: salt)
            let cek = HKDF<SHA256>.expand(
                pseudoRandomKey: prk,
                info: Data("Content-Encoding: aes128gcm".utf8) + [0],
                outputByteCount: 16
            )
            let nonce = HKDF<SHA256>.expand(
                pseudoRandomKey: prk,
                info: Data("Content-Encoding: nonce".utf8) + [0],
                outputByteCount: 12
            )
            let box = try AES.GCM.SealedBox(
                nonce: try AES.GCM.Nonce(data: nonce.withUnsafeBytes { Data($0) }),
                ciphertext: ciphertext.dropLast(16),
                tag: ciphertext.suffix(16)
            )
            var plain = try AES.GCM.open(box, using: cek)
            guard plain.last == 2 else { throw TestFailure("no last-record delimiter") }
            plain.removeLast()
            return try JSONSerialization.jsonObject(with: plain) as? [String: Any] ?? [:]
        }
    }

    @Test("the subscription API: create, read, update, delete, and refusals", arguments: TestDatabase.available)
    func subscriptionAPI(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice", scopes: "read write follow push")
            try await t.client { client in
                let api = SocialAPI(client)
                let device = Client()
                #expect(try await api.get("/api/v1/push/subscription", alice.token).status == .notFound)
                let created = try await api.post(
                    "/api/v1/push/subscription",
                    alice.token,
                    [
                        ("subscription[endpoint]", "https://push.test/push/one"),
                        ("subscription[keys][p256dh]", device.p256dh), ("subscription[keys][auth]", device.authText),
                        ("data[alerts][mention]", "true"), ("data[alerts][follow]", "false"),
                        ("data[policy]", "followed"),
                    ]
                )
                #expect(created.status == .ok, "\(created.text)")
                let alerts = try #require(created.json["alerts"] as? [String: Bool])
                #expect(alerts["mention"] == true && alerts["follow"] == false && alerts["favourite"] == false)
                #expect(alerts.count == 10)
                #expect(created.json["policy"] as? String == "followed")
                let serverKey = try #require(created.json["server_key"] as? String)
                #expect(Self.b64(serverKey).count == 65)
                let instance = try await api.get("/api/v2/instance")
                let vapid = (instance.json["configuration"] as? [String: Any])?["vapid"] as? [String: Any]
                #expect(vapid?["public_key"] as? String == serverKey)

                let updated = try await client.execute(
                    uri: "/api/v1/push/subscription",
                    method: .put,
                    headers: .bearer(alice.token, contentType: formType),
                    body: formBody([("data[alerts][favourite]", "true"), ("policy", "all")])
                )
                #expect(updated.status == .ok)
                let after = try #require(updated.json["alerts"] as? [String: Bool])
                #expect(after["favourite"] == true && after["mention"] == true)
                #expect(updated.json["policy"] as? String == "all")
                #expect(
                    try await api.get("/api/v1/push/subscription", alice.token).json["id"] as? String
                        == created.json["id"] as? String
                )

                let badEndpoint = try await api.post(
                    "/api/v1/push/subscription",
                    alice.token,
                    [
                        ("subscription[endpoint]", "not a url"), ("subscription[keys][p256dh]", device.p256dh),
                        ("subscription[keys][auth]", device.authText),
                    ]
                )
                #expect(badEndpoint.status == .unprocessableContent)
                let badKeys = try await api.post(
                    "/api/v1/push/subscription",
                    alice.token,
                    [
                        ("subscription[endpoint]", "https://push.test/push/one"),
                        ("subscription[keys][p256dh]", "AAAA"), ("subscription[keys][auth]", device.authText),
                    ]
                )
                #expect(badKeys.status == .unprocessableContent)
                #expect(try await api.get("/api/v1/push/subscription").status == .unauthorized)

                #expect(try await api.delete("/api/v1/push/subscription", alice.token).status == .ok)
                #expect(try await api.get("/api/v1/push/subscription", alice.token).status == .notFound)
            }
        }
    }

    @Test(
        "a notification is pushed encrypted to the subscribed device, only for the alerts chosen",
        arguments: TestDatabase.available
    )
    func deliversEncryptedPushes(db: TestDatabase) async throws {
        let network = LoopbackNetwork()
        let service = PushService()
        service.attach(to: network)
        try await TestApp.run(db, network: network) { t in
            let alice = try await t.user("alice", scopes: "read write follow push")
            let bob = try await t.user("bob")
            let device = Client()
            try await t.client { client in
                let api = SocialAPI(client)
                let subscribed = try await api.post(
                    "/api/v1/push/subscription",
                    alice.token,
                    [
                        ("subscription[endpoint]", "https://push.test/push/alice"),
                        ("subscription[keys][p256dh]", device.p256dh), ("subscription[keys][auth]", device.authText),
                        ("subscription[standard]", "true"), ("data[alerts][mention]", "true"),
                    ]
                )
                #expect(subscribed.status == .ok)
                // A follow is not among the alerts asked for: nothing is pushed for it.
                try await api.follow(bob.token, alice.id)
                _ = try await api.status(bob.token, "hello @alice")
                _ = try await t.jobs.drain()
                let received = service.received.withLock { $0 }
                #expect(received.count == 1)
                let push = try #require(received.first)
                #expect(push.path == "/push/alice")
                #expect(push.headers[HTTPField.Name("Content-Encoding")!] == "aes128gcm")
                #expect(push.headers[.authorization]?.hasPrefix("vapid t=") == true)
                #expect(push.headers[HTTPField.Name("TTL")!] != nil)
                let payload = try device.decrypt(push.body)
                #expect(payload["notification_type"] as? String == "mention")
                #expect((payload["body"] as? String)?.contains("hello @alice") == true)
                let notifications = try await api.notifications(alice.token, "?types[]=mention")
                #expect(payload["notification_id"] as? String == notifications.first?.id)

                // The push service says the subscription is gone: it is forgotten.
                service.status.withLock { $0 = .gone }
                _ = try await api.status(bob.token, "again @alice")
                _ = try await t.jobs.drain()
                #expect(try await api.get("/api/v1/push/subscription", alice.token).status == .notFound)
            }
        }
    }
}
