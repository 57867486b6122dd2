import App
import Core
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing
import TwoFactor

/// Two-factor sign-in through the pages: set-up with a QR code, sign-in with a code from the app
/// (under a clock the test moves), recovery codes, replays, wrong codes, and turning it off.
@Suite struct TwoFactorPagesTests {
    typealias Browser = AccountPagesTests.Browser
    static let password = AccountPagesTests.password

    /// Sets up two-factor for a signed-in browser; returns the app's generator and the recovery codes.
    static func enable(_ browser: Browser, clock: TestClock) async throws -> (TOTP, [String]) {
        let off = try await browser.get("/settings/two_factor")
        #expect(off.text.contains("Two-factor authentication is off"))
        let started = try await browser.post("/settings/two_factor/setup", [])
        #expect(started.status == .seeOther)
        let page = try await browser.get("/settings/two_factor")
        #expect(page.text.contains("<svg"))
        #expect(page.text.contains("aria-label=\"QR code to scan with your authenticator app\""))
        let secret = try #require(
            page.text.components(separatedBy: "<code class=\"secret\">").dropFirst().first?
                .components(separatedBy: "</code>").first
        )
        let totp = try #require(TOTP(base32: secret))
        let wrong = try await browser.post("/settings/two_factor/confirm", [("code", "000000")])
        #expect(wrong.status == .unprocessableContent)
        let confirmed = try await browser.post(
            "/settings/two_factor/confirm",
            [("code", totp.code(at: clock.clock.now()))]
        )
        #expect(confirmed.status == .ok)
        let codes = confirmed.text.components(separatedBy: "<li><code>").dropFirst()
            .compactMap { $0.components(separatedBy: "</code>").first }
        #expect(codes.count == 10)
        return (totp, codes)
    }

    /// Password then code; returns the final response.
    static func signIn(_ browser: Browser, code: String) async throws -> TestResponse {
        let first = try await browser.signIn("alice", Self.password)
        #expect(first.status == .ok)
        #expect(first.text.contains("action=\"/auth/sign_in/two_factor\""))
        #expect(browser.cookies["_tern_session"] == nil || browser.cookies["_tern_session"] == "")
        return try await browser.post("/auth/sign_in/two_factor", [("code", code), ("return_to", "/settings")])
    }

    @Test(arguments: TestDatabase.available)
    func signInNeedsTheCodeOnceTwoFactorIsOn(_ database: TestDatabase) async throws {
        let clock = TestClock()
        try await TestApp.run(database, clock: clock.clock) { app in
            _ = try await app.account("alice")
            try await app.client { client in
                let owner = Browser(client)
                _ = try await owner.signIn("alice", Self.password)
                let (totp, codes) = try await Self.enable(owner, clock: clock)
                #expect(try await owner.get("/settings/two_factor").text.contains("Two-factor authentication is on"))

                // A password alone no longer signs in; the current code does, once.
                clock.advance(by: 60)
                let stranger = Browser(client)
                let code = totp.code(at: clock.clock.now())
                let signedIn = try await Self.signIn(stranger, code: code)
                #expect(signedIn.status == .seeOther)
                #expect(signedIn.headers[.location] == "/settings")
                #expect(stranger.cookies["_tern_session"]?.isEmpty == false)

                let replay = Browser(client)
                let replayed = try await Self.signIn(replay, code: code)
                #expect(replayed.status == .unauthorized)
                #expect(replayed.text.contains("Invalid two-factor code"))

                // A recovery code works once, typed loosely.
                let recovered = try await Self.signIn(Browser(client), code: codes[0].uppercased())
                #expect(recovered.status == .seeOther)
                let again = try await Self.signIn(Browser(client), code: codes[0])
                #expect(again.status == .unauthorized)
                #expect(try await owner.get("/settings/two_factor").text.contains("9 unused recovery codes"))

                // The code step before and after is accepted (clock drift), two steps away is not.
                clock.advance(by: 300)
                let late = try await Self.signIn(
                    Browser(client),
                    code: totp.code(at: clock.clock.now().addingTimeInterval(-60))
                )
                #expect(late.status == .unauthorized)
                let drift = try await Self.signIn(
                    Browser(client),
                    code: totp.code(at: clock.clock.now().addingTimeInterval(-30))
                )
                #expect(drift.status == .seeOther)
            }
        }
    }

    @Test func fiveWrongCodesEndTheChallengeAndItExpires() async throws {
        let clock = TestClock()
        try await TestApp.run(clock: clock.clock) { app in
            _ = try await app.account("alice")
            try await app.client { client in
                let owner = Browser(client)
                _ = try await owner.signIn("alice", Self.password)
                let (totp, _) = try await Self.enable(owner, clock: clock)
                clock.advance(by: 60)
                let attacker = Browser(client)
                _ = try await attacker.signIn("alice", Self.password)
                for guess in ["111111", "222222", "333333", "444444"] {
                    let wrong = try await attacker.post("/auth/sign_in/two_factor", [("code", guess)])
                    #expect(wrong.text.contains("Invalid two-factor code"))
                }
                let fifth = try await attacker.post("/auth/sign_in/two_factor", [("code", "555555")])
                #expect(fifth.text.contains("Too many wrong codes"))
                let right = try await attacker.post(
                    "/auth/sign_in/two_factor",
                    [("code", totp.code(at: clock.clock.now()))]
                )
                #expect(right.status == .unauthorized)
                #expect(attacker.cookies["_tern_session"] == nil)

                // A challenge lasts five minutes.
                let slow = Browser(client)
                _ = try await slow.signIn("alice", Self.password)
                clock.advance(by: 301)
                let expired = try await slow.post(
                    "/auth/sign_in/two_factor",
                    [("code", totp.code(at: clock.clock.now()))]
                )
                #expect(expired.status == .unauthorized)
                #expect(expired.text.contains("took too long"))
                // Without a challenge cookie at all, a code alone does nothing.
                let bare = Browser(client)
                try await bare.get("/auth/sign_in")
                let noChallenge = try await bare.post(
                    "/auth/sign_in/two_factor",
                    [("code", totp.code(at: clock.clock.now()))]
                )
                #expect(noChallenge.status == .unauthorized)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func thePasswordGrantIsRefusedAndTurningOffNeedsThePassword(_ database: TestDatabase) async throws {
        let clock = TestClock()
        try await TestApp.run(database, clock: clock.clock) { app in
            _ = try await app.account("alice")
            try await app.client { client in
                let owner = Browser(client)
                _ = try await owner.signIn("alice", Self.password)
                _ = try await Self.enable(owner, clock: clock)
                await #expect(throws: (any Error).self) {
                    _ = try await app.token(login: "alice", password: Self.password, scopes: "read")
                }
                let wrong = try await owner.post(
                    "/settings/two_factor/disable",
                    [("current_password", "not it at all")]
                )
                #expect(wrong.status == .unprocessableContent)
                let fresh = try await owner.post(
                    "/settings/two_factor/recovery_codes",
                    [("current_password", Self.password)]
                )
                #expect(fresh.status == .ok)
                #expect(fresh.text.contains("the earlier ones no longer work"))
                let off = try await owner.post("/settings/two_factor/disable", [("current_password", Self.password)])
                #expect(off.status == .seeOther)
                #expect(try await owner.signIn("alice", Self.password).status == .seeOther)
                _ = try await app.token(login: "alice", password: Self.password, scopes: "read")
                // Forged forms change nothing.
                let forged = try await owner.post("/settings/two_factor/setup", [], csrf: "forged")
                #expect(forged.status == .forbidden)
                #expect(try await owner.get("/settings/two_factor").text.contains("Set up"))
            }
        }
    }
}
