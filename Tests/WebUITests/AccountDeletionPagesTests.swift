import App
import Core
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing

/// `/settings/delete`: the owner deletes their account with the password and their username.
@Suite struct AccountDeletionPagesTests {
    typealias Browser = AccountPagesTests.Browser

    @Test(
        "the owner deletes the account from the page; mistakes and forgeries delete nothing",
        arguments: TestDatabase.available
    )
    func deleteOwnAccount(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let (alice, _) = try await t.account("alice", password: AccountPagesTests.password)
            try await t.client { client in
                let browser = Browser(client)
                #expect(try await browser.signIn("alice", AccountPagesTests.password).status == .seeOther)
                let page = try await browser.get("/settings/delete")
                #expect(page.status == .ok)
                #expect(page.text.contains("Delete my account"))

                let wrongPassword = try await browser.post(
                    "/settings/delete",
                    [("username", "alice"), ("current_password", "not my password")]
                )
                #expect(wrongPassword.status == .unprocessableContent)
                #expect(wrongPassword.text.contains("Current password is invalid"))
                let wrongName = try await browser.post(
                    "/settings/delete",
                    [("username", "alicia"), ("current_password", AccountPagesTests.password)]
                )
                #expect(wrongName.status == .unprocessableContent)
                #expect(wrongName.text.contains("does not match your username"))
                let forged = try await browser.post(
                    "/settings/delete",
                    [("username", "alice"), ("current_password", AccountPagesTests.password)],
                    csrf: "forged"
                )
                #expect(forged.status == .forbidden)
                let still = try await t.db.read { try await $0.account(id: alice.id) }
                #expect(still?.deletedAt == nil)

                let done = try await browser.post(
                    "/settings/delete",
                    [("username", "Alice"), ("current_password", AccountPagesTests.password)]
                )
                #expect(done.status == .ok)
                #expect(done.text.contains("Account deleted"))
                #expect(browser.cookies["_tern_session"] == "")
                let gone = try await t.db.read { try await $0.account(id: alice.id) }
                #expect(gone?.deletedAt != nil)
                #expect(try await t.db.read { try await $0.user(accountID: alice.id) } == nil)
                #expect(try await browser.signIn("alice", AccountPagesTests.password).status == .unauthorized)
                #expect(try await client.execute(uri: "/@alice", method: .get).status == .notFound)
            }
        }
    }
}
