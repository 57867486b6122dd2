import Core
import Foundation
import SQLKit

struct NotificationRequestRow: Decodable {
    var id: Int64
    var accountId: Int64
    var fromAccountId: Int64
    var lastStatusId: Int64?
    var notificationsCount: Int
    var createdAt: Int64
    var updatedAt: Int64

    enum CodingKeys: String, CodingKey {
        case id
        case accountId = "account_id"
        case fromAccountId = "from_account_id"
        case lastStatusId = "last_status_id"
        case notificationsCount = "notifications_count"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    var request: NotificationRequest {
        NotificationRequest(
            id: NotificationRequest.ID(self.id),
            accountID: Account.ID(self.accountId),
            fromAccountID: Account.ID(self.fromAccountId),
            lastStatusID: self.lastStatusId.map { Status.ID($0) },
            notificationsCount: self.notificationsCount,
            createdAt: Date(millisecondsSince1970: self.createdAt),
            updatedAt: Date(millisecondsSince1970: self.updatedAt)
        )
    }
}

extension DBSession {
    // MARK: Policies

    /// An account's notification policy (everything accepted until it sets one).
    package func notificationPolicy(of account: Account.ID) async throws -> NotificationPolicy {
        guard
            let row = try await self.sql.raw(
                "SELECT * FROM notification_policies WHERE account_id = \(bind: account.rawValue)"
            ).first()
        else { return NotificationPolicy() }
        func action(_ column: String) throws -> NotificationPolicy.Action {
            NotificationPolicy.Action(rawValue: try row.decode(column: column, as: String.self)) ?? .accept
        }
        var policy = NotificationPolicy()
        policy.forNotFollowing = try action("for_not_following")
        policy.forNotFollowers = try action("for_not_followers")
        policy.forNewAccounts = try action("for_new_accounts")
        policy.forPrivateMentions = try action("for_private_mentions")
        policy.forLimitedAccounts = try action("for_limited_accounts")
        return policy
    }

    package func saveNotificationPolicy(_ policy: NotificationPolicy, of account: Account.ID) async throws {
        try await self.sql.raw(
            """
            INSERT INTO notification_policies (account_id, for_not_following, for_not_followers, for_new_accounts,
                for_private_mentions, for_limited_accounts, updated_at)
            VALUES (\(bind: account.rawValue), \(bind: policy.forNotFollowing.rawValue),
                \(bind: policy.forNotFollowers.rawValue), \(bind: policy.forNewAccounts.rawValue),
                \(bind: policy.forPrivateMentions.rawValue), \(bind: policy.forLimitedAccounts.rawValue),
                \(bind: self.nowMillis))
            ON CONFLICT (account_id) DO UPDATE SET for_not_following = excluded.for_not_following,
                for_not_followers = excluded.for_not_followers, for_new_accounts = excluded.for_new_accounts,
                for_private_mentions = excluded.for_private_mentions,
                for_limited_accounts = excluded.for_limited_accounts, updated_at = excluded.updated_at
            """
        ).run()
    }

    /// What the recipient's policy does with a notification: one lookup when everything is accepted
    /// (the default), a few more about the sender otherwise.
    func policyAction(for notification: Core.Notification) async throws -> NotificationPolicy.Action {
        let recipient = notification.accountID
        let sender = notification.fromAccountID
        guard NotificationPolicy.filters(notification.kind), recipient != sender else { return .accept }
        let policy = try await self.notificationPolicy(of: recipient)
        guard !policy.acceptsAll else { return .accept }
        let permitted = try await self.sql.raw(
            """
            SELECT 1 AS one FROM notification_permissions
            WHERE account_id = \(bind: recipient.rawValue) AND from_account_id = \(bind: sender.rawValue)
            """
        ).first()
        guard permitted == nil, let from = try await self.account(id: sender) else { return .accept }
        let now = self.clock.now()
        let recipientFollows = try await self.follow(from: recipient, to: sender) != nil
        let followsBack = try await self.follow(from: sender, to: recipient)
        var privateMention = false
        if notification.kind == .mention, let statusID = notification.statusID {
            let row = try await self.sql.raw("SELECT visibility FROM statuses WHERE id = \(bind: statusID.rawValue)")
                .first()
            privateMention = try row?.decode(column: "visibility", as: String.self) == Visibility.direct.rawValue
        }
        return policy.action(
            for: NotificationPolicy.Sender(
                recipientFollowsSender: recipientFollows,
                followsRecipient: followsBack.map {
                    now.timeIntervalSince($0.createdAt) >= NotificationPolicy.settledFollowAge
                } ?? false,
                isNew: now.timeIntervalSince(from.createdAt) < NotificationPolicy.newAccountAge,
                isPrivateMention: privateMention,
                isLimited: false
            )
        )
    }

