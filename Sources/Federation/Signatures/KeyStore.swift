import Core
import Crypto
import Foundation
import Storage

/// Makes RSA key pairs; tests swap in a pool because one 2048-bit key takes about 100 ms.
package protocol KeyPairMaker: Sendable {
    func make() throws -> RSAKeyPair
}

/// Generates a new RSA-2048 key pair every time.
package struct FreshKeyPairs: KeyPairMaker {
    package init() {}
    package func make() throws -> RSAKeyPair { try RSAKeyPair.generate() }
}

/// The signing keys of local accounts and of the instance actor, parsed once and cached.
///
/// Accounts made before federation existed get their key the first time it is needed.
package actor KeyStore {
    let db: Database
    let urls: URLBuilder
    let maker: any KeyPairMaker
    private var cache: [Account.ID: SigningKey] = [:]
    private var instance: (key: SigningKey, publicKeyPEM: String)?
    private var vapid: P256.Signing.PrivateKey?
    static let vapidKeyName = "vapid"
    static let cacheLimit = 2048
    static let instanceKeyName = "instance_actor"

    package init(db: Database, urls: URLBuilder, maker: any KeyPairMaker) {
        self.db = db
        self.urls = urls
        self.maker = maker
    }

    /// A new key pair for an account about to be created (made outside any transaction).
    package nonisolated func makeKeyPair() throws -> RSAKeyPair { try self.maker.make() }

    /// The key that signs for a local account, made and stored if it has none yet.
    package func signingKey(for account: Account) async throws -> SigningKey {
        if let key = self.cache[account.id] { return key }
        let stored = try await self.storedKey(for: account)
        guard let pem = stored.privateKeyPEM else { throw KeyStoreError.notLocal }
        let key = try SigningKey(keyID: self.urls.actorKey(account.username), privateKeyPEM: pem)
        if self.cache.count >= Self.cacheLimit { self.cache.removeAll(keepingCapacity: true) }
        self.cache[account.id] = key
        return key
    }

    /// The public key a local account publishes, made and stored if it has none yet.
    package func publicKeyPEM(for account: Account) async throws -> String {
        try await self.storedKey(for: account).publicKeyPEM
    }

    /// The instance actor's key, made on first use; the first process to store one wins.
    package func instanceKey() async throws -> (key: SigningKey, publicKeyPEM: String) {
        if let instance = self.instance { return instance }
        var stored = try await self.db.read { try await $0.serverKey(name: Self.instanceKeyName) }
        if stored == nil {
            let pair = try self.maker.make()
            try await self.db.transaction {
                try await $0.insertServerKey(
                    name: Self.instanceKeyName,
                    publicKey: pair.publicKeyPEM,
                    privateKey: pair.privateKeyPEM
                )
            }
            stored = try await self.db.read { try await $0.serverKey(name: Self.instanceKeyName) }
        }
        guard let stored else { throw KeyStoreError.notLocal }
        let result = (
            key: try SigningKey(keyID: self.urls.instanceActorKey, privateKeyPEM: stored.privateKey),
            publicKeyPEM: stored.publicKey
        )
        self.instance = result
        return result
    }

    /// The server's VAPID key (P-256) that signs Web Push requests, made on first use.
    package func vapidKey() async throws -> P256.Signing.PrivateKey {
        if let vapid = self.vapid { return vapid }
        var stored = try await self.db.read { try await $0.serverKey(name: Self.vapidKeyName) }
        if stored == nil {
            let key = P256.Signing.PrivateKey()
            try await self.db.transaction {
                try await $0.insertServerKey(
                    name: Self.vapidKeyName,
                    publicKey: WebPush.base64URL(key.publicKey.x963Representation),
                    privateKey: WebPush.base64URL(key.rawRepresentation)
                )
            }
            stored = try await self.db.read { try await $0.serverKey(name: Self.vapidKeyName) }
        }
        guard let stored, let raw = WebPush.base64URLDecode(stored.privateKey) else { throw KeyStoreError.notLocal }
        let key = try P256.Signing.PrivateKey(rawRepresentation: raw)
        self.vapid = key
        return key
    }

    /// The VAPID public key as clients need it (`vapid_key`): base64url of the uncompressed point.
    package func vapidPublicKey() async throws -> String {
        WebPush.base64URL(try await self.vapidKey().publicKey.x963Representation)
    }

    private func storedKey(for account: Account) async throws -> AccountKey {
        guard account.isLocal else { throw KeyStoreError.notLocal }
        if let key = try await self.db.read({ try await $0.accountKey(of: account.id) }) { return key }
        let pair = try self.maker.make()
        let key = AccountKey(
            accountID: account.id,
            keyID: self.urls.actorKey(account.username),
            publicKeyPEM: pair.publicKeyPEM,
            privateKeyPEM: pair.privateKeyPEM
        )
        try await self.db.transaction { try await $0.insertAccountKey(key) }
        return try await self.db.read { try await $0.accountKey(of: account.id) } ?? key
    }
}

/// A key that cannot be had.
package enum KeyStoreError: Error, Equatable {
    /// Only local accounts and the instance actor have private keys here.
    case notLocal
}
