import Core
import Crypto
import Foundation

/// Web Push message encryption (RFC 8291, `aes128gcm` from RFC 8188) and VAPID (RFC 8292).
package enum WebPush {
    /// A subscriber's keys as its client sent them (base64url).
    package struct Keys: Sendable {
        package let publicKey: P256.KeyAgreement.PublicKey
        package let publicKeyBytes: Data
        package let authSecret: Data

        /// Nil unless `p256dh` is an uncompressed P-256 point and `auth` decodes to 16 bytes.
        package init?(p256dh: String, auth: String) {
            guard let point = WebPush.base64URLDecode(p256dh), point.count == 65, point.first == 0x04,
                let key = try? P256.KeyAgreement.PublicKey(x963Representation: point),
                let secret = WebPush.base64URLDecode(auth), secret.count == 16
            else { return nil }
            self.publicKey = key
            self.publicKeyBytes = point
            self.authSecret = secret
        }
    }

    /// The record size announced in the header: one record holds a whole push message.
    static let recordSize: UInt32 = 4096

    /// Encrypts `plaintext` for `keys`: `salt ‖ rs ‖ idlen ‖ keyid ‖ ciphertext` (RFC 8291 §4).
    /// `senderKey` and `salt` are fresh for every message; tests pass fixed ones.
    package static func encrypt(
        _ plaintext: Data,
        for keys: Keys,
        senderKey: P256.KeyAgreement.PrivateKey = P256.KeyAgreement.PrivateKey(),
        salt: Data = Data((0..<16).map { _ in UInt8.random(in: 0...255) })
    ) throws -> Data {
        let senderPublic = senderKey.publicKey.x963Representation
        let shared = try senderKey.sharedSecretFromKeyAgreement(with: keys.publicKey)
        let sharedBytes = shared.withUnsafeBytes { Data($0) }
        // IKM = HKDF(auth_secret, ecdh_secret, "WebPush: info" ‖ 0 ‖ ua_public ‖ as_public, 32)
        let keyInfo = Data("WebPush: info".utf8) + [0] + keys.publicKeyBytes + senderPublic
        let prkKey = HKDF<SHA256>.extract(inputKeyMaterial: SymmetricKey(data: sharedBytes), salt: keys.authSecret)
        let ikm = HKDF<SHA256>.expand(pseudoRandomKey: prkKey, info: keyInfo, outputByteCount: 32)
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
        // One record, the last: the content followed by the 0x02 delimiter, no padding.
        let sealed = try AES.GCM.seal(
            plaintext + [2],
            using: cek,
            nonce: try AES.GCM.Nonce(data: nonce.withUnsafeBytes { Data($0) })
        )
        var body = Data(salt)
        withUnsafeBytes(of: Self.recordSize.bigEndian) { body.append(contentsOf: $0) }
        body.append(UInt8(senderPublic.count))
        body.append(senderPublic)
        body.append(sealed.ciphertext)
        body.append(sealed.tag)
        return body
    }

    /// `Authorization: vapid t=<JWT>, k=<public key>` for a push to `endpoint` (RFC 8292): an ES256 JWT
    /// with the endpoint's origin as audience, valid twelve hours, naming the operator as subject.
    package static func vapidAuthorization(
        endpoint: URL,
        key: P256.Signing.PrivateKey,
        subject: String,
        now: Date
    ) throws -> String {
        guard let scheme = endpoint.scheme, let host = endpoint.host else { throw WebPushError.invalidEndpoint }
        let audience = "\(scheme)://\(host)" + (endpoint.port.map { ":\($0)" } ?? "")
        let header = Self.base64URL(Data(#"{"typ":"JWT","alg":"ES256"}"#.utf8))
        let claims: JSON = [
            "aud": .string(audience), "exp": .number(Double(Int(now.timeIntervalSince1970) + 12 * 3600)),
            "sub": .string(subject),
        ]
        let input = header + "." + Self.base64URL(claims.data())
        let signature = try key.signature(for: Data(input.utf8)).rawRepresentation
        let publicKey = Self.base64URL(key.publicKey.x963Representation)
        return "vapid t=\(input).\(Self.base64URL(signature)), k=\(publicKey)"
    }

    // MARK: base64url

    package static func base64URL(_ data: Data) -> String { Base64URL.encode(data) }

    /// Decodes base64url or standard base64, with or without padding.
    package static func base64URLDecode(_ text: String) -> Data? { Base64URL.decode(text) }
}

/// What a push service answered.
package enum PushResult: Sendable, Equatable {
    case delivered
    /// 404 or 410: the subscription is gone; forget it.
    case gone
    case retry(String)
    case drop(String)
}

package enum WebPushError: Error, Equatable {
    case invalidEndpoint
    case invalidKeys
}

/// POSTs encrypted pushes through the guarded transport.
package struct PushSender: Sendable {
    let transport: any HTTPTransport
    let clock: Clock

    package init(transport: any HTTPTransport, clock: Clock) {
        self.transport = transport
        self.clock = clock
    }

    /// Encrypts `payload` for the subscriber and POSTs it to `endpoint` with a VAPID signature.
    package func send(
        _ payload: Data,
        to endpoint: String,
        keys: WebPush.Keys,
        vapid: P256.Signing.PrivateKey,
        subject: String,
        urgency: String = "normal"
    ) async -> PushResult {
        guard let url = URL(string: endpoint) else { return .drop("not a URL: \(endpoint)") }
        let request: OutboundRequest
        do {
            let body = try WebPush.encrypt(payload, for: keys)
            let authorization = try WebPush.vapidAuthorization(
                endpoint: url,
                key: vapid,
                subject: subject,
                now: self.clock.now()
            )
            request = OutboundRequest(
                method: "POST",
                url: url,
                headers: [
                    ("Content-Type", "application/octet-stream"), ("Content-Encoding", "aes128gcm"),
                    ("TTL", "172800"), ("Urgency", urgency), ("Authorization", authorization),
                ],
                body: body
            )
        } catch {
            return .drop("could not encrypt: \(error)")
        }
        do {
            let response = try await self.transport.send(request, limits: TransportLimits(maxResponseBytes: 64 * 1024))
            switch response.status {
            case 200..<300: return .delivered
            case 404, 410: return .gone
            case 408, 429, 500..<600: return .retry("status \(response.status)")
            default: return .drop("status \(response.status)")
            }
        } catch let error as TransportError {
            switch error {
            case .invalidURL, .forbiddenAddress, .plainHTTPNotAllowed: return .drop(error.description)
            default: return .retry(error.description)
            }
        } catch {
            return .retry(String(describing: error))
        }
    }
}
