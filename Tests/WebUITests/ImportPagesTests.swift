import App
import Core
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Processing
import TestSupport
import Testing

/// The CSV reader, and `/settings/import`: files checked whole at upload (a bad line is named and
/// nothing is stored), then applied by the job, merging or overwriting, with progress and failures shown.
@Suite struct ImportPagesTests {
    typealias Browser = AccountPagesTests.Browser

    @Test("CSV: quotes, doubled quotes, line breaks in fields, CRLF, blank lines, a last line without a break")
    func parsesCSV() throws {
        let rows = try CSV.parse("a,\"b, c\",\"say \"\"hi\"\"\"\r\n\r\n\"two\nlines\",x\nlast,")
        #expect(rows.map(\.fields) == [["a", "b, c", "say \"hi\""], ["two\nlines", "x"], ["last", ""]])
        #expect(rows.map(\.line) == [1, 3, 5])
        #expect(CSV.render(rows.map(\.fields)) == "a,\"b, c\",\"say \"\"hi\"\"\"\n\"two\nlines\",x\nlast,\n")
        #expect(try CSV.parse("").isEmpty)
    }

    @Test(
        "CSV: damaged files are refused with their line",
        arguments: [
            ("ok\n\"never closed\n", 2, "never closed"), ("ok\nab\"c\n", 2, "quote inside"),
            ("\"a\"b\n", 1, "after a closing"),
        ]
    )
    func refusesDamagedCSV(text: String, line: Int, reason: String) {
        #expect(throws: CSV.ParseError.self) { try CSV.parse(text) }
        do {
            _ = try CSV.parse(text)
        } catch {
            #expect(error.line == line)
            #expect(error.reason.contains(reason))
        }
    }

    /// Uploads `csv` as a `type` import on the page.
    static func upload(_ browser: Browser, _ csv: String, type: String, mode: String = "merge", csrf: String? = nil)
        async throws -> TestResponse
    {
        try await browser.get("/settings/import")
        let body = TestImages.multipart(
            file: Data(csv.utf8),
            filename: "\(type).csv",
            type: "text/csv",
            fields: [
                ("authenticity_token", csrf ?? browser.cookies["_tern_csrf"] ?? ""), ("type", type), ("mode", mode),
            ],
            fileField: "data"
        )
        var headers = cookieHeaders(browser.cookies)
        headers[.contentType] = "multipart/form-data; boundary=\(TestImages.boundary)"
        return try await browser.client.execute(uri: "/settings/import", method: .post, headers: headers, body: body)
    }

