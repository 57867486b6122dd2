import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Who looks at a status in the matrix.
enum Viewer: String, CaseIterable, Sendable {
    case author, follower, stranger, mentioned, anonymous
}

/// What each viewer should get for each visibility: the one table these tests check every path against.
struct Expectation {
    let visibility: String

    /// `GET /api/v1/statuses/:id` answers 200 (and every other path treats the status as existing).
    func canSee(_ viewer: Viewer) -> Bool {
        switch self.visibility {
        case "public", "unlisted": true
        case "private": [.author, .follower, .mentioned].contains(viewer)
        default: [.author, .mentioned].contains(viewer)
        }
    }

    /// Listed on the author's profile (`GET /api/v1/accounts/:id/statuses`): as Mastodon lists them,
    /// statuses that mention the viewer are listed whatever their visibility.
    func listed(_ viewer: Viewer) -> Bool {
        switch viewer {
        case .author, .mentioned: true
        case .follower: self.visibility != "direct"
        default: ["public", "unlisted"].contains(self.visibility)
        }
    }

    /// Delivered to the viewer's home feed.
    func inHome(_ viewer: Viewer) -> Bool {
        switch viewer {
        case .author: true
        case .follower: self.visibility != "direct"
        case .mentioned: self.visibility == "direct"
        case .stranger, .anonymous: false
        }
    }
}

@Suite struct VisibilityMatrixTests {
    static let visibilities = ["public", "unlisted", "private", "direct"]

