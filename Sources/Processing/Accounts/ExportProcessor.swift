import Core
import Foundation
import Storage

/// A person's data in Mastodon's CSV export formats, so another server (Mastodon, GoToSocial, Tern)
/// imports it as it is.
package struct ExportProcessor: Sendable {
    let context: ProcessingContext

    init(_ context: ProcessingContext) {
        self.context = context
    }

    /// The CSV files, by the path Mastodon serves them at (`/settings/exports/follows.csv`…).
    package enum CSVFile: String, Sendable, CaseIterable {
        case following = "follows.csv"
        case lists = "lists.csv"
        case blocks = "blocks.csv"
        case mutes = "mutes.csv"
        case domainBlocks = "domain_blocks.csv"
        case bookmarks = "bookmarks.csv"

        /// The name of the downloaded file, as Mastodon names it.
        package var downloadName: String {
            switch self {
            case .following: "following_accounts.csv"
            case .lists: "lists.csv"
            case .blocks: "blocked_accounts.csv"
            case .mutes: "muted_accounts.csv"
            case .domainBlocks: "blocked_domains.csv"
            case .bookmarks: "bookmarks.csv"
            }
        }
    }

    /// One CSV file of the account's data. Accounts are `user@domain` (local ones with this server's
    /// account domain); headers where Mastodon writes them (following, mutes).
    package func csv(_ file: CSVFile, of accountID: Account.ID) async throws -> String {
        let urls = self.context.urls
        func acct(_ username: String, _ domain: String?) -> String { urls.handle(username: username, domain: domain) }
        var rows: [[String]] = []
        switch file {
        case .following:
            rows.append(["Account address", "Show boosts", "Notify on new posts", "Languages"])
            for follow in try await self.context.db.read({ try await $0.followingForExport(accountID) }) {
                rows.append([
                    acct(follow.username, follow.domain), String(follow.showReblogs), String(follow.notify),
                    follow.languages.joined(separator: ", "),
                ])
            }
        case .lists:
            for member in try await self.context.db.read({ try await $0.listMembersForExport(accountID) }) {
                rows.append([member.title, acct(member.username, member.domain)])
            }
        case .blocks:
            for block in try await self.context.db.read({ try await $0.relationsForExport(accountID, mutes: false) }) {
                rows.append([acct(block.username, block.domain)])
            }
        case .mutes:
            rows.append(["Account address", "Hide notifications"])
            for mute in try await self.context.db.read({ try await $0.relationsForExport(accountID, mutes: true) }) {
                rows.append([acct(mute.username, mute.domain), String(mute.hideNotifications)])
            }
        case .domainBlocks:
            for domain in try await self.context.db.read({ try await $0.accountDomainBlocksForExport(accountID) }) {
                rows.append([domain])
            }
        case .bookmarks:
            for uri in try await self.context.db.read({ try await $0.statusURIsForExport(accountID, favourites: false) }
            ) {
                rows.append([uri])
            }
        }
        return CSV.render(rows)
    }
}
