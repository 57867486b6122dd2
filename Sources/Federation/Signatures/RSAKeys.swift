import Crypto
import Foundation
import _CryptoExtras

/// An RSA key pair as PEM text.
///
/// The private key is PKCS#8 ("BEGIN PRIVATE KEY") when generated here; PKCS#1 ("BEGIN RSA PRIVATE KEY") is
/// accepted wherever a private key PEM is read. The public key is SubjectPublicKeyInfo ("BEGIN PUBLIC KEY").
package struct RSAKeyPair: Sendable {
    package let privateKeyPEM: String
    package let publicKeyPEM: String

    package init(privateKeyPEM: String, publicKeyPEM: String) {
        self.privateKeyPEM = privateKeyPEM
        self.publicKeyPEM = publicKeyPEM
    }

    /// Generates a fresh 2048-bit key pair.
    package static func generate() throws -> RSAKeyPair {
        let key: _RSA.Signing.PrivateKey
        do {
            key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        } catch {
            throw SignatureError.invalidKey
        }
        return RSAKeyPair(
            privateKeyPEM: key.pkcs8PEMRepresentation,
            publicKeyPEM: key.publicKey.pemRepresentation
        )
    }
}

/// A private key ready to sign with RSASSA-PKCS1-v1_5 over SHA-256. Parse it once and keep it.
package struct SigningKey: Sendable {
    /// The key's identifier, e.g. `https://host/users/name#main-key`.
    package let keyID: String
    private let key: _RSA.Signing.PrivateKey

    /// Parses a PKCS#8 or PKCS#1 PEM private key (1024 bits or more).
    package init(keyID: String, privateKeyPEM: String) throws {
        self.keyID = keyID
        do {
            self.key = try _RSA.Signing.PrivateKey(unsafePEMRepresentation: privateKeyPEM)
        } catch {
            throw SignatureError.invalidKey
        }
    }

    /// The matching public key as SubjectPublicKeyInfo PEM.
    package var publicKeyPEM: String {
        key.publicKey.pemRepresentation
    }

    /// The key's modulus size in bits.
    package var keySizeInBits: Int {
        key.keySizeInBits
    }

    /// Signs `data` with RSASSA-PKCS1-v1_5 over SHA-256.
    package func sign(_ data: Data) throws -> Data {
        do {
            return try key.signature(for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5).rawRepresentation
        } catch {
            throw SignatureError.invalidKey
        }
    }

    /// Signs the UTF-8 bytes of `string` without copying them into a `Data` first.
    func sign(string: String) throws -> Data {
        var string = string
        let digest = string.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
        do {
            return try key.signature(for: digest, padding: .insecurePKCS1v1_5).rawRepresentation
        } catch {
            throw SignatureError.invalidKey
        }
    }
}

/// A parsed RSA public key for verifying RSASSA-PKCS1-v1_5 SHA-256 signatures.
package struct VerifyingKey: Sendable {
    private let key: _RSA.Signing.PublicKey

    /// Parses a SubjectPublicKeyInfo ("BEGIN PUBLIC KEY") or PKCS#1 ("BEGIN RSA PUBLIC KEY") PEM public key.
    ///
    /// Keys of 1024 bits or more are accepted, since a few older servers still publish 1024-bit keys.
    package init(publicKeyPEM: String) throws {
        do {
            self.key = try _RSA.Signing.PublicKey(unsafePEMRepresentation: publicKeyPEM)
        } catch {
            throw SignatureError.invalidKey
        }
    }

    /// The key's modulus size in bits.
    package var keySizeInBits: Int {
        key.keySizeInBits
    }

    /// The key as SubjectPublicKeyInfo PEM.
    package var publicKeyPEM: String {
        key.pemRepresentation
    }

    /// True when `signature` is a valid RSASSA-PKCS1-v1_5 SHA-256 signature of `data`.
    package func verify(_ signature: Data, for data: Data) -> Bool {
        key.isValidSignature(
            _RSA.Signing.RSASignature(rawRepresentation: signature),
            for: SHA256.hash(data: data),
            padding: .insecurePKCS1v1_5
        )
    }

    /// Verifies against the UTF-8 bytes of `string` without copying them into a `Data` first.
    func verify(_ signature: Data, forString string: String) -> Bool {
        var string = string
        let digest = string.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
        return key.isValidSignature(
            _RSA.Signing.RSASignature(rawRepresentation: signature),
            for: digest,
            padding: .insecurePKCS1v1_5
        )
    }
}
