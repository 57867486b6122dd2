import Core
import Foundation
import Storage

/// Benchmarking only: gives a local account many remote followers spread over many hosts, so that one
/// post fans out to one shared inbox per host (the federation fan-out benchmark).
///
/// Host `i` is `127.0.0.1:(basePort + i)`, with its shared inbox at `/inbox`; follower `j` lives on host
/// `j % hosts`. The rows are written with the same Storage calls the inbox uses for a remote follow.
package struct FollowerSeeder: Sendable {
    package struct Options: Sendable {
        package var account: String
        package var followers: Int
        package var hosts: Int
        package var basePort: Int
        package var batchSize = 2_000

        package init(account: String, followers: Int, hosts: Int, basePort: Int) {
            self.account = account
            self.followers = followers
            self.hosts = hosts
            self.basePort = basePort
        }
    }

    /// Why seeding did not start.
    package struct Refusal: Error, CustomStringConvertible {
        package let description: String
    }

    private let deps: AppDependencies

    package init(_ admin: AdminTool) {
        self.deps = admin.deps
    }

    /// Seeds the followers; returns a one-line summary.
    package func seed(_ options: Options) async throws -> String {
        guard options.hosts >= 1, options.followers >= options.hosts, options.basePort >= 1024,
            options.basePort + options.hosts <= 65_535
        else { throw Refusal(description: "need 1 ≤ hosts ≤ followers and ports inside 1024…65535") }
        let db = self.deps.db
        let ids = self.deps.processor.context.ids
        let clock = self.deps.processor.context.clock
        guard let target = try await db.read({ try await $0.account(username: options.account, domain: nil) }) else {
            throw Refusal(description: "no local account named \(options.account)")
        }
        let started = Date()
        var written = 0
        while written < options.followers {
            let end = min(options.followers, written + options.batchSize)
            let range = written..<end
            try await db.transaction { session in
                for index in range {
                    let host = "127.0.0.1:\(options.basePort + index % options.hosts)"
                    let uri = "http://\(host)/users/f\(index)"
                    var account = Account(
                        id: ids.next(),
                        username: "f\(index)",
                        domain: host,
                        uri: uri,
                        url: uri,
                        createdAt: clock.now(),
                        updatedAt: clock.now()
                    )
                    account.endpoints = ActorEndpoints(
                        inbox: "\(uri)/inbox",
                        sharedInbox: "http://\(host)/inbox",
                        followers: "\(uri)/followers"
                    )
                    account.fetchedAt = clock.now()
                    try await session.insertAccount(account)
                    _ = try await session.upsertFollow(
                        Follow(
                            id: ids.next(),
                            accountID: account.id,
                            targetAccountID: target.id,
                            showReblogs: true,
                            notify: false,
                            languages: nil,
                            createdAt: clock.now()
                        )
                    )
                }
            }
            written = end
        }
        return "Seeded \(options.followers) remote followers of @\(options.account) on \(options.hosts) hosts "
            + "(127.0.0.1:\(options.basePort)…\(options.basePort + options.hosts - 1)) in "
            + String(format: "%.1f", Date().timeIntervalSince(started)) + " s."
    }
}
