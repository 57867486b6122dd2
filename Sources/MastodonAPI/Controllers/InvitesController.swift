import Core
import HTTPCommon
import Hummingbird
import Processing

/// Invite links. `GET /api/v1/invites/:code` is Mastodon's (4.3+, public: it tells an app that a code is
/// usable and where the server's API is). Listing, making and expiring one's own invites
/// (`GET`/`POST /api/v1/invites`, `DELETE /api/v1/invites/:id`) are Tern's: Mastodon has them only as pages.
struct InvitesController {
    let invites: InviteProcessor
    let urls: URLBuilder
    let clock: Clock

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("invites", use: self.list)
        group.post("invites", use: self.create)
        group.get("invites/:code", use: self.show)
        // One parameter name per path position (the router insists): here it holds the invite's id.
        group.delete("invites/:code", use: self.expire)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> [InviteEntity] {
        let viewer = try context.requireUser(scope: "read:accounts")
        guard let userID = viewer.userID else {
            throw DomainError.unauthorized("This method requires an authenticated user")
        }
        let now = self.clock.now()
        return try await self.invites.invites(of: userID).map { InviteEntity($0, urls: self.urls, now: now) }
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> InviteEntity {
        let viewer = try context.requireUser(scope: "write:accounts")
        guard let userID = viewer.userID else {
            throw DomainError.unauthorized("This method requires an authenticated user")
        }
        let params = try await request.parameters(context: context)
        let invite = try await self.invites.create(
            by: userID,
            .init(
                maxUses: try params.int("max_uses"),
                expiresIn: try params.int("expires_in"),
                autofollow: try params.bool("autofollow") ?? false,
                comment: try params.string("comment")
            )
        )
        return InviteEntity(invite, urls: self.urls, now: self.clock.now())
    }

    /// Public: `{"invite_code", "instance_api_url"}` for a usable code, 404 otherwise.
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = context.parameters.get("code") ?? ""
        guard try await self.invites.usable(code: code) != nil else { throw DomainError.notFound }
        return MastodonErrorMiddleware.json(
            .ok,
            ["invite_code": code, "instance_api_url": "\(self.urls.base)/api/v2/instance"]
        )
    }

    @Sendable func expire(_ request: Request, context: AppRequestContext) async throws -> InviteEntity {
        let viewer = try context.requireUser(scope: "write:accounts")
        guard let userID = viewer.userID, let raw = context.parameters.get("code"), let id = Invite.ID(raw) else {
            throw DomainError.notFound
        }
        let invite = try await self.invites.expire(id, by: userID)
        return InviteEntity(invite, urls: self.urls, now: self.clock.now())
    }
}
