import Core
import Foundation
import TestSupport
import Testing

@testable import Storage

/// `DBSession.interactions`: the viewer's favourites, bookmarks and reblogs of a page are read as its rows
/// in the page's id range, or one id at a time when that range holds too many of them; both give the same.
@Suite struct InteractionsTests {
    @Test(
        "favourites, bookmarks and reblogs of the asked statuses only, whether the id range holds few or many",
        arguments: TestDatabase.available
    )
    func ranges(_ database: TestDatabase) async throws {
        try await TestApp.run(database) { t in
            let author = try await t.account("rangeauthor").account
            let viewer = try await t.account("rangeviewer").account
            let ids = t.processor.context.ids
            func post(_ by: Account.ID, _ text: String, reblogOf: Status.ID? = nil) async throws -> Status.ID {
                try await t.insertStatus(by: by, text, reblogOf: reblogOf).id
            }
            var posts: [Status.ID] = []
            for index in 0..<(DBSession.interactionRangeLimit + 6) {
                posts.append(try await post(author.id, "p\(index)"))
            }
            // The viewer favourites every post but the fourth, bookmarks the sixth and reblogs the eighth.
            try await t.db.transaction { session in
                for (index, post) in posts.enumerated() where index != 3 {
                    _ = try await session.insertFavourite(id: ids.next(), account: viewer.id, status: post)
                }
                try await session.insertBookmark(id: ids.next(), account: viewer.id, status: posts[5])
            }
            _ = try await post(viewer.id, "boost", reblogOf: posts[7])
            func ask(_ indexes: [Int]) async throws -> Interactions {
                try await t.db.read { try await $0.interactions(of: viewer.id, with: indexes.map { posts[$0] }) }
            }
            // A narrow range: a few favourites in it, some of them not asked about.
            let few = try await ask([2, 3, 5, 7])
            #expect(few.favourited == Set([2, 5, 7].map { posts[$0] }))
            #expect(few.bookmarked == [posts[5]] && few.reblogged == [posts[7]])
            // A range holding more favourites than are read in one go: looked up by id, the same answer.
            let many = try await ask([0, 3, 5, 7, posts.count - 1])
            #expect(many.favourited == Set([0, 5, 7, posts.count - 1].map { posts[$0] }))
            #expect(many.bookmarked == [posts[5]] && many.reblogged == [posts[7]])
            // Statuses far from the page's range (what its reblogs reblogged) are looked up one by one.
            let mixed = try await t.db.read {
                try await $0.interactions(of: viewer.id, with: [posts[60], posts[61]], others: [posts[5], posts[7]])
            }
            #expect(mixed.favourited == Set([5, 7, 60, 61].map { posts[$0] }))
            #expect(mixed.bookmarked == [posts[5]] && mixed.reblogged == [posts[7]])
            let onlyOthers = try await t.db.read {
                try await $0.interactions(of: viewer.id, with: [], others: [posts[3], posts[5]])
            }
            #expect(onlyOthers.favourited == [posts[5]] && onlyOthers.bookmarked == [posts[5]])
            // Another account's interactions are not the viewer's.
            let other = try await t.db.read { try await $0.interactions(of: author.id, with: [posts[5], posts[7]]) }
            #expect(other.favourited.isEmpty && other.bookmarked.isEmpty && other.reblogged.isEmpty)
        }
    }
}
