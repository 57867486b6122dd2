import App
import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Storage
import TestSupport
import Testing

/// Deleting a local account through the admin API (suspend, then delete) and the admin processor:
/// nothing of it is left in any table, other people's counters are right again, its files are gone,
/// and its username stays reserved.
@Suite struct AccountDeletionTests {
    /// Rows in any table that still refer to `id` through an account column, by table (empty is clean).
    /// Tables are read from the database's catalogue, so tables added later are checked too.
    static func leftovers(_ t: TestApp, _ id: String) async throws -> [String: Int] {
        let columns = ["account_id", "target_account_id", "from_account_id", "in_reply_to_account_id"]
        return try await t.db.read { session in
            let query: SQLQueryString =
                session.dialect == .sqlite
                ? """
                SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m, pragma_table_info(m.name) p
                WHERE m.type = 'table'
                """
                : """
                SELECT table_name::text AS table_name, column_name::text AS column_name FROM information_schema.columns
                WHERE table_schema = current_schema()
                """
            var found: [String: Int] = [:]
            for row in try await session.sql.raw(query).all() {
                let table = try row.decode(column: "table_name", as: String.self)
                let column = try row.decode(column: "column_name", as: String.self)
                // The tombstone keeps its key (to sign the Delete it sends).
                guard columns.contains(column), table != "account_keys" else { continue }
                var count = SQLQueryString("SELECT count(*) AS n FROM ")
                count.appendInterpolation(ident: table)
                count.appendLiteral(" WHERE ")
                count.appendInterpolation(ident: column)
                count.appendLiteral(" = ")
                count.appendInterpolation(bind: Int64(id) ?? 0)
                let n = try await session.sql.raw(count).first()?.decode(column: "n", as: Int.self) ?? 0
                if n > 0 { found["\(table).\(column)", default: 0] += n }
            }
            return found
        }
    }