    @Test(
        "each viewer sees exactly what the visibility allows, on every path",
        arguments: TestDatabase.available,
        Self.visibilities
    )
    func matrix(db: TestDatabase, visibility: String) async throws {
        try await TestApp.run(db) { t in
            let author = try await t.user("author")
            let follower = try await t.user("follower")
            let stranger = try await t.user("stranger")
            let mentioned = try await t.user("mentioned")
            let tokens: [Viewer: String] = [
                .author: author.token, .follower: follower.token, .stranger: stranger.token,
                .mentioned: mentioned.token,
            ]
            let expect = Expectation(visibility: visibility)
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.follow(follower.token, author.id)
                let id = try await api.status(author.token, "hi @mentioned #matrix", visibility: visibility)

                for viewer in Viewer.allCases {
                    let token = tokens[viewer]
                    let label = "\(visibility) seen by \(viewer.rawValue)"
                    let shown = try await api.get("/api/v1/statuses/\(id)", token)
                    if expect.canSee(viewer) {
                        #expect(shown.status == .ok, "\(label)")
                        #expect(shown.json["id"] as? String == id, "\(label)")
                    } else {
                        expectError(shown, .notFound)
                        #expect(shown.json["id"] == nil, "\(label)")
                    }
                    let many = try await api.ids("/api/v1/statuses?id[]=\(id)", token)
                    #expect(many == (expect.canSee(viewer) ? [id] : []), "\(label): many")
                    let context = try await api.get("/api/v1/statuses/\(id)/context", token)
                    #expect(context.status == (expect.canSee(viewer) ? .ok : .notFound), "\(label): context")
                    let listed = try await api.accountStatuses(author.id, token)
                    #expect(listed == (expect.listed(viewer) ? [id] : []), "\(label): account statuses")
                    if let token {
                        #expect(try await api.home(token).contains(id) == expect.inHome(viewer), "\(label): home")
                    }
                    let favouritedBy = try await api.get("/api/v1/statuses/\(id)/favourited_by", token)
                    #expect(favouritedBy.status == (expect.canSee(viewer) ? .ok : .notFound), "\(label)")
                    let rebloggedBy = try await api.get("/api/v1/statuses/\(id)/reblogged_by", token)
                    #expect(rebloggedBy.status == (expect.canSee(viewer) ? .ok : .notFound), "\(label)")
                }

                let isPublic = visibility == "public"
                #expect(try await api.ids("/api/v1/timelines/public") == (isPublic ? [id] : []))
                #expect(try await api.ids("/api/v1/timelines/public", author.token) == (isPublic ? [id] : []))
                #expect(try await api.ids("/api/v1/timelines/public?local=true") == (isPublic ? [id] : []))
                #expect(try await api.ids("/api/v1/timelines/tag/matrix", follower.token) == (isPublic ? [id] : []))
            }
        }
    }

    @Test(
        "someone who may not see a status cannot favourite, reblog, bookmark or reply to it",
        arguments: TestDatabase.available,
        ["private", "direct"]
    )
    func invisibleInteractions(db: TestDatabase, visibility: String) async throws {
        try await TestApp.run(db) { t in
            let author = try await t.user("author")
            let stranger = try await t.user("stranger")
            try await t.client { client in
                let api = SocialAPI(client)
                let id = try await api.status(author.token, "not for strangers", visibility: visibility)
                for action in ["favourite", "unfavourite", "reblog", "unreblog", "bookmark", "unbookmark"] {
                    let response = try await api.post("/api/v1/statuses/\(id)/\(action)", stranger.token)
                    expectError(response, .notFound)
                }
                expectError(try await api.get("/api/v1/statuses/\(id)/favourited_by"), .notFound)
                expectError(try await api.get("/api/v1/statuses/\(id)/reblogged_by", stranger.token), .notFound)
                expectError(try await api.delete("/api/v1/statuses/\(id)", stranger.token), .notFound)
                let reply = try await api.postStatus(stranger.token, "reply", [("in_reply_to_id", id)])
                expectError(reply, .notFound)

                let seen = try await api.get("/api/v1/statuses/\(id)", author.token)
                #expect(seen.json["favourites_count"] as? Int == 0)
                #expect(seen.json["reblogs_count"] as? Int == 0)
                #expect(seen.json["replies_count"] as? Int == 0)
                #expect(try await api.ids("/api/v1/statuses/\(id)/favourited_by", author.token).isEmpty)
                #expect(try await api.notifications(author.token).isEmpty)
                #expect(try await api.accountStatuses(stranger.id, stranger.token).isEmpty)
                #expect(try await api.ids("/api/v1/bookmarks", stranger.token).isEmpty)
                #expect(try await api.ids("/api/v1/favourites", stranger.token).isEmpty)
            }
        }
    }

    @Test("a public thread's context hides a private reply from non-followers", arguments: TestDatabase.available)
    func contextHidesPrivateReplies(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let follower = try await t.user("follower")
            let stranger = try await t.user("stranger")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.follow(follower.token, bob.id)
                let root = try await api.status(alice.token, "public root")
                let secret = try await api.status(
                    bob.token,
                    "private reply",
                    visibility: "private",
                    [("in_reply_to_id", root)]
                )
                let open = try await api.status(alice.token, "public reply", [("in_reply_to_id", root)])

                func descendants(_ token: String?) async throws -> Set<String> {
                    let response = try await api.get("/api/v1/statuses/\(root)/context", token)
                    guard response.status == .ok else { throw TestFailure("context answered \(response.status)") }
                    let list = response.json["descendants"] as? [[String: Any]] ?? []
                    return Set(list.compactMap { $0["id"] as? String })
                }
                #expect(try await descendants(stranger.token) == [open])
                #expect(try await descendants(nil) == [open])
                #expect(try await descendants(follower.token) == [secret, open])
                #expect(try await descendants(bob.token) == [secret, open])

                let upward = try await api.get("/api/v1/statuses/\(secret)/context", follower.token)
                let ancestors = (upward.json["ancestors"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
                #expect(ancestors == [root])
                expectError(try await api.get("/api/v1/statuses/\(secret)/context", stranger.token), .notFound)
            }
        }
    }

    @Test("a reblog of a status its viewer cannot see is hidden too", arguments: TestDatabase.available)
    func reblogOfInvisible(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let stranger = try await t.user("stranger")
            try await t.client { client in
                let api = SocialAPI(client)
                let id = try await api.status(alice.token, "followers", visibility: "private")
                let boost = try await api.post("/api/v1/statuses/\(id)/reblog", alice.token)
                let wrapper = try #require(boost.json["id"] as? String)
                #expect(try await api.accountStatuses(alice.id, alice.token) == [wrapper, id])
                expectError(try await api.get("/api/v1/statuses/\(wrapper)", stranger.token), .notFound)
                expectError(try await api.get("/api/v1/statuses/\(wrapper)"), .notFound)
                #expect(try await api.accountStatuses(alice.id, stranger.token).isEmpty)
                #expect(try await api.ids("/api/v1/timelines/public").isEmpty)
            }
        }
    }
}
