import App
import Core
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing

/// `/invites` (make and expire invite links) and `/invite/CODE` (sign up with one), as a browser
/// drives them; and single-user mode, whose `/` is its one person's profile.
@Suite struct InvitePagesTests {
    typealias Browser = AccountPagesTests.Browser

    static func inviteMode(_ config: inout AppConfig) { config.instance.registrations = .invite }

    /// The invite links listed on `/invites`.
    static func links(_ page: String) -> [String] {
        page.matches(of: /value="(http:\/\/tern\.test\/invite\/[A-Za-z0-9]+)"/).map { String($0.output.1) }
    }

    @Test("an invite made on the page lets one person sign up, then shows as used", arguments: TestDatabase.available)
    func makeAndUse(db: TestDatabase) async throws {
        try await TestApp.run(db, configure: Self.inviteMode) { t in
            let (alice, _) = try await t.account("alice", password: AccountPagesTests.password)
            try await t.client { client in
                let owner = Browser(client)
                #expect(try await owner.signIn("alice", AccountPagesTests.password).status == .seeOther)
                let empty = try await owner.get("/invites")
                #expect(empty.status == .ok)
                #expect(empty.text.contains("Make an invite link"))
                #expect(Self.links(empty.text).isEmpty)
                let made = try await owner.post(
                    "/invites",
                    [("max_uses", "1"), ("expires_in", "86400"), ("autofollow", "1"), ("comment", "for <bob>")]
                )
                #expect(made.status == .seeOther)
                let listed = try await owner.get("/invites?created=1")
                #expect(listed.text.contains("for &lt;bob&gt;"))
                #expect(listed.text.contains("Used 0 of 1"))
                let link = try #require(Self.links(listed.text).first)
                let path = String(link.dropFirst("http://tern.test".count))

                // The invited person: the sign-up page names the inviter and carries the code.
                let invited = Browser(client)
                let form = try await invited.get(path)
                #expect(form.status == .ok)
                #expect(form.text.contains("invited you"))
                #expect(form.text.contains("name=\"invite_code\""))
                // Sign-up without it is refused in this mode.
                #expect(try await Browser(client).get("/auth/sign_up").status == .forbidden)
                let code = String(path.dropFirst("/invite/".count))
                let created = try await invited.post(
                    "/auth/sign_up",
                    AccountPagesTests.signUpFields("bob") + [("invite_code", code)]
                )
                #expect(created.status == .seeOther)
                #expect(created.headers[.location] == "/web/home")
                let bob = try #require(try await t.db.read { try await $0.account(username: "bob", domain: nil) })
                let follow = try await t.db.read { try await $0.follow(from: bob.id, to: alice.id) }
                #expect(follow != nil)

                // Used up: the link says so, and a forged post with the code stores nothing.
                let late = Browser(client)
                let gone = try await late.get(path)
                #expect(gone.status == .notFound)
                #expect(gone.text.contains("expired or used up"))
                try await late.get("/auth/sign_up")
                let refused = try await late.post(
                    "/auth/sign_up",
                    AccountPagesTests.signUpFields("carol") + [("invite_code", code)]
                )
                #expect(refused.status == .notFound)
                #expect(try await t.db.read { try await $0.account(username: "carol", domain: nil) } == nil)
                #expect(try await owner.get("/invites").text.contains("Used 1 of 1"))
            }
        }
    }

    @Test("expiring from the page, other people's invites, forged forms", arguments: TestDatabase.available)
    func expireAndForgery(db: TestDatabase) async throws {
        try await TestApp.run(db, configure: Self.inviteMode) { t in
            _ = try await t.account("alice", password: AccountPagesTests.password)
            _ = try await t.account("mallory", password: AccountPagesTests.password)
            try await t.client { client in
                let owner = Browser(client)
                _ = try await owner.signIn("alice", AccountPagesTests.password)
                try await owner.get("/invites")
                // Without the CSRF token nothing is made.
                #expect(try await owner.post("/invites", [("max_uses", "5")], csrf: "forged").status == .forbidden)
                #expect(Self.links(try await owner.get("/invites").text).isEmpty)
                // Out-of-range choices are refused with the page.
                let bad = try await owner.post("/invites", [("max_uses", "5000")])
                #expect(bad.status == .unprocessableContent)
                #expect(Self.links(try await owner.get("/invites").text).isEmpty)

                try await owner.post("/invites", [("max_uses", ""), ("expires_in", "")])
                let page = try await owner.get("/invites")
                #expect(page.text.contains("Never expires"))
                let id = try #require(page.text.firstMatch(of: /action="\/invites\/(\d+)\/expire"/)?.output.1)
                let path = String(try #require(Self.links(page.text).first).dropFirst("http://tern.test".count))

                let mallory = Browser(client)
                _ = try await mallory.signIn("mallory", AccountPagesTests.password)
                try await mallory.get("/invites")
                #expect(try await mallory.post("/invites/\(id)/expire", []).status == .notFound)
                #expect(try await Browser(client).get(path).status == .ok)

                #expect(try await owner.post("/invites/\(id)/expire", []).status == .seeOther)
                #expect(try await Browser(client).get(path).status == .notFound)
                // Signed out, the page asks to sign in first.
                let anonymous = try await Browser(client).get("/invites")
                #expect(anonymous.status == .found)
                #expect(anonymous.headers[.location]?.hasPrefix("/auth/sign_in") == true)
            }
        }
    }

    @Test(
        "single-user mode: / shows the oldest account's profile and nobody may sign up",
        arguments: TestDatabase.available
    )
    func singleUser(db: TestDatabase) async throws {
        let configure: @Sendable (inout AppConfig) -> Void = {
            $0.instance.singleUserMode = true
            $0.instance.registrations = .closed
        }
        try await TestApp.run(db, configure: configure) { t in
            _ = try await t.account("owner", password: AccountPagesTests.password)
            _ = try await t.account("second", password: AccountPagesTests.password)
            try await t.client { client in
                let root = try await client.execute(uri: "/", method: .get)
                #expect(root.status == .found)
                #expect(root.headers[.location] == "/@owner")
                let signedIn = try await client.execute(uri: "/", method: .get, headers: [.cookie: "_tern_session=abc"])
                #expect(signedIn.headers[.location] == "/web/home")
                #expect(try await client.execute(uri: "/auth/sign_up", method: .get).status == .forbidden)
                let owner = Browser(client)
                _ = try await owner.signIn("owner", AccountPagesTests.password)
                #expect(try await owner.get("/invites").text.contains("does not let you invite"))
            }
        }
    }
}
