import Core
import Foundation
import HTTPCommon
import Hummingbird
import Processing

/// The HTML half of OAuth: sign-in, the consent page, and the page that shows an out-of-band code.
package struct OAuthPages: Sendable {
    let oauth: OAuthProcessor
    let twoFactor: TwoFactorProcessor
    let authLimiter: RateLimiter
    let renderer: PageRenderer
    let session: BrowserSession
    /// The web app's own redirect URI (`<base>/web/callback`): a signed-in person is not asked to
    /// approve the server's own app. Safe for any client naming it: the code can only land on
    /// this origin's page, which drops it unless it started the request (its `state`).
    let webAppCallback: String

    /// The cookie holding a sign-in challenge between the password and the second factor.
    static let challengeCookie = "_tern_2fa"

    package init(
        oauth: OAuthProcessor,
        twoFactor: TwoFactorProcessor,
        authLimiter: RateLimiter,
        renderer: PageRenderer,
        secureCookies: Bool,
        webAppCallback: String
    ) {
        self.oauth = oauth
        self.twoFactor = twoFactor
        self.webAppCallback = webAppCallback
        self.authLimiter = authLimiter
        self.renderer = renderer
        self.session = BrowserSession(oauth: oauth, renderer: renderer, secureCookies: secureCookies)
    }

    package func addRoutes(to router: Router<AppRequestContext>) {
        let pages = router.group().add(middleware: ErrorPageMiddleware(renderer: self.renderer))
        pages.get("oauth/authorize", use: self.showAuthorize)
        pages.post("oauth/authorize", use: self.decide)
        pages.get("oauth/authorize/native", use: self.native)
        pages.get("auth/sign_in", use: self.showSignIn)
        let limited = pages.group().add(middleware: RateLimitMiddleware(self.authLimiter))
        limited.post("auth/sign_in", use: self.signIn)
        limited.post("auth/sign_in/two_factor", use: self.signInTwoFactor)
        pages.post("auth/sign_out", use: self.signOut)
    }

    // MARK: Consent

    @Sendable func showAuthorize(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        var parameters = OAuthProcessor.AuthorizeParameters()
        parameters.clientID = query.get("client_id")
        parameters.redirectURI = query.get("redirect_uri")
        parameters.responseType = query.get("response_type")
        parameters.scope = query.get("scope") ?? query.get("scopes")
        parameters.state = query.get("state")
        parameters.codeChallenge = query.get("code_challenge")
        parameters.codeChallengeMethod = query.get("code_challenge_method")
        parameters.forceLogin = ["true", "1"].contains(query.get("force_login")?.lowercased() ?? "")
        let authorize: OAuthProcessor.AuthorizeRequest
        do {
            authorize = try await self.oauth.checkAuthorize(parameters)
        } catch let error as OAuthProcessor.AuthorizeError {
            return self.authorizeFailure(error)
        }
        let csrfToken = self.session.csrf(request)
        let csrf = csrfToken.value
        let sessionUser = try await self.session.user(request)
        var response: Response
        if let user = sessionUser, !authorize.forceLogin, authorize.redirectURI == self.webAppCallback {
            return Response.redirect(to: try await self.oauth.approve(authorize, by: user), type: .found)
        }
        if let user = sessionUser, !authorize.forceLogin {
            let account = try await self.oauth.accountOf(user)
            var hidden: [[String: String]] = [
                ["name": "client_id", "value": authorize.application.clientID],
                ["name": "redirect_uri", "value": authorize.redirectURI],
                ["name": "response_type", "value": "code"],
                ["name": "scope", "value": authorize.scopes.description],
            ]
            if let state = authorize.state { hidden.append(["name": "state", "value": state]) }
            if let challenge = authorize.codeChallenge {
                hidden.append(["name": "code_challenge", "value": challenge])
                hidden.append(["name": "code_challenge_method", "value": "S256"])
            }
            var values: [String: Any] = [
                "appName": authorize.application.name, "username": account.username,
                "scopes": authorize.scopes.scopes, "csrf": csrf, "hidden": hidden,
            ]
            if let website = authorize.application.website, website.lowercased().hasPrefix("http") {
                values["website"] = website
            }
            response = self.renderer.page("authorize", title: "Authorize \(authorize.application.name)", values)
        } else {
            // Signing in first; force_login drops the current session so another account can be used.
            var returnTo = request.uri.path
            var query = request.uri.query ?? ""
            if authorize.forceLogin {
                query = query.split(separator: "&").filter { !$0.hasPrefix("force_login=") }.joined(separator: "&")
            }
            if !query.isEmpty { returnTo += "?" + query }
            response = self.renderer.page(
                "sign_in",
                title: "Sign in",
                ["csrf": csrf, "returnTo": returnTo, "username": ""]
            )
            if authorize.forceLogin { try await self.session.signOut(request, on: &response) }
        }
        return self.session.withCSRF(response, csrfToken)
    }

    @Sendable func decide(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await self.session.form(request, context: context)
        guard self.session.csrfMatches(request, form) else { return self.session.forbidden() }
        guard let user = try await self.session.user(request) else {
            return self.renderer.page(
                "error",
                title: "Signed out",
                status: .unauthorized,
                ["message": "Sign in again to authorize the application."]
            )
        }
        var parameters = OAuthProcessor.AuthorizeParameters()
        parameters.clientID = try form.string("client_id")
        parameters.redirectURI = try form.string("redirect_uri")
        parameters.responseType = try form.string("response_type")
        parameters.scope = try form.string("scope")
        parameters.state = try form.string("state")
        parameters.codeChallenge = try form.string("code_challenge")
        parameters.codeChallengeMethod = try form.string("code_challenge_method")
        let authorize: OAuthProcessor.AuthorizeRequest
        do {
            authorize = try await self.oauth.checkAuthorize(parameters)
        } catch let error as OAuthProcessor.AuthorizeError {
            return self.authorizeFailure(error)
        }
        let location =
            try form.string("decision") == "approve"
            ? try await self.oauth.approve(authorize, by: user) : self.oauth.deny(authorize)
        return Response.redirect(to: location, type: .found)
    }

    @Sendable func native(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        if let code = query.get("code"), !code.isEmpty, code.count <= 128 {
            return self.renderer.page("authorize_native", title: "Authorization code", ["code": code])
        }
        let error = query.get("error_description") ?? "The authorization request was refused."
        return self.renderer.page(
            "authorize_native",
            title: "Authorization refused",
            ["error": String(error.prefix(300))]
        )
    }

    private func authorizeFailure(_ error: OAuthProcessor.AuthorizeError) -> Response {
        if let redirect = error.redirect { return Response.redirect(to: redirect, type: .found) }
        return self.renderer.page(
            "error",
            title: "Authorization failed",
            status: .badRequest,
            ["message": error.description]
        )
    }

    // MARK: Sign in and out

    @Sendable func showSignIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let csrf = self.session.csrf(request)
        let returnTo = BrowserSession.safeReturn(request.uri.queryParameters.get("return_to"))
        let response = self.renderer.page(
            "sign_in",
            title: "Sign in",
            ["csrf": csrf.value, "returnTo": returnTo, "username": ""]
        )
        return self.session.withCSRF(response, csrf)
    }

    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await self.session.form(request, context: context)
        guard self.session.csrfMatches(request, form) else { return self.session.forbidden() }
        let login = try form.string("username") ?? ""
        let returnTo = BrowserSession.safeReturn(try form.string("return_to"))
        do {
            let user = try await self.oauth.checkPassword(login: login, password: try form.string("password") ?? "")
            if try await self.twoFactor.isEnabled(for: user) {
                let challenge = try await self.twoFactor.startChallenge(for: user)
                let csrf = self.session.submittedCSRF(request)
                var response = self.renderer.page(
                    "sign_in_two_factor",
                    title: "Two-factor authentication",
                    ["csrf": csrf, "returnTo": returnTo]
                )
                response.setCookie(
                    self.session.cookie(
                        Self.challengeCookie,
                        challenge,
                        maxAge: Int(TwoFactorProcessor.challengeLifetime)
                    )
                )
                return response
            }
            var response = Response.redirect(to: returnTo, type: .normal)
            try await self.session.signIn(user, on: &response)
            return response
        } catch let error as DomainError {
            let csrf = self.session.submittedCSRF(request)
            return self.renderer.page(
                "sign_in",
                title: "Sign in",
                status: .unauthorized,
                ["csrf": csrf, "returnTo": returnTo, "username": login, "error": error.userMessage]
            )
        }
    }

    /// The second step: a code from the authenticator app or a recovery code completes the challenge
    /// the password started.
    @Sendable func signInTwoFactor(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await self.session.form(request, context: context)
        guard self.session.csrfMatches(request, form) else { return self.session.forbidden() }
        let returnTo = BrowserSession.safeReturn(try form.string("return_to"))
        let challenge = request.cookies[Self.challengeCookie]?.value ?? ""
        do {
            let user = try await self.twoFactor.completeChallenge(challenge, code: try form.string("code") ?? "")
            var response = Response.redirect(to: returnTo, type: .normal)
            response.setCookie(self.session.cookie(Self.challengeCookie, "", maxAge: 0))
            try await self.session.signIn(user, on: &response)
            return response
        } catch let error as DomainError {
            let csrf = self.session.submittedCSRF(request)
            // A wrong code asks again; an expired or exhausted challenge goes back to the password.
            let again = error == TwoFactorProcessor.wrongCode
            return self.renderer.page(
                again ? "sign_in_two_factor" : "sign_in",
                title: again ? "Two-factor authentication" : "Sign in",
                status: .unauthorized,
                ["csrf": csrf, "returnTo": returnTo, "username": "", "error": error.userMessage]
            )
        }
    }

    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await self.session.form(request, context: context)
        guard self.session.csrfMatches(request, form) else { return self.session.forbidden() }
        var response = Response.redirect(to: "/auth/sign_in", type: .normal)
        try await self.session.signOut(request, on: &response)
        return response
    }
}
