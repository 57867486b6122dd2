import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

extension SocialAPI {
    /// Creates a v2 filter that must be accepted and returns it as JSON.
    func createFilter(
        _ token: String,
        _ title: String,
        context: [String] = ["home"],
        action: String = "warn",
        keywords: [(keyword: String, wholeWord: Bool)] = [],
        _ extra: [(String, String)] = []
    ) async throws -> [String: Any] {
        var pairs = [("title", title), ("filter_action", action)] + context.map { ("context[]", $0) }
        for item in keywords {
            pairs.append(("keywords_attributes[][keyword]", item.keyword))
            pairs.append(("keywords_attributes[][whole_word]", item.wholeWord ? "true" : "false"))
        }
        let response = try await self.post("/api/v2/filters", token, pairs + extra)
        guard response.status == .ok, response.json["id"] is String else {
            throw TestFailure("creating a filter answered \(response.status): \(response.text)")
        }
        return response.json
    }

    /// The ids of the viewer's v2 filters.
    func filterIDs(_ token: String) async throws -> [String] {
        try await self.ids("/api/v2/filters", token)
    }

    /// One status out of a list endpoint's answer, as JSON (nil when it is not there).
    func item(_ id: String, in uri: String, _ token: String?) async throws -> [String: Any]? {
        let response = try await self.get(uri, token)
        guard response.status == .ok else { throw TestFailure("\(uri) answered \(response.status): \(response.text)") }
        return response.jsonArray.first { $0["id"] as? String == id }
    }

    /// The `filtered` results of a status in a list endpoint (nil when the key is absent).
    func filtered(_ id: String, in uri: String, _ token: String?) async throws -> [[String: Any]]? {
        guard let item = try await self.item(id, in: uri, token) else {
            throw TestFailure("\(id) is not in \(uri)")
        }
        return item["filtered"] as? [[String: Any]]
    }
}

/// The keywords of a filter entity as `(id, keyword, whole_word)`.
private func keywords(_ filter: [String: Any]) -> [(id: String, keyword: String, wholeWord: Bool)] {
    (filter["keywords"] as? [[String: Any]] ?? []).map {
        ($0["id"] as? String ?? "", $0["keyword"] as? String ?? "", $0["whole_word"] as? Bool ?? false)
    }
}

/// The `keyword_matches` of the first filter result.
private func keywordMatches(_ results: [[String: Any]]?) -> [String]? {
    results?.first?["keyword_matches"] as? [String]
}

@Suite struct FiltersTests {
    @Test(
        "creating a filter with keywords: entity keys; blank title, bad context or action, blank keyword refused",
        arguments: TestDatabase.available
    )
    func create(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                let response = try await api.post(
                    "/api/v2/filters",
                    alice.token,
                    [
                        ("title", "  Spoilers  "), ("context[]", "home"), ("context[]", "public"),
                        ("filter_action", "warn"),
                        ("keywords_attributes[][keyword]", "finale"),
                        ("keywords_attributes[][whole_word]", "false"),
                        ("keywords_attributes[][keyword]", "ending"),
                    ]
                )
                #expect(response.status == .ok, "\(response.text)")
                #expect(
                    Set(response.json.keys)
                        == ["id", "title", "context", "expires_at", "filter_action", "keywords", "statuses"]
                )
                let id = try #require(response.json["id"] as? String)
                #expect(response.json["title"] as? String == "Spoilers")
                #expect(response.json["context"] as? [String] == ["home", "public"])
                #expect(response.json["expires_at"] is NSNull)
                #expect(response.json["filter_action"] as? String == "warn")
                #expect((response.json["statuses"] as? [Any])?.isEmpty == true)
                let stored = keywords(response.json)
                #expect(stored.map(\.keyword) == ["finale", "ending"])
                #expect(stored.map(\.wholeWord) == [false, true])
                #expect(stored.allSatisfy { !$0.id.isEmpty })
                let first = try #require((response.json["keywords"] as? [[String: Any]])?.first)
                #expect(Set(first.keys) == ["id", "keyword", "whole_word"])

