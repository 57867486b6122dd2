import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@Suite struct PollsTests {
    @Test(
        "a poll is posted with its status, voted once, and closed by its job with notifications",
        arguments: TestDatabase.available
    )
    func pollLifecycle(_ db: TestDatabase) async throws {
        let clock = TestClock(Date())
        try await TestApp.run(db, clock: clock.clock) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                let posted = try await api.post(
                    "/api/v1/statuses",
                    alice.token,
                    [
                        ("status", "Tea or coffee?"), ("poll[options][]", "tea"), ("poll[options][]", "coffee"),
                        ("poll[expires_in]", "3600"), ("poll[hide_totals]", "true"),
                    ]
                )
                #expect(posted.status == .ok)
                let poll = try #require(posted.json["poll"] as? [String: Any])
                let pollID = try #require(poll["id"] as? String)
                #expect(
                    (poll["options"] as? [[String: Any]])?.compactMap { $0["title"] as? String } == ["tea", "coffee"]
                )
                #expect(poll["expired"] as? Bool == false)

                let before = try await api.get("/api/v1/polls/\(pollID)", bob.token)
                #expect(before.json["voted"] as? Bool == false)
                let options = try #require(before.json["options"] as? [[String: Any]])
                #expect(options.allSatisfy { $0["votes_count"] is NSNull })  // totals hidden until the end

                let badChoice = try await api.post("/api/v1/polls/\(pollID)/votes", bob.token, [("choices[]", "7")])
                #expect(badChoice.status == .unprocessableContent)
                let two = try await api.post(
                    "/api/v1/polls/\(pollID)/votes",
                    bob.token,
                    [("choices[]", "0"), ("choices[]", "1")]
                )
                #expect(two.status == .unprocessableContent)  // single-choice poll

                let voted = try await api.post("/api/v1/polls/\(pollID)/votes", bob.token, [("choices[]", "1")])
                #expect(voted.status == .ok)
                #expect(voted.json["voted"] as? Bool == true)
                #expect(voted.json["own_votes"] as? [Int] == [1])
                #expect(voted.json["votes_count"] as? Int == 1)
                let again = try await api.post("/api/v1/polls/\(pollID)/votes", bob.token, [("choices[]", "0")])
                #expect(again.status == .unprocessableContent)

                #expect(try await t.jobs.drain() == 0)  // not over yet
                clock.advance(by: 3601)
                #expect(try await t.jobs.drain() == 1)
                let after = try await api.get("/api/v1/polls/\(pollID)", bob.token)
                #expect(after.json["expired"] as? Bool == true)
                #expect(
                    (after.json["options"] as? [[String: Any]])?.compactMap { $0["votes_count"] as? Int } == [0, 1]
                )
                let late = try await api.post("/api/v1/polls/\(pollID)/votes", alice.token, [("choices[]", "0")])
                #expect(late.status == .unprocessableContent)

                for token in [alice.token, bob.token] {
                    let types = try await api.get("/api/v1/notifications", token).jsonArray.compactMap {
                        $0["type"] as? String
                    }
                    #expect(types.filter { $0 == "poll" }.count == 1)
                }
            }
        }
    }

    @Test("bad polls are refused and nothing is posted", arguments: TestDatabase.available)
    func badPolls(_ db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                let cases: [[(String, String)]] = [
                    [("poll[options][]", "only one"), ("poll[expires_in]", "3600")],
                    [("poll[options][]", "a"), ("poll[options][]", "a"), ("poll[expires_in]", "3600")],
                    [("poll[options][]", "a"), ("poll[options][]", "b"), ("poll[expires_in]", "60")],
                    [
                        ("poll[options][]", "a"), ("poll[options][]", String(repeating: "b", count: 51)),
                        ("poll[expires_in]", "3600"),
                    ],
                    [("poll[options][]", "a"), ("poll[options][]", "b")],
                ]
                for extra in cases {
                    let response = try await api.post("/api/v1/statuses", alice.token, [("status", "poll")] + extra)
                    #expect(response.status == .unprocessableContent, "\(extra)")
                }
                #expect(try await api.accountStatuses(alice.id, alice.token).isEmpty)
                #expect(try await api.get("/api/v1/polls/1", alice.token).status == .notFound)
            }
        }
    }
}
