import Core
import Foundation
import HTTPCommon
import Hummingbird
import Processing

/// `/invites` (Mastodon's path): make invite links with a use limit, a lifetime, a comment and
/// "follow me", see how often each was used, and expire them.
extension SettingsPages {
    func addInviteRoutes(pages: RouterGroup<AppRequestContext>) {
        pages.get("invites", use: self.showInvites)
        pages.post("invites", use: self.createInvite)
        pages.post("invites/:id/expire", use: self.expireInvite)
    }

    @Sendable func showInvites(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.page(request) { user, csrf in
            let query = request.uri.queryParameters
            return try await self.invitesPage(
                user,
                csrf: csrf,
                notice: query.get("created") != nil
                    ? "The invite link is ready: copy it from the list below."
                    : query.get("expired") != nil ? "The invite link no longer works." : nil
            )
        }
    }

    @Sendable func createInvite(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context: context) { user, form in
            let new = InviteProcessor.NewInvite(
                maxUses: Int(try form.string("max_uses") ?? ""),
                expiresIn: Int(try form.string("expires_in") ?? ""),
                autofollow: try form.string("autofollow") == "1",
                comment: try form.string("comment")
            )
            do {
                _ = try await self.processor.invites.create(by: user.id, new)
            } catch let error as DomainError {
                return try await self.invitesPage(user, csrf: form.csrf, error: error)
            }
            return Response.redirect(to: "/invites?created=1", type: .normal)
        }
    }

    @Sendable func expireInvite(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.submit(request, context: context) { user, _ in
            guard let id = context.parameters.get("id").flatMap(Int64.init) else { throw DomainError.notFound }
            try await self.processor.invites.expire(Invite.ID(id), by: user.id)
            return Response.redirect(to: "/invites?expired=1", type: .normal)
        }
    }

    private func invitesPage(_ user: User, csrf: String, notice: String? = nil, error: DomainError? = nil)
        async throws -> Response
    {
        let now = self.processor.context.clock.now()
        let urls = self.processor.context.urls
        let style = Date.FormatStyle(date: .abbreviated, time: .shortened, timeZone: .gmt)
        let invites = try await self.processor.invites.invites(of: user.id)
        var values: [String: Any] = [
            "csrf": csrf,
            "section": ["invites": true],
            "mayInvite": self.processor.invites.mayInvite(user),
            "maxUses": [["value": "", "label": "No limit"]]
                + InviteProcessor.maxUsesChoices.map {
                    ["value": String($0), "label": $0 == 1 ? "1 use" : "\($0) uses"]
                },
            "expiries": [["value": "", "label": "Never"]]
                + InviteProcessor.expiryChoices.map {
                    ["value": String($0), "label": Self.duration($0), "selected": $0 == 604_800]
                },
            "invites": invites.map { invite -> [String: Any] in
                var row: [String: Any] = [
                    "id": String(invite.id.rawValue),
                    "url": urls.invite(invite.code),
                    "uses": invite.maxUses.map { "\(invite.uses) of \($0)" } ?? String(invite.uses),
                    "expires": invite.expiresAt.map {
                        $0 <= now ? "Expired \($0.formatted(style))" : "Until \($0.formatted(style)) UTC"
                    } ?? "Never expires",
                    "usable": invite.isUsable(at: now),
                    "autofollow": invite.autofollow,
                ]
                if let comment = invite.comment { row["comment"] = comment }
                return row
            },
            "hasInvites": !invites.isEmpty,
        ]
        if let notice { values["notice"] = notice }
        var status = HTTPResponse.Status.ok
        if let error {
            values.merge(AccountPages.errorValues(error)) { _, new in new }
            status = error.isValidation ? .unprocessableContent : .forbidden
        }
        return self.renderer.page("settings_invites", title: "Invite people", status: status, values)
    }

    /// "30 minutes", "6 hours", "1 day", "1 week".
    static func duration(_ seconds: Int) -> String {
        switch seconds {
        case 604_800: "1 week"
        case let s where s % 86_400 == 0: s == 86_400 ? "1 day" : "\(s / 86_400) days"
        case let s where s % 3600 == 0: s == 3600 ? "1 hour" : "\(s / 3600) hours"
        default: "\(seconds / 60) minutes"
        }
    }
}
