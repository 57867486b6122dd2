import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@Suite struct TimelinesTests {
    @Test("home needs a user token and holds your own posts newest first", arguments: TestDatabase.available)
    func home(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                expectError(try await api.get("/api/v1/timelines/home"), .unauthorized)
                let appToken = try await t.appToken(client)
                expectError(try await api.get("/api/v1/timelines/home", appToken), .unprocessableContent)
                let a = try await api.status(alice.token, "one")
                let b = try await api.status(alice.token, "two", visibility: "direct")
                #expect(try await api.home(alice.token) == [b, a])
            }
        }
    }

    @Test("public shows only public non-reblog statuses, anonymously too", arguments: TestDatabase.available)
    func publicTimeline(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                let open = try await api.status(alice.token, "public")
                _ = try await api.status(alice.token, "unlisted", visibility: "unlisted")
                _ = try await api.status(alice.token, "private", visibility: "private")
                _ = try await api.status(alice.token, "direct @bob", visibility: "direct")
                let reblog = try await api.post("/api/v1/statuses/\(open)/reblog", bob.token)
                #expect(reblog.status == .ok)
                let later = try await api.status(bob.token, "bob public")
                #expect(try await api.ids("/api/v1/timelines/public") == [later, open])
                #expect(try await api.ids("/api/v1/timelines/public", bob.token) == [later, open])
                #expect(try await api.ids("/api/v1/timelines/public?local=true") == [later, open])
                #expect(try await api.ids("/api/v1/timelines/public?remote=true").isEmpty)
                #expect(try await api.ids("/api/v1/timelines/public?only_media=true").isEmpty)
            }
        }
    }

    @Test("tag timeline matches case-insensitively and honours any, all and none", arguments: TestDatabase.available)
    func tagTimeline(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                let upper = try await api.status(alice.token, "I like #Tern")
                let both = try await api.status(alice.token, "#tern and #Swift")
                let other = try await api.status(alice.token, "just #other")
                _ = try await api.status(alice.token, "hidden #tern", visibility: "unlisted")
                _ = try await api.status(alice.token, "secret #tern", visibility: "private")
                _ = try await api.status(alice.token, "no tags, tern")

                #expect(try await api.ids("/api/v1/timelines/tag/tern") == [both, upper])
                #expect(try await api.ids("/api/v1/timelines/tag/TERN") == [both, upper])
                #expect(try await api.ids("/api/v1/timelines/tag/tern", alice.token) == [both, upper])
                #expect(try await api.ids("/api/v1/timelines/tag/tern?any[]=other") == [other, both, upper])
                #expect(try await api.ids("/api/v1/timelines/tag/tern?all[]=swift") == [both])
                #expect(try await api.ids("/api/v1/timelines/tag/tern?none[]=Swift") == [upper])
                #expect(try await api.ids("/api/v1/timelines/tag/tern?local=true") == [both, upper])
                #expect(try await api.ids("/api/v1/timelines/tag/nothing").isEmpty)
            }
        }
    }

    @Test("account statuses honour exclude_replies, exclude_reblogs and tagged", arguments: TestDatabase.available)
    func accountStatuses(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                let bobs = try await api.status(bob.token, "bob says")
                let root = try await api.status(alice.token, "thread start #Swift")
                let selfReply = try await api.status(alice.token, "thread more", [("in_reply_to_id", root)])
                let reply = try await api.status(alice.token, "answering bob", [("in_reply_to_id", bobs)])
                let boost = try await api.post("/api/v1/statuses/\(bobs)/reblog", alice.token)
                let wrapper = try #require(boost.json["id"] as? String)

                let all = try await api.accountStatuses(alice.id, nil)
                #expect(all == [wrapper, reply, selfReply, root])
                let noReplies = try await api.accountStatuses(alice.id, nil, "?exclude_replies=true")
                #expect(noReplies == [wrapper, selfReply, root])
                let noReblogs = try await api.accountStatuses(alice.id, nil, "?exclude_reblogs=true")
                #expect(noReblogs == [reply, selfReply, root])
                #expect(try await api.accountStatuses(alice.id, nil, "?tagged=swift") == [root])
                #expect(try await api.accountStatuses(alice.id, nil, "?tagged=other").isEmpty)
                #expect(try await api.accountStatuses(alice.id, nil, "?pinned=true").isEmpty)
                #expect(try await api.accountStatuses(alice.id, nil, "?limit=1") == [wrapper])
                expectError(try await api.get("/api/v1/accounts/999999/statuses"), .notFound)
                expectError(try await api.get("/api/v1/accounts/xyz/statuses"), .notFound)
            }
        }
    }
}
