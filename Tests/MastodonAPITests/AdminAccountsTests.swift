import App
import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// The admin API for sign-ups under approval mode: list pending, approve (with a mail), reject.
@Suite struct AdminAccountsTests {
    /// An admin (or moderator) and a token with the admin scopes.
    static func staffToken(_ t: TestApp, role: User.Role = .admin, scopes: String = "read admin:read admin:write")
        async throws -> String
    {
        _ = try await t.processor.admin.createAccount(
            username: "boss",
            email: "boss@example.org",
            password: testPassword,
            role: role
        )
        return try await t.token(login: "boss", password: testPassword, scopes: scopes)
    }

    static func signUp(_ t: TestApp, _ client: any TestClientProtocol, _ username: String) async throws {
        let appToken = try await t.appToken(client)
        let response = try await RegistrationTests.register(
            client,
            token: appToken,
            RegistrationTests.signUp(username) + [("reason", "Hello from \(username)")]
        )
        #expect(response.status == .ok)
    }

    @Test(
        "pending sign-ups are listed, approved with a mail, or rejected and removed",
        arguments: TestDatabase.available
    )
    func approveAndReject(db: TestDatabase) async throws {
        let mail = RecordingMailTransport()
        let approval: @Sendable (inout AppConfig) -> Void = { $0.instance.registrations = .approval }
        try await TestApp.run(db, mail: mail, configure: approval) { t in
            try await t.client { client in
                let token = try await Self.staffToken(t)
                try await Self.signUp(t, client, "gina")
                try await Self.signUp(t, client, "hugo")
                let pending = try await client.execute(
                    uri: "/api/v2/admin/accounts?status=pending",
                    method: .get,
                    headers: .bearer(token)
                )
                #expect(pending.status == .ok)
                #expect(pending.jsonArray.map { $0["username"] as? String } == ["hugo", "gina"])
                let gina = try #require(pending.jsonArray.last)
                #expect(gina["invite_request"] as? String == "Hello from gina")
                #expect(gina["approved"] as? Bool == false)
                #expect(gina["confirmed"] as? Bool == false)
                #expect(gina["email"] as? String == "gina@example.org")
                #expect((gina["account"] as? [String: Any])?["acct"] as? String == "gina")
                #expect(gina.keys.contains("ip") && gina["ip"] is NSNull)
                let v1 = try await client.execute(
                    uri: "/api/v1/admin/accounts?pending=true",
                    method: .get,
                    headers: .bearer(token)
                )
                #expect(v1.jsonArray.count == 2)
                let all = try await client.execute(uri: "/api/v1/admin/accounts", method: .get, headers: .bearer(token))
                #expect(all.jsonArray.count == 3)
                let byName = try await client.execute(
                    uri: "/api/v1/admin/accounts?username=GI&email=example",
                    method: .get,
                    headers: .bearer(token)
                )
                #expect(byName.jsonArray.map { $0["username"] as? String } == ["gina"])
                let wildcard = try await client.execute(
                    uri: "/api/v1/admin/accounts?username=%25",
                    method: .get,
                    headers: .bearer(token)
                )
                #expect(wildcard.jsonArray.isEmpty)
                let firstPage = try await client.execute(
                    uri: "/api/v2/admin/accounts?status=pending&limit=1",
                    method: .get,
                    headers: .bearer(token)
                )
                #expect(firstPage.jsonArray.map { $0["username"] as? String } == ["hugo"])
                #expect(firstPage.headers[SocialAPI.linkField]?.contains("max_id=") == true)

                let ginaID = try #require(gina["id"] as? String)
                let approved = try await client.execute(
                    uri: "/api/v1/admin/accounts/\(ginaID)/approve",
                    method: .post,
                    headers: .bearer(token)
                )
                #expect(approved.status == .ok)
                #expect(approved.json["approved"] as? Bool == true)
                let twice = try await client.execute(
                    uri: "/api/v1/admin/accounts/\(ginaID)/approve",
                    method: .post,
                    headers: .bearer(token)
                )
                #expect(twice.status == .unprocessableContent)
                let rejectApproved = try await client.execute(
                    uri: "/api/v1/admin/accounts/\(ginaID)/reject",
                    method: .post,
                    headers: .bearer(token)
                )
                #expect(rejectApproved.status == .unprocessableContent)
                try await t.jobs.drain()
                let approvalMail = try #require(mail.sent.last { $0.subject.contains("approved") })
                #expect(approvalMail.to.map(\.address) == ["gina@example.org"])

                let hugoID = try #require(pending.jsonArray.first?["id"] as? String)
                let rejected = try await client.execute(
                    uri: "/api/v1/admin/accounts/\(hugoID)/reject",
                    method: .post,
                    headers: .bearer(token)
                )
                #expect(rejected.status == .ok)
                #expect(rejected.json["username"] as? String == "hugo")
                #expect(try await RegistrationTests.lookupStatus(client, "hugo") == .notFound)
                let gone = try await client.execute(
                    uri: "/api/v1/admin/accounts/\(hugoID)",
                    method: .get,
                    headers: .bearer(token)
                )
                #expect(gone.status == .notFound)
                // The username is free again.
                try await Self.signUp(t, client, "hugo")
            }
        }
    }

    @Test("only staff with the admin scopes may manage accounts", arguments: TestDatabase.available)
    func onlyStaff(db: TestDatabase) async throws {
        try await TestApp.run(db, registrations: .approval) { t in
            try await t.client { client in
                try await Self.signUp(t, client, "gina")
                let (_, userToken) = try await t.account("alice", scopes: "read write admin:read admin:write")
                let staffWithoutScope = try await Self.staffToken(t, role: .moderator, scopes: "read write")
                let anonymous = try await client.execute(uri: "/api/v1/admin/accounts", method: .get)
                #expect(anonymous.status == .unauthorized)
                for token in [userToken, staffWithoutScope] {
                    let list = try await client.execute(
                        uri: "/api/v1/admin/accounts",
                        method: .get,
                        headers: .bearer(token)
                    )
                    #expect(list.status == .forbidden)
                    let ginaID = try #require(try await t.processor.admin.pendingAccounts().first?.0.id)
                    let approve = try await client.execute(
                        uri: "/api/v1/admin/accounts/\(ginaID)/approve",
                        method: .post,
                        headers: .bearer(token)
                    )
                    #expect(approve.status == .forbidden)
                }
                #expect(try await t.processor.admin.pendingAccounts().count == 1)
                let moderator = try await t.token(
                    login: "boss",
                    password: testPassword,
                    scopes: "admin:read admin:write"
                )
                let unknown = try await client.execute(
                    uri: "/api/v1/admin/accounts/999999/approve",
                    method: .post,
                    headers: .bearer(moderator)
                )
                #expect(unknown.status == .notFound)
                let badStatus = try await client.execute(
                    uri: "/api/v2/admin/accounts?status=weird",
                    method: .get,
                    headers: .bearer(moderator)
                )
                #expect(badStatus.status == .unprocessableContent)
            }
        }
    }
}
