import App
import Core
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing
import ZIPFoundation

/// Posts from an archive (`/settings/import/archive`): what `/settings/export/archive.zip` wrote comes
/// back as the new account's posts with their dates, visibility, threads and pictures; a damaged archive
/// is refused with the reason and stores nothing.
@Suite struct ArchiveImportTests {
    typealias Browser = AccountPagesTests.Browser

    static func upload(_ browser: Browser, _ data: Data) async throws -> TestResponse {
        try await browser.get("/settings/import")
        let body = TestImages.multipart(
            file: data,
            filename: "archive.zip",
            type: "application/zip",
            fields: [("authenticity_token", browser.cookies["_tern_csrf"] ?? "")],
            fileField: "archive"
        )
        var headers = cookieHeaders(browser.cookies)
        headers[.contentType] = "multipart/form-data; boundary=\(TestImages.boundary)"
        return try await browser.client.execute(
            uri: "/settings/import/archive",
            method: .post,
            headers: headers,
            body: body
        )
    }

    /// The statuses of an account, oldest first, every visibility.
    static func statuses(_ t: TestApp, _ account: Account.ID) async throws -> [Status] {
        try await t.db.read { session in
            let ids = try await session.accountStatuses(
                of: account,
                filter: .init(visibilities: Visibility.allCases),
                page: PageRequest(limit: 40)
            )
            return try await session.statuses(ids: ids).sorted { $0.id < $1.id }
        }
    }

