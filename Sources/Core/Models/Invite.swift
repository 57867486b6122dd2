import Foundation

/// An invite link made by a user: it lets people sign up whatever the registration mode says
/// (`/invite/CODE`, `invite_code` in the registration API), skips approval, and may make the new
/// account follow the inviter.
package struct Invite: Sendable, Equatable {
    package typealias ID = EntityID<Invite>

    package var id: ID
    package var userID: User.ID
    /// The random code in the link.
    package var code: String
    /// How many sign-ups it allows; `nil` for no limit.
    package var maxUses: Int?
    package var uses: Int
    /// When it stops working; `nil` for never.
    package var expiresAt: Date?
    /// Whether people who sign up with it follow the inviter.
    package var autofollow: Bool
    /// A note for the inviter, never shown to the invited.
    package var comment: String?
    package var createdAt: Date

    package init(
        id: ID,
        userID: User.ID,
        code: String,
        maxUses: Int?,
        uses: Int = 0,
        expiresAt: Date?,
        autofollow: Bool,
        comment: String?,
        createdAt: Date
    ) {
        self.id = id
        self.userID = userID
        self.code = code
        self.maxUses = maxUses
        self.uses = uses
        self.expiresAt = expiresAt
        self.autofollow = autofollow
        self.comment = comment
        self.createdAt = createdAt
    }

    /// Whether someone may still sign up with it at `now`.
    package func isUsable(at now: Date) -> Bool {
        if let expiresAt, expiresAt <= now { return false }
        if let maxUses, self.uses >= maxUses { return false }
        return true
    }
}
