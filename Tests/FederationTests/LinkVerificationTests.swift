import Core
import Foundation
import TestSupport
import Testing

/// Profile links verified by a page that links back with `rel="me"`: here each instance's public
/// profile page is that page (profile field links carry `rel="me"`).
@Suite struct LinkVerificationTests {
    static func setFields(_ api: SocialAPI, _ token: String, _ fields: [(String, String)]) async throws {
        var pairs: [(String, String)] = []
        for (index, field) in fields.enumerated() {
            pairs.append(("fields_attributes[\(index)][name]", field.0))
            pairs.append(("fields_attributes[\(index)][value]", field.1))
        }
        let response = try await api.client.execute(
            uri: "/api/v1/accounts/update_credentials",
            method: .patch,
            headers: .bearer(token, contentType: "application/x-www-form-urlencoded"),
            body: formBody(pairs)
        )
        guard response.status == .ok else { throw TestFailure("update answered \(response.status): \(response.text)") }
    }

    static func verified(_ account: [String: Any]) -> [String: Bool] {
        var result: [String: Bool] = [:]
        for field in account["fields"] as? [[String: Any]] ?? [] {
            result[field["name"] as? String ?? ""] = field["verified_at"] is String
        }
        return result
    }

    @Test(
        "a link to a page with rel=me back is verified, locally and on the other server; others are not",
        arguments: TestDatabase.available
    )
    func verifiesLinksBothWays(db: TestDatabase) async throws {
        try await Pair.run(db) { pair in
            let alice = try await pair.alpha.user("alice")
            let bob = try await pair.beta.user("bob")
            try await Self.setFields(pair.b, bob.token, [("Friend", "http://alpha.test/@alice")])
            try await Self.setFields(
                pair.a,
                alice.token,
                [
                    ("Friend", "http://beta.test/@bob"), ("About", "http://beta.test/about"),
                    ("Text", "just words"), ("Nowhere", "http://nowhere.test/page"),
                ]
            )
            let before = try await pair.a.get("/api/v1/accounts/verify_credentials", alice.token)
            #expect(Self.verified(before.json).values.allSatisfy { !$0 })
            try await pair.settle()
            let after = try await pair.a.get("/api/v1/accounts/verify_credentials", alice.token)
            #expect(Self.verified(after.json) == ["Friend": true, "About": false, "Text": false, "Nowhere": false])
            // The public page marks it.
            let page = try await pair.a.get("/@alice")
            #expect(page.text.contains("verified-mark"))

            // Beta learns alice's profile and checks the same link itself.
            let remoteID = try await pair.b.lookup("alice@alpha.test", bob.token)
            try await pair.settle()
            let remote = try await pair.b.account(remoteID)
            #expect(Self.verified(remote)["Friend"] == true)
            #expect(Self.verified(remote)["About"] == false)

            // Pointing the field elsewhere drops the mark.
            try await Self.setFields(pair.a, alice.token, [("Friend", "http://beta.test/about")])
            try await pair.settle()
            let changed = try await pair.a.get("/api/v1/accounts/verify_credentials", alice.token)
            #expect(Self.verified(changed.json) == ["Friend": false])
        }
    }
}
