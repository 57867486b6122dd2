import App
import Core
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing
import ZIPFoundation

/// `/settings/export`: Mastodon's CSV files, byte for byte, and the archive, unpacked and read back.
@Suite struct ExportPagesTests {
    typealias Browser = AccountPagesTests.Browser

    @Test(
        "the CSV exports are Mastodon's formats and the archive holds posts, files and collections",
        arguments: TestDatabase.available
    )
    func exports(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let (alice, aliceToken) = try await t.account("alice", password: AccountPagesTests.password)
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            let dave = try await t.user("dave")
            try await t.client { client in
                let api = SocialAPI(client)
                try await api.follow(aliceToken, bob.id, [("notify", "true")])
                try await api.follow(
                    aliceToken,
                    carol.id,
                    [("reblogs", "false"), ("languages[]", "en"), ("languages[]", "de")]
                )
                #expect(try await api.post("/api/v1/accounts/\(dave.id)/block", aliceToken).status == .ok)
                #expect(
                    try await api.post("/api/v1/accounts/\(carol.id)/mute", aliceToken, [("notifications", "false")])
                        .status == .ok
                )
                #expect(
                    try await api.post("/api/v1/domain_blocks", aliceToken, [("domain", "spam.example")]).status == .ok
                )
                let list = try await api.post("/api/v1/lists", aliceToken, [("title", "Friends, \"close\"")])
                let listID = try #require(list.json["id"] as? String)
                #expect(
                    try await api.post("/api/v1/lists/\(listID)/accounts", aliceToken, [("account_ids[]", bob.id)])
                        .status == .ok
                )
                let bobPost = try await api.status(bob.token, "worth keeping")
                #expect(try await api.post("/api/v1/statuses/\(bobPost)/bookmark", aliceToken).status == .ok)
                #expect(try await api.post("/api/v1/statuses/\(bobPost)/favourite", aliceToken).status == .ok)
                let upload = try await TestImages.upload(client, aliceToken, TestImages.png(width: 32, height: 32))
                let mediaID = try #require(upload.json["id"] as? String)
                _ = try await api.status(aliceToken, "public with a picture", [("media_ids[]", mediaID)])
                _ = try await api.status(aliceToken, "for followers", visibility: "private")
                _ = try await api.status(aliceToken, "@bob just us", visibility: "direct")
                let bobURI = "http://tern.test/users/bob/statuses/\(bobPost)"

                let browser = Browser(client)
                #expect(try await browser.get("/settings/exports/follows.csv").status == .found)
                _ = try await browser.signIn("alice", AccountPagesTests.password)
                #expect(try await browser.get("/settings/export").text.contains("/settings/exports/follows.csv"))
                let expected: [(String, String, String)] = [
                    (
                        "follows.csv", "following_accounts.csv",
                        "Account address,Show boosts,Notify on new posts,Languages\nbob@tern.test,true,true,\n"
                            + "carol@tern.test,false,false,\"en, de\"\n"
                    ),
                    ("lists.csv", "lists.csv", "\"Friends, \"\"close\"\"\",bob@tern.test\n"),
                    ("blocks.csv", "blocked_accounts.csv", "dave@tern.test\n"),
                    ("mutes.csv", "muted_accounts.csv", "Account address,Hide notifications\ncarol@tern.test,false\n"),
                    ("domain_blocks.csv", "blocked_domains.csv", "spam.example\n"),
                    ("bookmarks.csv", "bookmarks.csv", "\(bobURI)\n"),
                ]
                for (path, name, body) in expected {
                    let response = try await browser.get("/settings/exports/\(path)")
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                    #expect(response.headers[.contentDisposition] == "attachment; filename=\"\(name)\"")
                    #expect(response.text == body, "\(path)")
                }
                #expect(try await browser.get("/settings/exports/passwords.csv").status == .notFound)

                let zip = try await browser.get("/settings/export/archive.zip")
                #expect(zip.status == .ok)
                #expect(zip.headers[.contentType] == "application/zip")
                let archive = try Archive(data: Data(buffer: zip.body), accessMode: .read)
                func read(_ path: String) throws -> Data {
                    let entry = try #require(archive[path], "\(path) is missing")
                    var data = Data()
                    _ = try archive.extract(entry) { data.append($0) }
                    return data
                }
                func json(_ path: String) throws -> [String: Any] {
                    try #require(try JSONSerialization.jsonObject(with: try read(path)) as? [String: Any])
                }
                let outbox = try json("outbox.json")
                let items = try #require(outbox["orderedItems"] as? [[String: Any]])
                #expect(outbox["totalItems"] as? Int == 3)
                let contents = items.compactMap { ($0["object"] as? [String: Any])?["content"] as? String }
                #expect(contents.count == 3)
                #expect(contents[0].contains("public with a picture") && contents[2].contains("just us"))
                let attachment = try #require(
                    ((items[0]["object"] as? [String: Any])?["attachment"] as? [[String: Any]])?.first
                )
                let path = try #require(attachment["url"] as? String)
                #expect(path.hasPrefix("/media_attachments/files/"))
                #expect(try read(String(path.dropFirst())).starts(with: [0x89, 0x50, 0x4E, 0x47]))
                let actor = try json("actor.json")
                #expect(actor["preferredUsername"] as? String == "alice")
                #expect(actor["outbox"] as? String == "outbox.json")
                #expect(actor["icon"] == nil)
                #expect(try json("likes.json")["orderedItems"] as? [String] == [bobURI])
                #expect(try json("bookmarks.json")["orderedItems"] as? [String] == [bobURI])
                _ = alice
            }
        }
    }
}
