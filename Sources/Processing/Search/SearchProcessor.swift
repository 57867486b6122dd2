import Core
import Foundation
import Storage

/// `GET /api/v2/search` and hashtags: accounts by name, hashtags by prefix, statuses by full text,
/// each limited to what the viewer may see.
package struct SearchProcessor: Sendable {
    let context: ProcessingContext
    let hydrator: StatusHydrator

    init(_ context: ProcessingContext) {
        self.context = context
        self.hydrator = StatusHydrator(context: context)
    }

    /// What to search for.
    package struct Query: Sendable {
        package var text: String
        package var type: String?
        package var limit = 20
        package var offset = 0
        package var following = false
        package var accountID: Account.ID?
        /// Look remote handles and URLs up on their servers (signed-in viewers only).
        package var resolve = false

        package init(text: String) {
            self.text = text
        }
    }

    /// A hashtag with its recent use and whether the viewer follows it.
    package struct TagView: Sendable {
        package let stats: TagStats
        package let following: Bool?
    }

    /// The three kinds of results.
    package struct Results: Sendable {
        package var accounts: [AccountView] = []
        package var statuses: [StatusView] = []
        package var hashtags: [TagView] = []
    }

    /// Runs a search. Full-text status search needs a signed-in viewer, as in Mastodon.
    package func search(_ query: Query, viewer: Account.ID?) async throws -> Results {
        let text = query.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 500 else { return Results() }
        if let type = query.type, !["accounts", "hashtags", "statuses"].contains(type) {
            throw DomainError.validation("type must be accounts, hashtags or statuses")
        }
        let limit = max(1, min(query.limit, 40))
        let offset = max(0, min(query.offset, 10_000))
        var results = Results()
        if query.resolve, let viewer, offset == 0 {
            try await self.resolveRemote(text, type: query.type, viewer: viewer, into: &results)
        }
        if query.type == nil || query.type == "accounts" {
            var term = text
            if term.hasPrefix("@") { term.removeFirst() }
            let following = query.following ? viewer : nil
            let accounts = try await self.context.db.read {
                try await $0.searchAccounts(term, limit: limit, offset: offset, onlyFollowedBy: following)
            }
            let resolved = Set(results.accounts.map(\.account.id))
            results.accounts += accounts.filter { !resolved.contains($0.id) }.map {
                AccountView(account: $0, user: nil, urls: self.context.urls)
            }
        }
        if query.type == nil || query.type == "hashtags" {
            let names = try await self.context.db.read { try await $0.searchTags(text, limit: limit, offset: offset) }
            results.hashtags = try await self.tags(names, viewer: viewer)
        }
        if let viewer, query.type == nil || query.type == "statuses" {
            var ids = try await self.context.db.read {
                try await $0.searchStatuses(text, viewer: viewer, limit: limit, offset: offset)
            }
            if let author = query.accountID {
                let views = try await self.hydrator.views(ids, for: viewer)
                ids = views.filter { $0.status.accountID == author }.map(\.status.id)
            }
            let resolved = Set(results.statuses.map(\.status.id))
            results.statuses += try await self.hydrator.views(ids.filter { !resolved.contains($0) }, for: viewer)
        }
        return results
    }

    /// `resolve=true`: a `user@host` handle through WebFinger, a URL as a status or an actor.
    func resolveRemote(_ text: String, type: String?, viewer: Account.ID, into results: inout Results) async throws {
        if text.hasPrefix("https://") || text.hasPrefix("http://") {
            if let status = try await self.context.db.read({ try await $0.status(uri: text) }) {
                results.statuses = try await self.hydrator.views([status.id], for: viewer)
                return
            }
            guard !self.context.urls.isLocal(text) else { return }
            if type != "accounts",
                let status = try? await InboxProcessor(self.context).fetchNote(text, parentFetches: 2)
            {
                results.statuses = try await self.hydrator.views([status.id], for: viewer)
            } else if type != "statuses", let account = try? await self.context.federation.resolver.account(uri: text) {
                results.accounts = [AccountView(account: account, user: nil, urls: self.context.urls)]
            }
            return
        }
        guard type == nil || type == "accounts" else { return }
        var handle = text
        if handle.hasPrefix("@") { handle.removeFirst() }
        let parts = handle.split(separator: "@", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty else { return }
        let domain = parts[1].lowercased()
        guard domain != self.context.urls.domain.lowercased(), domain != self.context.urls.accountDomain.lowercased()
        else { return }
        if let account = try await AccountProcessor(self.context).resolve(username: parts[0], domain: domain) {
            results.accounts = [AccountView(account: account, user: nil, urls: self.context.urls)]
        }
    }

    /// Tags with a week of history and the viewer's follow state.
    package func tags(_ names: [String], viewer: Account.ID?) async throws -> [TagView] {
        guard !names.isEmpty else { return [] }
        return try await self.context.db.read { session in
            let stats = try await session.tagStats(names, days: 7)
            let followed = try await viewer.asyncMap { try await session.followedTags(of: $0, among: names) }
            return names.compactMap { name in
                stats[name.lowercased()].map {
                    TagView(stats: $0, following: followed.map { $0.contains(name.lowercased()) })
                }
            }
        }
    }

    /// One hashtag (404 when nobody used or followed it).
    package func tag(_ name: String, viewer: Account.ID?) async throws -> TagView {
        let lowered = name.lowercased()
        guard Self.isTagName(lowered), try await self.context.db.read({ try await $0.tagExists(lowered) }),
            let view = try await self.tags([lowered], viewer: viewer).first
        else { throw DomainError.notFound }
        return view
    }

    /// Follows or unfollows a hashtag: posts with it then reach the viewer's home feed.
    package func followTag(_ name: String, by viewer: Account.ID, follow: Bool) async throws -> TagView {
        let lowered = name.lowercased()
        guard Self.isTagName(lowered) else { throw DomainError.validation("Validation failed: Name is invalid") }
        try await self.context.db.transaction {
            try await $0.setTagFollow(lowered, account: viewer, following: follow, tagID: self.context.ids.next())
        }
        guard let view = try await self.tags([lowered], viewer: viewer).first else { throw DomainError.notFound }
        return view
    }

    /// The hashtags the viewer follows.
    package func followedTags(of viewer: Account.ID) async throws -> [TagView] {
        let names = try await self.context.db.read { try await $0.followedTags(of: viewer, among: nil) }
        return try await self.tags(names, viewer: viewer)
    }

    /// Hashtags used by the most people in public posts this week.
    package func trendingTags(limit: Int, offset: Int, viewer: Account.ID?) async throws -> [TagView] {
        let names = try await self.context.db.read {
            try await $0.trendingTags(days: 7, limit: max(1, min(limit, 20)), offset: max(0, offset))
        }
        return try await self.tags(names, viewer: viewer)
    }

    /// Letters, digits, underscores (any script), at most 100 characters.
    static func isTagName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 100 && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
}
