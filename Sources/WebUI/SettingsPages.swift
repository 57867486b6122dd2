import Core
import Foundation
import HTTPCommon
import Hummingbird
import Processing
import QRCode

/// The settings of a signed-in person: profile, preferences, email and password, authorized apps.
/// Each page is a plain form (no script); a request without a session goes to the sign-in page and
/// comes back.
struct SettingsPages: Sendable {
    let pages: AccountPages

    var processor: Processor { self.pages.processor }
    var session: BrowserSession { self.pages.session }
    var renderer: PageRenderer { self.pages.renderer }

    func addRoutes(pages: RouterGroup<AppRequestContext>, limited: RouterGroup<AppRequestContext>) {
        pages.get("settings") { _, _ in Response.redirect(to: "/settings/profile", type: .found) }
        pages.get("settings/profile", use: self.showProfile)
        pages.post("settings/profile", use: self.saveProfile)
        pages.get("settings/preferences", use: self.showPreferences)
        pages.post("settings/preferences", use: self.savePreferences)
        pages.get("settings/account", use: self.showAccount)
        limited.post("settings/account/email", use: self.changeEmail)
        limited.post("settings/account/password", use: self.changePassword)
        pages.get("settings/two_factor", use: self.showTwoFactor)
        pages.post("settings/two_factor/setup", use: self.beginTwoFactor)
        limited.post("settings/two_factor/confirm", use: self.confirmTwoFactor)
        limited.post("settings/two_factor/disable", use: self.disableTwoFactor)
        limited.post("settings/two_factor/recovery_codes", use: self.regenerateRecoveryCodes)
        pages.get("oauth/authorized_applications", use: self.showApplications)
        pages.post("oauth/authorized_applications/:id/revoke", use: self.revokeApplication)
        self.addInviteRoutes(pages: pages)
        self.addDeletionRoutes(pages: pages, limited: limited)
        self.addExportRoutes(pages: pages, limited: limited)
        self.addImportRoutes(pages: pages, limited: limited)
        self.addMigrationRoutes(pages: pages, limited: limited)
    }

    // MARK: Profile

    @Sendable func showProfile(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.page(request) { user, csrf in
            try await self.profilePage(user, csrf: csrf, saved: request.uri.queryParameters.get("saved") != nil)
        }
    }

