import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

extension SocialAPI {
    /// `POST uri` with a JSON body.
    func postJSON(_ uri: String, _ token: String?, _ object: [String: Any]) async throws -> TestResponse {
        try await self.client.execute(
            uri: uri,
            method: .post,
            headers: self.headers(token, contentType: jsonType),
            body: try jsonBody(object)
        )
    }

    /// `DELETE uri` with a form body.
    func deleteForm(_ uri: String, _ token: String?, _ pairs: [(String, String)]) async throws -> TestResponse {
        try await self.client.execute(
            uri: uri,
            method: .delete,
            headers: self.headers(token, contentType: formType),
            body: formBody(pairs)
        )
    }

    /// Creates a list that must be accepted and returns its id.
    func list(_ token: String, _ title: String, _ extra: [(String, String)] = []) async throws -> String {
        let response = try await self.post("/api/v1/lists", token, [("title", title)] + extra)
        guard response.status == .ok, let id = response.json["id"] as? String else {
            throw TestFailure("creating a list answered \(response.status): \(response.text)")
        }
        return id
    }

    /// Adds accounts to a list; the call must be accepted.
    func addToList(_ token: String, _ list: String, _ accounts: [String]) async throws {
        let response = try await self.post(
            "/api/v1/lists/\(list)/accounts",
            token,
            accounts.map { ("account_ids[]", $0) }
        )
        guard response.status == .ok else {
            throw TestFailure("adding to a list answered \(response.status): \(response.text)")
        }
    }

    /// The ids of a list's members.
    func members(_ token: String, _ list: String, _ query: String = "") async throws -> [String] {
        try await self.ids("/api/v1/lists/\(list)/accounts" + query, token)
    }

    /// The ids of a list's timeline.
    func listTimeline(_ token: String, _ list: String) async throws -> [String] {
        try await self.ids("/api/v1/timelines/list/\(list)", token)
    }

    /// The viewer's markers as JSON.
    func markers(_ token: String, _ query: String = "") async throws -> [String: Any] {
        let response = try await self.get("/api/v1/markers" + query, token)
        guard response.status == .ok else {
            throw TestFailure("markers answered \(response.status): \(response.text)")
        }
        return response.json
    }

    /// The viewer's unread notification count.
    func unreadCount(_ token: String) async throws -> Int? {
        let response = try await self.get("/api/v1/notifications/unread_count", token)
        guard response.status == .ok else {
            throw TestFailure("unread_count answered \(response.status): \(response.text)")
        }
        return response.json["count"] as? Int
    }
}

