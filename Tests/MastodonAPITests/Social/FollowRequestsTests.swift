import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

extension SocialAPI {
    /// `PATCH /api/v1/accounts/update_credentials`; the change must be accepted.
    @discardableResult
    func updateCredentials(_ token: String, _ pairs: [(String, String)]) async throws -> [String: Any] {
        let response = try await self.client.execute(
            uri: "/api/v1/accounts/update_credentials",
            method: .patch,
            headers: formHeaders(token: token),
            body: formBody(pairs)
        )
        guard response.status == .ok else {
            throw TestFailure("update_credentials answered \(response.status): \(response.text)")
        }
        return response.json
    }

    /// Locks the account of `token`: follows then need its approval.
    func lock(_ token: String) async throws {
        let account = try await self.updateCredentials(token, [("locked", "true")])
        guard account["locked"] as? Bool == true else { throw TestFailure("account not locked: \(account)") }
    }

    /// `source.follow_requests_count` from verify_credentials.
    func followRequestsCount(_ token: String) async throws -> Int? {
        let response = try await verifyCredentials(self.client, token)
        return (response.json["source"] as? [String: Any])?["follow_requests_count"] as? Int
    }
}

@Suite struct FollowRequestsTests {
    @Test(
        "a follow of a locked account is a request the target sees, and authorizing it follows",
        arguments: TestDatabase.available
    )
    func requestAndAuthorize(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.lock(alice.token)
                let secret = try await api.status(alice.token, "for followers", visibility: "private")
                let open = try await api.status(alice.token, "for everyone")
                #expect(try await api.followRequestsCount(alice.token) == 0)

                let response = try await api.post("/api/v1/accounts/\(alice.id)/follow", bob.token)
                #expect(response.status == .ok)
                #expect(response.json["requested"] as? Bool == true)
                #expect(response.json["following"] as? Bool == false)
                #expect(try await api.ids("/api/v1/follow_requests", alice.token) == [bob.id])
                #expect(try await api.ids("/api/v1/follow_requests", bob.token).isEmpty)
                let note = try await api.notifications(alice.token)
                #expect(note.map(\.type) == ["follow_request"])
                #expect(note.map(\.from) == [bob.id])
                #expect(try await api.followRequestsCount(alice.token) == 1)
                let seenByAlice = try await api.relationship(alice.token, to: bob.id)
                #expect(seenByAlice["requested_by"] as? Bool == true)
                #expect(seenByAlice["followed_by"] as? Bool == false)
                #expect(try await api.home(bob.token).isEmpty)

                let authorized = try await api.post("/api/v1/follow_requests/\(bob.id)/authorize", alice.token)
                #expect(authorized.status == .ok)
                #expect(authorized.json["id"] as? String == bob.id)
                #expect(authorized.json["followed_by"] as? Bool == true)
                #expect(authorized.json["requested_by"] as? Bool == false)
                let seenByBob = try await api.relationship(bob.token, to: alice.id)
                #expect(seenByBob["following"] as? Bool == true)
                #expect(seenByBob["requested"] as? Bool == false)
                #expect(try await api.notifications(alice.token).map(\.type) == ["follow"])
                #expect(try await api.ids("/api/v1/follow_requests", alice.token).isEmpty)
                #expect(try await api.followRequestsCount(alice.token) == 0)
                #expect(try await api.account(alice.id)["followers_count"] as? Int == 1)
                #expect(try await api.home(bob.token) == [open, secret])
                #expect(try await api.accountStatuses(alice.id, bob.token) == [open, secret])

                // Answering the same request again finds nothing.
                expectError(try await api.post("/api/v1/follow_requests/\(bob.id)/authorize", alice.token), .notFound)
                #expect(try await api.notifications(alice.token).count == 1)
            }
        }
    }

    @Test("rejecting a request leaves no follow and no request", arguments: TestDatabase.available)
    func reject(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.lock(alice.token)
                _ = try await api.status(alice.token, "for followers", visibility: "private")
                _ = try await api.post("/api/v1/accounts/\(alice.id)/follow", bob.token)
                #expect(try await api.ids("/api/v1/follow_requests", alice.token) == [bob.id])

                let rejected = try await api.post("/api/v1/follow_requests/\(bob.id)/reject", alice.token)
                #expect(rejected.status == .ok)
                #expect(rejected.json["followed_by"] as? Bool == false)
                #expect(rejected.json["requested_by"] as? Bool == false)
                let seenByBob = try await api.relationship(bob.token, to: alice.id)
                #expect(seenByBob["following"] as? Bool == false)
                #expect(seenByBob["requested"] as? Bool == false)
                #expect(try await api.ids("/api/v1/follow_requests", alice.token).isEmpty)
                #expect(try await api.followRequestsCount(alice.token) == 0)
                #expect(try await api.notifications(alice.token).isEmpty)
                #expect(try await api.account(alice.id)["followers_count"] as? Int == 0)
                #expect(try await api.home(bob.token).isEmpty)
                expectError(try await api.post("/api/v1/follow_requests/\(bob.id)/reject", alice.token), .notFound)
                expectError(try await api.post("/api/v1/follow_requests/\(bob.id)/authorize", alice.token), .notFound)
                #expect(try await api.relationship(bob.token, to: alice.id)["following"] as? Bool == false)
            }
        }
    }

    @Test("answering a request that does not exist is 404 and follows nobody", arguments: TestDatabase.available)
    func answerUnknown(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let carol = try await t.user("carol")
            let reader = try await t.user("reader", scopes: "read")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.lock(alice.token)
                expectError(try await api.post("/api/v1/follow_requests/\(carol.id)/authorize", alice.token), .notFound)
                expectError(try await api.post("/api/v1/follow_requests/999999999/authorize", alice.token), .notFound)
                expectError(try await api.post("/api/v1/follow_requests/999999999/reject", alice.token), .notFound)
                expectError(try await api.post("/api/v1/follow_requests/\(carol.id)/authorize", nil), .unauthorized)
                expectError(try await api.get("/api/v1/follow_requests"), .unauthorized)

                _ = try await api.post("/api/v1/accounts/\(alice.id)/follow", carol.token)
                expectError(
                    try await api.post("/api/v1/follow_requests/\(carol.id)/authorize", reader.token),
                    .forbidden
                )
                #expect(try await api.relationship(carol.token, to: alice.id)["following"] as? Bool == false)
                #expect(try await api.relationship(carol.token, to: alice.id)["requested"] as? Bool == true)
                #expect(try await api.account(alice.id)["followers_count"] as? Int == 0)
                #expect(try await api.account(carol.id)["following_count"] as? Int == 0)
            }
        }
    }

    @Test("unfollowing a pending request withdraws it and its notification", arguments: TestDatabase.available)
    func withdraw(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.lock(alice.token)
                let request = try await api.post("/api/v1/accounts/\(alice.id)/follow", bob.token)
                #expect(request.json["requested"] as? Bool == true)
                #expect(try await api.notifications(alice.token).map(\.type) == ["follow_request"])

                let withdrawn = try await api.post("/api/v1/accounts/\(alice.id)/unfollow", bob.token)
                #expect(withdrawn.status == .ok)
                #expect(withdrawn.json["requested"] as? Bool == false)
                #expect(withdrawn.json["following"] as? Bool == false)
                #expect(try await api.ids("/api/v1/follow_requests", alice.token).isEmpty)
                #expect(try await api.followRequestsCount(alice.token) == 0)
                #expect(try await api.notifications(alice.token).isEmpty)
                #expect(try await api.relationship(alice.token, to: bob.id)["requested_by"] as? Bool == false)
                expectError(try await api.post("/api/v1/follow_requests/\(bob.id)/authorize", alice.token), .notFound)

                // Asking again is a fresh request, told once.
                let again = try await api.post("/api/v1/accounts/\(alice.id)/follow", bob.token)
                #expect(again.json["requested"] as? Bool == true)
                _ = try await api.post("/api/v1/accounts/\(alice.id)/follow", bob.token)
                #expect(try await api.notifications(alice.token).map(\.type) == ["follow_request"])
                #expect(try await api.ids("/api/v1/follow_requests", alice.token) == [bob.id])
            }
        }
    }

    @Test("GET /api/v1/follow_requests lists newest first and pages with Link", arguments: TestDatabase.available)
    func requestList(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.lock(alice.token)
                _ = try await api.post("/api/v1/accounts/\(alice.id)/follow", bob.token)
                _ = try await api.post("/api/v1/accounts/\(alice.id)/follow", carol.token)
                #expect(try await api.ids("/api/v1/follow_requests", alice.token) == [carol.id, bob.id])
                #expect(try await api.followRequestsCount(alice.token) == 2)
                let first = try await api.get("/api/v1/follow_requests?limit=1", alice.token)
                #expect(first.jsonArray.compactMap { $0["id"] as? String } == [carol.id])
                let next = try #require(links(first)["next"])
                #expect(try await api.ids(pathAndQuery(next), alice.token) == [bob.id])
            }
        }
    }
}
