import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Notification policies (`/api/v2/notifications/policy`) and notification requests.
@Suite struct NotificationPolicyTests {
    static func setPolicy(_ client: any TestClientProtocol, _ token: String, _ pairs: [(String, String)]) async throws
        -> TestResponse
    {
        try await client.execute(
            uri: "/api/v2/notifications/policy",
            method: .patch,
            headers: .bearer(token, contentType: "application/x-www-form-urlencoded"),
            body: formBody(pairs)
        )
    }

    @Test(
        "filtered notifications wait in a request per sender; accepting merges them and lets later ones through",
        arguments: TestDatabase.available
    )
    func filterAndAccept(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            try await t.client { client in
                let api = SocialAPI(client)
                let defaults = try await api.get("/api/v2/notifications/policy", alice.token)
                #expect(defaults.json["for_not_following"] as? String == "accept")
                try await api.follow(alice.token, carol.id)
                let set = try await Self.setPolicy(client, alice.token, [("for_not_following", "filter")])
                #expect(set.status == .ok, "\(set.text)")
                #expect(set.json["for_not_following"] as? String == "filter")
                #expect(set.json["for_private_mentions"] as? String == "accept")

                let mine = try await api.status(alice.token, "hello")
                let mention = try await api.status(bob.token, "@alice hi from a stranger")
                _ = try await api.post("/api/v1/statuses/\(mine)/favourite", bob.token)
                _ = try await api.status(carol.token, "@alice hi from a friend")
                let shown = try await api.notifications(alice.token)
                #expect(shown.map(\.from) == [carol.id] && shown.map(\.type) == ["mention"])
                let unread = try await api.get("/api/v1/notifications/unread_count", alice.token)
                #expect(unread.json["count"] as? Int == 1)
                let grouped = try await api.get("/api/v2/notifications", alice.token)
                #expect((grouped.json["notification_groups"] as? [[String: Any]])?.count == 1)
                let everything = try await api.notifications(alice.token, "?include_filtered=true")
                #expect(Set(everything.map(\.from)) == [bob.id, carol.id] && everything.count == 3)

                let requests = try await api.get("/api/v1/notifications/requests", alice.token)
                #expect(requests.status == .ok)
                let request = try #require(requests.jsonArray.first)
                #expect(requests.jsonArray.count == 1)
                #expect((request["account"] as? [String: Any])?["id"] as? String == bob.id)
                #expect(request["notifications_count"] as? String == "2")
                // The status of the newest filtered notification: the favourite's, alice's own post.
                #expect((request["last_status"] as? [String: Any])?["id"] as? String == mine)
                let filtered = try await api.get(
                    "/api/v1/notifications?include_filtered=true&types[]=mention",
                    alice.token
                )
                let statuses = filtered.jsonArray.compactMap { ($0["status"] as? [String: Any])?["id"] as? String }
                #expect(statuses.contains(mention))
                let requestID = try #require(request["id"] as? String)
                let one = try await api.get("/api/v1/notifications/requests/\(requestID)", alice.token)
                #expect(one.json["id"] as? String == requestID)
                let policy = try await api.get("/api/v2/notifications/policy", alice.token)
                let summary = try #require(policy.json["summary"] as? [String: Any])
                #expect(summary["pending_requests_count"] as? Int == 1)
                #expect(summary["pending_notifications_count"] as? Int == 2)
                // Nobody else sees or settles alice's request.
                expectError(try await api.get("/api/v1/notifications/requests/\(requestID)", carol.token), .notFound)
                expectError(
                    try await api.post("/api/v1/notifications/requests/\(requestID)/accept", carol.token),
                    .notFound
                )

                let accepted = try await api.post("/api/v1/notifications/requests/\(requestID)/accept", alice.token)
                #expect(accepted.status == .ok)
                #expect(try await api.ids("/api/v1/notifications/requests", alice.token).isEmpty)
                #expect(Set(try await api.notifications(alice.token).map(\.from)) == [bob.id, carol.id])
                #expect(try await api.notifications(alice.token).count == 3)
                let merged = try await api.get("/api/v1/notifications/requests/merged", alice.token)
                #expect(merged.json["merged"] as? Bool == true)
                // An accepted sender is accepted from now on.
                _ = try await api.status(bob.token, "@alice again")
                #expect(try await api.notifications(alice.token).count == 4)
                #expect(try await api.ids("/api/v1/notifications/requests", alice.token).isEmpty)
            }
        }
    }

    @Test(
        "dismissing removes a request's notifications; drop makes none; private mentions have their own rule",
        arguments: TestDatabase.available
    )
    func dismissDropAndPrivateMentions(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let dave = try await t.user("dave")
            try await t.client { client in
                let api = SocialAPI(client)
                _ = try await Self.setPolicy(client, alice.token, [("for_private_mentions", "filter")])
                _ = try await api.status(bob.token, "@alice in public")
                _ = try await api.status(bob.token, "@alice just between us", visibility: "direct")
                #expect(try await api.notifications(alice.token).count == 1)
                let requests = try await api.get("/api/v1/notifications/requests", alice.token).jsonArray
                #expect(requests.count == 1 && requests.first?["notifications_count"] as? String == "1")
                // Following the sender makes a private mention welcome.
                try await api.follow(alice.token, dave.id)
                _ = try await api.status(dave.token, "@alice psst", visibility: "direct")
                #expect(try await api.notifications(alice.token).count == 2)

                // Dismissed (in bulk, as Mastodon.py sends it, `id[][]`; an unknown id skipped): the filtered
                // notification is gone.
                let id = try #require(requests.first?["id"] as? String)
                let dismissed = try await api.post(
                    "/api/v1/notifications/requests/dismiss",
                    alice.token,
                    [("id[][]", id), ("id[][]", "12345")]
                )
                #expect(dismissed.status == .ok)
                #expect(try await api.ids("/api/v1/notifications/requests", alice.token).isEmpty)
                #expect(try await api.notifications(alice.token, "?include_filtered=true").count == 2)

                // Dropped: new accounts (everyone here is new) make no notification at all.
                let dropped = try await Self.setPolicy(
                    client,
                    alice.token,
                    [("for_new_accounts", "drop"), ("for_private_mentions", "accept")]
                )
                #expect(dropped.json["for_new_accounts"] as? String == "drop")
                _ = try await api.status(bob.token, "@alice are you there?")
                #expect(try await api.notifications(alice.token, "?include_filtered=true").count == 2)
                #expect(try await api.ids("/api/v1/notifications/requests", alice.token).isEmpty)
                let stored = try await t.db.read { session in
                    try await session.notifications(
                        of: Account.ID(alice.id)!,
                        types: nil,
                        excludeTypes: [],
                        from: nil,
                        includeFiltered: true,
                        page: PageRequest(limit: 40)
                    )
                }
                #expect(stored.count == 2)
            }
        }
    }

    @Test("bad policy values, unknown requests and missing tokens are refused", arguments: TestDatabase.available)
    func refusals(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                let bad = try await Self.setPolicy(
                    client,
                    alice.token,
                    [("for_not_followers", "filter"), ("for_not_following", "maybe")]
                )
                expectError(bad, .unprocessableContent, "for_not_following")
                let policy = try await api.get("/api/v2/notifications/policy", alice.token)
                #expect(policy.json["for_not_followers"] as? String == "accept")  // nothing half-applied
                expectError(try await api.get("/api/v1/notifications/requests/123", alice.token), .notFound)
                expectError(try await api.get("/api/v1/notifications/requests/abc", alice.token), .notFound)
                expectError(try await api.post("/api/v1/notifications/requests/123/accept", alice.token), .notFound)
                expectError(try await api.post("/api/v1/notifications/requests/123/dismiss", alice.token), .notFound)
                expectError(
                    try await api.post("/api/v1/notifications/requests/accept", alice.token, [("id[]", "x")]),
                    .unprocessableContent
                )
                expectError(try await api.get("/api/v2/notifications/policy"), .unauthorized)
                expectError(try await api.get("/api/v1/notifications/requests"), .unauthorized)
                expectError(try await Self.setPolicy(client, "nope", [("for_new_accounts", "drop")]), .unauthorized)
            }
        }
    }

    @Test("the policy's rules: the strictest rule a sender falls under wins")
    func rules() {
        var policy = NotificationPolicy()
        let stranger = NotificationPolicy.Sender(
            recipientFollowsSender: false,
            followsRecipient: false,
            isNew: true,
            isPrivateMention: true,
            isLimited: false
        )
        #expect(policy.acceptsAll && policy.action(for: stranger) == .accept)
        policy.forNotFollowers = .filter
        policy.forNewAccounts = .drop
        #expect(policy.action(for: stranger) == .drop)
        var friend = stranger
        friend.isNew = false
        friend.followsRecipient = true
        #expect(policy.action(for: friend) == .accept)
        policy.forPrivateMentions = .filter
        #expect(policy.action(for: friend) == .filter)
        friend.recipientFollowsSender = true
        #expect(policy.action(for: friend) == .accept)
        #expect(!NotificationPolicy.filters(.poll) && NotificationPolicy.filters(.mention))
    }
}
