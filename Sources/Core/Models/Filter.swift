import Foundation

/// A content filter (Mastodon's v2 filters): keywords and statuses that warn about, blur or hide
/// matching statuses in the chosen contexts.
package struct ContentFilter: Sendable, Equatable {
    package typealias ID = EntityID<ContentFilter>

    /// Where a filter applies.
    package enum Context: String, Sendable, CaseIterable {
        case home, notifications, `public`, thread, account
    }

    /// What a match does.
    package enum Action: String, Sendable, CaseIterable {
        case warn, hide, blur
    }

    /// One keyword.
    package struct Keyword: Sendable, Equatable {
        package var id: Int64
        package var keyword: String
        package var wholeWord: Bool

        package init(id: Int64, keyword: String, wholeWord: Bool) {
            self.id = id
            self.keyword = keyword
            self.wholeWord = wholeWord
        }
    }

    /// One filtered status.
    package struct FilteredStatus: Sendable, Equatable {
        package var id: Int64
        package var statusID: Int64

        package init(id: Int64, statusID: Int64) {
            self.id = id
            self.statusID = statusID
        }
    }

    package var id: ID
    package var accountID: EntityID<Account>
    package var title: String
    package var contexts: [Context]
    package var action: Action
    package var expiresAt: Date?
    package var keywords: [Keyword]
    package var statuses: [FilteredStatus]

    package init(
        id: ID,
        accountID: EntityID<Account>,
        title: String,
        contexts: [Context],
        action: Action,
        expiresAt: Date?,
        keywords: [Keyword] = [],
        statuses: [FilteredStatus] = []
    ) {
        self.id = id
        self.accountID = accountID
        self.title = title
        self.contexts = contexts
        self.action = action
        self.expiresAt = expiresAt
        self.keywords = keywords
        self.statuses = statuses
    }

    /// The keywords found in `text` (case-insensitive; whole words when asked).
    package func matches(in text: String) -> [String] {
        let haystack = text.lowercased()
        return self.keywords.filter { Self.contains(haystack, $0.keyword.lowercased(), wholeWord: $0.wholeWord) }
            .map(\.keyword)
    }

    static func contains(_ text: String, _ word: String, wholeWord: Bool) -> Bool {
        guard !word.isEmpty else { return false }
        var searchStart = text.startIndex
        while let range = text.range(of: word, range: searchStart..<text.endIndex) {
            if !wholeWord { return true }
            let before = range.lowerBound == text.startIndex ? nil : text[text.index(before: range.lowerBound)]
            let after = range.upperBound == text.endIndex ? nil : text[range.upperBound]
            func isWord(_ c: Character?) -> Bool { c.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false }
            if !isWord(before) && !isWord(after) { return true }
            searchStart = text.index(after: range.lowerBound)
        }
        return false
    }
}
