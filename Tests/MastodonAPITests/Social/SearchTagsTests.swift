import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// The three lists of a `GET /api/v2/search` answer.
struct SearchResult {
    let accounts: [String]
    let usernames: [String]
    let statuses: [String]
    let hashtags: [[String: Any]]

    var tagNames: [String] { self.hashtags.compactMap { $0["name"] as? String } }
}

extension SocialAPI {
    /// `GET /api/v2/search?q=…&…`; it must answer 200.
    func search(_ q: String, _ token: String?, _ extra: [(String, String)] = []) async throws -> SearchResult {
        let response = try await self.get("/api/v2/search?" + formString([("q", q)] + extra), token)
        guard response.status == .ok else {
            throw TestFailure("search for \(q) answered \(response.status): \(response.text)")
        }
        let accounts = response.json["accounts"] as? [[String: Any]] ?? []
        return SearchResult(
            accounts: accounts.compactMap { $0["id"] as? String },
            usernames: accounts.compactMap { $0["username"] as? String },
            statuses: (response.json["statuses"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String },
            hashtags: response.json["hashtags"] as? [[String: Any]] ?? []
        )
    }

    /// The names of a list of tags (followed tags, trends).
    func tagNames(_ uri: String, _ token: String? = nil) async throws -> [String] {
        let response = try await self.get(uri, token)
        guard response.status == .ok else { throw TestFailure("\(uri) answered \(response.status): \(response.text)") }
        return response.jsonArray.compactMap { $0["name"] as? String }
    }
}

@Suite struct SearchTests {
    @Test("statuses are found by all their words; others' private posts never", arguments: TestDatabase.available)
    func fullText(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                let both = try await api.status(alice.token, "The apple and the banana")
                let apple = try await api.status(alice.token, "An apple a day")
                let hidden = try await api.status(alice.token, "secret apple banana", visibility: "private")
                let unlisted = try await api.status(alice.token, "quiet apple banana", visibility: "unlisted")
                let mine = try await api.status(bob.token, "bob's own apple banana", visibility: "private")

                #expect(
                    try await api.search("apple", bob.token, [("type", "statuses")]).statuses == [mine, apple, both]
                )
                #expect(try await api.search("banana apple", bob.token).statuses == [mine, both])
                #expect(try await api.search("APPLE BANANA", bob.token).statuses == [mine, both])
                #expect(try await api.search("apple cherry", bob.token).statuses.isEmpty)
                let own = try await api.search("apple banana", alice.token, [("type", "statuses")]).statuses
                #expect(own == [unlisted, hidden, both])
                #expect(try await api.search("apple", nil).statuses.isEmpty)
                #expect(try await api.search("apple", bob.token, [("limit", "1")]).statuses == [mine])
                #expect(
                    try await api.search("apple", bob.token, [("offset", "1"), ("limit", "1")]).statuses == [apple]
                )
                expectError(try await api.get("/api/v2/search?q=apple&offset=1"), .unauthorized)
                #expect(try await api.search("apple", bob.token, [("type", "accounts")]).statuses.isEmpty)
            }
        }
    }

    @Test("quotes, FTS operators and SQL in the query are literal", arguments: TestDatabase.available)
    func literalQueries(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                let plain = try await api.status(alice.token, "a b c near x")
                // Punctuation is never an operator: what is left are plain words that must all match.
                let matching = ["NEAR(", "-x", "^x", "{a b}", "a\"b", "\"near\" x", "a -- b"]
                let empty = [
                    "\"a\" OR b*", "'; DROP TABLE statuses; --", "\"", "a AND", "*", "(", "x:y", "\\", "%", "_",
                    "NOT", "'",
                ]
                for q in matching + empty {
                    let response = try await api.get("/api/v2/search?" + formString([("q", q)]), alice.token)
                    #expect(response.status == .ok, "\(q): \(response.text)")
                    let statuses = (response.json["statuses"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
                    #expect(statuses == (matching.contains(q) ? [plain] : []), "\(q): \(response.text)")
                }
                #expect(try await api.search("near x", alice.token).statuses == [plain])
                #expect(try await api.get("/api/v1/statuses/\(plain)").status == .ok)
            }
        }
    }

    @Test("an account with indexable=false is not found by others' status search", arguments: TestDatabase.available)
    func indexable(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                let account = try await api.updateCredentials(alice.token, [("indexable", "false")])
                #expect(account["indexable"] as? Bool == false)
                let hidden = try await api.status(alice.token, "zebra crossing")
                let shown = try await api.status(bob.token, "zebra stripes")
                #expect(try await api.search("zebra", bob.token).statuses == [shown])
                #expect(try await api.search("zebra", alice.token).statuses == [shown, hidden])
                try await api.updateCredentials(alice.token, [("indexable", "true")])
                #expect(try await api.search("zebra", bob.token).statuses == [shown, hidden])
            }
        }
    }

    @Test("accounts by username and display name prefix, exact username first", arguments: TestDatabase.available)
    func accounts(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let samantha = try await t.user("samantha")
            let sam = try await t.user("sam")
            let dj = try await t.user("dj")
            let other = try await t.user("other")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.updateCredentials(dj.token, [("display_name", "Sammy Davis")])
                try await api.updateCredentials(other.token, [("display_name", "Not Sam")])

                let found = try await api.search("sam", nil, [("type", "accounts")])
                #expect(found.accounts.first == sam.id)
                #expect(Set(found.accounts) == [sam.id, samantha.id, dj.id])
                #expect(found.statuses.isEmpty && found.hashtags.isEmpty)
                #expect(try await api.search("@SAM", other.token, [("type", "accounts")]).accounts.first == sam.id)
                #expect(try await api.search("sammy", nil, [("type", "accounts")]).accounts == [dj.id])
                #expect(try await api.search("samanth", nil, [("type", "accounts")]).accounts == [samantha.id])
                #expect(try await api.search("sam", nil, [("type", "accounts"), ("limit", "1")]).accounts == [sam.id])
                #expect(try await api.search("davis", nil, [("type", "accounts")]).accounts.isEmpty)

                try await api.follow(other.token, samantha.id)
                let followed = try await api.search("sam", other.token, [("type", "accounts"), ("following", "true")])
                #expect(followed.accounts == [samantha.id])
            }
        }
    }

    @Test("% and _ in the query are literal", arguments: TestDatabase.available)
    func likeWildcards(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let underscore = try await t.user("a_b")
            _ = try await t.user("axb")
            try await t.client { client in
                let api = SocialAPI(client)
                #expect(try await api.search("a_", nil, [("type", "accounts")]).accounts == [underscore.id])
                #expect(try await api.search("%", nil, [("type", "accounts")]).accounts.isEmpty)
                #expect(try await api.search("a%", nil, [("type", "accounts")]).accounts.isEmpty)
                _ = try await api.status(underscore.token, "#x_y and #xzy")
                #expect(try await api.search("x_", nil, [("type", "hashtags")]).tagNames == ["x_y"])
                #expect(try await api.search("x%", nil, [("type", "hashtags")]).tagNames.isEmpty)
                #expect(try await api.search("%", nil, [("type", "hashtags")]).tagNames.isEmpty)
                #expect(Set(try await api.search("x", nil, [("type", "hashtags")]).tagNames) == ["x_y", "xzy"])
            }
        }
    }

    @Test(
        "hashtags by prefix with seven days of history as strings; unknown type is 422",
        arguments: TestDatabase.available
    )
    func hashtags(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                _ = try await api.status(alice.token, "#Swiftly #swiftui")
                _ = try await api.status(bob.token, "#swiftly again")
                _ = try await api.status(bob.token, "#swiftly hidden", visibility: "private")
                _ = try await api.status(bob.token, "#other")

                let found = try await api.search("#swift", alice.token, [("type", "hashtags")])
                #expect(found.tagNames == ["swiftly", "swiftui"])
                #expect(found.accounts.isEmpty && found.statuses.isEmpty)
                let swiftly = try #require(found.hashtags.first)
                #expect((swiftly["url"] as? String)?.hasSuffix("/tags/swiftly") == true)
                #expect(swiftly["following"] as? Bool == false)
                let history = swiftly["history"] as? [[String: Any]] ?? []
                #expect(history.count == 7)
                #expect(history.allSatisfy { $0["day"] is String && $0["uses"] is String && $0["accounts"] is String })
                #expect(history.first?["uses"] as? String == "2")
                #expect(history.first?["accounts"] as? String == "2")
                #expect(history.dropFirst().allSatisfy { $0["uses"] as? String == "0" })
                let days = history.compactMap { ($0["day"] as? String).flatMap(Int.init) }
                #expect(days.count == 7)
                #expect(days == days.sorted(by: >))
                #expect(zip(days, days.dropFirst()).allSatisfy { $0 - $1 == 86_400 })

                #expect(
                    try await api.search("swift", nil, [("type", "hashtags"), ("limit", "1")]).tagNames == ["swiftly"]
                )
                #expect(try await api.search("nothing", nil, [("type", "hashtags")]).tagNames.isEmpty)
                expectError(try await api.get("/api/v2/search?q=swift&type=bogus", alice.token), .unprocessableContent)
                let all = try await api.search("swiftly", alice.token)
                #expect(all.tagNames == ["swiftly"])
                #expect(all.statuses.count == 2)
                #expect(try await api.search("alice", alice.token).accounts == [alice.id])
            }
        }
    }
}

