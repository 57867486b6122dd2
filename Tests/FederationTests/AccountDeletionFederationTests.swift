import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// A local account deleted on one instance disappears from the other: the `Delete` of the actor reaches
/// every server that knows it, which removes the account with its posts and follows.
@Suite struct AccountDeletionFederationTests {
    @Test(
        "deleting alice on alpha removes her, her posts and her followers on beta",
        arguments: TestDatabase.available
    )
    func deleteReachesTheOtherServer(db: TestDatabase) async throws {
        try await Pair.run(db) { p in
            let alice = try await p.alpha.user("alice")
            let bob = try await p.beta.user("bob")
            let aliceOnBeta = try await p.b.lookup("alice@alpha.test", bob.token)
            #expect(try await p.b.post("/api/v1/accounts/\(aliceOnBeta)/follow", bob.token).status == .ok)
            try await p.settle()
            _ = try await p.a.status(alice.token, "soon gone")
            try await p.settle()
            #expect(try await p.b.homeContents(bob.token).contains { $0.contains("soon gone") })
            #expect(try await p.b.account(bob.id)["following_count"] as? Int == 1)

            try await p.alpha.processor.admin.deleteAccount(username: "alice")
            try await p.settle()

            #expect(try await p.b.homeContents(bob.token).isEmpty)
            #expect(try await p.b.get("/api/v1/accounts/\(aliceOnBeta)", bob.token).status == .notFound)
            #expect(try await p.b.account(bob.id)["following_count"] as? Int == 0)
            // Looking her up again asks alpha, which answers 410: she stays unknown.
            let lookup = try await p.b.get("/api/v1/accounts/lookup?acct=alice@alpha.test", bob.token)
            #expect(lookup.status == .notFound)
            let delivered = p.network.requests.filter { $0.method == "POST" && $0.url.hasPrefix("http://beta.test/") }
            #expect(delivered.allSatisfy { $0.status < 300 })
        }
    }
}
