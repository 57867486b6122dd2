import Core
import Foundation
import Storage

/// One filter that matched a status, with what matched.
package struct FilterMatch: Sendable, Equatable {
    package let filter: ContentFilter
    package let keywordMatches: [String]
    package let statusMatches: [String]
}

/// Content filters: CRUD, and applying them to what a viewer reads.
package struct FilterProcessor: Sendable {
    let context: ProcessingContext

    init(_ context: ProcessingContext) {
        self.context = context
    }

    /// A keyword change from `keywords_attributes`: a new keyword, an edit (with `id`), or a removal.
    package struct KeywordChange: Sendable {
        package var id: Int64?
        package var keyword: String?
        package var wholeWord: Bool?
        package var destroy = false

        package init(id: Int64?, keyword: String?, wholeWord: Bool?, destroy: Bool) {
            self.id = id
            self.keyword = keyword
            self.wholeWord = wholeWord
            self.destroy = destroy
        }
    }

    /// The viewer's filters (expired ones included, as Mastodon lists them).
    package func list(of viewer: Account.ID) async throws -> [ContentFilter] {
        try await self.context.db.read { try await $0.filters(of: viewer, activeOnly: false) }
    }

    /// One of the viewer's filters.
    package func filter(_ id: ContentFilter.ID, of viewer: Account.ID) async throws -> ContentFilter {
        guard let filter = try await self.list(of: viewer).first(where: { $0.id == id }) else {
            throw DomainError.notFound
        }
        return filter
    }

    /// Creates a filter, or changes one when `id` is given.
    package func save(
        _ id: ContentFilter.ID?,
        title: String?,
        contexts: [String]?,
        action: String?,
        expiresIn: Int?,
        clearExpiry: Bool,
        keywords: [KeywordChange],
        statuses: [Status.ID] = [],
        by viewer: Account.ID
    ) async throws -> ContentFilter {
        var filter =
            try await id.asyncMap { try await self.filter($0, of: viewer) }
            ?? ContentFilter(
                id: self.context.ids.next(),
                accountID: viewer,
                title: "",
                contexts: [],
                action: .warn,
                expiresAt: nil
            )
        if let title { filter.title = title.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard !filter.title.isEmpty, filter.title.count <= 256 else {
            throw DomainError.validation("Validation failed: Title can't be blank")
        }
        if let contexts {
            let parsed = contexts.compactMap(ContentFilter.Context.init(rawValue:))
            guard parsed.count == contexts.count else {
                throw DomainError.validation("Validation failed: Context contains invalid context values")
            }
            filter.contexts = Array(Set(parsed)).sorted { $0.rawValue < $1.rawValue }
        }
        guard !filter.contexts.isEmpty else {
            throw DomainError.validation("Validation failed: Context can't be blank")
        }
        if let action, !action.isEmpty {
            guard let parsed = ContentFilter.Action(rawValue: action) else {
                throw DomainError.validation("Validation failed: Filter action is not included in the list")
            }
            filter.action = parsed
        }
        if let expiresIn {
            guard expiresIn > 0 else { throw DomainError.validation("Validation failed: expires_in must be positive") }
            filter.expiresAt = self.context.clock.now().addingTimeInterval(TimeInterval(expiresIn))
        } else if clearExpiry {
            filter.expiresAt = nil
        }
        for change in keywords {
            if let id = change.id {
                guard let index = filter.keywords.firstIndex(where: { $0.id == id }) else { throw DomainError.notFound }
                if change.destroy {
                    filter.keywords.remove(at: index)
                } else {
                    if let keyword = change.keyword { filter.keywords[index].keyword = keyword }
                    if let whole = change.wholeWord { filter.keywords[index].wholeWord = whole }
                }
            } else if !change.destroy {
                filter.keywords.append(
                    .init(
                        id: self.context.ids.next(),
                        keyword: change.keyword ?? "",
                        wholeWord: change.wholeWord ?? true
                    )
                )
            }
        }
        guard
            filter.keywords.allSatisfy({
                !$0.keyword.trimmingCharacters(in: .whitespaces).isEmpty && $0.keyword.count <= 512
            })
        else { throw DomainError.validation("Validation failed: Keyword can't be blank") }
        guard filter.keywords.count <= 100 else { throw DomainError.validation("Validation failed: Too many keywords") }
        let added = statuses.filter { status in !filter.statuses.contains { $0.statusID == status.rawValue } }
        for status in added {
            filter.statuses.append(.init(id: self.context.ids.next(), statusID: status.rawValue))
        }
        let saved = filter
        try await self.context.db.transaction { session in
            // An unknown status is a 404, not a foreign-key failure.
            guard try await session.statuses(ids: added).count == Set(added).count else { throw DomainError.notFound }
            try await session.saveFilter(saved)
        }
        return saved
    }

    /// Removes a filtered status from a filter.
    package func removeStatus(_ filterStatusID: Int64, by viewer: Account.ID) async throws -> ContentFilter {
        guard
            var filter = try await self.list(of: viewer).first(where: {
                $0.statuses.contains { $0.id == filterStatusID }
            })
        else { throw DomainError.notFound }
        filter.statuses.removeAll { $0.id == filterStatusID }
        let saved = filter
        try await self.context.db.transaction { try await $0.saveFilter(saved) }
        return saved
    }

    /// Deletes one of the viewer's filters.
    package func delete(_ id: ContentFilter.ID, by viewer: Account.ID) async throws {
        let filter = try await self.filter(id, of: viewer)
        try await self.context.db.transaction { try await $0.deleteFilter(filter.id) }
    }

    /// Marks what matched on each view and drops the views a `hide` filter matches. The views are changed
    /// in place: copying one costs a retain of each of its many references.
    package func apply(_ views: consuming [StatusView], for viewer: Account.ID?, in context: ContentFilter.Context)
        async throws -> [StatusView]
    {
        guard let viewer, !views.isEmpty else { return views }
        let filters = try await self.context.db.read { try await $0.filters(of: viewer, activeOnly: true) }
        return Self.mark(consume views, with: filters, in: context)
    }

    /// `apply(_:for:in:)` in a read session the caller has open.
    func apply(
        _ views: consuming [StatusView],
        for viewer: Account.ID?,
        in context: ContentFilter.Context,
        session: DBSession
    ) async throws -> [StatusView] {
        guard let viewer, !views.isEmpty else { return views }
        let filters = try await session.filters(of: viewer, activeOnly: true)
        return Self.mark(consume views, with: filters, in: context)
    }

    /// What `apply` does once the viewer's active filters are read.
    private static func mark(
        _ views: consuming [StatusView],
        with filters: [ContentFilter],
        in context: ContentFilter.Context
    )
        -> [StatusView]
    {
        let filters = filters.filter { $0.contexts.contains(context) }
        var hidden = false
        for index in views.indices {
            var matches: [FilterMatch] = []
            if !filters.isEmpty {
                let target = views[index].reblog?.status ?? views[index].status
                let text = Self.plainText(target) + "\n" + target.spoilerText
                for filter in filters {
                    let keywords = filter.matches(in: text)
                    let statuses = filter.statuses.filter { $0.statusID == target.id.rawValue }.map { String($0.id) }
                    if !keywords.isEmpty || !statuses.isEmpty {
                        matches.append(FilterMatch(filter: filter, keywordMatches: keywords, statusMatches: statuses))
                    }
                }
                hidden = hidden || matches.contains { $0.filter.action == .hide }
            }
            views[index].filtered = matches
        }
        if hidden { views.removeAll { $0.filtered?.contains { $0.filter.action == .hide } ?? false } }
        return views
    }

    /// The words of a status: its source text, or its HTML without tags.
    static func plainText(_ status: Status) -> String {
        status.text.isEmpty ? HTMLText.plain(status.content) : status.text
    }
}
