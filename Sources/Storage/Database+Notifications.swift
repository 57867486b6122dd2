import Core
import Foundation
import SQLKit

struct NotificationRow: Decodable {
    var id: Int64
    var accountId: Int64
    var fromAccountId: Int64
    var type: String
    var statusId: Int64?
    var createdAt: Int64
    var filtered: Bool

    enum CodingKeys: String, CodingKey {
        case id
        case accountId = "account_id"
        case fromAccountId = "from_account_id"
        case type
        case statusId = "status_id"
        case createdAt = "created_at"
        case filtered
    }

    func notification() throws -> Core.Notification {
        guard let kind = Core.Notification.Kind(rawValue: self.type) else {
            throw StorageError.corruptRow("notifications.type of \(self.id)")
        }
        var notification = Core.Notification(
            id: Core.Notification.ID(self.id),
            accountID: Account.ID(self.accountId),
            fromAccountID: Account.ID(self.fromAccountId),
            kind: kind,
            statusID: self.statusId.map { Status.ID($0) },
            createdAt: Date(millisecondsSince1970: self.createdAt)
        )
        notification.filtered = self.filtered
        return notification
    }
}

extension DBSession {
    /// Records a notification; the same (recipient, sender, type, status) is recorded once. The
    /// recipient's notification policy is applied here, where every notification passes: a dropped one
    /// is not recorded, a filtered one is recorded as such under a notification request (without a
    /// stream event or a push).
    package func insertNotification(_ proposed: Core.Notification) async throws {
        var notification = proposed
        switch try await self.policyAction(for: notification) {
        case .drop: return
        case .filter: notification.filtered = true
        case .accept: break
        }
        let inserted = try await self.sql.raw(
            """
            INSERT INTO notifications (id, account_id, from_account_id, type, status_id, created_at, filtered)
            VALUES (\(bind: notification.id.rawValue), \(bind: notification.accountID.rawValue),
                \(bind: notification.fromAccountID.rawValue), \(bind: notification.kind.rawValue),
                \(bind: notification.statusID?.rawValue), \(bind: notification.createdAt.millisecondsSince1970),
                \(bind: notification.filtered))
            ON CONFLICT DO NOTHING
            RETURNING id
            """
        ).all()
        guard !inserted.isEmpty else { return }
        if notification.filtered {
            try await self.fileNotificationRequest(for: notification)
            return
        }
        self.emit(.notification(notification.id, account: notification.accountID))
        // A push for each notification of an account with a push subscription, in the same transaction.
        // The job reuses the notification's id (ids are unique across tables).
        let push = Job.webPush(notificationID: notification.id.rawValue)
        try await self.sql.raw(
            """
            INSERT INTO jobs (id, kind, payload, run_at, max_attempts, created_at)
            SELECT \(bind: notification.id.rawValue), \(bind: push.kind), \(bind: try push.payload()),
                \(bind: self.nowMillis), 5, \(bind: self.nowMillis)
            WHERE EXISTS (SELECT 1 FROM push_subscriptions WHERE account_id = \(bind: notification.accountID.rawValue))
            ON CONFLICT DO NOTHING
            """
        ).run()
    }

    /// A page of an account's notifications, newest first, filtered by type and sender.
    package func notifications(
        of account: Account.ID,
        types: [Core.Notification.Kind]?,
        excludeTypes: [Core.Notification.Kind],
        from sender: Account.ID?,
        includeFiltered: Bool = false,
        page: PageRequest
    ) async throws -> [Core.Notification] {
        var query = SQLQueryString("SELECT * FROM notifications WHERE account_id = ")
        query.appendInterpolation(bind: account.rawValue)
        if !includeFiltered { query.appendLiteral(" AND filtered = FALSE") }
        if let types {
            guard !types.isEmpty else { return [] }
            query.appendLiteral(" AND type IN (")
            query.appendInterpolation(binds: types.map(\.rawValue))
            query.appendLiteral(")")
        }
        if !excludeTypes.isEmpty {
            query.appendLiteral(" AND type NOT IN (")
            query.appendInterpolation(binds: excludeTypes.map(\.rawValue))
            query.appendLiteral(")")
        }
        if let sender {
            query.appendLiteral(" AND from_account_id = ")
            query.appendInterpolation(bind: sender.rawValue)
        }
        let rows = try await self.sql.raw(Self.paged(query, column: "id", page: page)).all()
        return try Self.ordered(rows, page: page).map {
            try $0.decode(model: NotificationRow.self).notification()
        }
    }

    /// One notification of an account.
    /// A notification by id, whoever it is for (the push job).
    package func notification(id: Core.Notification.ID) async throws -> Core.Notification? {
        try await self.sql.raw("SELECT * FROM notifications WHERE id = \(bind: id.rawValue)").first()?
            .decode(model: NotificationRow.self).notification()
    }

    package func notification(id: Core.Notification.ID, of account: Account.ID) async throws -> Core.Notification? {
        try await self.sql.raw(
            "SELECT * FROM notifications WHERE id = \(bind: id.rawValue) AND account_id = \(bind: account.rawValue)"
        ).first()?.decode(model: NotificationRow.self).notification()
    }

    /// Deletes one notification (or all of them when `id` is nil) of an account.
    package func deleteNotifications(of account: Account.ID, id: Core.Notification.ID?) async throws {
        if let id {
            try await self.sql.raw(
                "DELETE FROM notifications WHERE id = \(bind: id.rawValue) AND account_id = \(bind: account.rawValue)"
            ).run()
        } else {
            try await self.sql.raw("DELETE FROM notifications WHERE account_id = \(bind: account.rawValue)").run()
        }
    }

    /// Removes the notifications one action caused (an unfavourite withdraws the favourite's notification).
    package func deleteNotifications(
        to account: Account.ID,
        from sender: Account.ID,
        kind: Core.Notification.Kind,
        status: Status.ID?
    ) async throws {
        try await self.sql.raw(
            """
            DELETE FROM notifications WHERE account_id = \(bind: account.rawValue)
            AND from_account_id = \(bind: sender.rawValue) AND type = \(bind: kind.rawValue)
            AND COALESCE(status_id, 0) = \(bind: status?.rawValue ?? 0)
            """
        ).run()
    }

    /// How many notifications newer than `after` an account has (capped by `limit`).
    package func unreadNotificationCount(of account: Account.ID, after: Int64?, limit: Int) async throws -> Int {
        try await self.sql.raw(
            """
            SELECT COUNT(*) AS n FROM (SELECT id FROM notifications WHERE account_id = \(bind: account.rawValue)
            AND filtered = FALSE AND id > \(bind: after ?? 0) LIMIT \(bind: limit)) recent
            """
        ).first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
