import Core
import Storage

/// Direct-message conversations: who talks with whom, the last message, and whether it was read.
package struct ConversationProcessor: Sendable {
    let context: ProcessingContext
    let hydrator: StatusHydrator

    init(_ context: ProcessingContext) {
        self.context = context
        self.hydrator = StatusHydrator(context: context)
    }

    /// A conversation as one participant sees it.
    package struct ConversationView: Sendable {
        package let id: Int64
        package let unread: Bool
        package let accounts: [AccountView]
        package let lastStatus: StatusView?
    }

    /// A page of the viewer's conversations.
    package func list(for viewer: Account.ID, page: PageRequest) async throws -> Page<ConversationView> {
        let records = try await self.context.db.read { try await $0.conversations(of: viewer, page: page) }
        let views = try await self.hydrate(records, for: viewer)
        return Page(
            items: views,
            newestID: records.first?.lastStatusID.rawValue,
            oldestID: records.last?.lastStatusID.rawValue
        )
    }

    /// Marks one conversation read and returns it.
    package func markRead(_ id: Int64, for viewer: Account.ID) async throws -> ConversationView {
        try await self.context.db.transaction { session in
            guard try await session.conversation(id: id, of: viewer) != nil else { throw DomainError.notFound }
            try await session.markConversationRead(id: id, of: viewer)
        }
        guard let record = try await self.context.db.read({ try await $0.conversation(id: id, of: viewer) }),
            let view = try await self.hydrate([record], for: viewer).first
        else { throw DomainError.notFound }
        return view
    }

    /// Removes a conversation from the viewer's list.
    package func remove(_ id: Int64, for viewer: Account.ID) async throws {
        try await self.context.db.transaction { session in
            guard try await session.conversation(id: id, of: viewer) != nil else { throw DomainError.notFound }
            try await session.deleteConversation(id: id, of: viewer)
        }
    }

    private func hydrate(_ records: [ConversationRecord], for viewer: Account.ID) async throws -> [ConversationView] {
        let statuses = try await self.hydrator.views(records.map(\.lastStatusID), for: viewer)
        let byID = Dictionary(statuses.map { ($0.status.id, $0) }, uniquingKeysWith: { a, _ in a })
        let accounts = try await self.context.db.read { session in
            Dictionary(
                try await session.accounts(ids: Array(Set(records.flatMap(\.participants)))).map { ($0.id, $0) },
                uniquingKeysWith: { a, _ in a }
            )
        }
        return records.map { record in
            ConversationView(
                id: record.id,
                unread: record.unread,
                accounts: record.participants.compactMap { accounts[$0] }.map {
                    AccountView(account: $0, user: nil, urls: self.context.urls)
                },
                lastStatus: byID[record.lastStatusID]
            )
        }
    }
}
