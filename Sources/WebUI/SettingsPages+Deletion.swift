import Core
import Foundation
import HTTPCommon
import Hummingbird
import Processing

/// `/settings/delete` (Mastodon's path): the owner deletes their account with the password and their
/// username typed again.
extension SettingsPages {
    func addDeletionRoutes(pages: RouterGroup<AppRequestContext>, limited: RouterGroup<AppRequestContext>) {
        pages.get("settings/delete", use: self.showDelete)
        limited.post("settings/delete", use: self.deleteAccount)
    }

    @Sendable func showDelete(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.page(request) { user, csrf in try await self.deletePage(user, csrf: csrf) }
    }

    @Sendable func deleteAccount(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context: context) { user, form in
            do {
                try await self.processor.accounts.eraseOwn(
                    user,
                    password: try form.string("current_password") ?? "",
                    confirmUsername: try form.string("username") ?? ""
                )
            } catch let error as DomainError {
                return try await self.deletePage(user, csrf: form.csrf, error: error)
            }
            var response = self.pages.notice(
                "Account deleted",
                "Your account, your posts and your files are deleted, and other servers are being told. "
                    + "Your username stays reserved so nobody can pose as you.",
                link: ("/about", "About this server")
            )
            try await self.session.signOut(request, on: &response)
            return response
        }
    }

    private func deletePage(_ user: User, csrf: String, error: DomainError? = nil) async throws -> Response {
        let view = try await self.processor.accounts.credentials(of: self.processor.oauth.webViewer(user))
        var values: [String: Any] = [
            "csrf": csrf,
            "section": ["delete": true],
            "username": view.account.username,
            "statuses": view.account.statusesCount,
            "followers": view.account.followersCount,
        ]
        var status = HTTPResponse.Status.ok
        if let error {
            values.merge(AccountPages.errorValues(error)) { _, new in new }
            status = error.isValidation ? .unprocessableContent : .forbidden
        }
        return self.renderer.page("settings_delete", title: "Delete account", status: status, values)
    }
}
