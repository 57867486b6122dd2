import App
import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Invite links through the API: making, listing and expiring them, and signing up with one in every
/// registration mode (`invite_code` on `POST /api/v1/accounts`).
@Suite struct InvitesTests {
    static func makeInvite(_ api: SocialAPI, _ token: String, _ pairs: [(String, String)] = []) async throws
        -> [String: Any]
    {
        let response = try await api.post("/api/v1/invites", token, pairs)
        guard response.status == .ok else { throw TestFailure("invite answered \(response.status): \(response.text)") }
        return response.json
    }

    static func register(_ t: TestApp, _ client: any TestClientProtocol, _ username: String, code: String?)
        async throws -> TestResponse
    {
        let appToken = try await t.appToken(client)
        var pairs = RegistrationTests.signUp(username)
        if let code { pairs.append(("invite_code", code)) }
        return try await RegistrationTests.register(client, token: appToken, pairs)
    }

    static func fieldError(_ response: TestResponse, _ field: String) -> String? {
        ((response.json["details"] as? [String: Any])?[field] as? [[String: Any]])?.first?["error"] as? String
    }

    @Test(
        "under invite mode a one-use invite admits one person, who follows the inviter; then it is used up",
        arguments: TestDatabase.available
    )
    func oneUse(db: TestDatabase) async throws {
        try await TestApp.run(db, registrations: .invite) { t in
            let (alice, aliceToken) = try await t.account("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                let invite = try await Self.makeInvite(
                    api,
                    aliceToken,
                    [("max_uses", "1"), ("expires_in", "3600"), ("autofollow", "true"), ("comment", "for bob")]
                )
                let code = try #require(invite["code"] as? String)
                #expect(code.count == 8)
                #expect(invite["url"] as? String == "http://tern.test/invite/\(code)")
                #expect(invite["max_uses"] as? Int == 1)
                #expect(invite["uses"] as? Int == 0)
                #expect(invite["expires_at"] is String)
                #expect(invite["expired"] as? Bool == false)
                #expect(invite["autofollow"] as? Bool == true)
                #expect(invite["comment"] as? String == "for bob")

                // Public check, as Mastodon's apps make it.
                let check = try await api.get("/api/v1/invites/\(code)")
                #expect(check.status == .ok)
                #expect(check.json["invite_code"] as? String == code)
                #expect(check.json["instance_api_url"] as? String == "http://tern.test/api/v2/instance")

                // Without a code the mode refuses; with it, bob is in.
                #expect(try await Self.register(t, client, "carol", code: nil).status == .forbidden)
                let bob = try await Self.register(t, client, "bob", code: code)
                #expect(bob.status == .ok)
                let bobToken = try #require(bob.json["access_token"] as? String)
                let relationships = try await api.get("/api/v1/accounts/relationships?id[]=\(alice.id)", bobToken)
                #expect(relationships.jsonArray.first?["following"] as? Bool == true)

                // Used up: the next sign-up is refused and stores nothing.
                let dave = try await Self.register(t, client, "dave", code: code)
                #expect(dave.status == .unprocessableContent)
                #expect(Self.fieldError(dave, "invite_code") == "ERR_INVALID")
                #expect(try await RegistrationTests.lookupStatus(client, "dave") == .notFound)
                #expect(try await api.get("/api/v1/invites/\(code)").status == .notFound)

                let list = try await api.get("/api/v1/invites", aliceToken)
                #expect(list.status == .ok)
                #expect(list.jsonArray.count == 1)
                #expect(list.jsonArray.first?["uses"] as? Int == 1)
                #expect(list.jsonArray.first?["expired"] as? Bool == true)
                // Invites are private to their maker.
                #expect(try await api.get("/api/v1/invites", bobToken).jsonArray.isEmpty)
            }
        }
    }

    @Test("an invite stops working when it expires, by the clock or by its maker", arguments: TestDatabase.available)
    func expiry(db: TestDatabase) async throws {
        let clock = TestClock()
        try await TestApp.run(db, clock: clock.clock, registrations: .invite) { t in
            let (_, aliceToken) = try await t.account("alice")
            let (_, malloryToken) = try await t.account("mallory")
            try await t.client { client in
                let api = SocialAPI(client)
                let timed = try #require(
                    try await Self.makeInvite(api, aliceToken, [("expires_in", "60")])["code"] as? String
                )
                clock.advance(by: 61)
                let late = try await Self.register(t, client, "bob", code: timed)
                #expect(late.status == .unprocessableContent)
                #expect(Self.fieldError(late, "invite_code") == "ERR_INVALID")

                let open = try await Self.makeInvite(api, aliceToken)
                let id = try #require(open["id"] as? String)
                let code = try #require(open["code"] as? String)
                #expect(open["max_uses"] is NSNull)
                #expect(open["expires_at"] is NSNull)
                // Someone else's invite is not found; its maker expires it.
                #expect(try await api.delete("/api/v1/invites/\(id)", malloryToken).status == .notFound)
                #expect(try await api.get("/api/v1/invites/\(code)").status == .ok)
                let expired = try await api.delete("/api/v1/invites/\(id)", aliceToken)
                #expect(expired.status == .ok)
                #expect(expired.json["expired"] as? Bool == true)
                #expect(try await Self.register(t, client, "carol", code: code).status == .unprocessableContent)
                #expect(try await RegistrationTests.lookupStatus(client, "bob") == .notFound)
                #expect(try await RegistrationTests.lookupStatus(client, "carol") == .notFound)
            }
        }
    }

    @Test(
        "under approval mode an invited sign-up needs no reason and no approval",
        arguments: TestDatabase.available
    )
    func approvalSkipped(db: TestDatabase) async throws {
        try await TestApp.run(db, registrations: .approval) { t in
            let (_, aliceToken) = try await t.account("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                let code = try #require(try await Self.makeInvite(api, aliceToken)["code"] as? String)
                let bob = try await Self.register(t, client, "bob", code: code)
                #expect(bob.status == .ok)
                let token = try #require(bob.json["access_token"] as? String)
                #expect(try await verifyCredentials(client, token).status == .ok)
                let user = try #require(try await t.db.read { try await $0.user(email: "bob@example.org") })
                #expect(user.approved)
                // Without the code the reason is still required.
                let carol = try await Self.register(t, client, "carol", code: nil)
                #expect(carol.status == .unprocessableContent)
                #expect(Self.fieldError(carol, "reason") == "ERR_BLANK")
            }
        }
    }

    @Test(
        "under closed registrations only staff make invites, and theirs still admit people",
        arguments: TestDatabase.available
    )
    func closedMode(db: TestDatabase) async throws {
        try await TestApp.run(db, registrations: .closed) { t in
            let (_, aliceToken) = try await t.account("alice")
            let adminToken = try await AdminAccountsTests.staffToken(t, scopes: "read write")
            try await t.client { client in
                let api = SocialAPI(client)
                let refused = try await api.post("/api/v1/invites", aliceToken)
                #expect(refused.status == .forbidden)
                #expect(try await api.get("/api/v1/invites", aliceToken).jsonArray.isEmpty)
                let code = try #require(try await Self.makeInvite(api, adminToken)["code"] as? String)
                #expect(try await Self.register(t, client, "carol", code: nil).status == .forbidden)
                #expect(try await Self.register(t, client, "bob", code: code).status == .ok)
            }
        }
    }

    @Test("bad invite requests are refused and store nothing", arguments: TestDatabase.available)
    func badInput(db: TestDatabase) async throws {
        try await TestApp.run(db, registrations: .invite) { t in
            let (_, aliceToken) = try await t.account("alice")
            let readOnly = try await t.token(login: "alice", password: testPassword, scopes: "read")
            try await t.client { client in
                let api = SocialAPI(client)
                #expect(try await api.post("/api/v1/invites", nil).status == .unauthorized)
                #expect(try await api.post("/api/v1/invites", readOnly).status == .forbidden)
                for pairs in [
                    [("max_uses", "0")], [("max_uses", "1001")], [("max_uses", "many")], [("expires_in", "59")],
                    [("expires_in", "99999999999")], [("autofollow", "perhaps")],
                ] {
                    let response = try await api.post("/api/v1/invites", aliceToken, pairs)
                    #expect(response.status == .unprocessableContent, "\(pairs)")
                    #expect(response.json["error"] is String)
                }
                #expect(try await api.get("/api/v1/invites", aliceToken).jsonArray.isEmpty)
                #expect(try await api.delete("/api/v1/invites/12345", aliceToken).status == .notFound)
                #expect(try await api.delete("/api/v1/invites/nope", aliceToken).status == .notFound)
                #expect(try await api.get("/api/v1/invites/nope").status == .notFound)
                let bogus = try await Self.register(t, client, "bob", code: "nope")
                #expect(bogus.status == .unprocessableContent)
                #expect(Self.fieldError(bogus, "invite_code") == "ERR_INVALID")
                #expect(try await RegistrationTests.lookupStatus(client, "bob") == .notFound)
            }
        }
    }

    @Test("two sign-ups racing for the last use of an invite: exactly one gets in", arguments: TestDatabase.available)
    func race(db: TestDatabase) async throws {
        try await TestApp.run(db, registrations: .invite) { t in
            let (_, aliceToken) = try await t.account("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                let code = try #require(
                    try await Self.makeInvite(api, aliceToken, [("max_uses", "1")])["code"] as? String
                )
                async let first = Self.register(t, client, "bob", code: code)
                async let second = Self.register(t, client, "carol", code: code)
                let statuses = try await [first.status, second.status]
                #expect(statuses.filter { $0 == .ok }.count == 1)
                #expect(statuses.filter { $0 == .unprocessableContent }.count == 1)
                let uses = try await api.get("/api/v1/invites", aliceToken).jsonArray.first?["uses"] as? Int
                #expect(uses == 1)
            }
        }
    }
}
