import App
import Core
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Mail
import Storage
import TestSupport
import Testing

/// Sign-up, confirmation, password reset and the settings pages, driven as a browser drives them:
/// GET the form, keep its cookies, POST it back with the CSRF token.
@Suite struct AccountPagesTests {
    static let password = "correct horse 1"

    /// A browser's cookie jar and the CSRF token of the last page.
    final class Browser: @unchecked Sendable {
        let client: any TestClientProtocol
        var cookies: [String: String] = [:]

        init(_ client: any TestClientProtocol) { self.client = client }

        @discardableResult
        func get(_ uri: String) async throws -> TestResponse {
            let response = try await self.client.execute(uri: uri, method: .get, headers: cookieHeaders(self.cookies))
            self.cookies.merge(setCookies(response)) { _, new in new }
            return response
        }

        /// Posts a form with the CSRF cookie's token (or `csrf` when given).
        @discardableResult
        func post(_ uri: String, _ fields: [(String, String)], csrf: String? = nil) async throws -> TestResponse {
            let token = csrf ?? self.cookies["_tern_csrf"] ?? ""
            let response = try await self.client.execute(
                uri: uri,
                method: .post,
                headers: cookieHeaders(self.cookies, form: true),
                body: formBody([("authenticity_token", token)] + fields)
            )
            self.cookies.merge(setCookies(response)) { _, new in new }
            return response
        }

        /// Signs in through the sign-in page.
        func signIn(_ login: String, _ password: String) async throws -> TestResponse {
            try await self.get("/auth/sign_in")
            return try await self.post("/auth/sign_in", [("username", login), ("password", password)])
        }
    }

    static func signUpFields(
        _ username: String,
        email: String? = nil,
        password: String = Self.password,
        confirmation: String? = nil,
        agreement: Bool = true
    ) -> [(String, String)] {
        var fields = [
            ("username", username), ("email", email ?? "\(username)@example.org"), ("password", password),
            ("password_confirmation", confirmation ?? password),
        ]
        if agreement { fields.append(("agreement", "1")) }
        return fields
    }

    // MARK: Sign-up and confirmation