@Suite struct ListsTests {
    @Test(
        "creating a list: defaults, entity keys, and blank titles or bad policies refused",
        arguments: TestDatabase.available
    )
    func create(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                let response = try await api.post("/api/v1/lists", alice.token, [("title", "  Friends  ")])
                #expect(response.status == .ok, "\(response.text)")
                #expect(Set(response.json.keys) == ["id", "title", "replies_policy", "exclusive"])
                #expect(response.json["title"] as? String == "Friends")
                #expect(response.json["replies_policy"] as? String == "list")
                #expect(response.json["exclusive"] as? Bool == false)
                let id = try #require(response.json["id"] as? String)

                let custom = try await api.post(
                    "/api/v1/lists",
                    alice.token,
                    [("title", "Work"), ("replies_policy", "none"), ("exclusive", "true")]
                )
                #expect(custom.status == .ok)
                #expect(custom.json["replies_policy"] as? String == "none")
                #expect(custom.json["exclusive"] as? Bool == true)
                let customID = try #require(custom.json["id"] as? String)

                expectError(try await api.post("/api/v1/lists", alice.token, [("title", "   ")]), .unprocessableContent)
                expectError(try await api.post("/api/v1/lists", alice.token), .unprocessableContent)
                expectError(
                    try await api.post("/api/v1/lists", alice.token, [("title", "Bad"), ("replies_policy", "all")]),
                    .unprocessableContent,
                    "Replies policy"
                )
                let all = try await api.get("/api/v1/lists", alice.token)
                #expect(all.status == .ok)
                #expect(all.jsonArray.compactMap { $0["id"] as? String } == [id, customID])
                #expect(all.jsonArray.compactMap { $0["title"] as? String } == ["Friends", "Work"])
            }
        }
    }

    @Test("updating with PUT changes the list; deleting it makes it 404", arguments: TestDatabase.available)
    func updateAndDelete(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                let id = try await api.list(alice.token, "Friends")
                let updated = try await api.put(
                    "/api/v1/lists/\(id)",
                    alice.token,
                    [("title", "Close friends"), ("replies_policy", "followed"), ("exclusive", "true")]
                )
                #expect(updated.status == .ok, "\(updated.text)")
                #expect(updated.json["id"] as? String == id)
                #expect(updated.json["title"] as? String == "Close friends")
                #expect(updated.json["replies_policy"] as? String == "followed")
                #expect(updated.json["exclusive"] as? Bool == true)

                // A refused update leaves the list as it was.
                expectError(
                    try await api.put("/api/v1/lists/\(id)", alice.token, [("title", "")]),
                    .unprocessableContent
                )
                expectError(
                    try await api.put("/api/v1/lists/\(id)", alice.token, [("replies_policy", "everyone")]),
                    .unprocessableContent
                )
                let shown = try await api.get("/api/v1/lists/\(id)", alice.token)
                #expect(shown.status == .ok)
                #expect(shown.json["title"] as? String == "Close friends")
                #expect(shown.json["replies_policy"] as? String == "followed")
                #expect(shown.json["exclusive"] as? Bool == true)

                let deleted = try await api.delete("/api/v1/lists/\(id)", alice.token)
                #expect(deleted.status == .ok)
                expectError(try await api.get("/api/v1/lists/\(id)", alice.token), .notFound)
                expectError(try await api.delete("/api/v1/lists/\(id)", alice.token), .notFound)
                #expect(try await api.ids("/api/v1/lists", alice.token).isEmpty)
            }
        }
    }

    @Test("another user's list is 404 on every list endpoint and stays unchanged", arguments: TestDatabase.available)
    func othersList(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.follow(alice.token, carol.id)
                try await api.follow(bob.token, carol.id)
                let id = try await api.list(alice.token, "Mine")
                try await api.addToList(alice.token, id, [carol.id])
                let add = [("account_ids[]", carol.id)]

                expectError(try await api.get("/api/v1/lists/\(id)", bob.token), .notFound)
                expectError(try await api.put("/api/v1/lists/\(id)", bob.token, [("title", "Taken")]), .notFound)
                expectError(try await api.delete("/api/v1/lists/\(id)", bob.token), .notFound)
                expectError(try await api.get("/api/v1/lists/\(id)/accounts", bob.token), .notFound)
                expectError(try await api.post("/api/v1/lists/\(id)/accounts", bob.token, add), .notFound)
                expectError(try await api.deleteForm("/api/v1/lists/\(id)/accounts", bob.token, add), .notFound)
                expectError(try await api.get("/api/v1/timelines/list/\(id)", bob.token), .notFound)
                #expect(try await api.ids("/api/v1/lists", bob.token).isEmpty)
                #expect(try await api.ids("/api/v1/accounts/\(carol.id)/lists", bob.token).isEmpty)

                let shown = try await api.get("/api/v1/lists/\(id)", alice.token)
                #expect(shown.json["title"] as? String == "Mine")
                #expect(try await api.members(alice.token, id) == [carol.id])
                expectError(try await api.get("/api/v1/lists/12345", alice.token), .notFound)
                expectError(try await api.get("/api/v1/lists/nope", alice.token), .notFound)
            }
        }
    }

    @Test(
        "only followed accounts can be added: a stranger makes the call 404 and adds nobody",
        arguments: TestDatabase.available
    )
    func membersMustBeFollowed(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.follow(alice.token, bob.id)
                let id = try await api.list(alice.token, "Friends")
                let refused = try await api.post(
                    "/api/v1/lists/\(id)/accounts",
                    alice.token,
                    [("account_ids[]", bob.id), ("account_ids[]", carol.id)]
                )
                expectError(refused, .notFound)
                expectError(
                    try await api.post("/api/v1/lists/\(id)/accounts", alice.token, [("account_ids[]", "999999")]),
                    .notFound
                )
                #expect(try await api.members(alice.token, id).isEmpty)
                #expect(try await api.ids("/api/v1/accounts/\(bob.id)/lists", alice.token).isEmpty)
            }
        }
    }

    @Test(
        "members are listed with Link pagination, can be removed, and name their lists",
        arguments: TestDatabase.available
    )
    func membersPaginationAndRemoval(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            let dave = try await t.user("dave")
            try await t.client { client in
                let api = SocialAPI(client)
                for other in [bob, carol, dave] { try await api.follow(alice.token, other.id) }
                let friends = try await api.list(alice.token, "Friends")
                let work = try await api.list(alice.token, "Work")
                try await api.addToList(alice.token, friends, [bob.id, carol.id])
                try await api.addToList(alice.token, friends, [dave.id, bob.id])
                try await api.addToList(alice.token, work, [carol.id])

                let all = try await api.members(alice.token, friends)
                #expect(all.count == 3)
                #expect(Set(all) == [bob.id, carol.id, dave.id])

                let first = try await api.get("/api/v1/lists/\(friends)/accounts?limit=2", alice.token)
                #expect(first.status == .ok)
                let firstIDs = first.jsonArray.compactMap { $0["id"] as? String }
                #expect(firstIDs.count == 2)
                let next = try #require(links(first)["next"])
                let second = try await api.get(pathAndQuery(next), alice.token)
                let secondIDs = second.jsonArray.compactMap { $0["id"] as? String }
                #expect(firstIDs + secondIDs == all)

                let lists = try await api.get("/api/v1/accounts/\(carol.id)/lists", alice.token)
                #expect(lists.status == .ok)
                #expect(lists.jsonArray.compactMap { $0["id"] as? String } == [friends, work])
                #expect(try await api.ids("/api/v1/accounts/\(dave.id)/lists", alice.token) == [friends])

                let removed = try await api.deleteForm(
                    "/api/v1/lists/\(friends)/accounts",
                    alice.token,
                    [("account_ids[]", carol.id)]
                )
                #expect(removed.status == .ok)
                #expect(Set(try await api.members(alice.token, friends)) == [bob.id, dave.id])
                #expect(try await api.members(alice.token, work) == [carol.id])
                #expect(try await api.ids("/api/v1/accounts/\(carol.id)/lists", alice.token) == [work])
            }
        }
    }

    @Test("the list timeline shows members' posts only, private ones included", arguments: TestDatabase.available)
    func timelineMembersOnly(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.follow(alice.token, bob.id)
                try await api.follow(alice.token, carol.id)
                let id = try await api.list(alice.token, "Bob only")
                try await api.addToList(alice.token, id, [bob.id])
                let open = try await api.status(bob.token, "bob in public")
                let closed = try await api.status(bob.token, "bob for followers", visibility: "private")
                _ = try await api.status(bob.token, "bob to @carol only", visibility: "direct")
                _ = try await api.status(carol.token, "carol writes")
                _ = try await api.status(alice.token, "alice writes")
                #expect(try await api.listTimeline(alice.token, id) == [closed, open])
            }
        }
    }

    @Test("replies policy none hides replies to others", arguments: TestDatabase.available)
    func repliesNone(db: TestDatabase) async throws {
        try await self.replies(db, policy: "none") { ids in [ids.own, ids.plain] }
    }

    @Test("replies policy list shows replies to list members only", arguments: TestDatabase.available)
    func repliesList(db: TestDatabase) async throws {
        try await self.replies(db, policy: "list") { ids in [ids.toMember, ids.own, ids.plain] }
    }

    @Test("replies policy followed shows replies to accounts the owner follows", arguments: TestDatabase.available)
    func repliesFollowed(db: TestDatabase) async throws {
        try await self.replies(db, policy: "followed") { ids in [ids.toFollowed, ids.toMember, ids.own, ids.plain] }
    }

    struct ReplyIDs {
        let plain, own, toMember, toFollowed, toStranger: String
    }

    /// Bob and carol are members; dave is followed but not a member; erin is a stranger.
    /// Bob posts, replies to himself, to carol, to dave and to erin, oldest first.
    func replies(_ db: TestDatabase, policy: String, expected: @escaping @Sendable (ReplyIDs) -> [String])
        async throws
    {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            let dave = try await t.user("dave")
            let erin = try await t.user("erin")
            try await t.client { client in
                let api = SocialAPI(client)
                for other in [bob, carol, dave] { try await api.follow(alice.token, other.id) }
                let list = try await api.list(alice.token, "Replies", [("replies_policy", policy)])
                try await api.addToList(alice.token, list, [bob.id, carol.id])
                let fromCarol = try await api.status(carol.token, "carol asks")
                let fromDave = try await api.status(dave.token, "dave asks")
                let fromErin = try await api.status(erin.token, "erin asks")
                let plain = try await api.status(bob.token, "bob says")
                let own = try await api.status(bob.token, "bob again", [("in_reply_to_id", plain)])
                let toMember = try await api.status(bob.token, "@carol yes", [("in_reply_to_id", fromCarol)])
                let toFollowed = try await api.status(bob.token, "@dave yes", [("in_reply_to_id", fromDave)])
                let toStranger = try await api.status(bob.token, "@erin yes", [("in_reply_to_id", fromErin)])
                let ids = ReplyIDs(
                    plain: plain,
                    own: own,
                    toMember: toMember,
                    toFollowed: toFollowed,
                    toStranger: toStranger
                )
                // carol's own post is a member's post and always shows.
                #expect(try await api.listTimeline(alice.token, list) == expected(ids) + [fromCarol])
            }
        }
    }

    @Test("an exclusive list keeps its members out of home; a plain one does not", arguments: TestDatabase.available)
    func exclusive(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.follow(alice.token, bob.id)
                try await api.follow(alice.token, carol.id)
                let plain = try await api.list(alice.token, "Plain")
                let exclusive = try await api.list(alice.token, "Exclusive", [("exclusive", "true")])
                try await api.addToList(alice.token, plain, [carol.id])
                try await api.addToList(alice.token, exclusive, [bob.id])
                let fromBob = try await api.status(bob.token, "bob writes")
                let fromCarol = try await api.status(carol.token, "carol writes")
                #expect(try await api.home(alice.token) == [fromCarol])
                #expect(try await api.listTimeline(alice.token, exclusive) == [fromBob])
                #expect(try await api.listTimeline(alice.token, plain) == [fromCarol])

                // Made non-exclusive, the list lets bob back into home.
                let changed = try await api.put("/api/v1/lists/\(exclusive)", alice.token, [("exclusive", "false")])
                #expect(changed.json["exclusive"] as? Bool == false)
                #expect(try await api.home(alice.token) == [fromCarol, fromBob])
            }
        }
    }

    @Test("unfollowing a member removes it from the owner's lists", arguments: TestDatabase.available)
    func unfollowRemoves(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.follow(alice.token, bob.id)
                try await api.follow(alice.token, carol.id)
                let id = try await api.list(alice.token, "Friends")
                try await api.addToList(alice.token, id, [bob.id, carol.id])
                let post = try await api.status(bob.token, "bob writes")
                #expect(try await api.listTimeline(alice.token, id) == [post])

                #expect(try await api.post("/api/v1/accounts/\(bob.id)/unfollow", alice.token).status == .ok)
                #expect(try await api.members(alice.token, id) == [carol.id])
                #expect(try await api.ids("/api/v1/accounts/\(bob.id)/lists", alice.token).isEmpty)
                #expect(try await api.listTimeline(alice.token, id).isEmpty)
            }
        }
    }
}

