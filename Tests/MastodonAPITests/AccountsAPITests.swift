import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@Suite struct CredentialsTests {
    static func update(
        _ client: any TestClientProtocol,
        _ token: String,
        _ pairs: [(String, String)]
    ) async throws -> TestResponse {
        try await client.execute(
            uri: "/api/v1/accounts/update_credentials",
            method: .patch,
            headers: formHeaders(token: token),
            body: formBody(pairs)
        )
    }

    @Test(
        "verify_credentials has source, role and every Account field, with null for empty ones",
        arguments: TestDatabase.available
    )
    func shape(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let (account, token) = try await t.account("alice")
            try await t.client { client in
                let response = try await verifyCredentials(client, token)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let json = response.json
                let keys = [
                    "id", "username", "acct", "display_name", "locked", "bot", "discoverable", "indexable", "group",
                    "created_at", "note", "url", "uri", "avatar", "avatar_static", "header", "header_static",
                    "followers_count", "following_count", "statuses_count", "last_status_at", "hide_collections",
                    "noindex", "emojis", "roles", "fields", "source", "role",
                ]
                for key in keys { #expect(json.keys.contains(key), "missing \(key)") }
                #expect(json["id"] as? String == account.id.description)
                #expect(json["username"] as? String == "alice")
                #expect(json["acct"] as? String == "alice")
                #expect(json["url"] as? String == "http://tern.test/@alice")
                #expect(json["uri"] as? String == "http://tern.test/users/alice")
                #expect(json["last_status_at"] is NSNull)
                #expect(json["display_name"] as? String == "")
                #expect(json["note"] as? String == "")
                #expect(json["statuses_count"] as? Int == 0)
                #expect(json["locked"] as? Bool == false)
                #expect((json["created_at"] as? String)?.hasSuffix("T00:00:00.000Z") == true)
                #expect(json["fields"] as? [Any] != nil)
                let source = try #require(json["source"] as? [String: Any])
                #expect(source["privacy"] as? String == "public")
                #expect(source["note"] as? String == "")
                #expect((source["fields"] as? [Any])?.isEmpty == true)
                #expect(source["sensitive"] as? Bool == false)
                #expect(source.keys.contains("language"))
                #expect(source["language"] is NSNull)
                #expect(source["follow_requests_count"] as? Int == 0)
            }
        }
    }

    @Test(
        "update_credentials via JSON renders the note to HTML with links and local mentions",
        arguments: TestDatabase.available
    )
    func updateWithJSON(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            _ = try await t.account("bob")
            let (_, token) = try await t.account("alice")
            try await t.client { client in
                let body = try jsonBody([
                    "display_name": "Alice A.", "note": "Hello https://example.com/page and @bob!", "locked": true,
                    "bot": false, "discoverable": true,
                ])
                let response = try await client.execute(
                    uri: "/api/v1/accounts/update_credentials",
                    method: .patch,
                    headers: .bearer(token, contentType: jsonType),
                    body: body
                )
                #expect(response.status == .ok)
                #expect(response.json["display_name"] as? String == "Alice A.")
                #expect(response.json["locked"] as? Bool == true)
                #expect(response.json["bot"] as? Bool == false)
                #expect(response.json["discoverable"] as? Bool == true)
                let note = try #require(response.json["note"] as? String)
                #expect(note.hasPrefix("<p>") && note.hasSuffix("</p>"))
                #expect(note.contains("<a href=\"https://example.com/page\""))
                #expect(note.contains("<a href=\"http://tern.test/@bob\" class=\"u-url mention\">"))
                let source = try #require(response.json["source"] as? [String: Any])
                #expect(source["note"] as? String == "Hello https://example.com/page and @bob!")

                let reread = try await verifyCredentials(client, token)
                #expect(reread.json["display_name"] as? String == "Alice A.")
                #expect(reread.json["note"] as? String == note)
                #expect(reread.json["locked"] as? Bool == true)
            }
        }
    }

    @Test(
        "update_credentials via a form with fields_attributes[0][name] and string booleans",
        arguments: TestDatabase.available
    )
    func updateWithForm(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let (_, token) = try await t.account("alice")
            try await t.client { client in
                let response = try await Self.update(
                    client,
                    token,
                    [
                        ("fields_attributes[0][name]", "Site"), ("fields_attributes[0][value]", "https://example.com"),
                        ("fields_attributes[1][name]", "Pronouns"), ("fields_attributes[1][value]", "she/her"),
                        ("locked", "1"), ("bot", "true"), ("discoverable", "0"),
                    ]
                )
                #expect(response.status == .ok)
                #expect(response.json["locked"] as? Bool == true)
                #expect(response.json["bot"] as? Bool == true)
                #expect(response.json["discoverable"] as? Bool == false)
                let fields = try #require(response.json["fields"] as? [[String: Any]])
                #expect(fields.count == 2)
                #expect(fields.first?["name"] as? String == "Site")
                #expect((fields.first?["value"] as? String)?.contains("<a href=\"https://example.com\"") == true)
                #expect(fields.first?.keys.contains("verified_at") == true)
                #expect(fields.last?["name"] as? String == "Pronouns")
                #expect(fields.last?["value"] as? String == "she/her")
                let source = try #require(response.json["source"] as? [String: Any])
                let sourceFields = try #require(source["fields"] as? [[String: Any]])
                #expect(sourceFields.first?["value"] as? String == "https://example.com")

                let off = try await Self.update(client, token, [("locked", "0"), ("bot", "false")])
                #expect(off.status == .ok)
                #expect(off.json["locked"] as? Bool == false)
                #expect(off.json["bot"] as? Bool == false)
                #expect((off.json["fields"] as? [Any])?.count == 2)
            }
        }
    }

    @Test("update_credentials via multipart/form-data", arguments: TestDatabase.available)
    func updateWithMultipart(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let (_, token) = try await t.account("alice")
            try await t.client { client in
                let boundary = "----TernTestBoundary7MA4YWxk"
                var text = ""
                for (name, value) in [("display_name", "Multi Part"), ("note", "Line one"), ("bot", "1")] {
                    text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
                }
                text += "--\(boundary)--\r\n"
                let response = try await client.execute(
                    uri: "/api/v1/accounts/update_credentials",
                    method: .patch,
                    headers: .bearer(token, contentType: "multipart/form-data; boundary=\(boundary)"),
                    body: ByteBuffer(string: text)
                )
                #expect(response.status == .ok)
                #expect(response.json["display_name"] as? String == "Multi Part")
                #expect(response.json["note"] as? String == "<p>Line one</p>")
                #expect(response.json["bot"] as? Bool == true)
                let reread = try await verifyCredentials(client, token)
                #expect(reread.json["display_name"] as? String == "Multi Part")
            }
        }
    }

    @Test("a display name of 31 characters is 422 and the old name stays", arguments: TestDatabase.available)
    func displayNameTooLong(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let (_, token) = try await t.account("alice")
            try await t.client { client in
                #expect(try await Self.update(client, token, [("display_name", "Old Name")]).status == .ok)
                let response = try await Self.update(
                    client,
                    token,
                    [("display_name", String(repeating: "a", count: 31))]
                )
                #expect(response.status == .unprocessableContent)
                let details = try #require(response.json["details"] as? [String: Any])
                #expect((details["display_name"] as? [[String: Any]])?.first?["error"] as? String == "ERR_TOO_LONG")
                let reread = try await verifyCredentials(client, token)
                #expect(reread.json["display_name"] as? String == "Old Name")
                let thirty = try await Self.update(client, token, [("display_name", String(repeating: "b", count: 30))])
                #expect(thirty.status == .ok)
            }
        }
    }

    @Test("five profile fields are 422 and the old fields stay", arguments: TestDatabase.available)
    func tooManyFields(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let (_, token) = try await t.account("alice")
            try await t.client { client in
                let first = try await Self.update(
                    client,
                    token,
                    [("fields_attributes[0][name]", "Kept"), ("fields_attributes[0][value]", "yes")]
                )
                #expect(first.status == .ok)
                var pairs: [(String, String)] = []
                for index in 0..<5 {
                    pairs.append(("fields_attributes[\(index)][name]", "Name \(index)"))
                    pairs.append(("fields_attributes[\(index)][value]", "Value \(index)"))
                }
                let response = try await Self.update(client, token, pairs)
                #expect(response.status == .unprocessableContent)
                let details = try #require(response.json["details"] as? [String: Any])
                #expect(details["fields"] != nil)
                let reread = try await verifyCredentials(client, token)
                let fields = try #require(reread.json["fields"] as? [[String: Any]])
                #expect(fields.count == 1)
                #expect(fields.first?["name"] as? String == "Kept")
            }
        }
    }

    @Test("source[privacy]=private persists and shows in /api/v1/preferences", arguments: TestDatabase.available)
    func defaultPrivacy(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let (_, token) = try await t.account("alice")
            try await t.client { client in
                let before = try await client.execute(uri: "/api/v1/preferences", method: .get, headers: .bearer(token))
                #expect(before.json["posting:default:visibility"] as? String == "public")
                let response = try await Self.update(client, token, [("source[privacy]", "private")])
                #expect(response.status == .ok)
                #expect((response.json["source"] as? [String: Any])?["privacy"] as? String == "private")
                let reread = try await verifyCredentials(client, token)
                #expect((reread.json["source"] as? [String: Any])?["privacy"] as? String == "private")
                let preferences = try await client.execute(
                    uri: "/api/v1/preferences",
                    method: .get,
                    headers: .bearer(token)
                )
                #expect(preferences.status == .ok)
                #expect(preferences.json["posting:default:visibility"] as? String == "private")
                #expect(preferences.json["posting:default:sensitive"] as? Bool == false)

                let invalid = try await Self.update(client, token, [("source[privacy]", "secret")])
                #expect(invalid.status == .unprocessableContent)
                let after = try await client.execute(uri: "/api/v1/preferences", method: .get, headers: .bearer(token))
                #expect(after.json["posting:default:visibility"] as? String == "private")
            }
        }
    }
}

