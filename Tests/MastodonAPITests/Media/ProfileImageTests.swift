import Core
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Avatars and headers: uploaded with update_credentials, processed, served, federated, removed.
@Suite struct ProfileImageTests {
    /// Width and height from a PNG's IHDR chunk.
    static func pngSize(_ bytes: [UInt8]) -> (Int, Int)? {
        guard bytes.count > 24, bytes[0] == 0x89, bytes[1] == 0x50 else { return nil }
        func int(_ at: Int) -> Int { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (int(16), int(20))
    }

    static func patch(
        _ client: any TestClientProtocol,
        _ token: String?,
        file: Data,
        field: String,
        fields: [(String, String)] = []
    ) async throws -> TestResponse {
        var headers = HTTPFields()
        headers[.contentType] = "multipart/form-data; boundary=\(TestImages.boundary)"
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(
            uri: "/api/v1/accounts/update_credentials",
            method: .patch,
            headers: headers,
            body: TestImages.multipart(file: file, filename: "me.png", fields: fields, fileField: field)
        )
    }

    static func path(_ url: String) -> String {
        String(url.dropFirst("http://tern.test".count))
    }

    @Test(
        "an avatar and a header are resized, served, shown in the actor, and removed",
        arguments: TestDatabase.available
    )
    func uploadAndRemove(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let avatar = try await Self.patch(
                    client,
                    alice.token,
                    file: TestImages.png(width: 800, height: 600, gradient: true),
                    field: "avatar",
                    fields: [("display_name", "Alice A.")]
                )
                #expect(avatar.status == .ok, "\(avatar.text)")
                #expect(avatar.json["display_name"] as? String == "Alice A.")
                let avatarURL = try #require(avatar.json["avatar"] as? String)
                #expect(avatarURL.hasPrefix("http://tern.test/system/") && avatarURL.hasSuffix(".png"))
                #expect(avatar.json["avatar_static"] as? String == avatarURL)
                let served = try await client.execute(uri: Self.path(avatarURL), method: .get)
                #expect(served.status == .ok)
                #expect(served.headers[.contentType] == "image/png")
                let size = try #require(Self.pngSize(Array(served.body.readableBytesView)))
                #expect(size.0 == 400 && size.1 == 300, "\(size)")

                let header = try await Self.patch(
                    client,
                    alice.token,
                    file: TestImages.png(width: 1800, height: 600),
                    field: "header"
                )
                #expect(header.status == .ok, "\(header.text)")
                let headerURL = try #require(header.json["header"] as? String)
                #expect(headerURL.hasPrefix("http://tern.test/system/"))
                #expect(header.json["avatar"] as? String == avatarURL)
                let headerFile = try await client.execute(uri: Self.path(headerURL), method: .get)
                #expect(
                    Self.pngSize(Array(headerFile.body.readableBytesView)).map { $0.0 == 1500 && $0.1 == 500 } == true
                )

                // Anyone sees them: the API, the actor document, the public page.
                let public_ = try await SocialAPI(client).account(alice.id)
                #expect(public_["avatar"] as? String == avatarURL)
                let actor = try await client.execute(
                    uri: "/users/alice",
                    method: .get,
                    headers: [.accept: "application/activity+json"]
                )
                let icon = try #require(actor.json["icon"] as? [String: Any])
                #expect(icon["url"] as? String == avatarURL)
                #expect(icon["mediaType"] as? String == "image/png")
                #expect((actor.json["image"] as? [String: Any])?["url"] as? String == headerURL)
                #expect(try await client.execute(uri: "/@alice", method: .get).text.contains(avatarURL))

                // Replacing the avatar deletes the old file.
                let second = try await Self.patch(
                    client,
                    alice.token,
                    file: TestImages.png(width: 50, height: 50),
                    field: "avatar"
                )
                let secondURL = try #require(second.json["avatar"] as? String)
                #expect(secondURL != avatarURL)
                #expect(try await client.execute(uri: Self.path(avatarURL), method: .get).status == .notFound)

                let removed = try await client.execute(
                    uri: "/api/v1/profile/avatar",
                    method: .delete,
                    headers: .bearer(alice.token)
                )
                #expect(removed.status == .ok)
                #expect(removed.json["avatar"] as? String == "http://tern.test/assets/missing-avatar.png")
                #expect(removed.json["header"] as? String == headerURL)
                #expect(try await client.execute(uri: Self.path(secondURL), method: .get).status == .notFound)
                let noHeader = try await client.execute(
                    uri: "/api/v1/profile/header",
                    method: .delete,
                    headers: .bearer(alice.token)
                )
                #expect(noHeader.json["header"] as? String == "http://tern.test/assets/missing-header.png")
            }
        }
    }

    @Test("refused pictures answer 422 and change nothing; no token is 401", arguments: TestDatabase.available)
    func refused(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            try await t.client { client in
                let svg = Data("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".utf8)
                let text = Data("just some text, renamed to .png".utf8)
                var truncated = TestImages.png(width: 64, height: 64, gradient: true)
                truncated.removeLast(truncated.count / 2)
                for (file, name) in [(svg, "svg"), (text, "text"), (truncated, "truncated"), (Data(), "empty")] {
                    let response = try await Self.patch(
                        client,
                        alice.token,
                        file: file,
                        field: "avatar",
                        fields: [("display_name", "Changed")]
                    )
                    #expect(response.status == .unprocessableContent, "\(name): \(response.status) \(response.text)")
                    #expect((response.json["error"] as? String)?.isEmpty == false)
                }
                let account = try await SocialAPI(client).account(alice.id)
                #expect(account["display_name"] as? String != "Changed")
                #expect(account["avatar"] as? String == "http://tern.test/assets/missing-avatar.png")

                let anonymous = try await Self.patch(
                    client,
                    nil,
                    file: TestImages.png(width: 8, height: 8),
                    field: "avatar"
                )
                #expect(anonymous.status == .unauthorized)
                let deleteAnonymous = try await client.execute(uri: "/api/v1/profile/avatar", method: .delete)
                #expect(deleteAnonymous.status == .unauthorized)
                let readOnly = try await t.token(login: "alice", password: "correct horse 1", scopes: "read")
                let forbidden = try await client.execute(
                    uri: "/api/v1/profile/header",
                    method: .delete,
                    headers: .bearer(readOnly)
                )
                #expect(forbidden.status == .forbidden)
            }
        }
    }
}
