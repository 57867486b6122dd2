import Dispatch
import HummingbirdBcrypt

/// Hashes and checks passwords with bcrypt, off the request threads (a hash costs tens of milliseconds).
///
/// HummingbirdBcrypt is a C bcrypt with no dependency on the HTTP framework, so Processing may use it.
package struct PasswordHasher: Sendable {
    /// The bcrypt cost: 10 in production (about 60 ms here); tests use the minimum, 4.
    package let cost: UInt8

    package init(cost: UInt8 = 10) {
        self.cost = max(4, min(cost, 31))
    }

    /// The bcrypt hash of a password.
    package func hash(_ password: String) async -> String {
        let cost = self.cost
        return await Self.offload { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`. A malformed hash never matches.
    package func verify(_ password: String, hash: String) async -> Bool {
        await Self.offload { Bcrypt.verify(password, hash: hash) }
    }

    private static func offload<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
        }
    }
}
