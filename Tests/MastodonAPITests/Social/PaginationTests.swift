import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@Suite struct PaginationTests {
    @Test("limit, Link next/prev, max_id, min_id and since_id on home", arguments: TestDatabase.available)
    func home(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                var posted: [String] = []
                for n in 1...5 { posted.append(try await api.status(alice.token, "post \(n)")) }
                let (s1, s2, s3, s4, s5) = (posted[0], posted[1], posted[2], posted[3], posted[4])

                let first = try await api.get("/api/v1/timelines/home?limit=2", alice.token)
                #expect(first.status == .ok)
                #expect(first.jsonArray.compactMap { $0["id"] as? String } == [s5, s4])
                let rels = links(first)
                let next = try #require(rels["next"])
                let prev = try #require(rels["prev"])
                #expect(next.hasPrefix("http://tern.test/api/v1/timelines/home?"))
                #expect(queryItems(next)["max_id"] == s4)
                #expect(queryItems(next)["limit"] == "2")
                #expect(queryItems(prev)["min_id"] == s5)
                #expect(queryItems(prev)["limit"] == "2")

                let second = try await api.get(pathAndQuery(next), alice.token)
                #expect(second.jsonArray.compactMap { $0["id"] as? String } == [s3, s2])
                #expect(queryItems(links(second)["next"] ?? "")["max_id"] == s2)
                let last = try await api.get(pathAndQuery(links(second)["next"] ?? ""), alice.token)
                #expect(last.jsonArray.compactMap { $0["id"] as? String } == [s1])
                let beyond = try await api.get(pathAndQuery(links(last)["next"] ?? ""), alice.token)
                #expect(beyond.status == .ok)
                #expect(beyond.jsonArray.isEmpty)
                #expect(beyond.headers[SocialAPI.linkField] == nil)

                #expect(try await api.home(alice.token, "?min_id=\(s1)&limit=2") == [s3, s2])
                #expect(try await api.home(alice.token, "?since_id=\(s1)&limit=2") == [s5, s4])
                #expect(try await api.home(alice.token, "?since_id=\(s3)") == [s5, s4])
                #expect(try await api.home(alice.token, "?max_id=\(s4)&since_id=\(s1)") == [s3, s2])
                #expect(try await api.home(alice.token, "?min_id=\(s5)").isEmpty)
                let back = try await api.get(pathAndQuery(prev), alice.token)
                #expect(back.jsonArray.isEmpty)
                #expect(try await api.home(alice.token, "?limit=0") == [s5])
                #expect(try await api.home(alice.token, "?limit=-3") == [s5])
                expectError(try await api.get("/api/v1/timelines/home?max_id=abc", alice.token), .unprocessableContent)
            }
        }
    }

    @Test("limit is clamped to 40 on timelines", arguments: TestDatabase.available)
    func clamp(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                for n in 1...42 { _ = try await api.status(alice.token, "post \(n)") }
                #expect(try await api.home(alice.token, "?limit=1000").count == 40)
                #expect(try await api.ids("/api/v1/timelines/public?limit=1000").count == 40)
                #expect(try await api.accountStatuses(alice.id, nil, "?limit=1000").count == 40)
                #expect(try await api.home(alice.token).count == 20)
            }
        }
    }

    @Test("favourites page by the favourite, not the status", arguments: TestDatabase.available)
    func favourites(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                let a = try await api.status(alice.token, "a")
                let b = try await api.status(alice.token, "b")
                let c = try await api.status(alice.token, "c")
                for id in [b, c, a] { _ = try await api.post("/api/v1/statuses/\(id)/favourite", bob.token) }
                let first = try await api.get("/api/v1/favourites?limit=2", bob.token)
                #expect(first.jsonArray.compactMap { $0["id"] as? String } == [a, c])
                let next = try #require(links(first)["next"])
                #expect(try await api.ids(pathAndQuery(next), bob.token) == [b])
            }
        }
    }

    @Test("notifications and followers carry Link headers", arguments: TestDatabase.available)
    func otherLists(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let names = ["bob", "carol", "dave"]
            var followers: [(id: String, token: String)] = []
            for name in names { followers.append(try await t.user(name)) }
            let all = followers
            try await t.client { client in
                let api = SocialAPI(client)
                for follower in all { try await api.follow(follower.token, alice.id) }
                let page = try await api.get("/api/v1/notifications?limit=2", alice.token)
                #expect(page.jsonArray.count == 2)
                let next = try #require(links(page)["next"])
                let rest = try await api.notifications(alice.token, "?" + (URLComponents(string: next)?.query ?? ""))
                #expect(rest.map(\.from) == [all[0].id])

                let list = try await api.get("/api/v1/accounts/\(alice.id)/followers?limit=2")
                #expect(list.jsonArray.compactMap { $0["id"] as? String } == [all[2].id, all[1].id])
                let more = try #require(links(list)["next"])
                #expect(try await api.ids(pathAndQuery(more)) == [all[0].id])
            }
        }
    }
}
