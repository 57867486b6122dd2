import Core
import SQLKit

/// One account's view of a direct-message conversation.
package struct ConversationRecord: Sendable, Equatable {
    package let id: Int64
    package let participants: [Account.ID]
    package let lastStatusID: Status.ID
    package let unread: Bool
}

extension DBSession {
    /// Records a new direct status in the conversation of `account` with the other `participants`.
    package func touchConversation(
        id: Int64,
        account: Account.ID,
        participants: [Account.ID],
        status: Status.ID,
        unread: Bool
    ) async throws {
        let key = participants.map(\.rawValue).sorted().map(String.init).joined(separator: ",")
        try await self.sql.raw(
            """
            INSERT INTO conversations (id, account_id, participants, last_status_id, unread)
            VALUES (\(bind: id), \(bind: account.rawValue), \(bind: key), \(bind: status.rawValue), \(bind: unread))
            ON CONFLICT (account_id, participants)
            DO UPDATE SET last_status_id = \(bind: status.rawValue), unread = \(bind: unread)
            """
        ).run()
    }

    /// A page of an account's conversations, most recent first, paged by last status id.
    package func conversations(of account: Account.ID, page: PageRequest) async throws -> [ConversationRecord] {
        var query = SQLQueryString(
            "SELECT id, participants, last_status_id, unread FROM conversations WHERE account_id = "
        )
        query.appendInterpolation(bind: account.rawValue)
        let rows = try await self.sql.raw(Self.paged(query, column: "last_status_id", page: page)).all()
        return try Self.ordered(rows, page: page).map(Self.decodeConversation)
    }

    /// One conversation of an account.
    package func conversation(id: Int64, of account: Account.ID) async throws -> ConversationRecord? {
        try await self.sql.raw(
            """
            SELECT id, participants, last_status_id, unread FROM conversations
            WHERE id = \(bind: id) AND account_id = \(bind: account.rawValue)
            """
        ).first().map(Self.decodeConversation)
    }

    /// Marks a conversation read.
    package func markConversationRead(id: Int64, of account: Account.ID) async throws {
        try await self.sql.raw(
            "UPDATE conversations SET unread = FALSE WHERE id = \(bind: id) AND account_id = \(bind: account.rawValue)"
        ).run()
    }

    /// Removes a conversation from an account's list (the statuses stay).
    package func deleteConversation(id: Int64, of account: Account.ID) async throws {
        try await self.sql.raw(
            "DELETE FROM conversations WHERE id = \(bind: id) AND account_id = \(bind: account.rawValue)"
        ).run()
    }

    private static func decodeConversation(_ row: any SQLRow) throws -> ConversationRecord {
        let key = try row.decode(column: "participants", as: String.self)
        return ConversationRecord(
            id: try row.decode(column: "id", as: Int64.self),
            participants: key.split(separator: ",").compactMap { Int64($0) }.map { Account.ID($0) },
            lastStatusID: Status.ID(try row.decode(column: "last_status_id", as: Int64.self)),
            unread: try row.decode(column: "unread", as: Bool.self)
        )
    }
}