@Suite struct AccountReadTests {
    @Test("GET /api/v1/accounts/:id: 200, unknown 404 JSON, non-numeric 404", arguments: TestDatabase.available)
    func show(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let (account, _) = try await t.account("alice")
            try await t.client { client in
                let response = try await client.execute(uri: "/api/v1/accounts/\(account.id)", method: .get)
                #expect(response.status == .ok)
                #expect(response.json["id"] as? String == account.id.description)
                #expect(response.json["username"] as? String == "alice")
                #expect(response.json["source"] == nil)
                #expect(response.json["role"] == nil)

                let unknown = try await client.execute(uri: "/api/v1/accounts/999999999", method: .get)
                #expect(unknown.status == .notFound)
                #expect(unknown.json["error"] as? String == "Record not found")
                let text = try await client.execute(uri: "/api/v1/accounts/alice", method: .get)
                #expect(text.status == .notFound)
                #expect(text.json["error"] as? String == "Record not found")
            }
        }
    }

    @Test("lookup by username and by username@domain; unknown is 404", arguments: TestDatabase.available)
    func lookup(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let (account, _) = try await t.account("alice")
            try await t.client { client in
                for acct in ["alice", "alice@tern.test", "@alice"] {
                    let response = try await client.execute(uri: "/api/v1/accounts/lookup?acct=\(acct)", method: .get)
                    #expect(response.status == .ok, "\(acct)")
                    #expect(response.json["id"] as? String == account.id.description, "\(acct)")
                }
                let unknown = try await client.execute(uri: "/api/v1/accounts/lookup?acct=nobody", method: .get)
                #expect(unknown.status == .notFound)
                #expect(unknown.json["error"] as? String == "Record not found")
                let remote = try await client.execute(
                    uri: "/api/v1/accounts/lookup?acct=alice@elsewhere.example",
                    method: .get
                )
                #expect(remote.status == .notFound)
            }
        }
    }

    @Test("relationships answer one entry per existing id, every flag false", arguments: TestDatabase.available)
    func relationships(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let (bob, _) = try await t.account("bob")
            let (carol, _) = try await t.account("carol")
            let (_, token) = try await t.account("alice")
            try await t.client { client in
                let response = try await client.execute(
                    uri: "/api/v1/accounts/relationships?id[]=\(bob.id)&id[]=999999999&id[]=\(carol.id)",
                    method: .get,
                    headers: .bearer(token)
                )
                #expect(response.status == .ok)
                let list = response.jsonArray
                #expect(list.map { $0["id"] as? String } == [bob.id.description, carol.id.description])
                let flags = [
                    "following", "showing_reblogs", "notifying", "followed_by", "blocking", "blocked_by", "muting",
                    "muting_notifications", "requested", "requested_by", "domain_blocking", "endorsed",
                ]
                for entry in list {
                    for flag in flags { #expect(entry[flag] as? Bool == false, "\(flag)") }
                    #expect(entry["note"] as? String == "")
                }
                let anonymous = try await client.execute(
                    uri: "/api/v1/accounts/relationships?id[]=\(bob.id)",
                    method: .get
                )
                #expect(anonymous.status == .unauthorized)
            }
        }
    }

    @Test("accounts/search?q=ali finds accounts by prefix", arguments: TestDatabase.available)
    func search(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            _ = try await t.account("bob")
            _ = try await t.account("alicia")
            let (_, token) = try await t.account("alice")
            try await t.client { client in
                let response = try await client.execute(
                    uri: "/api/v1/accounts/search?q=ali",
                    method: .get,
                    headers: .bearer(token)
                )
                #expect(response.status == .ok)
                let names = Set(response.jsonArray.compactMap { $0["username"] as? String })
                #expect(names == ["alice", "alicia"])
                let limited = try await client.execute(
                    uri: "/api/v1/accounts/search?q=ali&limit=1",
                    method: .get,
                    headers: .bearer(token)
                )
                #expect(limited.jsonArray.count == 1)
            }
        }
    }

    @Test("a suspended account's token is 403 and its profile 404", arguments: TestDatabase.available)
    func suspended(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let (account, token) = try await t.account("alice")
            try await t.processor.admin.setSuspended(username: "alice", true)
            try await t.client { client in
                let me = try await verifyCredentials(client, token)
                #expect(me.status == .forbidden)
                #expect(me.json["error"] as? String == "Your login is currently disabled")
                let profile = try await client.execute(uri: "/api/v1/accounts/\(account.id)", method: .get)
                #expect(profile.status == .notFound)
                #expect(profile.json["error"] as? String == "Record not found")
                let lookup = try await client.execute(uri: "/api/v1/accounts/lookup?acct=alice", method: .get)
                #expect(lookup.status == .notFound)
            }
        }
    }
}
