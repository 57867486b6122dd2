import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Two in-process instances on one `LoopbackNetwork`, each with its API client.
struct Pair {
    let alpha: TestApp
    let beta: TestApp
    let a: SocialAPI
    let b: SocialAPI
    let network: LoopbackNetwork

    /// Alpha's `token` follows `acct` on beta; returns beta's account's id on alpha once Accept came back.
    func followFromAlpha(_ acct: String, _ token: String) async throws -> String {
        let id = try await self.a.lookup(acct, token)
        let follow = try await self.a.post("/api/v1/accounts/\(id)/follow", token)
        guard follow.status == .ok else { throw TestFailure("follow answered \(follow.status): \(follow.text)") }
        try await self.settle()
        return id
    }

    /// Runs both instances' jobs until neither has anything due (deliveries cause more deliveries).
    func settle(rounds: Int = 10) async throws {
        for _ in 0..<rounds {
            let ran = try await self.alpha.jobs.drain() + self.beta.jobs.drain()
            if ran == 0 { return }
        }
    }

    /// Runs `body` with alpha.test and beta.test federating in-process.
    static func run(
        _ db: TestDatabase,
        clock: Clock = .system,
        _ body: @Sendable (Pair) async throws -> Void
    ) async throws {
        let network = LoopbackNetwork()
        try await TestApp.run(db, clock: clock, domain: "alpha.test", network: network) { alpha in
            try await TestApp.run(db, clock: clock, domain: "beta.test", network: network) { beta in
                try await alpha.client { alphaClient in
                    try await beta.client { betaClient in
                        try await body(
                            Pair(
                                alpha: alpha,
                                beta: beta,
                                a: SocialAPI(alphaClient),
                                b: SocialAPI(betaClient),
                                network: network
                            )
                        )
                    }
                }
            }
        }
    }
}

extension SocialAPI {
    /// Looks `acct` up (resolving it remotely) and returns its local id on this instance.
    func lookup(_ acct: String, _ token: String) async throws -> String {
        let response = try await self.get("/api/v1/accounts/lookup?acct=\(acct)", token)
        guard response.status == .ok, let id = response.json["id"] as? String else {
            throw TestFailure("lookup of \(acct) answered \(response.status): \(response.text)")
        }
        return id
    }

    /// The contents of the home timeline.
    func homeContents(_ token: String) async throws -> [String] {
        let response = try await self.get("/api/v1/timelines/home", token)
        guard response.status == .ok else { throw TestFailure("home answered \(response.status)") }
        return response.jsonArray.map { status in
            let reblog = status["reblog"] as? [String: Any]
            return (reblog?["content"] ?? status["content"]) as? String ?? ""
        }
    }
}

/// Three in-process instances on one network.
struct Trio {
    let apps: [TestApp]
    let apis: [SocialAPI]
    let network: LoopbackNetwork

    func settle(rounds: Int = 10) async throws {
        for _ in 0..<rounds {
            var ran = 0
            for app in self.apps { ran += try await app.jobs.drain() }
            if ran == 0 { return }
        }
    }

    /// Runs `body` with alpha.test, beta.test and gamma.test federating in-process.
    static func run(_ db: TestDatabase, _ body: @Sendable (Trio) async throws -> Void) async throws {
        let network = LoopbackNetwork()
        try await TestApp.run(db, domain: "alpha.test", network: network) { alpha in
            try await TestApp.run(db, domain: "beta.test", network: network) { beta in
                try await TestApp.run(db, domain: "gamma.test", network: network) { gamma in
                    try await alpha.client { a in
                        try await beta.client { b in
                            try await gamma.client { c in
                                try await body(
                                    Trio(
                                        apps: [alpha, beta, gamma],
                                        apis: [SocialAPI(a), SocialAPI(b), SocialAPI(c)],
                                        network: network
                                    )
                                )
                            }
                        }
                    }
                }
            }
        }
    }
}