    /// Counts a filtered notification under the request for its sender, made on the first one (with the
    /// notification's id: ids are unique across tables).
    func fileNotificationRequest(for notification: Core.Notification) async throws {
        try await self.sql.raw(
            """
            INSERT INTO notification_requests (id, account_id, from_account_id, last_status_id, notifications_count,
                created_at, updated_at)
            VALUES (\(bind: notification.id.rawValue), \(bind: notification.accountID.rawValue),
                \(bind: notification.fromAccountID.rawValue), \(bind: notification.statusID?.rawValue), 1,
                \(bind: self.nowMillis), \(bind: self.nowMillis))
            ON CONFLICT (account_id, from_account_id) DO UPDATE SET
                notifications_count = notification_requests.notifications_count + 1,
                last_status_id = COALESCE(excluded.last_status_id, notification_requests.last_status_id),
                updated_at = excluded.updated_at
            """
        ).run()
    }

    // MARK: Requests

    /// A page of an account's notification requests, newest first.
    package func notificationRequests(of account: Account.ID, page: PageRequest) async throws -> [NotificationRequest] {
        var query = SQLQueryString("SELECT * FROM notification_requests WHERE account_id = ")
        query.appendInterpolation(bind: account.rawValue)
        let rows = try await self.sql.raw(Self.paged(query, column: "id", page: page)).all()
        return try Self.ordered(rows, page: page).map { try $0.decode(model: NotificationRequestRow.self).request }
    }

    /// One of an account's notification requests.
    package func notificationRequest(id: NotificationRequest.ID, of account: Account.ID) async throws
        -> NotificationRequest?
    {
        try await self.sql.raw(
            """
            SELECT * FROM notification_requests WHERE id = \(bind: id.rawValue) AND account_id = \(bind: account.rawValue)
            """
        ).first()?.decode(model: NotificationRequestRow.self).request
    }

    /// How many requests an account has, and how many notifications they hold.
    package func notificationRequestSummary(of account: Account.ID) async throws -> (requests: Int, notifications: Int)
    {
        let row = try await self.sql.raw(
            """
            SELECT COUNT(*) AS requests, COALESCE(SUM(notifications_count), 0) AS notifications
            FROM notification_requests WHERE account_id = \(bind: account.rawValue)
            """
        ).first()
        return (
            try row?.decode(column: "requests", as: Int.self) ?? 0,
            try row?.decode(column: "notifications", as: Int.self) ?? 0
        )
    }

    /// Accepts a request: its notifications join the others, and later ones from its sender are
    /// always accepted.
    package func acceptNotificationRequest(_ request: NotificationRequest) async throws {
        try await self.sql.raw(
            """
            INSERT INTO notification_permissions (account_id, from_account_id, created_at)
            VALUES (\(bind: request.accountID.rawValue), \(bind: request.fromAccountID.rawValue), \(bind: self.nowMillis))
            ON CONFLICT DO NOTHING
            """
        ).run()
        try await self.sql.raw(
            """
            UPDATE notifications SET filtered = FALSE
            WHERE account_id = \(bind: request.accountID.rawValue)
                AND from_account_id = \(bind: request.fromAccountID.rawValue) AND filtered = TRUE
            """
        ).run()
        try await self.sql.raw("DELETE FROM notification_requests WHERE id = \(bind: request.id.rawValue)").run()
    }

    /// Dismisses a request with the notifications filed under it.
    package func dismissNotificationRequest(_ request: NotificationRequest) async throws {
        try await self.sql.raw(
            """
            DELETE FROM notifications WHERE account_id = \(bind: request.accountID.rawValue)
                AND from_account_id = \(bind: request.fromAccountID.rawValue) AND filtered = TRUE
            """
        ).run()
        try await self.sql.raw("DELETE FROM notification_requests WHERE id = \(bind: request.id.rawValue)").run()
    }
}