    @Test(
        "an admin suspends then deletes an account: nothing of it is left, counters and files are right",
        arguments: TestDatabase.available
    )
    func deleteThroughTheAdminAPI(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let adminToken = try await AdminAccountsTests.staffToken(t)
            try await t.client { client in
                let api = SocialAPI(client)
                // Alice's life: follows, posts with a picture, favourites, boosts and replies to bob.
                try await api.follow(alice.token, bob.id)
                try await api.follow(bob.token, alice.id)
                let bobPost = try await api.status(bob.token, "bob's post")
                let upload = try await TestImages.upload(client, alice.token, TestImages.png(width: 64, height: 64))
                let mediaID = try #require(upload.json["id"] as? String)
                let mediaPath = try #require(
                    (upload.json["url"] as? String)?.replacingOccurrences(of: "http://tern.test", with: "")
                )
                #expect(try await api.get(mediaPath).status == .ok)
                _ = try await api.status(alice.token, "with a picture", [("media_ids[]", mediaID)])
                _ = try await api.status(alice.token, "@bob a reply", [("in_reply_to_id", bobPost)])
                #expect(try await api.post("/api/v1/statuses/\(bobPost)/favourite", alice.token).status == .ok)
                #expect(try await api.post("/api/v1/statuses/\(bobPost)/reblog", alice.token).status == .ok)
                _ = try await api.post("/api/v1/statuses/\(bobPost)/favourite", bob.token)
                let before = try await api.get("/api/v1/statuses/\(bobPost)", bob.token).json
                #expect(before["favourites_count"] as? Int == 2)
                #expect(before["reblogs_count"] as? Int == 1)
                #expect(before["replies_count"] as? Int == 1)
                #expect(try await Self.leftovers(t, alice.id).isEmpty == false)

                // Not suspended yet: refused, as Mastodon does.
                let early = try await api.delete("/api/v1/admin/accounts/\(alice.id)", adminToken)
                #expect(early.status == .forbidden)
                let suspend = try await api.post(
                    "/api/v1/admin/accounts/\(alice.id)/action",
                    adminToken,
                    [("type", "suspend")]
                )
                #expect(suspend.status == .ok)
                #expect(try await verifyCredentials(client, alice.token).status != .ok)
                let deleted = try await api.delete("/api/v1/admin/accounts/\(alice.id)", adminToken)
                #expect(deleted.status == .ok)
                #expect(deleted.json["username"] as? String == "alice")

                #expect(try await Self.leftovers(t, alice.id) == [:])
                let after = try await api.get("/api/v1/statuses/\(bobPost)", bob.token).json
                #expect(after["favourites_count"] as? Int == 1)
                #expect(after["reblogs_count"] as? Int == 0)
                #expect(after["replies_count"] as? Int == 0)
                let bobAccount = try await api.account(bob.id)
                #expect(bobAccount["followers_count"] as? Int == 0)
                #expect(bobAccount["following_count"] as? Int == 0)
                #expect(try await api.get("/api/v1/accounts/\(alice.id)").status == .notFound)
                #expect(try await RegistrationTests.lookupStatus(client, "alice") == .notFound)
                #expect(try await api.notifications(bob.token).isEmpty)

                // The file goes with the job; the actor is gone for good; the name stays taken.
                try await t.jobs.drain()
                #expect(try await api.get(mediaPath).status == .notFound)
                let actor = try await client.execute(
                    uri: "/users/alice",
                    method: .get,
                    headers: [.accept: "application/activity+json"]
                )
                #expect(actor.status == .gone)
                let appToken = try await t.appToken(client)
                let again = try await RegistrationTests.register(
                    client,
                    token: appToken,
                    RegistrationTests.signUp("alice", email: "new-alice@example.org")
                )
                #expect(again.status == .unprocessableContent)
                #expect(InvitesTests.fieldError(again, "username") == "ERR_TAKEN")
                // Deleted once: a second time finds nothing.
                #expect(try await api.delete("/api/v1/admin/accounts/\(alice.id)", adminToken).status == .notFound)
                #expect(try await Self.leftovers(t, bob.id).isEmpty == false)
            }
        }
    }

    @Test("who may delete, and what is refused", arguments: TestDatabase.available)
    func permissions(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let moderatorToken = try await AdminAccountsTests.staffToken(t, role: .moderator)
            try await t.client { client in
                let api = SocialAPI(client)
                #expect(
                    try await api.post("/api/v1/admin/accounts/\(alice.id)/action", bob.token, [("type", "suspend")])
                        .status == .forbidden
                )
                #expect(try await api.delete("/api/v1/admin/accounts/\(alice.id)", nil).status == .unauthorized)
                // Moderators suspend, but only admins delete data.
                let suspend = try await api.post(
                    "/api/v1/admin/accounts/\(alice.id)/action",
                    moderatorToken,
                    [("type", "suspend")]
                )
                #expect(suspend.status == .ok)
                #expect(try await api.delete("/api/v1/admin/accounts/\(alice.id)", moderatorToken).status == .forbidden)
                let unsupported = try await api.post(
                    "/api/v1/admin/accounts/\(alice.id)/action",
                    moderatorToken,
                    [("type", "silence")]
                )
                #expect(unsupported.status == .unprocessableContent)
                #expect(
                    try await api.post("/api/v1/admin/accounts/\(alice.id)/action", moderatorToken).status
                        == .unprocessableContent
                )
                #expect(
                    try await api.post("/api/v1/admin/accounts/999/action", moderatorToken, [("type", "suspend")])
                        .status == .notFound
                )
                let unsuspended = try await api.post("/api/v1/admin/accounts/\(alice.id)/unsuspend", moderatorToken)
                #expect(unsuspended.status == .ok)
                #expect(try await api.get("/api/v1/accounts/\(alice.id)").status == .ok)
                // Still all there.
                #expect(try await Self.leftovers(t, alice.id)["users.account_id"] == 1)
            }
        }
    }
}
