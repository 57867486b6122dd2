import Core
import Foundation
import HTTPCommon
import Hummingbird
import Processing

/// https://docs.joinmastodon.org/entities/Rule/
struct RuleEntity: Encodable, Sendable {
    let id: String
    let text: String
    let hint: String
}

/// Limits the clients read to shape their compose box and uploads; shared by both instance versions.
struct ConfigurationEntity: Encodable, Sendable {
    struct URLs: Encodable, Sendable {
        let streaming: String
        @Nullable var status: String?
        @Nullable var about: String?
        @Nullable var privacyPolicy: String?
        @Nullable var termsOfService: String?

        enum CodingKeys: String, CodingKey {
            case streaming, status, about
            case privacyPolicy = "privacy_policy"
            case termsOfService = "terms_of_service"
        }
    }
    struct Vapid: Encodable, Sendable {
        let publicKey: String

        enum CodingKeys: String, CodingKey {
            case publicKey = "public_key"
        }
    }
    struct Accounts: Encodable, Sendable {
        let maxFeaturedTags: Int
        let maxPinnedStatuses: Int

        enum CodingKeys: String, CodingKey {
            case maxFeaturedTags = "max_featured_tags"
            case maxPinnedStatuses = "max_pinned_statuses"
        }
    }
    struct Statuses: Encodable, Sendable {
        let maxCharacters: Int
        let maxMediaAttachments: Int
        let charactersReservedPerUrl: Int

        enum CodingKeys: String, CodingKey {
            case maxCharacters = "max_characters"
            case maxMediaAttachments = "max_media_attachments"
            case charactersReservedPerUrl = "characters_reserved_per_url"
        }
    }
    struct MediaAttachments: Encodable, Sendable {
        let supportedMimeTypes: [String]
        let descriptionLimit: Int
        let imageSizeLimit: Int
        let imageMatrixLimit: Int
        let videoSizeLimit: Int
        let videoFrameRateLimit: Int
        let videoMatrixLimit: Int

        enum CodingKeys: String, CodingKey {
            case supportedMimeTypes = "supported_mime_types"
            case descriptionLimit = "description_limit"
            case imageSizeLimit = "image_size_limit"
            case imageMatrixLimit = "image_matrix_limit"
            case videoSizeLimit = "video_size_limit"
            case videoFrameRateLimit = "video_frame_rate_limit"
            case videoMatrixLimit = "video_matrix_limit"
        }
    }
    struct Polls: Encodable, Sendable {
        let maxOptions: Int
        let maxCharactersPerOption: Int
        let minExpiration: Int
        let maxExpiration: Int

        enum CodingKeys: String, CodingKey {
            case maxOptions = "max_options"
            case maxCharactersPerOption = "max_characters_per_option"
            case minExpiration = "min_expiration"
            case maxExpiration = "max_expiration"
        }
    }
    struct Translation: Encodable, Sendable { let enabled: Bool }

    var urls: URLs?
    var vapid: Vapid?
    var accounts: Accounts?
    let statuses: Statuses
    let mediaAttachments: MediaAttachments
    let polls: Polls
    var translation: Translation?

    init(_ view: InstanceProcessor.InstanceView, version: Int) {
        if version == 2 {
            self.urls = URLs(
                streaming: view.urls.streaming,
                status: nil,
                about: "\(view.urls.base)/about",
                privacyPolicy: nil,
                termsOfService: nil
            )
            self.vapid = Vapid(publicKey: view.vapidKey)
            self.accounts = Accounts(maxFeaturedTags: 10, maxPinnedStatuses: 5)
            self.translation = Translation(enabled: false)
        }
        self.statuses = Statuses(
            maxCharacters: view.settings.maxCharacters,
            maxMediaAttachments: 4,
            charactersReservedPerUrl: TextFormatter.urlCharacterCount
        )
        self.mediaAttachments = MediaAttachments(
            supportedMimeTypes: view.mediaTypes,
            descriptionLimit: 1500,
            imageSizeLimit: 16_777_216,
            imageMatrixLimit: 33_177_600,
            videoSizeLimit: 103_809_024,
            videoFrameRateLimit: 120,
            videoMatrixLimit: 8_294_400
        )
        self.polls = Polls(maxOptions: 4, maxCharactersPerOption: 50, minExpiration: 300, maxExpiration: 2_629_746)
    }

    enum CodingKeys: String, CodingKey {
        case urls, vapid, accounts, statuses
        case mediaAttachments = "media_attachments"
        case polls, translation
    }
}

/// https://docs.joinmastodon.org/entities/V1_Instance/
struct InstanceV1Entity: ResponseEncodable, Sendable {
    struct URLs: Encodable, Sendable {
        let streamingApi: String

        enum CodingKeys: String, CodingKey {
            case streamingApi = "streaming_api"
        }
    }
    struct Stats: Encodable, Sendable {
        let userCount: Int
        let statusCount: Int
        let domainCount: Int

        enum CodingKeys: String, CodingKey {
            case userCount = "user_count"
            case statusCount = "status_count"
            case domainCount = "domain_count"
        }
    }