    /// A ZIP holding these files.
    static func zipped(_ files: [String: Data]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, data) in files.sorted(by: { $0.key < $1.key }) {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count)) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return try #require(archive.data)
    }

    @Test("an exported archive imported by another account gives the same posts", arguments: TestDatabase.available)
    func roundTrip(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let (alice, aliceToken) = try await t.account("alice", password: AccountPagesTests.password)
            let (newAlice, newToken) = try await t.account("newalice", password: AccountPagesTests.password)
            let bob = try await t.user("bob")
            try await t.client { client in
                let api = SocialAPI(client)
                let upload = try await TestImages.upload(client, aliceToken, TestImages.png(width: 48, height: 32))
                let mediaID = try #require(upload.json["id"] as? String)
                let first = try await api.status(
                    aliceToken,
                    "first #history",
                    [("media_ids[]", mediaID), ("spoiler_text", "old news"), ("language", "en")]
                )
                _ = try await api.status(
                    aliceToken,
                    "a reply to myself",
                    visibility: "unlisted",
                    [("in_reply_to_id", first)]
                )
                _ = try await api.status(aliceToken, "for followers", visibility: "private")
                _ = try await api.status(aliceToken, "@bob between us", visibility: "direct")
                let bobPost = try await api.status(bob.token, "bob's")
                _ = try await api.post("/api/v1/statuses/\(bobPost)/reblog", aliceToken)
                let originals = try await Self.statuses(t, alice.id).filter { $0.reblogOfID == nil }
                #expect(originals.count == 4)

                let bobsNotifications = try await api.notifications(bob.token).map(\.id)
                let bobsHome = try await api.ids("/api/v1/timelines/home", bob.token)
                let old = Browser(client)
                _ = try await old.signIn("alice", AccountPagesTests.password)
                let archive = try await old.get("/settings/export/archive.zip")
                #expect(archive.status == .ok)

                let new = Browser(client)
                _ = try await new.signIn("newalice", AccountPagesTests.password)
                let imported = try await Self.upload(new, Data(buffer: archive.body))
                #expect(imported.status == .seeOther, "\(imported.text)")
                let notice = try await new.get(imported.headers[.location] ?? "/settings/import")
                // Boosts are not in an archive (importers skip them).
                #expect(notice.text.contains("Imported 4 posts and 1 pictures from the archive."))
                try await t.jobs.drain()

                let copies = try await Self.statuses(t, newAlice.id)
                #expect(copies.count == 4)
                for (copy, original) in zip(copies, originals) {
                    // Activities carry dates to the second.
                    #expect(Int(copy.createdAt.timeIntervalSince1970) == Int(original.createdAt.timeIntervalSince1970))
                    #expect(copy.visibility == original.visibility)
                    // The same text; links went through the allow-list sanitiser as any received HTML does.
                    #expect(HTMLText.plain(copy.content) == HTMLText.plain(original.content))
                    #expect(copy.spoilerText == original.spoilerText)
                    #expect(copy.uri.hasPrefix("http://tern.test/users/newalice/statuses/"))
                }
                #expect(copies[1].inReplyToID == copies[0].id)
                #expect(copies[0].language == "en")
                let shown = try await api.get("/api/v1/statuses/\(copies[0].id)", newToken)
                let media = try #require((shown.json["media_attachments"] as? [[String: Any]])?.first)
                #expect(media["url"] is String)
                #expect((shown.json["tags"] as? [[String: Any]])?.first?["name"] as? String == "history")
                // History, not news: nobody was notified, nothing went to home feeds.
                #expect(try await api.notifications(bob.token).map(\.id) == bobsNotifications)
                #expect(try await api.ids("/api/v1/timelines/home", bob.token) == bobsHome)
            }
        }
    }

    @Test("damaged archives are refused with the reason and store nothing", arguments: TestDatabase.available)
    func refusals(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let (alice, _) = try await t.account("alice", password: AccountPagesTests.password)
            try await t.client { client in
                let browser = Browser(client)
                _ = try await browser.signIn("alice", AccountPagesTests.password)
                func note(_ attachment: String?) -> String {
                    let picture =
                        attachment.map {
                            #","attachment":[{"type":"Document","mediaType":"image/png","url":"\#($0)"}]"#
                        }
                        ?? ""
                    return #"""
                        {"orderedItems":[{"type":"Create","object":{"type":"Note","id":"https://old.example/s/1",
                        "attributedTo":"https://old.example/u/a","content":"<p>hi</p>","to":["https://www.w3.org/ns/activitystreams#Public"],
                        "published":"2020-01-02T03:04:05Z"\#(picture)}}]}
                        """#
                }
                let cases: [(Data, String)] = [
                    (Data("not a zip at all".utf8), "not a ZIP archive"),
                    (try Self.zipped(["actor.json": Data("{}".utf8)]), "no outbox.json"),
                    (try Self.zipped(["outbox.json": Data("{not json".utf8)]), "not an ActivityStreams collection"),
                    (try Self.zipped(["outbox.json": Data(#"{"orderedItems":[]}"#.utf8)]), "holds no posts"),
                    (
                        try Self.zipped([
                            "outbox.json": Data(#"{"orderedItems":[{"type":"Create","object":{"type":"Note"}}]}"#.utf8)
                        ]),
                        "Post 1 of outbox.json is not a readable Note"
                    ),
                    (
                        try Self.zipped(["outbox.json": Data(note("/media_attachments/files/x.png").utf8)]),
                        "lacks media_attachments/files/x.png"
                    ),
                    (
                        try Self.zipped(["outbox.json": Data(note("/../../etc/passwd").utf8)]),
                        "not a file of the archive"
                    ),
                    (
                        try Self.zipped([
                            "outbox.json": Data(note("/media_attachments/files/x.png").utf8),
                            "media_attachments/files/x.png": Data("<svg/>".utf8),
                        ]),
                        "not a picture Tern can read"
                    ),
                ]
                for (data, message) in cases {
                    let response = try await Self.upload(browser, data)
                    #expect(response.status == .unprocessableContent, "\(message)")
                    #expect(response.text.contains(message), "\(message): \(response.text)")
                }
                #expect(try await Self.statuses(t, alice.id).isEmpty)
                let media = try await t.db.read {
                    try await $0.sql.raw("SELECT count(*) AS n FROM media_attachments").first()
                }
                #expect(try media?.decode(column: "n", as: Int.self) == 0)
                // A good one of the same shape goes in.
                let good = try await Self.upload(browser, try Self.zipped(["outbox.json": Data(note(nil).utf8)]))
                #expect(good.status == .seeOther)
                let posts = try await Self.statuses(t, alice.id)
                #expect(posts.count == 1)
                #expect(posts.first?.createdAt == Date(timeIntervalSince1970: 1_577_934_245))
            }
        }
    }
}
