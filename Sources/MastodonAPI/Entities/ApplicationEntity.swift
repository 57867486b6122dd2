import Core
import Hummingbird

/// https://docs.joinmastodon.org/entities/Application/ — `client_id`/`client_secret` only when just
/// registered (CredentialApplication).
struct ApplicationEntity: ResponseEncodable, Sendable {
    let id: String
    let name: String
    @Nullable var website: String?
    let scopes: [String]
    let redirectUri: String
    let redirectUris: [String]
    let vapidKey: String
    var clientId: String?
    var clientSecret: String?
    var clientSecretExpiresAt: Int?

    init(_ app: OAuthApplication, vapidKey: String, clientSecret: String? = nil) {
        self.id = app.id.description
        self.name = app.name
        self.website = app.website
        self.scopes = app.scopes.scopes
        self.redirectUri = app.redirectURIs.joined(separator: "\n")
        self.redirectUris = app.redirectURIs
        self.vapidKey = vapidKey
        if let clientSecret {
            self.clientId = app.clientID
            self.clientSecret = clientSecret
            self.clientSecretExpiresAt = 0
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, name, website, scopes
        case redirectUri = "redirect_uri"
        case redirectUris = "redirect_uris"
        case vapidKey = "vapid_key"
        case clientId = "client_id"
        case clientSecret = "client_secret"
        case clientSecretExpiresAt = "client_secret_expires_at"
    }
}

/// https://docs.joinmastodon.org/entities/Token/
struct TokenEntity: ResponseEncodable, Sendable {
    let accessToken: String
    let tokenType: String
    let scope: String
    let createdAt: Int

    init(accessToken: String, scope: String, createdAt: Int) {
        self.accessToken = accessToken
        self.tokenType = "Bearer"
        self.scope = scope
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case tokenType = "token_type"
        case scope
        case createdAt = "created_at"
    }
}

/// https://docs.joinmastodon.org/entities/Preferences/ — keys contain colons, so they are spelled out.
struct PreferencesEntity: ResponseEncodable, Sendable {
    let visibility: String
    let sensitive: Bool
    let language: String?
    let expandMedia: String
    let expandSpoilers: Bool

    init(_ settings: UserSettings) {
        self.visibility = settings.defaultVisibility.rawValue
        self.sensitive = settings.defaultSensitive
        self.language = settings.defaultLanguage
        self.expandMedia = settings.expandMedia
        self.expandSpoilers = settings.expandSpoilers
    }

    enum CodingKeys: String, CodingKey {
        case visibility = "posting:default:visibility"
        case sensitive = "posting:default:sensitive"
        case language = "posting:default:language"
        case expandMedia = "reading:expand:media"
        case expandSpoilers = "reading:expand:spoilers"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.visibility, forKey: .visibility)
        try container.encode(self.sensitive, forKey: .sensitive)
        try container.encode(self.language, forKey: .language)
        try container.encode(self.expandMedia, forKey: .expandMedia)
        try container.encode(self.expandSpoilers, forKey: .expandSpoilers)
    }
}
