import Core
import Foundation
import HTTPCommon
import Hummingbird
import Processing

/// `/settings/migration`: moving to another account (with the password), and the aliases that let
/// another account move here (Mastodon's "moving from a different account").
extension SettingsPages {
    func addMigrationRoutes(pages: RouterGroup<AppRequestContext>, limited: RouterGroup<AppRequestContext>) {
        pages.get("settings/migration", use: self.showMigration)
        limited.post("settings/migration", use: self.moveAccount)
        pages.post("settings/aliases", use: self.addAlias)
        pages.post("settings/aliases/remove", use: self.removeAlias)
    }

    @Sendable func showMigration(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.page(request) { user, csrf in
            let query = request.uri.queryParameters
            let notice: String? =
                query.get("moved") != nil
                ? "Your account has moved. Your followers here follow the new account; other servers are being told."
                : query.get("aliases") != nil ? "Your aliases are saved." : nil
            return try await self.migrationPage(user, csrf: csrf, notice: notice)
        }
    }

    @Sendable func moveAccount(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context: context) { user, form in
            do {
                _ = try await self.processor.migration.move(
                    user.accountID,
                    to: try form.string("acct") ?? "",
                    password: try form.string("current_password") ?? ""
                )
            } catch let error as DomainError {
                return try await self.migrationPage(user, csrf: form.csrf, error: error)
            }
            return Response.redirect(to: "/settings/migration?moved=1", type: .normal)
        }
    }

    @Sendable func addAlias(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context: context) { user, form in
            do {
                try await self.processor.migration.addAlias(try form.string("acct") ?? "", to: user.accountID)
            } catch let error as DomainError {
                return try await self.migrationPage(user, csrf: form.csrf, error: error)
            }
            return Response.redirect(to: "/settings/migration?aliases=1", type: .normal)
        }
    }

    @Sendable func removeAlias(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context: context) { user, form in
            try await self.processor.migration.removeAlias(try form.string("uri") ?? "", from: user.accountID)
            return Response.redirect(to: "/settings/migration?aliases=1", type: .normal)
        }
    }

    private func migrationPage(_ user: User, csrf: String, notice: String? = nil, error: DomainError? = nil)
        async throws -> Response
    {
        let view = try await self.processor.accounts.credentials(of: self.processor.oauth.webViewer(user))
        let aliases = try await self.processor.migration.aliases(of: user.accountID)
        var values: [String: Any] = [
            "csrf": csrf,
            "section": ["migration": true],
            "handle": self.processor.context.urls.acct(view.account.username),
            "aliases": aliases.map { ["handle": $0.handle, "uri": $0.uri] },
            "hasAliases": !aliases.isEmpty,
        ]
        if let moved = view.movedTo?.view.account {
            values["movedTo"] = self.processor.context.urls.handle(username: moved.username, domain: moved.domain)
        }
        if let notice { values["notice"] = notice }
        var status = HTTPResponse.Status.ok
        if let error {
            values.merge(AccountPages.errorValues(error)) { _, new in new }
            status = error.isValidation ? .unprocessableContent : .forbidden
        }
        return self.renderer.page("settings_migration", title: "Moving accounts", status: status, values)
    }
}
