import Core
import Foundation
import Storage

/// Lists of followed accounts, their timelines, and read markers.
package struct ListProcessor: Sendable {
    let context: ProcessingContext
    let hydrator: StatusHydrator

    init(_ context: ProcessingContext) {
        self.context = context
        self.hydrator = StatusHydrator(context: context)
    }

    /// The viewer's lists.
    package func lists(of viewer: Account.ID) async throws -> [AccountList] {
        try await self.context.db.read { try await $0.lists(of: viewer) }
    }

    /// One list of the viewer (404 for anyone else's).
    package func list(_ id: AccountList.ID, of viewer: Account.ID) async throws -> AccountList {
        guard let list = try await self.context.db.read({ try await $0.list(id: id, of: viewer) }) else {
            throw DomainError.notFound
        }
        return list
    }

    /// Creates a list, or changes one when `id` is given.
    package func save(
        _ id: AccountList.ID?,
        title: String?,
        repliesPolicy: String?,
        exclusive: Bool?,
        by viewer: Account.ID
    ) async throws -> AccountList {
        var list: AccountList
        if let id {
            list = try await self.list(id, of: viewer)
        } else {
            list = AccountList(
                id: self.context.ids.next(),
                accountID: viewer,
                title: "",
                repliesPolicy: .list,
                exclusive: false
            )
        }
        if let title { list.title = title.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard !list.title.isEmpty else { throw DomainError.validation("Validation failed: Title can't be blank") }
        guard list.title.count <= 256 else { throw DomainError.validation("Validation failed: Title is too long") }
        if let policy = repliesPolicy, !policy.isEmpty {
            guard let parsed = AccountList.RepliesPolicy(rawValue: policy) else {
                throw DomainError.validation("Validation failed: Replies policy is not included in the list")
            }
            list.repliesPolicy = parsed
        }
        if let exclusive { list.exclusive = exclusive }
        if id == nil {
            let count = try await self.context.db.read { try await $0.lists(of: viewer).count }
            guard count < 50 else {
                throw DomainError.validation("Validation failed: You cannot have more than 50 lists")
            }
        }
        let saved = list
        try await self.context.db.transaction { try await $0.saveList(saved) }
        return saved
    }

    /// Deletes one of the viewer's lists.
    package func delete(_ id: AccountList.ID, by viewer: Account.ID) async throws {
        let list = try await self.list(id, of: viewer)
        try await self.context.db.transaction { try await $0.deleteList(list.id) }
    }

    /// Adds accounts the viewer follows to a list; any account not followed makes the whole call a 404.
    package func addMembers(_ id: AccountList.ID, accounts: [Account.ID], by viewer: Account.ID) async throws {
        let list = try await self.list(id, of: viewer)
        guard !accounts.isEmpty, accounts.count <= 250 else {
            throw DomainError.validation("account_ids must list 1 to 250 accounts")
        }
        let followed = try await self.context.db.read { try await $0.follows(from: viewer, to: accounts) }
        guard accounts.allSatisfy({ followed[$0] != nil }) else { throw DomainError.notFound }
        try await self.context.db.transaction {
            try await $0.addListMembers(list.id, accounts: accounts) { self.context.ids.next() }
        }
    }

    /// Removes accounts from a list.
    package func removeMembers(_ id: AccountList.ID, accounts: [Account.ID], by viewer: Account.ID) async throws {
        let list = try await self.list(id, of: viewer)
        try await self.context.db.transaction { try await $0.removeListMembers(list.id, accounts: accounts) }
    }

    /// A page of a list's members.
    package func members(_ id: AccountList.ID, of viewer: Account.ID, page: PageRequest) async throws -> Page<
        AccountView
    > {
        let list = try await self.list(id, of: viewer)
        let rows = try await self.context.db.read { try await $0.listMembers(list.id, page: page) }
        return Page(
            items: rows.map { AccountView(account: $0.1, user: nil, urls: self.context.urls) },
            newestID: rows.first?.0,
            oldestID: rows.last?.0
        )
    }

    /// The viewer's lists that contain an account.
    package func lists(of viewer: Account.ID, containing member: Account.ID) async throws -> [AccountList] {
        try await self.context.db.read { try await $0.lists(of: viewer, containing: member) }
    }

    /// A list's timeline.
    package func timeline(_ id: AccountList.ID, for viewer: Account.ID, page: PageRequest) async throws -> Page<
        StatusView
    > {
        let list = try await self.list(id, of: viewer)
        let ids = try await self.context.db.read { try await $0.listTimeline(list, page: page) }
        let views = try await FilterProcessor(self.context).apply(
            try await self.hydrator.views(ids, for: viewer, timeline: true),
            for: viewer,
            in: .home
        )
        return Page(items: views, newestID: ids.first?.rawValue, oldestID: ids.last?.rawValue)
    }

    /// The timelines clients keep markers for.
    package static let markerTimelines: Set<String> = ["home", "notifications"]

    /// The viewer's markers for `timelines`.
    package func markers(of viewer: Account.ID, timelines: [String]) async throws -> [Marker] {
        let wanted = timelines.filter { Self.markerTimelines.contains($0) }
        return try await self.context.db.read { try await $0.markers(of: viewer, timelines: wanted) }
    }

    /// Moves markers (timeline → last read id) and returns them.
    package func saveMarkers(_ positions: [String: String], by viewer: Account.ID) async throws -> [Marker] {
        let valid = positions.filter { Self.markerTimelines.contains($0.key) }
        guard !valid.isEmpty else { throw DomainError.validation("Validation failed: no known timeline given") }
        for id in valid.values where Int64(id) == nil || id.count > 20 {
            throw DomainError.validation("Validation failed: last_read_id must be an id")
        }
        try await self.context.db.transaction { session in
            for (timeline, id) in valid.sorted(by: { $0.key < $1.key }) {
                try await session.saveMarker(of: viewer, timeline: timeline, lastReadID: id)
            }
        }
        return try await self.markers(of: viewer, timelines: Array(valid.keys))
    }
}
