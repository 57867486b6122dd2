import Core
import Federation
import Foundation
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing

/// A person's own domain blocks (`/api/v1/domain_blocks`): what they hide, what they remove, what they
/// refuse, and the bad requests.
@Suite struct DomainBlockTests {
    @Test(
        "blocking a domain hides its posts and notifications, drops its followers and refuses new follows",
        arguments: TestDatabase.available
    )
    func blockDomain(db: TestDatabase) async throws {
        let mallory = try FakeRemote.mallory()
        try await TestApp.run(db) { t in
            try await mallory.store(in: t)
            let alice = try await t.user("alice")
            try await t.client { client in
                let api = SocialAPI(client)
                let malloryID = try await api.lookup(mallory.acct, alice.token)
                try await mallory.deliver(
                    mallory.activity(
                        "Follow",
                        id: mallory.uri("follows/1"),
                        object: .string("http://tern.test/users/alice")
                    ),
                    to: t
                )
                try await mallory.deliver(mallory.create(id: mallory.uri("statuses/1"), content: "<p>hello</p>"), to: t)
                #expect(try await api.remoteTimeline(alice.token).count == 1)
                #expect(try await api.account(alice.id)["followers_count"] as? Int == 1)

                let blocked = try await api.post("/api/v1/domain_blocks", alice.token, [("domain", "Remote.Example")])
                #expect(blocked.status == .ok)
                let list = try await api.get("/api/v1/domain_blocks", alice.token)
                #expect(list.status == .ok)
                let domains = try JSONSerialization.jsonObject(with: Data(buffer: list.body)) as? [String]
                #expect(domains == ["remote.example"])
                #expect(try await api.remoteTimeline(alice.token).isEmpty)
                let relationship = try await api.relationship(malloryID, alice.token)
                #expect(relationship["domain_blocking"] as? Bool == true)
                #expect(relationship["followed_by"] as? Bool == false)
                #expect(try await api.account(alice.id)["followers_count"] as? Int == 0)
                #expect(try await api.post("/api/v1/accounts/\(malloryID)/follow", alice.token).status == .forbidden)
                // A mention from the domain notifies nobody.
                try await mallory.deliver(
                    mallory.create(
                        id: mallory.uri("statuses/2"),
                        content: "<p>@alice hi</p>",
                        extra: ["tag": [["type": "Mention", "href": "http://tern.test/users/alice"]]]
                    ),
                    to: t
                )
                #expect(try await api.notifications(alice.token).isEmpty)

                // Blocking twice is fine; lifting it shows the posts again.
                #expect(
                    try await api.post("/api/v1/domain_blocks", alice.token, [("domain", "remote.example")]).status
                        == .ok
                )
                let lifted = try await client.execute(
                    uri: "/api/v1/domain_blocks?domain=remote.example",
                    method: .delete,
                    headers: .bearer(alice.token)
                )
                #expect(lifted.status == .ok)
                #expect(try await api.remoteTimeline(alice.token).count == 2)
                #expect(try await api.relationship(malloryID, alice.token)["domain_blocking"] as? Bool == false)
            }
        }
    }

    @Test("bad domain block requests are refused and store nothing", arguments: TestDatabase.available)
    func badRequests(db: TestDatabase) async throws {
        try await TestApp.run(db) { t in
            let alice = try await t.user("alice")
            let readOnly = try await t.token(login: "alice", password: "correct horse 1", scopes: "read")
            try await t.client { client in
                let api = SocialAPI(client)
                for domain in ["", "not a domain!", "tern.test", String(repeating: "a", count: 300) + ".example"] {
                    let response = try await api.post("/api/v1/domain_blocks", alice.token, [("domain", domain)])
                    #expect(response.status == .unprocessableContent, "\(domain)")
                    #expect(response.json["error"] is String)
                }
                #expect(
                    try await api.post("/api/v1/domain_blocks", nil, [("domain", "x.example")]).status == .unauthorized
                )
                #expect(
                    try await api.post("/api/v1/domain_blocks", readOnly, [("domain", "x.example")]).status
                        == .forbidden
                )
                #expect(try await api.get("/api/v1/domain_blocks", alice.token).text == "[]")
            }
        }
    }
}
