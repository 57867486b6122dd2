import Core
import Foundation
import Synchronization

/// What the shared inbox remembers between requests so that a busy peer costs no database reads for
/// its key and no write per request for its health: parsed keys for five minutes, and the hosts
/// recently recorded alive.
final class InboxCache: Sendable {
    struct Entry {
        let signer: Account
        let key: VerifyingKey
        let storedAt: Date
    }

    private let keys = Mutex<[String: Entry]>([:])
    private let alive = Mutex<[String: Date]>([:])
    let clock: Clock
    static let keyLifetime: TimeInterval = 300
    static let aliveLifetime: TimeInterval = 600
    static let capacity = 10_000

    init(clock: Clock) {
        self.clock = clock
    }

    /// A cached signer and parsed key for `keyID`, unless stale.
    func key(_ keyID: String) -> (Account, VerifyingKey)? {
        let now = self.clock.now()
        return self.keys.withLock { keys in
            guard let entry = keys[keyID], now.timeIntervalSince(entry.storedAt) < Self.keyLifetime else { return nil }
            return (entry.signer, entry.key)
        }
    }

    func remember(_ keyID: String, signer: Account, key: VerifyingKey) {
        let now = self.clock.now()
        self.keys.withLock { keys in
            if keys.count >= Self.capacity { keys.removeAll(keepingCapacity: true) }
            keys[keyID] = Entry(signer: signer, key: key, storedAt: now)
        }
    }

    func forget(_ keyID: String) {
        _ = self.keys.withLock { $0.removeValue(forKey: keyID) }
    }

    /// Whether `host` should be recorded alive now (not done within the last ten minutes); marks it.
    func shouldRecordAlive(_ host: String) -> Bool {
        let now = self.clock.now()
        return self.alive.withLock { alive in
            if let last = alive[host], now.timeIntervalSince(last) < Self.aliveLifetime { return false }
            if alive.count >= Self.capacity { alive.removeAll(keepingCapacity: true) }
            alive[host] = now
            return true
        }
    }
}
