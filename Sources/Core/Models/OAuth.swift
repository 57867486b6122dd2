import Foundation

/// A client application registered through `POST /api/v1/apps`.
package struct OAuthApplication: Sendable, Equatable {
    package typealias ID = EntityID<OAuthApplication>

    package var id: ID
    package var name: String
    package var website: String?
    package var redirectURIs: [String]
    package var scopes: ScopeSet
    package var clientID: String
    package var clientSecretHash: String
    package var createdAt: Date

    package init(
        id: ID,
        name: String,
        website: String?,
        redirectURIs: [String],
        scopes: ScopeSet,
        clientID: String,
        clientSecretHash: String,
        createdAt: Date
    ) {
        self.id = id
        self.name = name
        self.website = website
        self.redirectURIs = redirectURIs
        self.scopes = scopes
        self.clientID = clientID
        self.clientSecretHash = clientSecretHash
        self.createdAt = createdAt
    }

    /// The redirect URI that stands for "show the code on a page".
    package static let outOfBand = "urn:ietf:wg:oauth:2.0:oob"
}

/// An issued bearer token. Only its SHA-256 is stored.
package struct AccessToken: Sendable, Equatable {
    package typealias ID = EntityID<AccessToken>

    package var id: ID
    package var applicationID: OAuthApplication.ID?
    /// `nil` for client-credentials tokens, which act for the app only.
    package var userID: User.ID?
    package var scopes: ScopeSet
    package var createdAt: Date
    package var revokedAt: Date?

    package init(
        id: ID,
        applicationID: OAuthApplication.ID?,
        userID: User.ID?,
        scopes: ScopeSet,
        createdAt: Date,
        revokedAt: Date? = nil
    ) {
        self.id = id
        self.applicationID = applicationID
        self.userID = userID
        self.scopes = scopes
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

/// A one-time authorization code from the consent page (Mastodon's access grant).
package struct AuthorizationCode: Sendable, Equatable {
    package typealias ID = EntityID<AuthorizationCode>

    package var id: ID
    package var applicationID: OAuthApplication.ID
    package var userID: User.ID
    package var redirectURI: String
    package var scopes: ScopeSet
    package var codeChallenge: String?
    package var codeChallengeMethod: String?
    package var expiresAt: Date
    package var usedAt: Date?

    package init(
        id: ID,
        applicationID: OAuthApplication.ID,
        userID: User.ID,
        redirectURI: String,
        scopes: ScopeSet,
        codeChallenge: String?,
        codeChallengeMethod: String?,
        expiresAt: Date,
        usedAt: Date? = nil
    ) {
        self.id = id
        self.applicationID = applicationID
        self.userID = userID
        self.redirectURI = redirectURI
        self.scopes = scopes
        self.codeChallenge = codeChallenge
        self.codeChallengeMethod = codeChallengeMethod
        self.expiresAt = expiresAt
        self.usedAt = usedAt
    }
}

/// Who is making a request: the token's scopes, its app, and (for user tokens) the user and account.
package struct Viewer: Sendable, Equatable {
    /// Whether the user behind a token may act: Mastodon's `functional?`.
    package enum State: Sendable, Equatable {
        /// A client-credentials token: the app itself, no user.
        case application
        case functional
        case unconfirmed
        case pendingApproval
        /// Suspended or disabled by an admin.
        case disabled
    }

    package let tokenID: AccessToken.ID
    package let applicationID: OAuthApplication.ID?
    package let userID: User.ID?
    package let accountID: Account.ID?
    package let scopes: ScopeSet
    package let state: State

    package init(
        tokenID: AccessToken.ID,
        applicationID: OAuthApplication.ID?,
        userID: User.ID?,
        accountID: Account.ID?,
        scopes: ScopeSet,
        state: State
    ) {
        self.tokenID = tokenID
        self.applicationID = applicationID
        self.userID = userID
        self.accountID = accountID
        self.scopes = scopes
        self.state = state
    }
}

/// An application a user has live tokens for, as the "authorized applications" page lists it.
package struct AuthorizedApplication: Sendable, Equatable {
    package var application: OAuthApplication
    /// The union of the scopes of the user's live tokens for it.
    package var scopes: ScopeSet
    /// When the first live token was issued.
    package var authorizedAt: Date
    /// When a token of it was last used, if recorded.
    package var lastUsedAt: Date?

    package init(application: OAuthApplication, scopes: ScopeSet, authorizedAt: Date, lastUsedAt: Date?) {
        self.application = application
        self.scopes = scopes
        self.authorizedAt = authorizedAt
        self.lastUsedAt = lastUsedAt
    }
}
