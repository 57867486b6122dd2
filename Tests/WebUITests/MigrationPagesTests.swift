import App
import Core
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// `/settings/migration`: aliases and moving, between two accounts of one server, as a browser does it.
@Suite struct MigrationPagesTests {
    typealias Browser = AccountPagesTests.Browser

    @Test(
        "an alias, then a move: followers follow the new account; the old profile says where it went",
        arguments: TestDatabase.available
    )
    func moveOnOneServer(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let (alice, _) = try await t.account("alice", password: AccountPagesTests.password)
            let (newAlice, _) = try await t.account("newalice", password: AccountPagesTests.password)
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.follow(bob.token, alice.id.description)

                let old = Browser(client)
                _ = try await old.signIn("alice", AccountPagesTests.password)
                #expect(try await old.get("/settings/migration").status == .ok)
                let early = try await old.post(
                    "/settings/migration",
                    [("acct", "newalice"), ("current_password", AccountPagesTests.password)]
                )
                #expect(early.status == .unprocessableContent)
                #expect(early.text.contains("does not list this account as an alias"))

                let new = Browser(client)
                _ = try await new.signIn("newalice", AccountPagesTests.password)
                try await new.get("/settings/migration")
                #expect(
                    try await new.post("/settings/aliases", [("acct", "nobody@tern.test")]).status
                        == .unprocessableContent
                )
                #expect(try await new.post("/settings/aliases", [("acct", "alice")]).status == .seeOther)
                #expect(try await new.get("/settings/migration").text.contains("@alice@tern.test"))

                try await old.get("/settings/migration")
                let forged = try await old.post(
                    "/settings/migration",
                    [("acct", "newalice"), ("current_password", AccountPagesTests.password)],
                    csrf: "forged"
                )
                #expect(forged.status == .forbidden)
                let wrong = try await old.post(
                    "/settings/migration",
                    [("acct", "newalice"), ("current_password", "nope")]
                )
                #expect(wrong.status == .unprocessableContent)
                #expect(try await api.account(alice.id.description)["moved"] == nil)

                let moved = try await old.post(
                    "/settings/migration",
                    [("acct", "newalice"), ("current_password", AccountPagesTests.password)]
                )
                #expect(moved.status == .seeOther)
                try await t.jobs.drain()
                #expect(try await api.relationship(newAlice.id.description, bob.token)["following"] as? Bool == true)
                #expect(try await api.relationship(alice.id.description, bob.token)["following"] as? Bool == false)
                let profile = try await client.execute(uri: "/@alice", method: .get)
                #expect(profile.text.contains("This account has moved to"))
                #expect(profile.text.contains("href=\"/@newalice\""))
                let actor = try await client.execute(
                    uri: "/users/alice",
                    method: .get,
                    headers: [.accept: "application/activity+json"]
                )
                #expect(actor.text.contains("\"movedTo\":\"http://tern.test/users/newalice\""))
                let again = try await old.post(
                    "/settings/migration",
                    [("acct", "bob"), ("current_password", AccountPagesTests.password)]
                )
                #expect(again.text.contains("moved less than 30 days ago"))
            }
        }
    }
}
