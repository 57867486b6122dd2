import Core
import HTTPCommon
import Hummingbird
import Processing

/// The pages of having an account: sign-up, email confirmation, password reset by email, and the
/// settings (profile, preferences, email and password, authorized apps). Mastodon's paths where it has
/// them (`/auth/sign_up`, `/auth/confirmation`, `/auth/password/...`, `/oauth/authorized_applications`).
///
/// Every form carries the CSRF token of `BrowserSession`; everything that checks a password, creates
/// an account or sends a mail shares the sign-in rate limit.
package struct AccountPages: Sendable {
    let processor: Processor
    let authLimiter: RateLimiter
    let renderer: PageRenderer
    let session: BrowserSession

    package init(processor: Processor, authLimiter: RateLimiter, renderer: PageRenderer, secureCookies: Bool) {
        self.processor = processor
        self.authLimiter = authLimiter
        self.renderer = renderer
        self.session = BrowserSession(oauth: processor.oauth, renderer: renderer, secureCookies: secureCookies)
    }

    package func addRoutes(to router: Router<AppRequestContext>) {
        let pages = router.group().add(middleware: ErrorPageMiddleware(renderer: self.renderer))
        let limited = pages.group().add(middleware: RateLimitMiddleware(self.authLimiter))
        pages.get("auth/sign_up", use: self.showSignUp)
        pages.get("invite/:code", use: self.showInvite)
        limited.post("auth/sign_up", use: self.signUp)
        pages.get("auth/confirmation", use: self.confirm)
        pages.get("auth/confirmation/new", use: self.showResend)
        limited.post("auth/confirmation/new", use: self.resend)
        pages.get("auth/password/new", use: self.showForgot)
        limited.post("auth/password/new", use: self.forgot)
        pages.get("auth/password/edit", use: self.showReset)
        limited.post("auth/password/edit", use: self.reset)
        SettingsPages(pages: self).addRoutes(pages: pages, limited: limited)
    }

    // MARK: Sign-up

    @Sendable func showSignUp(_ request: Request, context: AppRequestContext) async throws -> Response {
        let csrf = self.session.csrf(request)
        let code = request.uri.queryParameters.get("invite_code").map { String($0) } ?? ""
        let invite = code.isEmpty ? nil : try await self.processor.invites.usable(code: code)
        if !code.isEmpty && invite == nil { return self.invalidInvite() }
        let page = self.signUpPage(csrf: csrf.value, values: [:], error: nil, invite: invite.map { (code, $0.1) })
        return self.session.withCSRF(page, csrf)
    }

    /// `/invite/CODE`: the sign-up page for a usable invite, whatever the registration mode.
    @Sendable func showInvite(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = context.parameters.get("code") ?? ""
        guard let (_, inviter) = try await self.processor.invites.usable(code: code) else {
            return self.invalidInvite()
        }
        let csrf = self.session.csrf(request)
        return self.session.withCSRF(
            self.signUpPage(csrf: csrf.value, values: [:], error: nil, invite: (code, inviter)),
            csrf
        )
    }

    private func invalidInvite() -> Response {
        self.notice(
            "Invite not valid",
            "This invite link is unknown, expired or used up. Ask the person who sent it for a new one.",
            link: ("/about", "About this server"),
            status: .notFound
        )
    }

    @Sendable func signUp(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await self.session.form(request, context: context)
        guard self.session.csrfMatches(request, form) else { return self.session.forbidden() }
        let csrf = self.session.submittedCSRF(request)
        let values: [String: String] = [
            "username": try form.string("username") ?? "",
            "email": try form.string("email") ?? "",
            "reason": try form.string("reason") ?? "",
        ]
        let code = String((try form.string("invite_code") ?? "").prefix(64))
        var invite: (String, Account)?
        if !code.isEmpty {
            guard let (_, inviter) = try await self.processor.invites.usable(code: code) else {
                return self.invalidInvite()
            }
            invite = (code, inviter)
        }
        let password = try form.string("password") ?? ""
        guard password == (try form.string("password_confirmation") ?? "") else {
            return self.signUpPage(
                csrf: csrf,
                values: values,
                error: .validation(
                    "The two passwords do not match",
                    details: ["password_confirmation": [.init("ERR_INVALID", "do not match")]]
                ),
                invite: invite
            )
        }
        let user: User
        do {
            (_, user) = try await self.processor.accounts.signUp(
                username: values["username"] ?? "",
                email: values["email"] ?? "",
                password: password,
                reason: values["reason"],
                locale: Self.preferredLanguage(request),
                agreement: try form.string("agreement") == "1",
                inviteCode: code.isEmpty ? nil : code
            )
        } catch let error as DomainError {
            return self.signUpPage(csrf: csrf, values: values, error: error, invite: invite)
        }
        if user.canSignIn {
            var response = Response.redirect(to: "/web/home", type: .normal)
            try await self.session.signIn(user, on: &response)
            return response
        }
        var message = "Your account was created."
        if user.confirmedAt == nil {
            message += " We sent a confirmation link to \(user.email): open it to activate your account."
        }
        if !user.approved {
            message += " An administrator reviews every sign-up; you will get an email when yours is approved."
        }
        return self.notice("Check your email", message, link: ("/auth/sign_in", "Back to sign in"))
    }

    /// The sign-up form under the registration mode, or with an invite (code and inviter) in any mode.
    private func signUpPage(
        csrf: String,
        values: [String: String],
        error: DomainError?,
        invite: (code: String, inviter: Account)? = nil
    ) -> Response {
        let mode = self.processor.context.instance.registrations
        guard mode == .open || mode == .approval || invite != nil else {
            return self.renderer.page(
                "error",
                title: "Sign-up unavailable",
                status: .forbidden,
                [
                    "message": mode == .invite
                        ? "This server accepts new accounts by invitation only."
                        : "This server is not accepting new accounts."
                ]
            )
        }
        var object: [String: Any] = values
        object["csrf"] = csrf
        object["approval"] = mode == .approval && invite == nil
        object["rules"] = self.processor.context.instance.rules.map(\.text)
        object["hasRules"] = !self.processor.context.instance.rules.isEmpty
        object["minPassword"] = Validation.passwordLength.lowerBound
        if let invite {
            object["inviteCode"] = invite.code
            object["inviter"] = [
                "handle": self.processor.context.urls.acct(invite.inviter.username),
                "name": invite.inviter.displayName.isEmpty ? invite.inviter.username : invite.inviter.displayName,
            ]
        }
        var status = HTTPResponse.Status.ok
        if let error {
            object.merge(Self.errorValues(error)) { _, new in new }
            status = error.isValidation ? .unprocessableContent : .forbidden
        }
        return self.renderer.page("sign_up", title: "Create an account", status: status, object)
    }

    // MARK: Confirmation

    @Sendable func confirm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = request.uri.queryParameters.get("confirmation_token") ?? ""
        do {
            let user = try await self.processor.credentials.confirm(token: token)
            let message =
                user.approved
                ? "Your email address is confirmed. You can sign in now."
                : "Your email address is confirmed. An administrator still has to approve your sign-up."
            return self.notice("Email confirmed", message, link: ("/auth/sign_in", "Sign in"))
        } catch let error as DomainError {
            return self.notice(
                "Confirmation failed",
                error.userMessage,
                link: ("/auth/confirmation/new", "Send a new link"),
                status: .unprocessableContent
            )
        }
    }

    @Sendable func showResend(_ request: Request, context: AppRequestContext) async throws -> Response {
        try self.emailForm(
            request,
            title: "Resend the confirmation link",
            action: "/auth/confirmation/new",
            intro: "Enter the address you signed up with and we will send a new confirmation link."
        )
    }

    @Sendable func resend(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await self.session.form(request, context: context)
        guard self.session.csrfMatches(request, form) else { return self.session.forbidden() }
        try await self.processor.credentials.resendConfirmation(email: try form.string("email") ?? "")
        return self.notice(
            "Check your email",
            "If that address belongs to an account awaiting confirmation, a new link is on its way.",
            link: ("/auth/sign_in", "Back to sign in")
        )
    }

    // MARK: Password reset

    @Sendable func showForgot(_ request: Request, context: AppRequestContext) async throws -> Response {
        try self.emailForm(
            request,
            title: "Forgot your password?",
            action: "/auth/password/new",
            intro: "Enter your account's email address and we will send you a link to choose a new password."
        )
    }

    @Sendable func forgot(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await self.session.form(request, context: context)
        guard self.session.csrfMatches(request, form) else { return self.session.forbidden() }
        try await self.processor.credentials.requestPasswordReset(email: try form.string("email") ?? "")
        return self.notice(
            "Check your email",
            "If that address belongs to an account, a link to reset its password is on its way. It works for six hours.",
            link: ("/auth/sign_in", "Back to sign in")
        )
    }

    @Sendable func showReset(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = request.uri.queryParameters.get("reset_password_token") ?? ""
        let csrf = self.session.csrf(request)
        let page = self.renderer.page(
            "password_edit",
            title: "Choose a new password",
            ["csrf": csrf.value, "token": String(token.prefix(128))]
        )
        return self.session.withCSRF(page, csrf)
    }

    @Sendable func reset(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await self.session.form(request, context: context)
        guard self.session.csrfMatches(request, form) else { return self.session.forbidden() }
        let token = try form.string("reset_password_token") ?? ""
        let password = try form.string("password") ?? ""
        var error: DomainError?
        if password != (try form.string("password_confirmation") ?? "") {
            error = .validation("The two passwords do not match")
        } else {
            do {
                try await self.processor.credentials.resetPassword(token: token, password: password)
            } catch let caught as DomainError {
                error = caught
            }
        }
        if let error {
            var values = Self.errorValues(error)
            values["csrf"] = self.session.submittedCSRF(request)
            values["token"] = String(token.prefix(128))
            return self.renderer.page(
                "password_edit",
                title: "Choose a new password",
                status: .unprocessableContent,
                values
            )
        }
        var response = self.notice(
            "Password changed",
            "Your password is changed and every app and browser signed in to your account was signed out.",
            link: ("/auth/sign_in", "Sign in")
        )
        try await self.session.signOut(request, on: &response)
        return response
    }

    // MARK: Helpers

    private func emailForm(_ request: Request, title: String, action: String, intro: String) throws -> Response {
        guard self.processor.credentials.mailEnabled else {
            return self.notice(
                title,
                "This server does not send email. Ask an administrator for help.",
                link: ("/auth/sign_in", "Back to sign in"),
                status: .notFound
            )
        }
        let csrf = self.session.csrf(request)
        let page = self.renderer.page(
            "email_form",
            title: title,
            ["csrf": csrf.value, "action": action, "intro": intro]
        )
        return self.session.withCSRF(page, csrf)
    }

    /// A page with a heading, a sentence and a link onwards.
    func notice(
        _ title: String,
        _ message: String,
        link: (href: String, text: String)? = nil,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        var values: [String: Any] = ["message": message]
        if let link { values["link"] = ["href": link.href, "text": link.text] }
        return self.renderer.page("notice", title: title, status: status, values)
    }

    /// `error` as template values: `error` (the sentence) and `errors.<field>` (each field's first problem).
    /// The sentence loses the API's "Validation failed: " prefix; when fields carry their own
    /// messages, the templates show those next to the fields instead of the sentence.
    static func errorValues(_ error: DomainError) -> [String: Any] {
        var message = error.userMessage
        if message.hasPrefix("Validation failed: ") { message.removeFirst("Validation failed: ".count) }
        var values: [String: Any] = ["error": message]
        if case .validation(_, let details) = error, !details.isEmpty {
            values["errors"] = details.mapValues { $0.first?.description ?? "" }
        }
        return values
    }

    /// The first language of `Accept-Language` (the new account's locale), else English.
    static func preferredLanguage(_ request: Request) -> String {
        let header = request.headers[.acceptLanguage] ?? ""
        let first = header.split(separator: ",").first.map { $0.split(separator: ";")[0] } ?? ""
        let code = first.split(separator: "-").first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
        return code.isEmpty ? "en" : code.lowercased()
    }
}

extension DomainError {
    var isValidation: Bool {
        if case .validation = self { return true }
        return false
    }
}
