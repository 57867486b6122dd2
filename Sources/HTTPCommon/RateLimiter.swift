import Core
import Foundation
import Hummingbird

/// Counts requests per key (the client's address) in fixed windows and says when a key is over its limit.
///
/// In-process: each `tern serve` process keeps its own counts, so N processes allow up to N times the
/// limit. That bounds password guessing well enough without a shared store.
package actor RateLimiter {
    private let limit: Int
    private let period: TimeInterval
    private let clock: Clock
    private var windows: [String: (start: Date, count: Int)] = [:]

    /// - Parameters: `limit` requests per `period` seconds; a limit of 0 allows everything.
    package init(limit: Int, period: TimeInterval, clock: Clock = .system) {
        self.limit = limit
        self.period = period
        self.clock = clock
    }

    /// Records one request for `key`; false when the key already used its allowance in this window.
    package func allow(_ key: String) -> Bool {
        guard self.limit > 0 else { return true }
        let now = self.clock.now()
        if self.windows.count > 50_000 {
            self.windows = self.windows.filter { now.timeIntervalSince($0.value.start) < self.period }
        }
        var window = self.windows[key] ?? (now, 0)
        if now.timeIntervalSince(window.start) >= self.period { window = (now, 0) }
        window.count += 1
        self.windows[key] = window
        return window.count <= self.limit
    }
}

/// Answers 429 (a `DomainError.rateLimited`) when the caller's address is over the limiter's allowance.
package struct RateLimitMiddleware: RouterMiddleware {
    package typealias Context = AppRequestContext
    let limiter: RateLimiter

    package init(_ limiter: RateLimiter) {
        self.limiter = limiter
    }

    package func handle(
        _ request: Request,
        context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        guard request.method == .post else { return try await next(request, context) }
        let key = context.remoteAddress?.ipAddress ?? "unknown"
        guard await self.limiter.allow(key) else { throw DomainError.rateLimited }
        return try await next(request, context)
    }
}
