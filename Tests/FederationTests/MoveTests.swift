import Core
import Federation
import Foundation
import Hummingbird
import HummingbirdTesting
import Processing
import Storage
import TestSupport
import Testing

/// Moving an account between two servers: the alias on the new account, the move of the old one, its
/// followers on both servers following the new account and told so; and the moves that are refused.
@Suite struct MoveTests {
    /// The password `TestApp.user` gives every account.
    static let password = "correct horse 1"

    @Test(
        "alice moves from alpha to beta: her followers on both servers follow her new account",
        arguments: TestDatabase.available
    )
    func moveAcrossServers(db: TestDatabase) async throws {
        try await Pair.run(db) { p in
            let alice = try await p.alpha.user("alice")
            let bob = try await p.alpha.user("bob")
            let dave = try await p.alpha.user("dave")
            let newAlice = try await p.beta.user("newalice")
            let carol = try await p.beta.user("carol")
            try await p.a.follow(bob.token, alice.id, [("notify", "true")])
            let aliceOnBeta = try await p.b.lookup("alice@alpha.test", carol.token)
            #expect(try await p.b.post("/api/v1/accounts/\(aliceOnBeta)/follow", carol.token).status == .ok)
            try await p.settle()
            let oldID = Account.ID(Int64(alice.id) ?? 0)

            // Without the alias on the new account, the move is refused and nothing changes.
            await #expect(throws: DomainError.self) {
                _ = try await p.alpha.processor.migration.move(oldID, to: "newalice@beta.test", password: Self.password)
            }
            #expect(try await p.a.account(alice.id)["moved"] == nil)

            try await p.beta.processor.migration.addAlias("alice@alpha.test", to: Account.ID(Int64(newAlice.id) ?? 0))
            // The wrong password is refused too.
            await #expect(throws: DomainError.self) {
                _ = try await p.alpha.processor.migration.move(
                    oldID,
                    to: "newalice@beta.test",
                    password: "wrong password"
                )
            }
            _ = try await p.alpha.processor.migration.move(oldID, to: "newalice@beta.test", password: Self.password)
            try await p.settle()

            // On alpha: alice points at her new account; bob follows it (accepted) and not her.
            let moved = try await p.a.account(alice.id)
            let movedTo = try #require(moved["moved"] as? [String: Any])
            #expect(movedTo["acct"] as? String == "newalice@beta.test")
            let newOnAlpha = try #require(movedTo["id"] as? String)
            let bobToNew = try await p.a.relationship(newOnAlpha, bob.token)
            #expect(bobToNew["following"] as? Bool == true)
            #expect(bobToNew["notifying"] as? Bool == true)
            #expect(try await p.a.relationship(alice.id, bob.token)["following"] as? Bool == false)
            let bobNotified = try await p.a.notifications(bob.token)
            #expect(bobNotified.contains { $0.type == "move" && $0.from == alice.id })
            #expect(try await p.a.relationship(alice.id, dave.token)["following"] as? Bool == false)

            // On beta: the Move arrived; carol follows newalice and not alice@alpha.
            #expect(try await p.b.relationship(newAlice.id, carol.token)["following"] as? Bool == true)
            #expect(try await p.b.relationship(aliceOnBeta, carol.token)["following"] as? Bool == false)
            #expect(try await p.b.notifications(carol.token).contains { $0.type == "move" && $0.from == aliceOnBeta })
            let aliceSeenOnBeta = try await p.b.account(aliceOnBeta)
            #expect((aliceSeenOnBeta["moved"] as? [String: Any])?["id"] as? String == newAlice.id)
            let followers = try await p.b.ids("/api/v1/accounts/\(newAlice.id)/followers", newAlice.token)
            #expect(Set(followers).count == 2)

            // Another move within 30 days is refused.
            await #expect(throws: DomainError.self) {
                _ = try await p.alpha.processor.migration.move(oldID, to: "carol@beta.test", password: Self.password)
            }
        }
    }

    @Test("a Move is refused unless its target lists the mover as an alias", arguments: TestDatabase.available)
    func forgedMoves(db: TestDatabase) async throws {
        let mallory = try FakeRemote.mallory()
        try await TestApp.run(db) { t in
            try await mallory.store(in: t)
            _ = try await t.user("alice")
            let targetless = mallory.activity("Move", id: mallory.uri("moves/1"), object: .string(mallory.actor))
            try? await mallory.deliver(targetless, to: t)
            let toAlice = mallory.activity(
                "Move",
                id: mallory.uri("moves/2"),
                object: .string(mallory.actor),
                extra: ["target": .string("http://tern.test/users/alice")]
            )
            try? await mallory.deliver(toAlice, to: t)
            let ofSomeoneElse = mallory.activity(
                "Move",
                id: mallory.uri("moves/3"),
                object: .string("http://tern.test/users/alice"),
                extra: ["target": .string(mallory.actor)]
            )
            try? await mallory.deliver(ofSomeoneElse, to: t)
            let stored = try await t.db.read { try await $0.account(uri: mallory.actor) }
            #expect(stored?.movedToURI == nil)
            let alice = try await t.db.read { try await $0.account(username: "alice", domain: nil) }
            #expect(alice?.movedToURI == nil)
            #expect(try await t.jobs.drain() == 0)
        }
    }
}