    @Test(arguments: TestDatabase.available)
    func signUpWithMailNeedsTheConfirmationLink(_ database: TestDatabase) async throws {
        let mail = RecordingMailTransport()
        try await TestApp.run(database, mail: mail) { app in
            try await app.client { client in
                let browser = Browser(client)
                let form = try await browser.get("/auth/sign_up")
                #expect(form.status == .ok)
                #expect(form.text.contains("name=\"authenticity_token\""))
                let created = try await browser.post("/auth/sign_up", Self.signUpFields("newbie"))
                #expect(created.status == .ok)
                #expect(created.text.contains("confirmation link"))
                #expect(browser.cookies["_tern_session"] == nil)

                // Not confirmed: signing in is refused with the reason.
                let refused = try await browser.signIn("newbie", Self.password)
                #expect(refused.status == .unauthorized)
                #expect(refused.text.contains("missing a confirmed e-mail address"))

                // The mail is sent by a job, with a one-time link.
                #expect(mail.sent.isEmpty)
                try await app.jobs.drain()
                let message = try #require(mail.sent.last)
                #expect(message.to.map(\.address) == ["newbie@example.org"])
                #expect(message.from.address == "tern@tern.test")
                let link = try #require(mail.link(to: "newbie@example.org", containing: "/auth/confirmation"))
                let path = String(link.dropFirst("http://tern.test".count))
                let confirmed = try await browser.get(path)
                #expect(confirmed.status == .ok)
                #expect(confirmed.text.contains("confirmed"))
                // A link works once.
                let again = try await browser.get(path)
                #expect(again.status == .unprocessableContent)

                let signedIn = try await browser.signIn("newbie", Self.password)
                #expect(signedIn.status == .seeOther)
                #expect(browser.cookies["_tern_session"]?.isEmpty == false)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func signUpWithoutMailSignsInAtOnce(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { app in
            try await app.client { client in
                let browser = Browser(client)
                try await browser.get("/auth/sign_up")
                let created = try await browser.post("/auth/sign_up", Self.signUpFields("quick"))
                #expect(created.status == .seeOther)
                #expect(created.headers[.location] == "/web/home")
                #expect(browser.cookies["_tern_session"]?.isEmpty == false)
                let settings = try await browser.get("/settings/profile")
                #expect(settings.status == .ok)
                #expect(settings.text.contains("@") || settings.text.contains("quick"))
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func signUpRefusesBadInputAndStoresNothing(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { app in
            _ = try await app.account("taken")
            try await app.client { client in
                let browser = Browser(client)
                try await browser.get("/auth/sign_up")
                let cases: [([(String, String)], String)] = [
                    (Self.signUpFields("taken"), "has already been taken"),
                    (Self.signUpFields("bad name!"), "only letters, numbers and underscores"),
                    (Self.signUpFields("shorty", password: "short"), "too short"),
                    (Self.signUpFields("mismatch", confirmation: "something else"), "do not match"),
                    (Self.signUpFields("noagree", agreement: false), "must be accepted"),
                    (Self.signUpFields("bademail", email: "not-an-address"), "is invalid"),
                    (Self.signUpFields("<script>x</script>"), "only letters"),
                ]
                for (fields, message) in cases {
                    let response = try await browser.post("/auth/sign_up", fields)
                    #expect(response.status == .unprocessableContent, "\(fields)")
                    #expect(response.text.contains(message), "\(message)")
                    #expect(!response.text.contains("<script>x"))
                }
                // Without the CSRF token: refused before anything is read.
                let forged = try await browser.post("/auth/sign_up", Self.signUpFields("forged"), csrf: "x")
                #expect(forged.status == .forbidden)
                let accounts = try await app.processor.admin.listAccounts().map(\.0.username)
                #expect(accounts == ["taken"])
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func approvalModeAsksForAReasonAndWaits(_ database: TestDatabase) async throws {
        let approval: @Sendable (inout AppConfig) -> Void = { $0.instance.registrations = .approval }
        try await TestApp.run(database, configure: approval) { app in
            try await app.client { client in
                let browser = Browser(client)
                let form = try await browser.get("/auth/sign_up")
                #expect(form.text.contains("name=\"reason\""))
                let missing = try await browser.post("/auth/sign_up", Self.signUpFields("hopeful"))
                #expect(missing.status == .unprocessableContent)
                #expect(missing.text.contains("Reason"))
                let created = try await browser.post(
                    "/auth/sign_up",
                    Self.signUpFields("hopeful") + [("reason", "I live nearby")]
                )
                #expect(created.status == .ok)
                #expect(created.text.contains("administrator"))
                let refused = try await browser.signIn("hopeful", Self.password)
                #expect(refused.text.contains("pending approval"))
            }
        }
    }

    @Test(arguments: [RegistrationMode.closed, .invite])
    func closedModesShowNoForm(_ mode: RegistrationMode) async throws {
        let setMode: @Sendable (inout AppConfig) -> Void = { $0.instance.registrations = mode }
        try await TestApp.run(configure: setMode) { app in
            try await app.client { client in
                let browser = Browser(client)
                let page = try await browser.get("/auth/sign_up")
                #expect(page.status == .forbidden)
                #expect(!page.text.contains("action=\"/auth/sign_up\""))
                let posted = try await browser.post("/auth/sign_up", Self.signUpFields("sneaky"))
                #expect(posted.status == .forbidden)
                #expect(try await app.processor.admin.listAccounts().isEmpty)
            }
        }
    }

    @Test func resendSendsANewLinkAndTheOldOneStopsWorking() async throws {
        let mail = RecordingMailTransport()
        try await TestApp.run(mail: mail) { app in
            try await app.client { client in
                let browser = Browser(client)
                try await browser.get("/auth/sign_up")
                try await browser.post("/auth/sign_up", Self.signUpFields("forgetful"))
                try await app.jobs.drain()
                let first = try #require(mail.link(to: "forgetful@example.org", containing: "/auth/confirmation"))
                try await browser.get("/auth/confirmation/new")
                let answer = try await browser.post("/auth/confirmation/new", [("email", "forgetful@example.org")])
                #expect(answer.status == .ok)
                // An unknown address gets the same answer and no mail.
                let unknown = try await browser.post("/auth/confirmation/new", [("email", "nobody@example.org")])
                #expect(unknown.text == answer.text)
                try await app.jobs.drain()
                #expect(mail.sent.count == 2)
                let second = try #require(mail.link(to: "forgetful@example.org", containing: "/auth/confirmation"))
                #expect(first != second)
                #expect(try await browser.get(String(first.dropFirst(16))).status == .unprocessableContent)
                #expect(try await browser.get(String(second.dropFirst(16))).status == .ok)
            }
        }
    }

    @Test func confirmationLinksExpireAfterTwoDays() async throws {
        let mail = RecordingMailTransport()
        let clock = TestClock()
        try await TestApp.run(clock: clock.clock, mail: mail) { app in
            try await app.client { client in
                let browser = Browser(client)
                try await browser.get("/auth/sign_up")
                try await browser.post("/auth/sign_up", Self.signUpFields("slow"))
                try await app.jobs.drain()
                let link = try #require(mail.link(to: "slow@example.org", containing: "/auth/confirmation"))
                clock.advance(by: 2 * 86_400 + 60)
                #expect(try await browser.get(String(link.dropFirst(16))).status == .unprocessableContent)
                let tampered = try await browser.get(
                    "/auth/confirmation?confirmation_token=" + String(repeating: "a", count: 43)
                )
                #expect(tampered.status == .unprocessableContent)
            }
        }
    }

    // MARK: Password reset

    @Test(arguments: TestDatabase.available)
    func passwordResetByMailSignsOutEverywhere(_ database: TestDatabase) async throws {
        let mail = RecordingMailTransport()
        try await TestApp.run(database, mail: mail) { app in
            let (_, token) = try await app.account("alice")
            try await app.client { client in
                let browser = Browser(client)
                try await browser.get("/auth/password/new")
                let asked = try await browser.post("/auth/password/new", [("email", "ALICE@example.org")])
                #expect(asked.status == .ok)
                let unknown = try await browser.post("/auth/password/new", [("email", "nobody@example.org")])
                #expect(unknown.text == asked.text)
                try await app.jobs.drain()
                #expect(mail.sent.count == 1)
                let link = try #require(mail.link(to: "alice@example.org", containing: "/auth/password/edit"))
                let token = try #require(URLComponents(string: link)?.queryItems?.first?.value)
                let form = try await browser.get(String(link.dropFirst(16)))
                #expect(form.status == .ok)
                #expect(form.text.contains("value=\"\(token)\""))

                let short = try await browser.post(
                    "/auth/password/edit",
                    [("reset_password_token", token), ("password", "short"), ("password_confirmation", "short")]
                )
                #expect(short.status == .unprocessableContent)
                let done = try await browser.post(
                    "/auth/password/edit",
                    [
                        ("reset_password_token", token), ("password", "a brand new one"),
                        ("password_confirmation", "a brand new one"),
                    ]
                )
                #expect(done.status == .ok)
                let reused = try await browser.post(
                    "/auth/password/edit",
                    [
                        ("reset_password_token", token), ("password", "yet another 1"),
                        ("password_confirmation", "yet another 1"),
                    ]
                )
                #expect(reused.status == .unprocessableContent)
                #expect(reused.text.contains("invalid, expired or already used"))

                #expect(try await browser.signIn("alice", Self.password).status == .unauthorized)
                #expect(try await browser.signIn("alice", "a brand new one").status == .seeOther)
            }
            // The app token from before the reset no longer works.
            try await app.client { client in
                let response = try await client.execute(
                    uri: "/api/v1/accounts/verify_credentials",
                    method: .get,
                    headers: .bearer(token)
                )
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func withoutMailThereIsNoResetPage() async throws {
        try await TestApp.run { app in
            try await app.client { client in
                let browser = Browser(client)
                let page = try await browser.get("/auth/password/new")
                #expect(page.status == .notFound)
                let signIn = try await browser.get("/auth/sign_in")
                #expect(!signIn.text.contains("/auth/password/new"))
            }
        }
    }

    @Test func aTransientMailFailureIsRetriedAndAPermanentOneDropped() async throws {
        let mail = RecordingMailTransport()
        let clock = TestClock()
        try await TestApp.run(clock: clock.clock, mail: mail) { app in
            _ = try await app.account("alice")
            mail.failNext(.transient("421 try later"))
            try await app.processor.credentials.requestPasswordReset(email: "alice@example.org")
            try await app.jobs.drain()
            #expect(mail.sent.isEmpty)
            clock.advance(by: 3600)
            try await app.jobs.drain()
            #expect(mail.sent.count == 1)

            mail.failNext(.permanent("550 no such user"))
            try await app.processor.credentials.requestPasswordReset(email: "alice@example.org")
            try await app.jobs.drain()
            clock.advance(by: 3600)
            try await app.jobs.drain()
            #expect(mail.sent.count == 1)
            let pending = try await app.db.read { try await $0.pendingJobCounts() }
            #expect(pending["send_mail"] == nil)
        }
    }

    // MARK: Settings

    @Test(arguments: TestDatabase.available)
    func settingsNeedASession(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { app in
            try await app.client { client in
                let browser = Browser(client)
                for path in [
                    "/settings/profile", "/settings/preferences", "/settings/account", "/oauth/authorized_applications",
                ] {
                    let page = try await browser.get(path)
                    #expect(page.status == .found, "\(path)")
                    #expect(page.headers[.location]?.hasPrefix("/auth/sign_in?return_to=") == true)
                }
                try await browser.get("/auth/sign_in")
                let post = try await browser.post("/settings/profile", [("display_name", "Nobody")])
                #expect(post.status == .found)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func profileEditingEscapesAndValidates(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { app in
            _ = try await app.account("alice")
            try await app.client { client in
                let browser = Browser(client)
                #expect(try await browser.signIn("alice", Self.password).status == .seeOther)
                let page = try await browser.get("/settings/profile")
                #expect(page.status == .ok)
                let hostile = "<img src=x onerror=alert(1)>"
                let saved = try await browser.post(
                    "/settings/profile",
                    [
                        ("display_name", "Alice \"A\""), ("note", "Bio with \(hostile)"), ("locked", "1"),
                        ("field_name_0", "Site"), ("field_value_0", "https://alice.example"),
                    ]
                )
                #expect(saved.status == .seeOther)
                let view = try await app.processor.accounts.lookup(acct: "alice", resolve: false)
                #expect(view.account.displayName == "Alice \"A\"")
                #expect(view.account.locked)
                #expect(!view.account.bot)
                #expect(view.account.fields.map(\.value) == ["https://alice.example"])
                let again = try await browser.get("/settings/profile?saved=1")
                #expect(again.text.contains("&lt;img src=x onerror=alert(1)&gt;"))
                #expect(!again.text.contains(hostile))
                #expect(again.text.contains("is saved"))

                let tooLong = try await browser.post(
                    "/settings/profile",
                    [("display_name", String(repeating: "x", count: 31)), ("note", "changed")]
                )
                #expect(tooLong.status == .unprocessableContent)
                #expect(tooLong.text.contains("too long"))
                let unchanged = try await app.processor.accounts.lookup(acct: "alice", resolve: false)
                #expect(unchanged.account.note == "Bio with \(hostile)")

                let forged = try await browser.post("/settings/profile", [("display_name", "Forged")], csrf: "nope")
                #expect(forged.status == .forbidden)
                #expect(
                    try await app.processor.accounts.lookup(acct: "alice", resolve: false).account.displayName
                        == "Alice \"A\""
                )
            }
        }
    }

    @Test func profilePicturesUploadFromTheForm() async throws {
        try await TestApp.run { app in
            _ = try await app.account("alice")
            try await app.client { client in
                let browser = Browser(client)
                _ = try await browser.signIn("alice", Self.password)
                try await browser.get("/settings/profile")
                let body = TestImages.multipart(
                    file: TestImages.png(width: 64, height: 64),
                    filename: "me.png",
                    fields: [("authenticity_token", browser.cookies["_tern_csrf"] ?? ""), ("display_name", "Al")],
                    fileField: "avatar"
                )
                var headers = cookieHeaders(browser.cookies)
                headers[.contentType] = "multipart/form-data; boundary=\(TestImages.boundary)"
                let response = try await client.execute(
                    uri: "/settings/profile",
                    method: .post,
                    headers: headers,
                    body: body
                )
                #expect(response.status == .seeOther)
                let account = try await app.processor.accounts.lookup(acct: "alice", resolve: false).account
                #expect(account.avatarKey != nil)
                #expect(account.displayName == "Al")

                let bad = TestImages.multipart(
                    file: Data("not an image".utf8),
                    filename: "x.png",
                    fields: [("authenticity_token", browser.cookies["_tern_csrf"] ?? ""), ("display_name", "Changed")],
                    fileField: "header"
                )
                let refused = try await client.execute(
                    uri: "/settings/profile",
                    method: .post,
                    headers: headers,
                    body: bad
                )
                #expect(refused.status == .unprocessableContent)
                #expect(
                    try await app.processor.accounts.lookup(acct: "alice", resolve: false).account.displayName == "Al"
                )
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func preferencesAreSavedAndChecked(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { app in
            let (_, token) = try await app.account("alice")
            try await app.client { client in
                let browser = Browser(client)
                _ = try await browser.signIn("alice", Self.password)
                try await browser.get("/settings/preferences")
                let saved = try await browser.post(
                    "/settings/preferences",
                    [("default_visibility", "private"), ("default_language", "de"), ("default_sensitive", "1")]
                )
                #expect(saved.status == .seeOther)
                let prefs = try await client.execute(uri: "/api/v1/preferences", method: .get, headers: .bearer(token))
                #expect(prefs.json["posting:default:visibility"] as? String == "private")
                #expect(prefs.json["posting:default:language"] as? String == "de")
                #expect(prefs.json["posting:default:sensitive"] as? Bool == true)
                for bad in [("default_visibility", "direct"), ("default_visibility", "everyone")] {
                    let refused = try await browser.post("/settings/preferences", [bad, ("default_language", "")])
                    #expect(refused.status == .unprocessableContent)
                }
                let badLanguage = try await browser.post(
                    "/settings/preferences",
                    [("default_visibility", "public"), ("default_language", "<x>")]
                )
                #expect(badLanguage.status == .unprocessableContent)
                let still = try await client.execute(uri: "/api/v1/preferences", method: .get, headers: .bearer(token))
                #expect(still.json["posting:default:visibility"] as? String == "private")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func passwordChangeNeedsTheCurrentOneAndEndsOtherSessions(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { app in
            _ = try await app.account("alice")
            try await app.client { client in
                let mine = Browser(client)
                let other = Browser(client)
                _ = try await mine.signIn("alice", Self.password)
                _ = try await other.signIn("alice", Self.password)
                try await mine.get("/settings/account")
                let wrong = try await mine.post(
                    "/settings/account/password",
                    [
                        ("current_password", "wrong one!"), ("password", "new password 1"),
                        ("password_confirmation", "new password 1"),
                    ]
                )
                #expect(wrong.status == .unprocessableContent)
                #expect(wrong.text.contains("Current password is invalid"))
                let changed = try await mine.post(
                    "/settings/account/password",
                    [
                        ("current_password", Self.password), ("password", "new password 1"),
                        ("password_confirmation", "new password 1"),
                    ]
                )
                #expect(changed.status == .seeOther)
                #expect(try await mine.get("/settings/account").status == .ok)
                #expect(try await other.get("/settings/account").status == .found)
                #expect(try await other.signIn("alice", "new password 1").status == .seeOther)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func emailChangeWaitsForTheNewAddress(_ database: TestDatabase) async throws {
        let mail = RecordingMailTransport()
        try await TestApp.run(database, mail: mail) { app in
            _ = try await app.account("alice")
            _ = try await app.account("bob")
            try await app.client { client in
                let browser = Browser(client)
                _ = try await browser.signIn("alice", Self.password)
                try await browser.get("/settings/account")
                let taken = try await browser.post(
                    "/settings/account/email",
                    [("email", "bob@example.org"), ("current_password", Self.password)]
                )
                #expect(taken.status == .unprocessableContent)
                let wrong = try await browser.post(
                    "/settings/account/email",
                    [("email", "alice@new.example"), ("current_password", "wrong pass")]
                )
                #expect(wrong.status == .unprocessableContent)
                let asked = try await browser.post(
                    "/settings/account/email",
                    [("email", "alice@new.example"), ("current_password", Self.password)]
                )
                #expect(asked.status == .seeOther)
                let page = try await browser.get("/settings/account?done=email_sent")
                #expect(page.text.contains("alice@new.example"))
                try await app.jobs.drain()
                // The old address is told, the new one gets the link.
                #expect(Set(mail.sent.flatMap { $0.to.map(\.address) }) == ["alice@example.org", "alice@new.example"])
                #expect(
                    try await app.processor.admin.listAccounts().first { $0.0.username == "alice" }?.1.email
                        == "alice@example.org"
                )
                let link = try #require(mail.link(to: "alice@new.example", containing: "/auth/confirmation"))
                #expect(try await browser.get(String(link.dropFirst(16))).status == .ok)
                #expect(
                    try await app.processor.admin.listAccounts().first { $0.0.username == "alice" }?.1.email
                        == "alice@new.example"
                )
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func authorizedAppsAreListedAndRevoked(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { app in
            let (_, token) = try await app.account("alice")
            let (_, bobToken) = try await app.account("bob")
            try await app.client { client in
                let browser = Browser(client)
                _ = try await browser.signIn("alice", Self.password)
                let page = try await browser.get("/oauth/authorized_applications")
                #expect(page.status == .ok)
                #expect(page.text.contains("<h2>test</h2>"))
                let ids = page.text.components(separatedBy: "/oauth/authorized_applications/").dropFirst()
                    .compactMap { $0.split(separator: "/").first.map(String.init) }
                #expect(ids.count == 1)
                let id = try #require(ids.first)
                // Someone else's app id (bob's test app) is not alice's to revoke.
                let bobApps = try await app.processor.oauth.authorizedApplications(
                    of: try #require(try await app.processor.admin.listAccounts().first { $0.0.username == "bob" }?.1)
                )
                let bobApp = String(try #require(bobApps.first).application.id.rawValue)
                let notMine = try await browser.post("/oauth/authorized_applications/\(bobApp)/revoke", [])
                #expect(notMine.status == .notFound)
                let revoked = try await browser.post("/oauth/authorized_applications/\(id)/revoke", [])
                #expect(revoked.status == .seeOther)
                let after = try await browser.get("/oauth/authorized_applications?revoked=1")
                #expect(after.text.contains("No app has access"))
                let api = try await client.execute(
                    uri: "/api/v1/accounts/verify_credentials",
                    method: .get,
                    headers: .bearer(token)
                )
                #expect(api.status == .unauthorized)
                let bobs = try await client.execute(
                    uri: "/api/v1/accounts/verify_credentials",
                    method: .get,
                    headers: .bearer(bobToken)
                )
                #expect(bobs.status == .ok)
            }
        }
    }
}