    @Sendable func saveProfile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let limit = 2 * AccountProcessor.ProfileImage.maxBytes + 64 * 1024
        return try await self.submit(request, context: context, limit: limit) { user, form in
            let viewer = self.processor.oauth.webViewer(user)
            var changes = AccountProcessor.ProfileChanges()
            changes.displayName = try form.string("display_name") ?? ""
            changes.note = try form.string("note") ?? ""
            changes.locked = try form.string("locked") == "1"
            changes.bot = try form.string("bot") == "1"
            changes.discoverable = try form.string("discoverable") == "1"
            changes.fields = try (0..<Validation.maxFields).map {
                (name: try form.string("field_name_\($0)") ?? "", value: try form.string("field_value_\($0)") ?? "")
            }
            do {
                // Pictures first: a refused file leaves the profile as it was.
                for (field, which) in [("avatar", AccountProcessor.ProfileImage.avatar), ("header", .header)] {
                    if let file = form.file(field), !file.data.isEmpty {
                        _ = try await self.processor.accounts.setProfileImage(which, to: file.data, of: viewer)
                    } else if try form.string("remove_\(field)") == "1" {
                        _ = try await self.processor.accounts.setProfileImage(which, to: nil, of: viewer)
                    }
                }
                _ = try await self.processor.accounts.updateCredentials(of: viewer, changes)
            } catch let error as DomainError {
                return try await self.profilePage(user, csrf: form.csrf, error: error, submitted: changes)
            }
            return Response.redirect(to: "/settings/profile?saved=1", type: .normal)
        }
    }

    private func profilePage(
        _ user: User,
        csrf: String,
        saved: Bool = false,
        error: DomainError? = nil,
        submitted: AccountProcessor.ProfileChanges? = nil
    ) async throws -> Response {
        let view = try await self.processor.accounts.credentials(of: self.processor.oauth.webViewer(user))
        let account = view.account
        let fields = submitted?.fields ?? account.fields.map { (name: $0.name, value: $0.value) }
        var values: [String: Any] = [
            "csrf": csrf,
            "section": ["profile": true],
            "username": account.username,
            "displayName": submitted?.displayName ?? account.displayName,
            "note": submitted?.note ?? account.note,
            "locked": submitted?.locked ?? account.locked,
            "bot": submitted?.bot ?? account.bot,
            "discoverable": submitted?.discoverable ?? account.discoverable,
            "avatarURL": view.avatarURL,
            "headerURL": view.headerURL,
            "hasAvatar": account.avatarKey != nil,
            "hasHeader": account.headerKey != nil,
            "profileURL": view.profileURL,
            "fields": (0..<Validation.maxFields).map { index -> [String: Any] in
                let field = index < fields.count ? fields[index] : (name: "", value: "")
                let verified = account.fields.first { $0.value == field.value && $0.verifiedAt != nil } != nil
                return [
                    "index": index, "number": index + 1, "name": field.name, "value": field.value,
                    "verified": verified && !field.value.isEmpty,
                ]
            },
            "saved": saved,
        ]
        var status = HTTPResponse.Status.ok
        if let error {
            values.merge(AccountPages.errorValues(error)) { _, new in new }
            status = error.isValidation ? .unprocessableContent : .badRequest
        }
        return self.renderer.page("settings_profile", title: "Edit profile", status: status, values)
    }

    // MARK: Preferences

    static let languages: [(code: String, name: String)] = [
        ("", "Detect from the text"), ("en", "English"), ("de", "Deutsch"), ("es", "Español"), ("fr", "Français"),
        ("it", "Italiano"), ("ja", "日本語"), ("nl", "Nederlands"), ("pl", "Polski"), ("pt", "Português"),
        ("sv", "Svenska"), ("uk", "Українська"), ("zh", "中文"),
    ]

    @Sendable func showPreferences(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.page(request) { user, csrf in
            self.preferencesPage(user, csrf: csrf, saved: request.uri.queryParameters.get("saved") != nil)
        }
    }

    @Sendable func savePreferences(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context: context) { user, form in
            var changes = AccountProcessor.ProfileChanges()
            guard let visibility = Visibility(rawValue: try form.string("default_visibility") ?? ""),
                visibility != .direct
            else {
                return self.preferencesPage(
                    user,
                    csrf: form.csrf,
                    error: .validation("Choose public, unlisted or followers only")
                )
            }
            let language = try form.string("default_language") ?? ""
            guard Self.languages.contains(where: { $0.code == language }) else {
                return self.preferencesPage(
                    user,
                    csrf: form.csrf,
                    error: .validation("Choose a language from the list")
                )
            }
            changes.defaultVisibility = visibility
            changes.defaultSensitive = try form.string("default_sensitive") == "1"
            changes.defaultLanguage = language
            _ = try await self.processor.accounts.updateCredentials(of: self.processor.oauth.webViewer(user), changes)
            return Response.redirect(to: "/settings/preferences?saved=1", type: .normal)
        }
    }

    private func preferencesPage(_ user: User, csrf: String, saved: Bool = false, error: DomainError? = nil)
        -> Response
    {
        let settings = user.settings
        var values: [String: Any] = [
            "csrf": csrf,
            "section": ["preferences": true],
            "visibilities": [
                ("public", "Public: everyone, in public timelines"),
                ("unlisted", "Unlisted: everyone, not in public timelines"),
                ("private", "Followers only"),
            ].map { ["value": $0.0, "label": $0.1, "selected": settings.defaultVisibility.rawValue == $0.0] },
            "languages": Self.languages.map {
                ["value": $0.code, "label": $0.name, "selected": (settings.defaultLanguage ?? "") == $0.code]
            },
            "sensitive": settings.defaultSensitive,
            "saved": saved,
        ]
        var status = HTTPResponse.Status.ok
        if let error {
            values.merge(AccountPages.errorValues(error)) { _, new in new }
            status = .unprocessableContent
        }
        return self.renderer.page("settings_preferences", title: "Preferences", status: status, values)
    }

    // MARK: Email and password

    @Sendable func showAccount(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.page(request) { user, csrf in
            try await self.accountPage(user, csrf: csrf, notice: request.uri.queryParameters.get("done"))
        }
    }

    @Sendable func changeEmail(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context: context) { user, form in
            do {
                let awaiting = try await self.processor.credentials.changeEmail(
                    userID: user.id,
                    password: try form.string("current_password") ?? "",
                    to: try form.string("email") ?? ""
                )
                return Response.redirect(
                    to: "/settings/account?done=\(awaiting ? "email_sent" : "email")",
                    type: .normal
                )
            } catch let error as DomainError {
                return try await self.accountPage(user, csrf: form.csrf, error: error, form: "email")
            }
        }
    }

    @Sendable func changePassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context: context) { user, form in
            do {
                let new = try form.string("password") ?? ""
                guard new == (try form.string("password_confirmation") ?? "") else {
                    throw DomainError.validation("The two new passwords do not match")
                }
                try await self.processor.credentials.changePassword(
                    userID: user.id,
                    current: try form.string("current_password") ?? "",
                    new: new,
                    keepSession: self.session.sessionHash(request)
                )
                return Response.redirect(to: "/settings/account?done=password", type: .normal)
            } catch let error as DomainError {
                return try await self.accountPage(user, csrf: form.csrf, error: error, form: "password")
            }
        }
    }

    private func accountPage(
        _ user: User,
        csrf: String,
        notice: String? = nil,
        error: DomainError? = nil,
        form: String? = nil
    ) async throws -> Response {
        let notices = [
            "email": "Your email address is changed.",
            "email_sent": "Open the link we sent to the new address to confirm it; until then the old one stays.",
            "password": "Your password is changed. Other browsers signed in to your account were signed out.",
        ]
        var values: [String: Any] = [
            "csrf": csrf,
            "section": ["account": true],
            "email": user.email,
            "mailEnabled": self.processor.credentials.mailEnabled,
        ]
        if let pending = try await self.processor.credentials.pendingEmail(userID: user.id) {
            values["pendingEmail"] = pending
        }
        if let notice, let text = notices[notice] { values["saved"] = text }
        var status = HTTPResponse.Status.ok
        if let error, let form {
            values[form + "Error"] = AccountPages.errorValues(error)
            status = error.isValidation ? .unprocessableContent : .badRequest
        }
        return self.renderer.page("settings_account", title: "Email and password", status: status, values)
    }

    // MARK: Two-factor authentication

    @Sendable func showTwoFactor(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.page(request) { user, csrf in
            try await self.twoFactorPage(user, csrf: csrf, notice: request.uri.queryParameters.get("done"))
        }
    }

    @Sendable func beginTwoFactor(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context: context) { user, _ in
            _ = try await self.processor.twoFactor.beginSetup(for: user)
            return Response.redirect(to: "/settings/two_factor", type: .normal)
        }
    }

    @Sendable func confirmTwoFactor(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context: context) { user, form in
            do {
                let codes = try await self.processor.twoFactor.confirmSetup(
                    for: user,
                    code: try form.string("code") ?? ""
                )
                return self.recoveryCodesPage(codes, csrf: form.csrf, first: true)
            } catch let error as DomainError {
                return try await self.twoFactorPage(user, csrf: form.csrf, error: error)
            }
        }
    }

    @Sendable func disableTwoFactor(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context: context) { user, form in
            do {
                try await self.processor.twoFactor.disable(
                    for: user,
                    password: try form.string("current_password") ?? ""
                )
                return Response.redirect(to: "/settings/two_factor?done=disabled", type: .normal)
            } catch let error as DomainError {
                return try await self.twoFactorPage(user, csrf: form.csrf, error: error)
            }
        }
    }

    @Sendable func regenerateRecoveryCodes(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context: context) { user, form in
            do {
                let codes = try await self.processor.twoFactor.regenerateRecoveryCodes(
                    for: user,
                    password: try form.string("current_password") ?? ""
                )
                return self.recoveryCodesPage(codes, csrf: form.csrf, first: false)
            } catch let error as DomainError {
                return try await self.twoFactorPage(user, csrf: form.csrf, error: error)
            }
        }
    }

    private func twoFactorPage(_ user: User, csrf: String, notice: String? = nil, error: DomainError? = nil)
        async throws -> Response
    {
        let status = try await self.processor.twoFactor.status(of: user)
        var values: [String: Any] = [
            "csrf": csrf,
            "section": ["twoFactor": true],
            "enabled": status.enabled,
            "recoveryCodesLeft": status.recoveryCodesLeft,
        ]
        if notice == "disabled" { values["saved"] = "Two-factor authentication is off." }
        if !status.enabled, let setup = try await self.processor.twoFactor.pendingSetup(for: user) {
            values["setup"] = [
                "secret": setup.secret,
                "qr": try QRCode.svg(for: setup.uri, title: "QR code to scan with your authenticator app"),
            ]
        }
        var code = HTTPResponse.Status.ok
        if let error {
            values.merge(AccountPages.errorValues(error)) { _, new in new }
            code = error.isValidation || error == TwoFactorProcessor.wrongCode ? .unprocessableContent : .badRequest
        }
        return self.renderer.page("settings_two_factor", title: "Two-factor authentication", status: code, values)
    }

    private func recoveryCodesPage(_ codes: [String], csrf: String, first: Bool) -> Response {
        self.renderer.page(
            "settings_recovery_codes",
            title: "Recovery codes",
            ["csrf": csrf, "section": ["twoFactor": true], "codes": codes, "first": first]
        )
    }

    // MARK: Authorized applications

    @Sendable func showApplications(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.page(request) { user, csrf in
            let apps = try await self.processor.oauth.authorizedApplications(of: user)
            let style = Date.FormatStyle(date: .abbreviated, time: .omitted, timeZone: .gmt)
            return self.renderer.page(
                "settings_apps",
                title: "Authorized apps",
                [
                    "csrf": csrf,
                    "section": ["apps": true],
                    "revoked": request.uri.queryParameters.get("revoked") != nil,
                    "apps": apps.map { entry -> [String: Any] in
                        var app: [String: Any] = [
                            "id": String(entry.application.id.rawValue),
                            "name": entry.application.name,
                            "scopes": entry.scopes.scopes,
                            "authorizedAt": entry.authorizedAt.formatted(style),
                        ]
                        if let website = entry.application.website, website.lowercased().hasPrefix("http") {
                            app["website"] = website
                        }
                        return app
                    },
                ]
            )
        }
    }

    @Sendable func revokeApplication(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context: context) { user, _ in
            guard let id = context.parameters.get("id").flatMap(Int64.init) else { throw DomainError.notFound }
            try await self.processor.oauth.revokeAuthorization(of: user, application: OAuthApplication.ID(id))
            return Response.redirect(to: "/oauth/authorized_applications?revoked=1", type: .normal)
        }
    }

    // MARK: Helpers

    /// A form as the handlers read it, with the page's CSRF value to render again on an error.
    struct Form {
        let parameters: RequestParameters
        let csrf: String

        func string(_ key: String) throws -> String? { try self.parameters.string(key) }
        func file(_ key: String) -> UploadedFile? { self.parameters.file(key) }
    }

    /// A settings page for the signed-in user, or the sign-in page that comes back here.
    func page(_ request: Request, _ render: (User, String) async throws -> Response) async throws -> Response {
        guard let user = try await self.session.user(request) else { return Self.signInFirst(request) }
        let csrf = self.session.csrf(request)
        return self.session.withCSRF(try await render(user, csrf.value), csrf)
    }

    /// Handles a settings form: CSRF checked, then a session required.
    func submit(
        _ request: Request,
        context: AppRequestContext,
        limit: Int = 65_536,
        _ handle: (User, Form) async throws -> Response
    ) async throws -> Response {
        let parameters = try await self.session.form(request, context: context, limit: limit)
        guard self.session.csrfMatches(request, parameters) else { return self.session.forbidden() }
        guard let user = try await self.session.user(request) else { return Self.signInFirst(request) }
        let csrf = self.session.submittedCSRF(request)
        return try await handle(user, Form(parameters: parameters, csrf: csrf))
    }

    static func signInFirst(_ request: Request) -> Response {
        let back = request.method == .get ? request.uri.path : "/settings"
        let query = back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
        return Response.redirect(to: "/auth/sign_in?return_to=\(query)", type: .found)
    }
}