                // JSON bodies work too, and the action defaults to warn.
                let json = try await api.postJSON(
                    "/api/v2/filters",
                    alice.token,
                    ["title": "Json", "context": ["thread"], "keywords_attributes": [["keyword": "x"]]]
                )
                #expect(json.status == .ok, "\(json.text)")
                #expect(json.json["filter_action"] as? String == "warn")
                #expect(json.json["context"] as? [String] == ["thread"])
                let jsonID = try #require(json.json["id"] as? String)

                let base = [("context[]", "home"), ("keywords_attributes[][keyword]", "word")]
                expectError(
                    try await api.post("/api/v2/filters", alice.token, [("title", "   ")] + base),
                    .unprocessableContent,
                    "Title"
                )
                expectError(
                    try await api.post("/api/v2/filters", alice.token, [("context[]", "home")]),
                    .unprocessableContent,
                    "Title"
                )
                expectError(
                    try await api.post("/api/v2/filters", alice.token, [("title", "No context")]),
                    .unprocessableContent,
                    "Context"
                )
                expectError(
                    try await api.post(
                        "/api/v2/filters",
                        alice.token,
                        [("title", "Bad context"), ("context[]", "home"), ("context[]", "everywhere")]
                    ),
                    .unprocessableContent,
                    "Context"
                )
                expectError(
                    try await api.postJSON("/api/v2/filters", alice.token, ["title": "Empty", "context": [String]()]),
                    .unprocessableContent,
                    "Context"
                )
                expectError(
                    try await api.post(
                        "/api/v2/filters",
                        alice.token,
                        [("title", "Bad action"), ("filter_action", "delete")] + base
                    ),
                    .unprocessableContent,
                    "action"
                )
                expectError(
                    try await api.post(
                        "/api/v2/filters",
                        alice.token,
                        [("title", "Blank keyword"), ("context[]", "home"), ("keywords_attributes[][keyword]", "  ")]
                    ),
                    .unprocessableContent,
                    "Keyword"
                )
                expectError(
                    try await api.post(
                        "/api/v2/filters",
                        alice.token,
                        [("title", "Bad expiry"), ("expires_in", "0")]
                            + base
                    ),
                    .unprocessableContent
                )
                // Nothing of the refused filters was stored.
                #expect(try await api.filterIDs(alice.token) == [id, jsonID])
                let shown = try await api.get("/api/v2/filters/\(id)", alice.token)
                #expect(shown.status == .ok)
                #expect(keywords(shown.json).map(\.keyword) == ["finale", "ending"])
                let v1 = try await api.get("/api/v1/filters", alice.token)
                #expect(v1.jsonArray.compactMap { $0["phrase"] as? String } == ["finale", "ending", "x"])
            }
        }
    }

    @Test(
        "a warn filter on home marks matching posts there, not in public, and not posts that do not match",
        arguments: TestDatabase.available
    )
    func warnInHomeOnly(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.follow(alice.token, bob.id)
                let filter = try await api.createFilter(
                    alice.token,
                    "Spoilers",
                    keywords: [("spoiler", true)]
                )
                let matching = try await api.status(bob.token, "big spoiler ahead")
                let plain = try await api.status(bob.token, "nothing to see")

                let results = try #require(try await api.filtered(matching, in: "/api/v1/timelines/home", alice.token))
                #expect(results.count == 1)
                let result = try #require(results.first)
                #expect(keywordMatches(results) == ["spoiler"])
                #expect(result["status_matches"] is NSNull)
                let entity = try #require(result["filter"] as? [String: Any])
                #expect(entity["id"] as? String == filter["id"] as? String)
                #expect(entity["title"] as? String == "Spoilers")
                #expect(entity["filter_action"] as? String == "warn")
                // A warn filter keeps the post in the timeline.
                #expect(try await api.home(alice.token) == [plain, matching])
                #expect(try await api.filtered(plain, in: "/api/v1/timelines/home", alice.token)?.isEmpty == true)

                // The public context is not included: the post is not marked there.
                #expect(
                    try await api.filtered(matching, in: "/api/v1/timelines/public", alice.token)?.isEmpty == true
                )
                // Anonymous readers and other accounts have no filter results.
                let anonymous = try #require(try await api.item(matching, in: "/api/v1/timelines/public", nil))
                #expect(anonymous["filtered"] == nil)
                #expect(try await api.filtered(matching, in: "/api/v1/timelines/home", bob.token)?.isEmpty == true)
            }
        }
    }

    @Test(
        "whole_word needs word boundaries; without it a keyword matches inside words; matching ignores case",
        arguments: TestDatabase.available
    )
    func wholeWordAndCase(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.follow(alice.token, bob.id)
                _ = try await api.createFilter(
                    alice.token,
                    "Animals",
                    keywords: [("cat", true), ("Dog", false)]
                )
                let inside = try await api.status(bob.token, "let us concatenate strings")
                let whole = try await api.status(bob.token, "my cat, asleep")
                let shouting = try await api.status(bob.token, "CAT!")
                let partial = try await api.status(bob.token, "hotdogs for lunch")
                let both = try await api.status(bob.token, "Cat and DOG")
                let underscore = try await api.status(bob.token, "tag_cat_name")
                let home = "/api/v1/timelines/home"
                #expect(try await api.filtered(inside, in: home, alice.token)?.isEmpty == true)
                #expect(try await api.filtered(underscore, in: home, alice.token)?.isEmpty == true)
                #expect(keywordMatches(try await api.filtered(whole, in: home, alice.token)) == ["cat"])
                #expect(keywordMatches(try await api.filtered(shouting, in: home, alice.token)) == ["cat"])
                #expect(keywordMatches(try await api.filtered(partial, in: home, alice.token)) == ["Dog"])
                #expect(keywordMatches(try await api.filtered(both, in: home, alice.token)) == ["cat", "Dog"])

                // Switched to whole_word false, "cat" now matches inside "concatenate".
                let filter = try #require(try await api.get("/api/v2/filters", alice.token).jsonArray.first)
                let catID = try #require(keywords(filter).first { $0.keyword == "cat" }?.id)
                let changed = try await api.put(
                    "/api/v2/filters/keywords/\(catID)",
                    alice.token,
                    [("whole_word", "false")]
                )
                #expect(changed.status == .ok, "\(changed.text)")
                #expect(changed.json["whole_word"] as? Bool == false)
                #expect(keywordMatches(try await api.filtered(inside, in: home, alice.token)) == ["cat"])
            }
        }
    }

    @Test(
        "a hide filter drops matching posts from home and notifications; the status itself still loads",
        arguments: TestDatabase.available
    )
    func hide(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.follow(alice.token, bob.id)
                _ = try await api.createFilter(
                    alice.token,
                    "Hidden",
                    context: ["home", "notifications"],
                    action: "hide",
                    keywords: [("secret", true)]
                )
                let plain = try await api.status(bob.token, "an open post")
                let hidden = try await api.status(bob.token, "a Secret plan")
                let mention = try await api.status(bob.token, "@alice the secret is out")
                let kept = try await api.status(bob.token, "@alice hello")

                #expect(try await api.home(alice.token) == [kept, plain])
                let notes = try await api.get("/api/v1/notifications", alice.token)
                #expect(notes.status == .ok)
                let noteStatuses = notes.jsonArray.compactMap { ($0["status"] as? [String: Any])?["id"] as? String }
                #expect(noteStatuses == [kept])
                #expect(try await api.filtered(kept, in: "/api/v1/timelines/home", alice.token)?.isEmpty == true)

                // Not in the filter's contexts: the public timeline still shows both.
                let everyone = try await api.ids("/api/v1/timelines/public", alice.token)
                #expect(everyone.contains(hidden))
                #expect(everyone.contains(mention))
                for id in [hidden, mention] {
                    let shown = try await api.get("/api/v1/statuses/\(id)", alice.token)
                    #expect(shown.status == .ok)
                    #expect(shown.json["id"] as? String == id)
                }
                // Bob has no filters: his home keeps everything.
                #expect(try await api.home(bob.token) == [kept, mention, hidden, plain])
            }
        }
    }

    @Test("filters apply in the thread and account contexts they name", arguments: TestDatabase.available)
    func threadAndAccount(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.follow(alice.token, bob.id)
                _ = try await api.createFilter(
                    alice.token,
                    "Elsewhere",
                    context: ["thread", "account"],
                    keywords: [("weather", true)]
                )
                let root = try await api.status(bob.token, "how is it")
                let reply = try await api.status(bob.token, "the weather is fine", [("in_reply_to_id", root)])

                let thread = try await api.get("/api/v1/statuses/\(root)/context", alice.token)
                #expect(thread.status == .ok)
                let descendants = try #require(thread.json["descendants"] as? [[String: Any]])
                #expect(descendants.compactMap { $0["id"] as? String } == [reply])
                #expect(keywordMatches(descendants.first?["filtered"] as? [[String: Any]]) == ["weather"])
                let accountURI = "/api/v1/accounts/\(bob.id)/statuses"
                #expect(keywordMatches(try await api.filtered(reply, in: accountURI, alice.token)) == ["weather"])
                #expect(try await api.filtered(root, in: accountURI, alice.token)?.isEmpty == true)
                // Home is not one of its contexts.
                #expect(try await api.filtered(reply, in: "/api/v1/timelines/home", alice.token)?.isEmpty == true)
            }
        }
    }

    @Test(
        "status filters: added, listed, shown, marked with status_matches, hidden with hide, removed",
        arguments: TestDatabase.available
    )
    func statusFilters(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.follow(alice.token, bob.id)
                let filter = try await api.createFilter(alice.token, "This one")
                let id = try #require(filter["id"] as? String)
                let target = try await api.status(bob.token, "an ordinary post")
                let other = try await api.status(bob.token, "another ordinary post")

                let added = try await api.post("/api/v2/filters/\(id)/statuses", alice.token, [("status_id", target)])
                #expect(added.status == .ok, "\(added.text)")
                #expect(Set(added.json.keys) == ["id", "status_id"])
                #expect(added.json["status_id"] as? String == target)
                let row = try #require(added.json["id"] as? String)
                // Adding it again keeps the one row.
                let again = try await api.post("/api/v2/filters/\(id)/statuses", alice.token, [("status_id", target)])
                #expect(again.json["id"] as? String == row)

                let listed = try await api.get("/api/v2/filters/\(id)/statuses", alice.token)
                #expect(listed.status == .ok)
                #expect(listed.jsonArray.compactMap { $0["id"] as? String } == [row])
                let shown = try await api.get("/api/v2/filters/statuses/\(row)", alice.token)
                #expect(shown.status == .ok)
                #expect(shown.json["status_id"] as? String == target)
                let filterShown = try await api.get("/api/v2/filters/\(id)", alice.token)
                #expect((filterShown.json["statuses"] as? [[String: Any]])?.first?["id"] as? String == row)

                let results = try await api.filtered(target, in: "/api/v1/timelines/home", alice.token)
                #expect(results?.count == 1)
                #expect(results?.first?["status_matches"] as? [String] == [row])
                #expect(results?.first?["keyword_matches"] is NSNull)
                #expect(try await api.filtered(other, in: "/api/v1/timelines/home", alice.token)?.isEmpty == true)

                let hide = try await api.put("/api/v2/filters/\(id)", alice.token, [("filter_action", "hide")])
                #expect(hide.status == .ok, "\(hide.text)")
                #expect(try await api.home(alice.token) == [other])

                let removed = try await api.delete("/api/v2/filters/statuses/\(row)", alice.token)
                #expect(removed.status == .ok)
                #expect(try await api.home(alice.token) == [other, target])
                expectError(try await api.get("/api/v2/filters/statuses/\(row)", alice.token), .notFound)
                expectError(try await api.delete("/api/v2/filters/statuses/\(row)", alice.token), .notFound)
                #expect(try await api.get("/api/v2/filters/\(id)/statuses", alice.token).jsonArray.isEmpty)

                // An unknown or missing status is refused and stores nothing.
                expectError(
                    try await api.post("/api/v2/filters/\(id)/statuses", alice.token, [("status_id", "999999")]),
                    .notFound
                )
                expectError(try await api.post("/api/v2/filters/\(id)/statuses", alice.token), .notFound)
                #expect(try await api.get("/api/v2/filters/\(id)/statuses", alice.token).jsonArray.isEmpty)
            }
        }
    }

    @Test(
        "expires_in=60 sets expires_at; after expiry the filter stops applying but is still listed",
        arguments: TestDatabase.available
    )
    func expiry(db: TestDatabase) async throws {
        let clock = TestClock()
        try await TestApp.run(db, clock: clock.clock) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.follow(alice.token, bob.id)
                let filter = try await api.createFilter(
                    alice.token,
                    "Brief",
                    action: "hide",
                    keywords: [("launch", true)],
                    [("expires_in", "60")]
                )
                let id = try #require(filter["id"] as? String)
                #expect(filter["expires_at"] as? String != nil)
                let plain = try await api.status(bob.token, "a quiet day")
                let launch = try await api.status(bob.token, "launch day")
                #expect(try await api.home(alice.token) == [plain])

                clock.advance(by: 30)
                #expect(try await api.home(alice.token) == [plain])

                clock.advance(by: 31)
                #expect(try await api.home(alice.token) == [launch, plain])
                #expect(try await api.filtered(launch, in: "/api/v1/timelines/home", alice.token)?.isEmpty == true)
                #expect(try await api.filterIDs(alice.token) == [id])
                let shown = try await api.get("/api/v2/filters/\(id)", alice.token)
                #expect(shown.status == .ok)
                #expect(shown.json["expires_at"] as? String == filter["expires_at"] as? String)

                // An empty expires_in clears the expiry and the filter applies again.
                let cleared = try await api.put("/api/v2/filters/\(id)", alice.token, [("expires_in", "")])
                #expect(cleared.status == .ok, "\(cleared.text)")
                #expect(cleared.json["expires_at"] is NSNull)
                #expect(try await api.home(alice.token) == [plain])
            }
        }
    }

    @Test(
        "PUT changes title and action, edits a keyword by id, removes one with _destroy and adds one",
        arguments: TestDatabase.available
    )
    func update(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.follow(alice.token, bob.id)
                let filter = try await api.createFilter(
                    alice.token,
                    "Before",
                    keywords: [("alpha", true), ("beta", true), ("gamma", true)]
                )
                let id = try #require(filter["id"] as? String)
                let ids = keywords(filter).map(\.id)
                try #require(ids.count == 3)

                let updated = try await api.put(
                    "/api/v2/filters/\(id)",
                    alice.token,
                    [
                        ("title", "After"), ("filter_action", "blur"), ("context[]", "home"),
                        ("context[]", "notifications"),
                        ("keywords_attributes[0][id]", ids[0]), ("keywords_attributes[0][keyword]", "Alpha2"),
                        ("keywords_attributes[0][whole_word]", "false"),
                        ("keywords_attributes[1][id]", ids[1]), ("keywords_attributes[1][_destroy]", "true"),
                        ("keywords_attributes[2][keyword]", "delta"),
                    ]
                )
                #expect(updated.status == .ok, "\(updated.text)")
                #expect(updated.json["id"] as? String == id)
                #expect(updated.json["title"] as? String == "After")
                #expect(updated.json["filter_action"] as? String == "blur")
                #expect(updated.json["context"] as? [String] == ["home", "notifications"])
                let after = keywords(updated.json)
                #expect(after.map(\.keyword) == ["Alpha2", "gamma", "delta"])
                #expect(after.map(\.wholeWord) == [false, true, true])
                #expect(Array(after.map(\.id).prefix(2)) == [ids[0], ids[2]])

                // Refused updates change nothing.
                expectError(
                    try await api.put("/api/v2/filters/\(id)", alice.token, [("title", " ")]),
                    .unprocessableContent
                )
                expectError(
                    try await api.put("/api/v2/filters/\(id)", alice.token, [("filter_action", "shout")]),
                    .unprocessableContent
                )
                expectError(
                    try await api.put(
                        "/api/v2/filters/\(id)",
                        alice.token,
                        [
                            ("title", "Changed"), ("keywords_attributes[0][id]", ids[0]),
                            ("keywords_attributes[0][keyword]", ""),
                        ]
                    ),
                    .unprocessableContent
                )
                // A keyword id that is not this filter's: 404, nothing changed.
                expectError(
                    try await api.put(
                        "/api/v2/filters/\(id)",
                        alice.token,
                        [
                            ("title", "Changed"), ("keywords_attributes[0][id]", ids[1]),
                            ("keywords_attributes[0][keyword]", "x"),
                        ]
                    ),
                    .notFound
                )
                let shown = try await api.get("/api/v2/filters/\(id)", alice.token)
                #expect(shown.json["title"] as? String == "After")
                #expect(shown.json["filter_action"] as? String == "blur")
                #expect(keywords(shown.json).map(\.keyword) == ["Alpha2", "gamma", "delta"])

                // The edited keyword applies: "alpha2" is no longer whole-word, "beta" is gone.
                let edited = try await api.status(bob.token, "xalpha2x and beta")
                let results = try await api.filtered(edited, in: "/api/v1/timelines/home", alice.token)
                #expect(keywordMatches(results) == ["Alpha2"])
                #expect((results?.first?["filter"] as? [String: Any])?["filter_action"] as? String == "blur")
            }
        }
    }

    @Test("keyword endpoints: list, add, show, update and delete", arguments: TestDatabase.available)
    func keywordEndpoints(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                let filter = try await api.createFilter(alice.token, "Words", keywords: [("one", true)])
                let id = try #require(filter["id"] as? String)
                let oneID = try #require(keywords(filter).first?.id)

                let added = try await api.post(
                    "/api/v2/filters/\(id)/keywords",
                    alice.token,
                    [("keyword", "two"), ("whole_word", "false")]
                )
                #expect(added.status == .ok, "\(added.text)")
                #expect(Set(added.json.keys) == ["id", "keyword", "whole_word"])
                #expect(added.json["keyword"] as? String == "two")
                #expect(added.json["whole_word"] as? Bool == false)
                let twoID = try #require(added.json["id"] as? String)
                #expect(twoID != oneID)

                let listed = try await api.get("/api/v2/filters/\(id)/keywords", alice.token)
                #expect(listed.status == .ok)
                #expect(listed.jsonArray.compactMap { $0["id"] as? String } == [oneID, twoID])

                let shown = try await api.get("/api/v2/filters/keywords/\(twoID)", alice.token)
                #expect(shown.status == .ok)
                #expect(shown.json["keyword"] as? String == "two")

                let updated = try await api.put(
                    "/api/v2/filters/keywords/\(twoID)",
                    alice.token,
                    [("keyword", "three"), ("whole_word", "true")]
                )
                #expect(updated.status == .ok, "\(updated.text)")
                #expect(updated.json["id"] as? String == twoID)
                #expect(updated.json["keyword"] as? String == "three")
                #expect(updated.json["whole_word"] as? Bool == true)

                // Blank keywords are refused and change nothing.
                expectError(
                    try await api.post("/api/v2/filters/\(id)/keywords", alice.token, [("keyword", " ")]),
                    .unprocessableContent
                )
                expectError(try await api.post("/api/v2/filters/\(id)/keywords", alice.token), .unprocessableContent)
                expectError(
                    try await api.put("/api/v2/filters/keywords/\(twoID)", alice.token, [("keyword", "")]),
                    .unprocessableContent
                )
                let filterNow = try await api.get("/api/v2/filters/\(id)", alice.token)
                #expect(keywords(filterNow.json).map(\.keyword) == ["one", "three"])

                let deleted = try await api.delete("/api/v2/filters/keywords/\(oneID)", alice.token)
                #expect(deleted.status == .ok)
                expectError(try await api.get("/api/v2/filters/keywords/\(oneID)", alice.token), .notFound)
                expectError(try await api.delete("/api/v2/filters/keywords/\(oneID)", alice.token), .notFound)
                expectError(try await api.get("/api/v2/filters/keywords/nope", alice.token), .notFound)
                #expect(try await api.ids("/api/v2/filters/\(id)/keywords", alice.token) == [twoID])
            }
        }
    }

    @Test(
        "another user's filter, keyword and status ids are 404 everywhere and stay unchanged",
        arguments: TestDatabase.available
    )
    func othersFilters(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                let post = try await api.status(bob.token, "a post")
                let filter = try await api.createFilter(alice.token, "Mine", keywords: [("word", true)])
                let id = try #require(filter["id"] as? String)
                let keyword = try #require(keywords(filter).first?.id)
                let added = try await api.post("/api/v2/filters/\(id)/statuses", alice.token, [("status_id", post)])
                let row = try #require(added.json["id"] as? String)
                let bobFilter = try await api.createFilter(bob.token, "Bob's")
                let bobID = try #require(bobFilter["id"] as? String)

                expectError(try await api.get("/api/v2/filters/\(id)", bob.token), .notFound)
                expectError(try await api.put("/api/v2/filters/\(id)", bob.token, [("title", "Taken")]), .notFound)
                expectError(try await api.delete("/api/v2/filters/\(id)", bob.token), .notFound)
                expectError(try await api.get("/api/v2/filters/\(id)/keywords", bob.token), .notFound)
                expectError(
                    try await api.post("/api/v2/filters/\(id)/keywords", bob.token, [("keyword", "more")]),
                    .notFound
                )
                expectError(try await api.get("/api/v2/filters/keywords/\(keyword)", bob.token), .notFound)
                expectError(
                    try await api.put("/api/v2/filters/keywords/\(keyword)", bob.token, [("keyword", "taken")]),
                    .notFound
                )
                expectError(try await api.delete("/api/v2/filters/keywords/\(keyword)", bob.token), .notFound)
                expectError(try await api.get("/api/v2/filters/\(id)/statuses", bob.token), .notFound)
                expectError(
                    try await api.post("/api/v2/filters/\(id)/statuses", bob.token, [("status_id", post)]),
                    .notFound
                )
                expectError(try await api.get("/api/v2/filters/statuses/\(row)", bob.token), .notFound)
                expectError(try await api.delete("/api/v2/filters/statuses/\(row)", bob.token), .notFound)
                // Alice's keyword cannot be moved into or edited through bob's own filter either.
                expectError(
                    try await api.put(
                        "/api/v2/filters/\(bobID)",
                        bob.token,
                        [("keywords_attributes[0][id]", keyword), ("keywords_attributes[0][keyword]", "x")]
                    ),
                    .notFound
                )
                #expect(try await api.filterIDs(bob.token) == [bobID])
                #expect(try await api.get("/api/v1/filters", bob.token).jsonArray.isEmpty)

                let shown = try await api.get("/api/v2/filters/\(id)", alice.token)
                #expect(shown.status == .ok)
                #expect(shown.json["title"] as? String == "Mine")
                #expect(keywords(shown.json).map(\.keyword) == ["word"])
                #expect((shown.json["statuses"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [row])
                expectError(try await api.get("/api/v2/filters/\(bobID)", alice.token), .notFound)
            }
        }
    }

    @Test(
        "deleting a filter makes it and its keywords and statuses 404; it stops applying",
        arguments: TestDatabase.available
    )
    func delete(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.follow(alice.token, bob.id)
                let post = try await api.status(bob.token, "goodbye world")
                let filter = try await api.createFilter(
                    alice.token,
                    "Gone",
                    action: "hide",
                    keywords: [("goodbye", true)]
                )
                let id = try #require(filter["id"] as? String)
                let keyword = try #require(keywords(filter).first?.id)
                let added = try await api.post("/api/v2/filters/\(id)/statuses", alice.token, [("status_id", post)])
                let row = try #require(added.json["id"] as? String)
                #expect(try await api.home(alice.token).isEmpty)

                let deleted = try await api.delete("/api/v2/filters/\(id)", alice.token)
                #expect(deleted.status == .ok, "\(deleted.text)")
                expectError(try await api.get("/api/v2/filters/\(id)", alice.token), .notFound)
                expectError(try await api.delete("/api/v2/filters/\(id)", alice.token), .notFound)
                expectError(try await api.get("/api/v2/filters/keywords/\(keyword)", alice.token), .notFound)
                expectError(try await api.get("/api/v2/filters/statuses/\(row)", alice.token), .notFound)
                expectError(try await api.get("/api/v2/filters/nope", alice.token), .notFound)
                #expect(try await api.filterIDs(alice.token).isEmpty)
                #expect(try await api.get("/api/v1/filters", alice.token).jsonArray.isEmpty)
                #expect(try await api.home(alice.token) == [post])
            }
        }
    }

    @Test(
        "GET /api/v1/filters shows one entry per keyword with phrase, and irreversible for hide",
        arguments: TestDatabase.available
    )
    func v1View(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                let warn = try await api.createFilter(
                    alice.token,
                    "Warn",
                    context: ["home", "thread"],
                    keywords: [("first", true), ("second", false)]
                )
                let hide = try await api.createFilter(
                    alice.token,
                    "Hide",
                    context: ["public"],
                    action: "hide",
                    keywords: [("third", true)]
                )
                _ = try await api.createFilter(alice.token, "No keywords")
                let response = try await api.get("/api/v1/filters", alice.token)
                #expect(response.status == .ok)
                let entries = response.jsonArray
                #expect(entries.compactMap { $0["phrase"] as? String } == ["first", "second", "third"])
                #expect(
                    entries.compactMap { $0["id"] as? String } == keywords(warn).map(\.id) + keywords(hide).map(\.id)
                )
                #expect(entries.compactMap { $0["irreversible"] as? Bool } == [false, false, true])
                #expect(entries.compactMap { $0["whole_word"] as? Bool } == [true, false, true])
                #expect(
                    entries.compactMap { $0["context"] as? [String] } == [
                        ["home", "thread"], ["home", "thread"], ["public"],
                    ]
                )
                let first = try #require(entries.first)
                #expect(Set(first.keys) == ["id", "phrase", "context", "whole_word", "expires_at", "irreversible"])
                #expect(first["expires_at"] is NSNull)
                // The v1 API here is read-only.
                let write = try await api.post(
                    "/api/v1/filters",
                    alice.token,
                    [("phrase", "new"), ("context[]", "home")]
                )
                #expect(write.status != .ok)
                #expect(try await api.get("/api/v1/filters", alice.token).jsonArray.count == 3)
            }
        }
    }

    @Test("filters need a token (401) and write scope for changes (403)", arguments: TestDatabase.available)
    func authorization(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let reader = try await t.token(login: "alice", password: testPassword, scopes: "read")
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                let post = try await api.status(bob.token, "a post")
                let filter = try await api.createFilter(alice.token, "Mine", keywords: [("word", true)])
                let id = try #require(filter["id"] as? String)
                let keyword = try #require(keywords(filter).first?.id)
                let added = try await api.post("/api/v2/filters/\(id)/statuses", alice.token, [("status_id", post)])
                let row = try #require(added.json["id"] as? String)
                let create = [("title", "New"), ("context[]", "home")]

                for uri in [
                    "/api/v2/filters", "/api/v2/filters/\(id)", "/api/v2/filters/\(id)/keywords",
                    "/api/v2/filters/keywords/\(keyword)", "/api/v2/filters/\(id)/statuses",
                    "/api/v2/filters/statuses/\(row)", "/api/v1/filters",
                ] {
                    expectError(try await api.get(uri), .unauthorized)
                    #expect(try await api.get(uri, reader).status == .ok, "\(uri)")
                }
                expectError(try await api.post("/api/v2/filters", nil, create), .unauthorized)
                expectError(try await api.delete("/api/v2/filters/\(id)", nil), .unauthorized)

                expectError(try await api.post("/api/v2/filters", reader, create), .forbidden)
                expectError(try await api.put("/api/v2/filters/\(id)", reader, [("title", "Changed")]), .forbidden)
                expectError(try await api.delete("/api/v2/filters/\(id)", reader), .forbidden)
                expectError(
                    try await api.post("/api/v2/filters/\(id)/keywords", reader, [("keyword", "more")]),
                    .forbidden
                )
                expectError(
                    try await api.put("/api/v2/filters/keywords/\(keyword)", reader, [("keyword", "x")]),
                    .forbidden
                )
                expectError(try await api.delete("/api/v2/filters/keywords/\(keyword)", reader), .forbidden)
                expectError(
                    try await api.post("/api/v2/filters/\(id)/statuses", reader, [("status_id", post)]),
                    .forbidden
                )
                expectError(try await api.delete("/api/v2/filters/statuses/\(row)", reader), .forbidden)

                // Nothing changed.
                #expect(try await api.filterIDs(alice.token) == [id])
                let shown = try await api.get("/api/v2/filters/\(id)", alice.token)
                #expect(shown.json["title"] as? String == "Mine")
                #expect(keywords(shown.json).map(\.keyword) == ["word"])
                #expect((shown.json["statuses"] as? [[String: Any]])?.count == 1)
            }
        }
    }
}
