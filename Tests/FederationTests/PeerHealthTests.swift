import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing

/// A host that keeps failing is marked unavailable and skipped; a signed request from it clears that.
@Suite struct PeerHealthTests {
    @Test(
        "a week of failures marks a host unavailable; its next signed request makes it reachable again",
        arguments: TestDatabase.available
    )
    func unavailableThenBack(db: TestDatabase) async throws {
        let clock = TestClock(Date())
        try await Pair.run(db, clock: clock.clock) { p in
            let alice = try await p.alpha.user("alice")
            let bob = try await p.beta.user("bob")
            _ = try await p.followFromAlpha("bob@beta.test", alice.token)

            p.network.setDown("alpha.test", true)
            _ = try await p.b.status(bob.token, "first try")
            try await p.settle()
            let failing = try #require(try await p.beta.db.read { try await $0.peer("alpha.test") })
            #expect(failing.failures == 1 && !failing.unavailable)

            // Eight days of failures later the next failed attempt marks it unavailable.
            clock.advance(by: 8 * 86_400)
            try await p.beta.db.transaction { try await $0.makeAllJobsDue() }
            try await p.settle()
            #expect(try await p.beta.db.read { try await $0.peer("alpha.test") }?.unavailable == true)

            // While unavailable, nothing is even queued for it.
            _ = try await p.beta.db.transaction { try await $0.makeAllJobsDue() }
            try await p.settle()
            let before = p.network.requests.count
            _ = try await p.b.status(bob.token, "while unavailable")
            try await p.settle()
            #expect(!p.network.requests.dropFirst(before).contains { $0.url.hasPrefix("http://alpha.test") })
            #expect(try await p.beta.db.read { try await $0.pendingJobCounts() }["deliver"] == nil)

            // Alpha comes back and sends beta a signed activity: beta clears it and delivers again.
            p.network.setDown("alpha.test", false)
            _ = try await p.a.status(alice.token, "hello @bob@beta.test")
            try await p.settle()
            #expect(try await p.beta.db.read { try await $0.peer("alpha.test") }?.unavailable == false)
            _ = try await p.b.status(bob.token, "after the comeback")
            try await p.settle()
            #expect(try await p.a.homeContents(alice.token).contains { $0.contains("after the comeback") })
        }
    }
}