@Suite struct TagsTests {
    @Test(
        "GET /api/v1/tags/:name after a post uses it, case-insensitively; 404 otherwise",
        arguments: TestDatabase.available
    )
    func showTag(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                expectError(try await api.get("/api/v1/tags/rustacean"), .notFound)
                _ = try await api.status(alice.token, "Hello #Rustacean")
                for name in ["rustacean", "RUSTACEAN", "RustAcean", "%23rustacean"] {
                    let response = try await api.get("/api/v1/tags/\(name)", alice.token)
                    #expect(response.status == .ok, "\(name)")
                    #expect(response.json["name"] as? String == "rustacean", "\(name)")
                    #expect(response.json["following"] as? Bool == false, "\(name)")
                    #expect((response.json["history"] as? [Any])?.count == 7, "\(name)")
                }
                let anonymous = try await api.get("/api/v1/tags/rustacean")
                #expect(anonymous.status == .ok)
                expectError(try await api.get("/api/v1/tags/neverused"), .notFound)
                expectError(try await api.get("/api/v1/tags/rust"), .notFound)
            }
        }
    }

    @Test(
        "following a tag brings its public posts by strangers into home; unfollowing stops it",
        arguments: TestDatabase.available
    )
    func followTag(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                #expect(try await api.tagNames("/api/v1/followed_tags", bob.token).isEmpty)
                let followed = try await api.post("/api/v1/tags/Gardening/follow", bob.token)
                #expect(followed.status == .ok)
                #expect(followed.json["name"] as? String == "gardening")
                #expect(followed.json["following"] as? Bool == true)
                #expect(try await api.get("/api/v1/tags/gardening", bob.token).json["following"] as? Bool == true)
                #expect(try await api.get("/api/v1/tags/gardening", alice.token).json["following"] as? Bool == false)
                #expect(try await api.tagNames("/api/v1/followed_tags", bob.token) == ["gardening"])
                #expect(try await api.tagNames("/api/v1/followed_tags", alice.token).isEmpty)

                let tagged = try await api.status(alice.token, "my #gardening day")
                _ = try await api.status(alice.token, "no tag here")
                _ = try await api.status(alice.token, "private #gardening", visibility: "private")
                #expect(try await api.home(bob.token) == [tagged])

                let unfollowed = try await api.post("/api/v1/tags/gardening/unfollow", bob.token)
                #expect(unfollowed.status == .ok)
                #expect(unfollowed.json["following"] as? Bool == false)
                #expect(try await api.tagNames("/api/v1/followed_tags", bob.token).isEmpty)
                _ = try await api.status(alice.token, "more #gardening")
                #expect(try await api.home(bob.token) == [tagged])

                expectError(try await api.post("/api/v1/tags/gardening/follow", nil), .unauthorized)
                expectError(try await api.post("/api/v1/tags/bad-name!/follow", bob.token), .unprocessableContent)
                expectError(try await api.get("/api/v1/followed_tags"), .unauthorized)
                #expect(try await api.tagNames("/api/v1/followed_tags", bob.token).isEmpty)
            }
        }
    }

    @Test("trends order tags by distinct accounts this week", arguments: TestDatabase.available)
    func trends(db: TestDatabase) async throws {
        let clock = TestClock()
        try await TestApp.run(db, clock: clock.clock) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            let dave = try await t.user("dave")
            try await t.client { client in
                let api = SocialAPI(client)
                for user in [alice, bob, carol, dave] { _ = try await api.status(user.token, "#lastweek") }
                clock.advance(by: 8 * 86_400)
                #expect(try await api.tagNames("/api/v1/trends/tags").isEmpty)

                for user in [alice, bob, carol] { _ = try await api.status(user.token, "#popular") }
                for n in 0..<5 { _ = try await api.status(dave.token, "#spammy \(n)") }
                for user in [alice, bob] { _ = try await api.status(user.token, "#middle") }
                for user in [alice, bob, carol, dave] {
                    _ = try await api.status(user.token, "#hidden", visibility: "private")
                }
                #expect(try await api.tagNames("/api/v1/trends/tags") == ["popular", "middle", "spammy"])
                #expect(try await api.tagNames("/api/v1/trends/tags?limit=1") == ["popular"])
                #expect(try await api.tagNames("/api/v1/trends/tags?limit=1&offset=1") == ["middle"])
                #expect(try await api.tagNames("/api/v1/trends/tags", alice.token).count == 3)
            }
        }
    }

    @Test(
        "trending statuses: recent public posts by favourites and boosts, without blocked authors or hidden posts",
        arguments: TestDatabase.available
    )
    func trendingStatuses(db: TestDatabase) async throws {
        let clock = TestClock()
        try await TestApp.run(db, clock: clock.clock) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            let dave = try await t.user("dave")
            try await t.client { client in
                let api = SocialAPI(client)
                let old = try await api.status(alice.token, "three days ago")
                for user in [bob, carol, dave] {
                    _ = try await api.post("/api/v1/statuses/\(old)/favourite", user.token)
                }
                clock.advance(by: 3 * 86_400)

                let top = try await api.status(alice.token, "most liked")
                let second = try await api.status(dave.token, "boosted once")
                let quiet = try await api.status(alice.token, "nobody cares")
                let unlisted = try await api.status(alice.token, "unlisted", visibility: "unlisted")
                let hidden = try await api.status(carol.token, "not discoverable")
                for user in [bob, carol, dave] {
                    _ = try await api.post("/api/v1/statuses/\(top)/favourite", user.token)
                }
                _ = try await api.post("/api/v1/statuses/\(second)/reblog", bob.token)
                for user in [bob, dave] {
                    _ = try await api.post("/api/v1/statuses/\(unlisted)/favourite", user.token)
                    _ = try await api.post("/api/v1/statuses/\(hidden)/favourite", user.token)
                }
                let patched = try await client.execute(
                    uri: "/api/v1/accounts/update_credentials",
                    method: .patch,
                    headers: .bearer(carol.token, contentType: "application/x-www-form-urlencoded"),
                    body: ByteBuffer(string: "discoverable=false")
                )
                #expect(patched.status == .ok)

                #expect(try await api.ids("/api/v1/trends/statuses") == [top, second])
                #expect(!(try await api.ids("/api/v1/trends/statuses")).contains(quiet))
                #expect(try await api.ids("/api/v1/trends/statuses?limit=1") == [top])
                #expect(try await api.ids("/api/v1/trends/statuses?limit=1&offset=1") == [second])
                // Signed in, blocked authors are left out.
                _ = try await api.post("/api/v1/accounts/\(dave.id)/block", bob.token)
                #expect(try await api.ids("/api/v1/trends/statuses", bob.token) == [top])
                #expect(try await api.ids("/api/v1/trends/statuses", alice.token) == [top, second])
                #expect(try await api.get("/api/v1/trends/links").jsonArray.isEmpty)
                expectError(try await api.get("/api/v1/trends/statuses?limit=many"), .unprocessableContent)
            }
        }
    }
}

@Suite struct APIFallbackTests {
    @Test("a known path with another method is a JSON 404", arguments: TestDatabase.available)
    func wrongMethod(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let requests: [(HTTPRequest.Method, String, String?)] = [
                    (.put, "/api/v1/timelines/home", alice.token),
                    (.put, "/api/v1/timelines/home", nil),
                    (.delete, "/api/v1/instance", nil),
                    (.get, "/api/v1/no_such_thing", nil),
                    (.post, "/api/v2/search", alice.token),
                ]
                for (method, uri, token) in requests {
                    let headers: HTTPFields = token.map { .bearer($0) } ?? HTTPFields()
                    let response = try await client.execute(uri: uri, method: method, headers: headers, body: nil)
                    #expect(response.status == .notFound, "\(method) \(uri): \(response.status)")
                    #expect(
                        response.json["error"] as? String == "Record not found",
                        "\(method) \(uri): \(response.text)"
                    )
                    #expect(response.headers[.contentType]?.hasPrefix("application/json") == true, "\(method) \(uri)")
                }
                let home = try await client.execute(
                    uri: "/api/v1/timelines/home",
                    method: .get,
                    headers: .bearer(alice.token),
                    body: nil
                )
                #expect(home.status == .ok)
            }
        }
    }
}
