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

    @Test(
        "media and a poll wait with a scheduled status: held from deletion and other posts, then published with it",
        arguments: TestDatabase.available
    )
    func mediaAndPoll(_ db: TestDatabase) async throws {
        let clock = TestClock(Date())
        try await TestApp.run(db, clock: clock.clock) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                let upload = try await TestImages.upload(client, alice.token, TestImages.png(width: 40, height: 30))
                let media = try #require(upload.json["id"] as? String)
                let when = Self.iso(clock.clock.now().addingTimeInterval(600))
                let scheduled = try await api.post(
                    "/api/v1/statuses",
                    alice.token,
                    [("status", "a picture later"), ("media_ids[]", media), ("scheduled_at", when)]
                )
                #expect(scheduled.status == .ok, "\(scheduled.text)")
                let params = try #require(scheduled.json["params"] as? [String: Any])
                #expect(params["media_ids"] as? [String] == [media])
                let attachments = try #require(scheduled.json["media_attachments"] as? [[String: Any]])
                #expect(attachments.map { $0["id"] as? String } == [media])
                #expect(attachments.first?["type"] as? String == "image")

                // Held: neither deleted nor posted elsewhere, nor scheduled twice.
                #expect(try await api.delete("/api/v1/media/\(media)", alice.token).status == .unprocessableContent)
                let elsewhere = try await api.post(
                    "/api/v1/statuses",
                    alice.token,
                    [("status", "stealing"), ("media_ids[]", media)]
                )
                #expect(elsewhere.status == .unprocessableContent)
                let twice = try await api.post(
                    "/api/v1/statuses",
                    alice.token,
                    [("status", "again"), ("media_ids[]", media), ("scheduled_at", when)]
                )
                #expect(twice.status == .unprocessableContent)
                #expect(try await api.accountStatuses(alice.id, alice.token).isEmpty)
                // A poll waits too, and polls with media are refused as when posting.
                let poll = try await api.post(
                    "/api/v1/statuses",
                    alice.token,
                    [
                        ("status", "tea or coffee later"), ("poll[options][]", "tea"), ("poll[options][]", "coffee"),
                        ("poll[expires_in]", "3600"), ("poll[multiple]", "true"), ("scheduled_at", when),
                    ]
                )
                #expect(poll.status == .ok, "\(poll.text)")
                let pollParams = try #require((poll.json["params"] as? [String: Any])?["poll"] as? [String: Any])
                #expect(pollParams["options"] as? [String] == ["tea", "coffee"])
                #expect(pollParams["expires_in"] as? String == "3600" && pollParams["multiple"] as? Bool == true)

                clock.advance(by: 601)
                #expect(try await t.jobs.drain() >= 2)
                let listed = try await api.get("/api/v1/accounts/\(alice.id)/statuses", alice.token)
                let posted = listed.jsonArray
                #expect(posted.count == 2)
                let withMedia = try #require(posted.first { $0["content"] as? String == "<p>a picture later</p>" })
                let postedMedia = try #require(withMedia["media_attachments"] as? [[String: Any]])
                #expect(postedMedia.map { $0["id"] as? String } == [media])
                let withPoll = try #require(posted.first { ($0["content"] as? String)?.contains("tea") == true })
                let pollEntity = try #require(withPoll["poll"] as? [String: Any])
                #expect((pollEntity["options"] as? [[String: Any]])?.count == 2)
                #expect(pollEntity["multiple"] as? Bool == true)
                // Now on its status, the media is that status's.
                #expect(try await api.delete("/api/v1/media/\(media)", alice.token).status == .unprocessableContent)
            }
        }
    }

    @Test("cancelling a scheduled status lets its media go", arguments: TestDatabase.available)
    func cancelReleasesMedia(_ db: TestDatabase) async throws {
        let clock = TestClock(Date())
        try await TestApp.run(db, clock: clock.clock) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                let upload = try await TestImages.upload(client, alice.token, TestImages.png(width: 40, height: 30))
                let media = try #require(upload.json["id"] as? String)
                let scheduled = try await api.post(
                    "/api/v1/statuses",
                    alice.token,
                    [
                        ("status", "never"), ("media_ids[]", media),
                        ("scheduled_at", Self.iso(clock.clock.now().addingTimeInterval(600))),
                    ]
                )
                let id = try #require(scheduled.json["id"] as? String)
                #expect(try await api.delete("/api/v1/scheduled_statuses/\(id)", alice.token).status == .ok)
                let now = try await api.post(
                    "/api/v1/statuses",
                    alice.token,
                    [("status", "now instead"), ("media_ids[]", media)]
                )
                #expect(now.status == .ok, "\(now.text)")
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
