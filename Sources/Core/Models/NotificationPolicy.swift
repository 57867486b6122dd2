import Foundation

/// Which notifications a person wants from whom (Mastodon 4.3's notification policy): for each kind of
/// sender, accept the notification, file it away as a notification request, or drop it.
package struct NotificationPolicy: Sendable, Equatable {
    /// What happens to a notification from such a sender, the milder first.
    package enum Action: String, Sendable, CaseIterable, Comparable {
        case accept, filter, drop

        package static func < (a: Action, b: Action) -> Bool {
            Self.allCases.firstIndex(of: a)! < Self.allCases.firstIndex(of: b)!
        }
    }

    /// From accounts the recipient does not follow.
    package var forNotFollowing: Action = .accept
    /// From accounts that do not follow the recipient (or have for less than three days).
    package var forNotFollowers: Action = .accept
    /// From accounts made in the last 30 days.
    package var forNewAccounts: Action = .accept
    /// Direct mentions from accounts the recipient does not follow.
    package var forPrivateMentions: Action = .accept
    /// From accounts a moderator limited.
    package var forLimitedAccounts: Action = .accept

    package init() {}

    /// Everything is accepted: nothing about the sender needs to be looked up.
    package var acceptsAll: Bool {
        [
            self.forNotFollowing, self.forNotFollowers, self.forNewAccounts, self.forPrivateMentions,
            self.forLimitedAccounts,
        ].allSatisfy { $0 == .accept }
    }

    /// What is known about the sender of a notification when it is made.
    package struct Sender: Sendable, Equatable {
        package var recipientFollowsSender: Bool
        /// The sender follows the recipient, and has for three days or more.
        package var followsRecipient: Bool
        package var isNew: Bool
        package var isPrivateMention: Bool
        package var isLimited: Bool

        package init(
            recipientFollowsSender: Bool,
            followsRecipient: Bool,
            isNew: Bool,
            isPrivateMention: Bool,
            isLimited: Bool
        ) {
            self.recipientFollowsSender = recipientFollowsSender
            self.followsRecipient = followsRecipient
            self.isNew = isNew
            self.isPrivateMention = isPrivateMention
            self.isLimited = isLimited
        }
    }

    /// The strictest action among the rules the sender falls under.
    package func action(for sender: Sender) -> Action {
        var rules: [Action] = []
        if !sender.recipientFollowsSender { rules.append(self.forNotFollowing) }
        if !sender.followsRecipient { rules.append(self.forNotFollowers) }
        if sender.isNew { rules.append(self.forNewAccounts) }
        if sender.isPrivateMention && !sender.recipientFollowsSender { rules.append(self.forPrivateMentions) }
        if sender.isLimited { rules.append(self.forLimitedAccounts) }
        return rules.max() ?? .accept
    }

    /// Kinds a policy may filter: what someone else chose to do to the recipient. A poll ending, an
    /// edit of a post the recipient interacted with, and a move of an account they follow are not.
    package static func filters(_ kind: Notification.Kind) -> Bool {
        switch kind {
        case .mention, .status, .reblog, .follow, .followRequest, .favourite: true
        case .poll, .update, .move: false
        }
    }

    /// How young an account is "new", and how long a follow must be old to count.
    package static let newAccountAge: TimeInterval = 30 * 86_400
    package static let settledFollowAge: TimeInterval = 3 * 86_400
}

/// Notifications a policy filtered, by sender: the recipient accepts them (and all later ones from
/// the sender) or dismisses them.
package struct NotificationRequest: Sendable, Equatable {
    package typealias ID = EntityID<NotificationRequest>

    package var id: ID
    package var accountID: Account.ID
    package var fromAccountID: Account.ID
    package var lastStatusID: Status.ID?
    package var notificationsCount: Int
    package var createdAt: Date
    package var updatedAt: Date

    package init(
        id: ID,
        accountID: Account.ID,
        fromAccountID: Account.ID,
        lastStatusID: Status.ID?,
        notificationsCount: Int,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.accountID = accountID
        self.fromAccountID = fromAccountID
        self.lastStatusID = lastStatusID
        self.notificationsCount = notificationsCount
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
