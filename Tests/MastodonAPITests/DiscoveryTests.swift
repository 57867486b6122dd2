import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@Suite struct DiscoveryTests {
    static func webfinger(_ client: any TestClientProtocol, _ resource: String) async throws -> TestResponse {
        try await client.execute(uri: "/.well-known/webfinger?resource=\(formEncode(resource))", method: .get)
    }

    @Test("webfinger answers acct: and profile URL resources of local users", arguments: TestDatabase.available)
    func webfingerLocal(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            _ = try await t.account("alice")
            try await t.client { client in
                let response = try await Self.webfinger(client, "acct:alice@tern.test")
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/jrd+json") == true)
                #expect(response.json["subject"] as? String == "acct:alice@tern.test")
                let links = try #require(response.json["links"] as? [[String: Any]])
                let selfLink = try #require(links.first { $0["rel"] as? String == "self" })
                #expect(selfLink["type"] as? String == "application/activity+json")
                #expect(selfLink["href"] as? String == "http://tern.test/users/alice")

                let byURL = try await Self.webfinger(client, "http://tern.test/@alice")
                #expect(byURL.status == .ok)
                #expect(byURL.json["subject"] as? String == "acct:alice@tern.test")
                let byActor = try await Self.webfinger(client, "http://tern.test/users/alice")
                #expect(byActor.status == .ok)
            }
        }
    }

    @Test("webfinger: unknown user 404, other domain 404, missing resource 400", arguments: TestDatabase.available)
    func webfingerFailures(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            _ = try await t.account("alice")
            try await t.client { client in
                #expect(try await Self.webfinger(client, "acct:nobody@tern.test").status == .notFound)
                #expect(try await Self.webfinger(client, "acct:alice@other.example").status == .notFound)
                let missing = try await client.execute(uri: "/.well-known/webfinger", method: .get)
                #expect(missing.status == .badRequest)
                let empty = try await client.execute(uri: "/.well-known/webfinger?resource=", method: .get)
                #expect(empty.status == .badRequest)
            }
        }
    }

    @Test(
        "with account_domain set, webfinger names and resolves user@account_domain",
        arguments: TestDatabase.available
    )
    func accountDomain(db: TestDatabase) async throws {
        try await TestApp.run(db, accountDomain: "example.org") { t in
            _ = try await t.account("alice")
            try await t.client { client in
                let served = try await Self.webfinger(client, "acct:alice@tern.test")
                #expect(served.status == .ok)
                #expect(served.json["subject"] as? String == "acct:alice@example.org")
                let handle = try await Self.webfinger(client, "acct:alice@example.org")
                #expect(handle.status == .ok)
                #expect(handle.json["subject"] as? String == "acct:alice@example.org")
                let links = handle.json["links"] as? [[String: Any]] ?? []
                #expect(links.contains { $0["href"] as? String == "http://tern.test/users/alice" })
                #expect(try await Self.webfinger(client, "acct:alice@other.example").status == .notFound)
            }
        }
    }

    @Test("nodeinfo: the index links 2.0 and 2.1, which count users; 3.0 is 404", arguments: TestDatabase.available)
    func nodeInfo(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            _ = try await t.account("alice")
            _ = try await t.account("bob")
            try await t.client { client in
                let index = try await client.execute(uri: "/.well-known/nodeinfo", method: .get)
                #expect(index.status == .ok)
                let links = try #require(index.json["links"] as? [[String: Any]])
                #expect(
                    links.compactMap { $0["href"] as? String } == [
                        "http://tern.test/nodeinfo/2.0", "http://tern.test/nodeinfo/2.1",
                    ]
                )
                #expect(
                    links.first?["rel"] as? String == "http://nodeinfo.diaspora.software/ns/schema/2.0"
                )
                for version in ["2.0", "2.1"] {
                    let response = try await client.execute(uri: "/nodeinfo/\(version)", method: .get)
                    #expect(response.status == .ok)
                    #expect(response.json["version"] as? String == version)
                    #expect((response.json["software"] as? [String: Any])?["name"] as? String == "tern")
                    let usage = try #require(response.json["usage"] as? [String: Any])
                    #expect((usage["users"] as? [String: Any])?["total"] as? Int == 2)
                    #expect(response.json["protocols"] as? [String] == ["activitypub"])
                    #expect(response.json["openRegistrations"] as? Bool == true)
                }
                let unknown = try await client.execute(uri: "/nodeinfo/3.0", method: .get)
                #expect(unknown.status == .notFound)
            }
        }
    }

    @Test("host-meta is XRD XML with the webfinger template", arguments: TestDatabase.available)
    func hostMeta(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                let response = try await client.execute(uri: "/.well-known/host-meta", method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/xrd+xml") == true)
                #expect(response.text.hasPrefix("<?xml"))
                #expect(
                    response.text.contains(
                        "<Link rel=\"lrdd\" template=\"http://tern.test/.well-known/webfinger?resource={uri}\"/>"
                    )
                )
            }
        }
    }

    @Test("the OAuth authorization server metadata is JSON", arguments: TestDatabase.available)
    func oauthMetadata(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            try await t.client { client in
                let response = try await client.execute(uri: "/.well-known/oauth-authorization-server", method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let json = response.json
                #expect(json["issuer"] as? String == "http://tern.test/")
                #expect(json["authorization_endpoint"] as? String == "http://tern.test/oauth/authorize")
                #expect(json["token_endpoint"] as? String == "http://tern.test/oauth/token")
                #expect(json["app_registration_endpoint"] as? String == "http://tern.test/api/v1/apps")
                #expect(json["code_challenge_methods_supported"] as? [String] == ["S256"])
                #expect((json["scopes_supported"] as? [String])?.contains("profile") == true)
                #expect((json["grant_types_supported"] as? [String])?.contains("authorization_code") == true)
            }
        }
    }
}
