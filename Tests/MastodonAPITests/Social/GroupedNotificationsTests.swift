import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@Suite struct GroupedNotificationsTests {
    @Test(
        "favourites of one status form one group; mentions stay single; accounts and statuses come once",
        arguments: TestDatabase.available
    )
    func grouping(_ db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            try await t.client { client in
                let api = SocialAPI(client)
                let post = try await api.status(alice.token, "favourite me")
                _ = try await api.post("/api/v1/statuses/\(post)/favourite", bob.token)
                _ = try await api.post("/api/v1/statuses/\(post)/favourite", carol.token)
                _ = try await api.status(bob.token, "@alice hi")
                _ = try await api.status(carol.token, "@alice hello")

                let response = try await api.get("/api/v2/notifications", alice.token)
                #expect(response.status == .ok)
                let groups = try #require(response.json["notification_groups"] as? [[String: Any]])
                let favourites = groups.filter { $0["type"] as? String == "favourite" }
                #expect(favourites.count == 1)
                #expect(favourites.first?["notifications_count"] as? Int == 2)
                #expect(Set(favourites.first?["sample_account_ids"] as? [String] ?? []) == [bob.id, carol.id])
                #expect(favourites.first?["status_id"] as? String == post)
                #expect(groups.filter { $0["type"] as? String == "mention" }.count == 2)
                #expect(groups.first?["type"] as? String == "mention")  // newest first
                let accounts = (response.json["accounts"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
                #expect(Set(accounts) == [bob.id, carol.id])
                #expect(accounts.count == 2)
                let statuses = (response.json["statuses"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
                #expect(statuses.contains(post))

                let ungrouped = try await api.get("/api/v2/notifications?grouped_types[]=mention", alice.token)
                let single = try #require(ungrouped.json["notification_groups"] as? [[String: Any]])
                #expect(single.filter { $0["type"] as? String == "favourite" }.count == 2)
                #expect(try await api.get("/api/v2/notifications", nil).status == .unauthorized)
            }
        }
    }
}
