import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@Suite struct ScheduledStatusesTests {
    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: date)
    }

    @Test(
        "a scheduled status is published by its job when due, once, and not before",
        arguments: TestDatabase.available
    )
    func publishedWhenDue(_ db: TestDatabase) async throws {
        let clock = TestClock(Date())
        try await TestApp.run(db, clock: clock.clock) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                let when = clock.clock.now().addingTimeInterval(600)
                let response = try await api.post(
                    "/api/v1/statuses",
                    alice.token,
                    [("status", "from the past"), ("scheduled_at", Self.iso(when))]
                )
                #expect(response.status == .ok)
                let id = try #require(response.json["id"] as? String)
                #expect((response.json["params"] as? [String: Any])?["text"] as? String == "from the past")
                #expect(try await api.ids("/api/v1/scheduled_statuses", alice.token) == [id])

                #expect(try await t.jobs.drain() == 0)  // not due yet
                #expect(try await api.accountStatuses(alice.id, alice.token).isEmpty)

                clock.advance(by: 601)
                #expect(try await t.jobs.drain() == 1)
                let posted = try await api.accountStatuses(alice.id, alice.token)
                #expect(posted.count == 1)
                #expect(try await api.ids("/api/v1/scheduled_statuses", alice.token).isEmpty)
                #expect(try await t.jobs.drain() == 0)
                #expect(try await api.accountStatuses(alice.id, alice.token).count == 1)
            }
        }
    }

    @Test("moving or cancelling a scheduled status is honoured by the jobs", arguments: TestDatabase.available)
    func moveAndCancel(_ db: TestDatabase) async throws {
        let clock = TestClock(Date())
        try await TestApp.run(db, clock: clock.clock) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                let first = try await api.post(
                    "/api/v1/statuses",
                    alice.token,
                    [("status", "moved"), ("scheduled_at", Self.iso(clock.clock.now().addingTimeInterval(600)))]
                )
                let moved = try #require(first.json["id"] as? String)
                let second = try await api.post(
                    "/api/v1/statuses",
                    alice.token,
                    [("status", "cancelled"), ("scheduled_at", Self.iso(clock.clock.now().addingTimeInterval(600)))]
                )
                let cancelled = try #require(second.json["id"] as? String)
                let later = Self.iso(clock.clock.now().addingTimeInterval(3600))
                let put = try await client.execute(
                    uri: "/api/v1/scheduled_statuses/\(moved)",
                    method: .put,
                    headers: .bearer(alice.token, contentType: "application/x-www-form-urlencoded"),
                    body: ByteBuffer(string: "scheduled_at=\(later.replacingOccurrences(of: "+", with: "%2B"))")
                )
                #expect(put.status == .ok)
                let deleted = try await api.delete("/api/v1/scheduled_statuses/\(cancelled)", alice.token)
                #expect(deleted.status == .ok)

                clock.advance(by: 601)
                _ = try await t.jobs.drain()
                #expect(try await api.accountStatuses(alice.id, alice.token).isEmpty)  // moved later; cancelled

                clock.advance(by: 3000)
                _ = try await t.jobs.drain()
                #expect(try await api.accountStatuses(alice.id, alice.token).count == 1)
            }
        }
    }

    @Test("scheduling refuses times less than 5 minutes ahead and bad dates", arguments: TestDatabase.available)
    func refusals(_ db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                for when in [Self.iso(Date().addingTimeInterval(60)), "tomorrow", "2020-01-01T00:00:00Z"] {
                    let response = try await api.post(
                        "/api/v1/statuses",
                        alice.token,
                        [("status", "x"), ("scheduled_at", when)]
                    )
                    #expect(response.status == .unprocessableContent, "\(when)")
                }
                #expect(try await api.ids("/api/v1/scheduled_statuses", alice.token).isEmpty)
                let other = try await t.user("bob")
                let mine = try await api.post(
                    "/api/v1/statuses",
                    alice.token,
                    [("status", "x"), ("scheduled_at", Self.iso(Date().addingTimeInterval(900)))]
                )
                let id = try #require(mine.json["id"] as? String)
                #expect(try await api.get("/api/v1/scheduled_statuses/\(id)", other.token).status == .notFound)
                #expect(try await api.delete("/api/v1/scheduled_statuses/\(id)", other.token).status == .notFound)
                #expect(try await api.ids("/api/v1/scheduled_statuses", alice.token) == [id])
            }
        }
    }
}