    @Test(
        "imports merge and overwrite follows, blocks, mutes, lists and bookmarks, and report failures",
        arguments: TestDatabase.available
    )
    func importFlow(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let (_, aliceToken) = try await t.account("alice", password: AccountPagesTests.password)
            let bob = try await t.user("bob")
            let carol = try await t.user("carol")
            let dave = try await t.user("dave")
            try await t.client { client in
                let api = SocialAPI(client)
                let browser = Browser(client)
                _ = try await browser.signIn("alice", AccountPagesTests.password)

                let following = """
                    Account address,Show boosts,Notify on new posts,Languages
                    bob@tern.test,false,true,"en, de"
                    @carol
                    nobody@tern.test,true,false,

                    """
                #expect(try await Self.upload(browser, following, type: "following").status == .seeOther)
                try await t.jobs.drain()
                let page = try await browser.get("/settings/import")
                #expect(page.text.contains("finished, 3 of 3 rows, 2 imported, 1 failed"))
                #expect(page.text.contains("nobody@tern.test: no such account"))
                let toBob = try await api.relationship(bob.id, aliceToken)
                #expect(toBob["following"] as? Bool == true)
                #expect(toBob["showing_reblogs"] as? Bool == false)
                #expect(toBob["notifying"] as? Bool == true)
                #expect(toBob["languages"] as? [String] == ["en", "de"])
                #expect(try await api.relationship(carol.id, aliceToken)["following"] as? Bool == true)

                // Overwrite keeps only what the file lists.
                #expect(try await Self.upload(browser, "dave@tern.test\n", type: "blocks").status == .seeOther)
                try await t.jobs.drain()
                #expect(try await api.relationship(dave.id, aliceToken)["blocking"] as? Bool == true)
                #expect(
                    try await Self.upload(browser, "carol@tern.test\n", type: "blocks", mode: "overwrite").status
                        == .seeOther
                )
                let domains = "spam.example\nSPAM2.example\n"
                #expect(try await Self.upload(browser, domains, type: "domain_blocks").status == .seeOther)
                try await t.jobs.drain()
                #expect(try await api.relationship(dave.id, aliceToken)["blocking"] as? Bool == false)
                #expect(try await api.relationship(carol.id, aliceToken)["blocking"] as? Bool == true)

                let mutes = "Account address,Hide notifications\nbob@tern.test,false\n"
                #expect(try await Self.upload(browser, mutes, type: "mutes").status == .seeOther)
                let post = try await api.status(bob.token, "keep me")
                let bookmarks = "http://tern.test/users/bob/statuses/\(post)\n"
                #expect(try await Self.upload(browser, bookmarks, type: "bookmarks").status == .seeOther)
                #expect(
                    try await Self.upload(browser, "\"Close, friends\",bob@tern.test\n", type: "lists").status
                        == .seeOther
                )
                try await t.jobs.drain()
                let muted = try await api.relationship(bob.id, aliceToken)
                #expect(muted["muting"] as? Bool == true && muted["muting_notifications"] as? Bool == false)
                #expect(try await api.ids("/api/v1/bookmarks", aliceToken) == [post])
                let lists = try await api.get("/api/v1/lists", aliceToken).jsonArray
                #expect(lists.map { $0["title"] as? String } == ["Close, friends"])
                let listID = try #require(lists.first?["id"] as? String)
                #expect(try await api.ids("/api/v1/lists/\(listID)/accounts", aliceToken) == [bob.id])
                let blockedDomains = try await api.get("/api/v1/domain_blocks", aliceToken)
                #expect(
                    Set(try JSONDecoder().decode([String].self, from: Data(buffer: blockedDomains.body))) == [
                        "spam.example", "spam2.example",
                    ]
                )
            }
        }
    }

    @Test("bad files and forms are refused with the line and store nothing", arguments: TestDatabase.available)
    func refusals(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            _ = try await t.account("alice", password: AccountPagesTests.password)
            _ = try await t.user("bob")
            try await t.client { client in
                let browser = Browser(client)
                _ = try await browser.signIn("alice", AccountPagesTests.password)
                let cases: [(csv: String, type: String, message: String)] = [
                    ("bob@tern.test\n\"broken,\n", "following", "Line 2: a quoted field is never closed"),
                    ("not an address!\n", "blocks", "Line 1: “not an address!” is not an account address"),
                    ("bob@tern.test,perhaps\n", "mutes", "Line 1: “perhaps” is not true or false"),
                    ("bob@tern.test,true,false,klingon!\n", "following", "is not a list of language codes"),
                    ("Friends\n", "lists", "Line 1: expected 2 columns, found 1"),
                    ("javascript:alert(1)\n", "bookmarks", "is not a post&#39;s address"),
                    ("Account address,Show boosts\n", "following", "The file has no rows to import"),
                    ("not a domain!\n", "domain_blocks", "Line 1: “not a domain!” is not a domain name"),
                    ("bob@tern.test\n", "passwords", "Choose what the file holds"),
                ]
                for (csv, type, message) in cases {
                    let response = try await Self.upload(browser, csv, type: type)
                    #expect(response.status == .unprocessableContent, "\(csv)")
                    #expect(response.text.contains(message), "\(csv): \(response.text)")
                }
                let forged = try await Self.upload(browser, "bob@tern.test\n", type: "blocks", csrf: "forged")
                #expect(forged.status == .forbidden)
                var tooMany = ""
                for index in 0...ImportProcessor.maxRows { tooMany += "user\(index)@example.org\n" }
                let large = try await Self.upload(browser, tooMany, type: "blocks")
                #expect(large.status == .unprocessableContent)
                #expect(large.text.contains("at most 20000"))
                #expect(try await browser.get("/settings/import").text.contains("Recent imports") == false)
                #expect(try await t.jobs.drain() == 0)
            }
        }
    }
}