    let uri: String
    let title: String
    let shortDescription: String
    let description: String
    let email: String
    let version: String
    let urls: URLs
    let stats: Stats
    @Nullable var thumbnail: String?
    let languages: [String]
    let registrations: Bool
    let approvalRequired: Bool
    let invitesEnabled: Bool
    let configuration: ConfigurationEntity
    @Nullable var contactAccount: AccountEntity?
    let rules: [RuleEntity]

    init(_ view: InstanceProcessor.InstanceView) {
        let settings = view.settings
        self.uri = view.urls.domain
        self.title = settings.title
        self.shortDescription = settings.shortDescription
        self.description = settings.description
        self.email = settings.contactEmail
        self.version = SoftwareVersion.instanceVersion
        self.urls = URLs(streamingApi: view.urls.streaming)
        self.stats = Stats(
            userCount: view.stats.localUsers,
            statusCount: view.stats.localStatuses,
            domainCount: view.stats.knownDomains
        )
        self.thumbnail = nil
        self.languages = settings.languages
        self.registrations = settings.registrations == .open || settings.registrations == .approval
        self.approvalRequired = settings.registrations == .approval
        self.invitesEnabled = settings.registrations != .closed
        self.configuration = ConfigurationEntity(view, version: 1)
        self.contactAccount = view.contact.map(AccountEntity.init)
        self.rules = settings.rules.map { RuleEntity(id: $0.id, text: $0.text, hint: $0.hint) }
    }

    enum CodingKeys: String, CodingKey {
        case uri, title
        case shortDescription = "short_description"
        case description, email, version, urls, stats, thumbnail
        case languages, registrations
        case approvalRequired = "approval_required"
        case invitesEnabled = "invites_enabled"
        case configuration
        case contactAccount = "contact_account"
        case rules
    }
}

/// https://docs.joinmastodon.org/entities/Instance/
struct InstanceV2Entity: ResponseEncodable, Sendable {
    struct Usage: Encodable, Sendable {
        struct Users: Encodable, Sendable {
            let activeMonth: Int

            enum CodingKeys: String, CodingKey {
                case activeMonth = "active_month"
            }
        }
        let users: Users
    }
    struct Thumbnail: Encodable, Sendable {
        let url: String
        @Nullable var blurhash: String?
        @Nullable var versions: [String: String]?
    }
    struct Registrations: Encodable, Sendable {
        let enabled: Bool
        let approvalRequired: Bool
        let reasonRequired: Bool
        @Nullable var message: String?
        @Nullable var url: String?
        @Nullable var minAge: Int?

        enum CodingKeys: String, CodingKey {
            case enabled
            case approvalRequired = "approval_required"
            case reasonRequired = "reason_required"
            case message, url
            case minAge = "min_age"
        }
    }
    struct Contact: Encodable, Sendable {
        let email: String
        @Nullable var account: AccountEntity?
    }
    struct APIVersions: Encodable, Sendable { let mastodon: Int }

    let domain: String
    let title: String
    let version: String
    let sourceUrl: String
    let description: String
    let usage: Usage
    let thumbnail: Thumbnail
    let icon: [String]
    let languages: [String]
    let configuration: ConfigurationEntity
    let registrations: Registrations
    let apiVersions: APIVersions
    let contact: Contact
    let rules: [RuleEntity]

    init(_ view: InstanceProcessor.InstanceView) {
        let settings = view.settings
        self.domain = view.urls.domain
        self.title = settings.title
        self.version = SoftwareVersion.instanceVersion
        self.sourceUrl = settings.sourceURL
        self.description = settings.shortDescription.isEmpty ? settings.description : settings.shortDescription
        self.usage = Usage(users: .init(activeMonth: view.stats.activeMonth))
        self.thumbnail = Thumbnail(url: "\(view.urls.base)/thumbnail.png", blurhash: nil, versions: nil)
        self.icon = []
        self.languages = settings.languages
        self.configuration = ConfigurationEntity(view, version: 2)
        self.registrations = Registrations(
            enabled: settings.registrations == .open || settings.registrations == .approval,
            approvalRequired: settings.registrations == .approval,
            reasonRequired: settings.registrations == .approval,
            message: nil,
            url: nil,
            minAge: nil
        )
        self.apiVersions = APIVersions(mastodon: 2)
        self.contact = Contact(email: settings.contactEmail, account: view.contact.map(AccountEntity.init))
        self.rules = settings.rules.map { RuleEntity(id: $0.id, text: $0.text, hint: $0.hint) }
    }

    enum CodingKeys: String, CodingKey {
        case domain, title, version
        case sourceUrl = "source_url"
        case description, usage, thumbnail, icon, languages
        case configuration, registrations
        case apiVersions = "api_versions"
        case contact, rules
    }
}

/// One week of https://docs.joinmastodon.org/methods/instance/#activity (numbers as strings, as Mastodon sends).
struct ActivityEntity: Encodable, Sendable {
    let week: String
    let statuses: String
    let logins: String
    let registrations: String

    init(_ week: InstanceProcessor.WeekActivity) {
        self.week = String(Int(week.week.timeIntervalSince1970))
        self.statuses = String(week.statuses)
        self.logins = String(week.logins)
        self.registrations = String(week.registrations)
    }
}
