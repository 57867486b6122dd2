import Core
import Foundation
import Processing
import SQLKit
import TestSupport
import Testing

@testable import Storage

/// `DBSession.tokenGrant`, which every signed-in request runs: the token's ids and scopes, and its user's
/// standing read afresh each time.
@Suite struct TokenGrantTests {
    @Test(
        "a token's grant follows its user's confirmation, approval and suspension; a revoked token has none",
        arguments: TestDatabase.available
    )
    func standing(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { t in
            let (account, token) = try await t.account("granted", scopes: "read write:statuses")
            func viewer() async throws -> Viewer? { try await t.processor.oauth.authenticate(bearer: token) }
            func set(_ assignment: String) async throws {
                try await t.db.transaction {
                    try await $0.sql.raw(
                        "UPDATE users SET \(unsafeRaw: assignment) WHERE account_id = \(bind: account.id.rawValue)"
                    ).run()
                }
            }

            let first = try #require(try await viewer())
            #expect(first.accountID == account.id)
            #expect(first.state == .functional)
            #expect(first.scopes.description == "read write:statuses")
            #expect(first.applicationID != nil)
            let userID = try #require(first.userID)
            let grant = try #require(
                try await t.db.read { try await $0.tokenGrant(hash: Secrets.sha256Hex(token)) }
            )
            #expect(grant.tokenID == first.tokenID)
            #expect(
                grant.holder
                    == TokenGrant.Holder(
                        userID: userID,
                        accountID: account.id,
                        confirmed: true,
                        approved: true,
                        suspended: false
                    )
            )

            try await set("confirmed_at = NULL")
            #expect(try await viewer()?.state == .unconfirmed)
            try await t.db.transaction { try await $0.confirmUser(userID) }
            #expect(try await viewer()?.state == .functional)
            try await set("approved = \(t.db.dialect == .postgres ? "false" : "0")")
            #expect(try await viewer()?.state == .pendingApproval)
            #expect(try await t.db.transaction { try await $0.approveUser(userID) })
            #expect(try await viewer()?.state == .functional)
            try await t.db.transaction { try await $0.updateSuspension(account.id, suspended: true) }
            #expect(try await viewer()?.state == .disabled)
            try await t.db.transaction { try await $0.updateSuspension(account.id, suspended: false) }
            #expect(try await viewer() == first)

            // Another hash is not a token; a revoked token is not found.
            #expect(try await t.db.read { try await $0.tokenGrant(hash: Secrets.sha256Hex(token + "x")) } == nil)
            try await t.db.transaction { try await $0.revokeTokens(userID: userID) }
            #expect(try await viewer() == nil)
        }
    }
}
