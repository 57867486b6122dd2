/// How new people may join this server.
package enum RegistrationMode: String, Sendable, Codable, CaseIterable {
    /// Anyone may sign up.
    case open
    /// Sign-ups wait for an admin's approval, with a reason.
    case approval
    /// Only people with an invite link may sign up.
    case invite
    /// Nobody may sign up (single-user servers use this).
    case closed
}

/// What the server says about itself: title, description, contact, rules and limits.
package struct InstanceSettings: Sendable, Equatable {
    /// One server rule shown at sign-up.
    package struct Rule: Sendable, Equatable {
        package var id: String
        package var text: String
        package var hint: String

        package init(id: String, text: String, hint: String = "") {
            self.id = id
            self.text = text
            self.hint = hint
        }
    }

    package var title: String
    package var description: String
    package var shortDescription: String
    package var contactEmail: String
    package var contactUsername: String?
    package var rules: [Rule]
    package var registrations: RegistrationMode
    package var maxCharacters: Int
    package var languages: [String]
    /// Where the server's source code is published (`source_url`); empty when not set.
    package var sourceURL: String = ""
    /// One person's server: `/` shows the oldest local account's profile and nobody may sign up
    /// (Mastodon's `SINGLE_USER_MODE`); configuration loading closes `registrations` with it.
    package var singleUserMode: Bool = false
    /// The folder holding `ffprobe` and `ffmpeg`, which video and audio uploads need; nil looks on `PATH`.
    package var ffmpegDirectory: String?

    package init(
        title: String = "Tern",
        description: String = "",
        shortDescription: String = "",
        contactEmail: String = "",
        contactUsername: String? = nil,
        rules: [Rule] = [],
        registrations: RegistrationMode = .open,
        maxCharacters: Int = 500,
        languages: [String] = ["en"]
    ) {
        self.title = title
        self.description = description
        self.shortDescription = shortDescription
        self.contactEmail = contactEmail
        self.contactUsername = contactUsername
        self.rules = rules
        self.registrations = registrations
        self.maxCharacters = maxCharacters
        self.languages = languages
    }
}

/// The software's name and version as clients and NodeInfo see them.
package enum SoftwareVersion {
    /// Tern's own version.
    package static let tern = "0.1.0"
    /// The Mastodon API version Tern speaks; clients gate features on the leading number.
    package static let mastodonCompatible = "4.5.0"
    /// What `/api/v1/instance` reports as `version`.
    package static var instanceVersion: String { "\(mastodonCompatible) (compatible; Tern \(tern))" }
    /// The `User-Agent` of outbound requests, naming Tern, its version and the server (as Mastodon does).
    package static func userAgent(_ base: String) -> String { "Tern/\(tern) (+\(base)/)" }
}