@Suite struct MarkersTests {
    @Test("markers saved as a form and as JSON; version counts the saves", arguments: TestDatabase.available)
    func save(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                #expect(try await api.markers(alice.token).isEmpty)

                let form = try await api.post(
                    "/api/v1/markers",
                    alice.token,
                    [("home[last_read_id]", "100"), ("notifications[last_read_id]", "200")]
                )
                #expect(form.status == .ok, "\(form.text)")
                let home = try #require(form.json["home"] as? [String: Any])
                #expect(Set(home.keys) == ["last_read_id", "version", "updated_at"])
                #expect(home["last_read_id"] as? String == "100")
                let firstVersion = try #require(home["version"] as? Int)
                #expect((form.json["notifications"] as? [String: Any])?["last_read_id"] as? String == "200")

                let json = try await api.postJSON("/api/v1/markers", alice.token, ["home": ["last_read_id": "150"]])
                #expect(json.status == .ok, "\(json.text)")
                #expect(Set(json.json.keys) == ["home"])
                let moved = try #require(json.json["home"] as? [String: Any])
                #expect(moved["last_read_id"] as? String == "150")
                #expect(moved["version"] as? Int == firstVersion + 1)

                let again = try await api.post("/api/v1/markers", alice.token, [("home[last_read_id]", "160")])
                #expect((again.json["home"] as? [String: Any])?["version"] as? Int == firstVersion + 2)

                let both = try await api.markers(alice.token)
                #expect(Set(both.keys) == ["home", "notifications"])
                #expect((both["home"] as? [String: Any])?["last_read_id"] as? String == "160")
                #expect((both["notifications"] as? [String: Any])?["last_read_id"] as? String == "200")
                #expect((both["notifications"] as? [String: Any])?["version"] as? Int == firstVersion)

                let onlyHome = try await api.markers(alice.token, "?timeline[]=home")
                #expect(Set(onlyHome.keys) == ["home"])
                // Unknown timelines are ignored when reading.
                #expect(try await api.markers(alice.token, "?timeline[]=public").isEmpty)
                let mixed = try await api.markers(alice.token, "?timeline[]=public&timeline[]=notifications")
                #expect(Set(mixed.keys) == ["notifications"])
            }
        }
    }

    @Test("bad marker ids and unknown timelines are refused and change nothing", arguments: TestDatabase.available)
    func refused(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                #expect(
                    try await api.post("/api/v1/markers", alice.token, [("home[last_read_id]", "100")]).status == .ok
                )
                expectError(
                    try await api.post("/api/v1/markers", alice.token, [("home[last_read_id]", "abc")]),
                    .unprocessableContent
                )
                expectError(
                    try await api.postJSON("/api/v1/markers", alice.token, ["home": ["last_read_id": "-x"]]),
                    .unprocessableContent
                )
                expectError(
                    try await api.post("/api/v1/markers", alice.token, [("public[last_read_id]", "5")]),
                    .unprocessableContent
                )
                expectError(try await api.post("/api/v1/markers", alice.token), .unprocessableContent)
                let markers = try await api.markers(alice.token)
                #expect(Set(markers.keys) == ["home"])
                #expect((markers["home"] as? [String: Any])?["last_read_id"] as? String == "100")
                // Markers are private to their owner.
                #expect(try await api.markers(bob.token).isEmpty)
                expectError(try await api.get("/api/v1/markers"), .unauthorized)
            }
        }
    }

    @Test(
        "unread_count drops to zero once the notifications marker passes the newest one",
        arguments: TestDatabase.available
    )
    func unreadCount(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                _ = try await api.status(bob.token, "hello @alice")
                _ = try await api.status(bob.token, "again @alice")
                let notes = try await api.notifications(alice.token)
                #expect(notes.count == 2)
                #expect(try await api.unreadCount(alice.token) == 2)

                let older = try #require(notes.last?.id)
                _ = try await api.post("/api/v1/markers", alice.token, [("notifications[last_read_id]", older)])
                #expect(try await api.unreadCount(alice.token) == 1)

                let newest = try #require(notes.first?.id)
                _ = try await api.post("/api/v1/markers", alice.token, [("notifications[last_read_id]", newest)])
                #expect(try await api.unreadCount(alice.token) == 0)
                // The home marker does not count.
                _ = try await api.post("/api/v1/markers", alice.token, [("home[last_read_id]", "1")])
                #expect(try await api.unreadCount(alice.token) == 0)

                _ = try await api.status(bob.token, "one more @alice")
                #expect(try await api.unreadCount(alice.token) == 1)
            }
        }
    }
}
