import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import Processing
import TestSupport
import Testing

/// Moving one's social graph: alice's CSV exports from alpha, imported by her new account on beta, give
/// beta's exports the same content (follows are accepted across the network first, as a person would
/// import follows before lists).
@Suite struct ExportImportFederationTests {
    @Test("CSV exports imported on another server export the same again", arguments: TestDatabase.available)
    func roundTrip(db: TestDatabase) async throws {
        try await Pair.run(db) { p in
            let alice = try await p.alpha.user("alice")
            let bob = try await p.alpha.user("bob")
            let carol = try await p.alpha.user("carol")
            let dave = try await p.alpha.user("dave")
            let newAlice = try await p.beta.user("alice")
            try await p.a.follow(alice.token, bob.id, [("notify", "true"), ("languages[]", "fr")])
            try await p.a.follow(alice.token, carol.id, [("reblogs", "false")])
            _ = try await p.a.post("/api/v1/accounts/\(dave.id)/block", alice.token)
            _ = try await p.a.post("/api/v1/domain_blocks", alice.token, [("domain", "spam.example")])
            _ = try await p.a.post("/api/v1/accounts/\(carol.id)/mute", alice.token, [("notifications", "false")])
            let list = try await p.a.post("/api/v1/lists", alice.token, [("title", "Close")])
            let listID = try #require(list.json["id"] as? String)
            _ = try await p.a.post("/api/v1/lists/\(listID)/accounts", alice.token, [("account_ids[]", bob.id)])
            let post = try await p.a.status(bob.token, "bookmarked across servers")
            _ = try await p.a.post("/api/v1/statuses/\(post)/bookmark", alice.token)

            let old = Account.ID(Int64(alice.id) ?? 0)
            let new = Account.ID(Int64(newAlice.id) ?? 0)
            var exported: [ExportProcessor.CSVFile: String] = [:]
            for file in ExportProcessor.CSVFile.allCases {
                exported[file] = try await p.alpha.processor.exports.csv(file, of: old)
            }
            #expect(exported[.following]?.contains("bob@alpha.test,true,true,fr") == true)

            let order: [(ExportProcessor.CSVFile, DataImport.Kind)] = [
                (.following, .following), (.lists, .lists), (.blocks, .blocks), (.mutes, .mutes),
                (.domainBlocks, .domainBlocks), (.bookmarks, .bookmarks),
            ]
            for (file, kind) in order {
                let data = Data((exported[file] ?? "").utf8)
                _ = try await p.beta.processor.imports.start(kind, mode: .merge, data: data, by: new)
                try await p.settle()
            }
            // Rows may come in another order (a remote follow exists once its Accept arrived).
            func rows(_ text: String?) -> [String] { (text ?? "").split(separator: "\n").map(String.init).sorted() }
            for file in ExportProcessor.CSVFile.allCases {
                let again = try await p.beta.processor.exports.csv(file, of: new)
                #expect(rows(again) == rows(exported[file]), "\(file)")
            }
            let imports = try await p.beta.processor.imports.imports(of: new)
            #expect(imports.count == 6)
            #expect(exported[.domainBlocks] == "spam.example\n")
            #expect(imports.allSatisfy { $0.state == .finished && $0.failed == 0 })
        }
    }
}
