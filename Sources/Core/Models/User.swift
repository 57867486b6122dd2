import Foundation

/// The sign-in side of a local account: email, password, role and approval state.
package struct User: Sendable, Equatable {
    package typealias ID = EntityID<User>

    /// The role of a user on this server.
    package enum Role: String, Sendable, Codable, CaseIterable {
        case user, moderator, admin
    }

    package var id: ID
    package var accountID: Account.ID
    package var email: String
    package var passwordHash: String
    package var role: Role
    package var confirmedAt: Date?
    package var approved: Bool
    package var reason: String?
    package var locale: String
    package var settings: UserSettings
    package var createdAt: Date

    package init(
        id: ID,
        accountID: Account.ID,
        email: String,
        passwordHash: String,
        role: Role = .user,
        confirmedAt: Date?,
        approved: Bool,
        reason: String? = nil,
        locale: String = "en",
        settings: UserSettings = UserSettings(),
        createdAt: Date
    ) {
        self.id = id
        self.accountID = accountID
        self.email = email
        self.passwordHash = passwordHash
        self.role = role
        self.confirmedAt = confirmedAt
        self.approved = approved
        self.reason = reason
        self.locale = locale
        self.settings = settings
        self.createdAt = createdAt
    }

    /// Whether the user may sign in: email confirmed and, under approval mode, approved.
    package var canSignIn: Bool { self.confirmedAt != nil && self.approved }
}

/// A user's preferences (`/api/v1/preferences`, `source` in verify_credentials).
package struct UserSettings: Sendable, Equatable, Codable {
    package var defaultVisibility: Visibility = .public
    package var defaultSensitive: Bool = false
    package var defaultLanguage: String?
    package var expandMedia: String = "default"
    package var expandSpoilers: Bool = false

    package init() {}
}

/// Who may see a status, in Mastodon's words.
package enum Visibility: String, Sendable, Codable, CaseIterable {
    case `public`, unlisted, `private`, direct
}

/// A one-time secret sent by email: it confirms an address or allows a new password.
/// Only its SHA-256 is stored; the secret itself is in the mail.
package struct UserToken: Sendable, Equatable {
    package enum Purpose: String, Sendable, Codable {
        /// Confirms `email` (the sign-up address, or a new one the user asked for).
        case confirmEmail = "confirm_email"
        /// Allows setting a new password without the old one.
        case resetPassword = "reset_password"
        /// A password checked on the sign-in page, waiting for the second factor.
        case signInChallenge = "sign_in_challenge"
    }

    package var hash: String
    package var userID: User.ID
    package var purpose: Purpose
    /// The address this token confirms (for `.confirmEmail`).
    package var email: String?
    package var createdAt: Date
    package var expiresAt: Date
    /// Wrong second-factor codes entered against this token (sign-in challenges).
    package var attempts = 0

    package init(hash: String, userID: User.ID, purpose: Purpose, email: String?, createdAt: Date, expiresAt: Date) {
        self.hash = hash
        self.userID = userID
        self.purpose = purpose
        self.email = email
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// A user's two-factor state as stored: the TOTP secret (base32) once enabled, one being set up,
/// the last time step a code was accepted for, and SHA-256 hashes of the unused recovery codes.
package struct TwoFactorRecord: Sendable, Equatable {
    package var secret: String?
    package var pendingSecret: String?
    package var lastStep: Int64?
    package var recoveryCodeHashes: [String]

    package init(secret: String?, pendingSecret: String?, lastStep: Int64?, recoveryCodeHashes: [String]) {
        self.secret = secret
        self.pendingSecret = pendingSecret
        self.lastStep = lastStep
        self.recoveryCodeHashes = recoveryCodeHashes
    }

    package var isEnabled: Bool { self.secret != nil }
}

/// Which local accounts the admin account listing returns: the filters of the admin API and the CLI.
package struct LocalAccountQuery: Sendable {
    /// Only sign-ups waiting for approval.
    package var pendingOnly = false
    /// Only admins and moderators.
    package var staffOnly = false
    /// Case-insensitive substrings of the username and the email.
    package var usernameContains: String?
    package var emailContains: String?
    /// Ids below / above (a page).
    package var maxID: Int64?
    package var sinceID: Int64?
    package var limit: Int
    package var oldestFirst = false

    package init(limit: Int) {
        self.limit = limit
    }
}
