import Core
import Foundation
import Storage

extension AccountProcessor {
    /// What `update_credentials` may change; `nil` leaves a value as it is.
    package struct ProfileChanges: Sendable {
        package var displayName: String?
        package var note: String?
        package var locked: Bool?
        package var bot: Bool?
        package var discoverable: Bool?
        package var indexable: Bool?
        package var hideCollections: Bool?
        /// Replaces all fields when present (Mastodon's `fields_attributes`).
        package var fields: [(name: String, value: String)]?
        package var defaultVisibility: Visibility?
        package var defaultSensitive: Bool?
        package var defaultLanguage: String?

        package init() {}
    }

    /// Applies profile changes to the viewer's account, re-rendering the bio and field values as HTML.
    package func updateCredentials(of viewer: Viewer, _ changes: ProfileChanges) async throws -> AccountView {
        let current = try await self.credentials(of: viewer)
        guard var user = current.user else { throw DomainError.notFound }
        var account = current.account
        var details: [String: [DomainError.FieldError]] = [:]
        var messages: [String] = []
        func fail(_ key: String, _ code: String, _ text: String, _ label: String) {
            details[key, default: []].append(.init(code, text))
            messages.append("\(label) \(text)")
        }

        if let displayName = changes.displayName {
            if displayName.count > Validation.maxDisplayName {
                fail("display_name", "ERR_TOO_LONG", "is too long (maximum is 30 characters)", "Display name")
            }
            account.displayName = displayName
        }
        if let note = changes.note {
            if note.count > Validation.maxNote {
                fail("note", "ERR_TOO_LONG", "is too long (maximum is 500 characters)", "Note")
            }
            account.note = note
        }
        if let fields = changes.fields {
            let kept = fields.filter { !$0.name.isEmpty || !$0.value.isEmpty }
            if kept.count > Validation.maxFields {
                fail("fields", "ERR_TOO_LONG", "is too long (maximum is 4 fields)", "Fields")
            }
            if kept.contains(where: {
                $0.name.count > Validation.maxFieldLength || $0.value.count > Validation.maxFieldLength
            }) {
                fail("fields", "ERR_TOO_LONG", "is too long (maximum is 255 characters per name or value)", "Fields")
            }
            let previous = Dictionary(account.fields.map { ($0.value, $0.verifiedAt) }, uniquingKeysWith: { a, _ in a })
            account.fields = kept.map {
                Account.Field(name: $0.name, value: $0.value, verifiedAt: previous[$0.value] ?? nil)
            }
        }
        // New or changed values that are web pages get checked for a link back.
        let fieldsChanged = Set(account.fields.map(\.value)) != Set(current.account.fields.map(\.value))
        if let language = changes.defaultLanguage, !language.isEmpty,
            language.count > 8 || !language.allSatisfy({ $0.isLetter || $0 == "-" })
        {
            fail("source[language]", "ERR_INVALID", "is not a valid language code", "Language")
        }
        guard details.isEmpty else {
            throw DomainError.validation("Validation failed: \(messages.joined(separator: ", "))", details: details)
        }
        if let locked = changes.locked { account.locked = locked }
        if let bot = changes.bot { account.bot = bot }
        if let discoverable = changes.discoverable { account.discoverable = discoverable }
        if let indexable = changes.indexable { account.indexable = indexable }
        if let hide = changes.hideCollections { account.hideCollections = hide }
        if let visibility = changes.defaultVisibility { user.settings.defaultVisibility = visibility }
        if let sensitive = changes.defaultSensitive { user.settings.defaultSensitive = sensitive }
        if let language = changes.defaultLanguage { user.settings.defaultLanguage = language.isEmpty ? nil : language }

        try await self.render(&account)
        let updated = account
        let settings = user.settings
        let locale = user.locale
        let publicKey = try await self.context.federation.keys.publicKeyPEM(for: updated)
        try await self.context.db.transaction { session in
            try await session.updateProfile(updated)
            try await session.updateSettings(user.id, settings: settings, locale: locale)
            try await Outbox(self.context).updateProfile(updated, publicKey: publicKey, in: session)
            if fieldsChanged {
                try await session.enqueue(.verifyLinks(accountID: updated.id.rawValue), id: self.context.ids.next())
            }
        }
        return try await self.credentials(of: viewer)
    }

    /// Renders the bio and field values of a local account to HTML, linking mentions of known accounts.
    func render(_ account: inout Account) async throws {
        var tokens = Set(TextFormatter.scan(account.note).mentions)
        for field in account.fields { tokens.formUnion(TextFormatter.scan(field.value).mentions) }
        let resolved = try await self.mentionedAccounts(Array(tokens)).mapValues(Self.mentionLink)
        let urls = self.context.urls
        let mention: (MentionToken) -> ResolvedMention? = { resolved[$0] }
        account.noteHTML = TextFormatter.format(account.note, mention: mention, hashtagURL: { urls.tag($0) }).html
        account.fields = account.fields.map { field in
            var field = field
            field.valueHTML =
                TextFormatter.formatInline(field.value, mention: mention, hashtagURL: { urls.tag($0) }).html
            return field
        }
    }

    /// The accounts that typed mentions name (local, or remote ones already known), suspended ones left out.
    /// One lookup serves both the HTML links and the mention rows. With `resolving`, up to that many
    /// unknown remote handles are looked up on their servers (a new post mentioning someone new).
    func mentionedAccounts(_ tokens: [MentionToken], resolving: Int = 0) async throws -> [MentionToken: Account] {
        guard !tokens.isEmpty else { return [:] }
        let ourDomains = Set([self.context.urls.domain.lowercased(), self.context.urls.accountDomain.lowercased()])
        var found = try await self.knownMentions(tokens, ourDomains: ourDomains)
        var budget = resolving
        for token in tokens.prefix(50) where found[token] == nil && budget > 0 {
            guard let domain = token.domain, !ourDomains.contains(domain.lowercased()) else { continue }
            budget -= 1
            if let account = try await self.resolve(username: token.username, domain: domain), !account.isSuspended {
                found[token] = account
            }
        }
        return found
    }

    private func knownMentions(_ tokens: [MentionToken], ourDomains: Set<String>) async throws
        -> [MentionToken: Account]
    {
        try await self.context.db.read { session in
            var found: [MentionToken: Account] = [:]
            for token in tokens.prefix(50) {
                let domain = token.domain.flatMap { ourDomains.contains($0.lowercased()) ? nil : $0 }
                if let account = try await session.account(username: token.username, domain: domain),
                    !account.isSuspended
                {
                    found[token] = account
                }
            }
            return found
        }
    }

    /// How a mention of `account` is linked in rendered HTML.
    static func mentionLink(_ account: Account) -> ResolvedMention {
        ResolvedMention(url: account.url ?? account.uri, username: account.username)
    }
}
