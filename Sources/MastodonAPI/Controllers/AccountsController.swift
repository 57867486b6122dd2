import Core
import HTTPCommon
import Hummingbird
import Processing

/// `/api/v1/accounts/*` — https://docs.joinmastodon.org/methods/accounts/
struct AccountsController {
    let accounts: AccountProcessor
    let authLimiter: RateLimiter
    let oauth: OAuthProcessor
    let follows: FollowProcessor
    let timelines: TimelineProcessor
    let urls: URLBuilder

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.group().add(middleware: RateLimitMiddleware(self.authLimiter)).post("accounts", use: self.register)
        group.get("accounts/verify_credentials", use: self.verifyCredentials)
        group.patch("accounts/update_credentials", use: self.updateCredentials)
        group.put("accounts/update_credentials", use: self.updateCredentials)
        group.delete("profile/avatar", use: self.deleteProfileImage)
        group.delete("profile/header", use: self.deleteProfileImage)
        group.get("accounts/lookup", use: self.lookup)
        group.get("accounts/relationships", use: self.relationships)
        group.get("accounts/familiar_followers", use: self.familiarFollowers)
        group.get("endorsements", use: self.emptyList)
        group.get("accounts/:id/endorsements", use: self.emptyList)
        group.get("accounts/:id/featured_tags", use: self.emptyList)
        group.get("accounts/search", use: self.search)
        group.get("accounts/:id", use: self.show)
        group.get("accounts/:id/statuses", use: self.statuses)
        group.get("accounts/:id/followers", use: self.followers)
        group.get("accounts/:id/following", use: self.following)
        group.post("accounts/:id/follow", use: self.follow)
        group.post("accounts/:id/unfollow", use: self.unfollow)
        group.post("accounts/:id/note", use: self.note)
        group.post("accounts/:id/remove_from_followers", use: self.removeFromFollowers)
        group.post("accounts/:id/block", use: self.block)
        group.post("accounts/:id/unblock", use: self.unblock)
        group.post("accounts/:id/mute", use: self.mute)
        group.post("accounts/:id/unmute", use: self.unmute)
        group.get("blocks", use: self.blocks)
        group.get("follow_requests", use: self.followRequests)
        group.post("follow_requests/:id/authorize", use: self.authorizeRequest)
        group.post("follow_requests/:id/reject", use: self.rejectRequest)
        group.get("mutes", use: self.mutes)
    }

    /// Sign-up through an app token, following the registration mode.
    @Sendable func register(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try context.require(scope: "write:accounts")
        guard viewer.state == .application else {
            throw DomainError.forbidden("This method requires an app token without a user")
        }
        let params = try await request.parameters(context: context)
        let (_, user) = try await self.accounts.signUp(
            username: try params.string("username") ?? "",
            email: try params.string("email") ?? "",
            password: try params.string("password") ?? "",
            reason: try params.string("reason"),
            locale: try params.string("locale") ?? "en",
            agreement: try params.bool("agreement") == true,
            inviteCode: try params.string("invite_code")
        )
        let issued = try await self.oauth.issueRegistrationToken(for: user, by: viewer)
        return try TokenEntity(
            accessToken: issued.accessToken,
            scope: issued.scopes.description,
            createdAt: Int(issued.createdAt.timeIntervalSince1970)
        ).response(from: request, context: context)
    }

    @Sendable func verifyCredentials(_ request: Request, context: AppRequestContext) async throws -> AccountEntity {
        let viewer = try Self.requireProfileReader(context)
        return AccountEntity(try await self.accounts.credentials(of: viewer))
    }

    /// `profile` is the narrow scope that only allows this call; `read:accounts` covers it too.
    static func requireProfileReader(_ context: AppRequestContext) throws -> Viewer {
        if let viewer = context.viewer, viewer.scopes.allows("profile") {
            return try context.requireUser(scope: "profile")
        }
        return try context.requireUser(scope: "read:accounts")
    }

    @Sendable func updateCredentials(_ request: Request, context: AppRequestContext) async throws -> AccountEntity {
        let viewer = try context.requireUser(scope: "write:accounts")
        // Room for an avatar and a header in one multipart body.
        let params = try await request.parameters(
            context: context,
            limit: 2 * AccountProcessor.ProfileImage.maxBytes + 64 * 1024
        )
        var changes = AccountProcessor.ProfileChanges()
        changes.displayName = try params.string("display_name")
        changes.note = try params.string("note")
        changes.locked = try params.bool("locked")
        changes.bot = try params.bool("bot")
        changes.discoverable = try params.bool("discoverable")
        changes.indexable = try params.bool("indexable")
        changes.hideCollections = try params.bool("hide_collections")
        if let fields = try params.objects("fields_attributes") {
            changes.fields = try fields.map { (name: try $0.string("name") ?? "", value: try $0.string("value") ?? "") }
        }
        if let source = try params.object("source") {
            if let privacy = try source.string("privacy") {
                guard let visibility = Visibility(rawValue: privacy) else {
                    throw DomainError.validation("Validation failed: Privacy is not a valid visibility")
                }
                changes.defaultVisibility = visibility
            }
            changes.defaultSensitive = try source.bool("sensitive")
            changes.defaultLanguage = try source.string("language")
        }
        // Pictures first: a file that is refused (422) leaves the profile as it was.
        if let avatar = params.file("avatar") {
            _ = try await self.accounts.setProfileImage(.avatar, to: avatar.data, of: viewer)
        }
        if let header = params.file("header") {
            _ = try await self.accounts.setProfileImage(.header, to: header.data, of: viewer)
        }
        return AccountEntity(try await self.accounts.updateCredentials(of: viewer, changes))
    }

    /// `DELETE /api/v1/profile/avatar` and `/header`: back to the default picture.
    @Sendable func deleteProfileImage(_ request: Request, context: AppRequestContext) async throws -> AccountEntity {
        let viewer = try context.requireUser(scope: "write:accounts")
        let which: AccountProcessor.ProfileImage = request.uri.path.hasSuffix("/header") ? .header : .avatar
        return AccountEntity(try await self.accounts.setProfileImage(which, to: nil, of: viewer))
    }

    @Sendable func lookup(_ request: Request, context: AppRequestContext) async throws -> AccountEntity {
        let params = try await request.parameters(context: context)
        guard let acct = try params.string("acct"), !acct.isEmpty else {
            throw DomainError.validation("Missing acct parameter")
        }
        return AccountEntity(try await self.accounts.lookup(acct: acct))
    }

    @Sendable func relationships(_ request: Request, context: AppRequestContext) async throws -> [RelationshipEntity] {
        let viewer = try context.requireUser(scope: "read:follows")
        let params = try await request.parameters(context: context)
        let raw = try params.strings("id") ?? []
        guard raw.count <= 100 else { throw DomainError.validation("Too many ids (at most 100)") }
        let ids = raw.compactMap(Account.ID.init)
        guard let account = viewer.accountID else {
            throw DomainError.unprocessable("This method requires an authenticated user")
        }
        return try await self.follows.relationships(of: account, to: ids).map(RelationshipEntity.init)
    }

    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> [AccountEntity] {
        _ = try context.require(scope: "read:accounts")
        let params = try await request.parameters(context: context)
        let query = try params.string("q") ?? ""
        let limit = min(max(try params.int("limit") ?? 40, 1), 80)
        let offset = max(0, try params.int("offset") ?? 0)
        let following = try params.bool("following") == true ? context.viewer?.accountID : nil
        return try await self.accounts.search(query, limit: limit, offset: offset, following: following)
            .map(AccountEntity.init)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> AccountEntity {
        guard let id = context.parameters.get("id").flatMap(Account.ID.init) else { throw DomainError.notFound }
        return AccountEntity(try await self.accounts.view(id))
    }

    static func accountID(_ context: AppRequestContext) throws -> Account.ID {
        guard let id = context.parameters.get("id").flatMap(Account.ID.init) else { throw DomainError.notFound }
        return id
    }

    @Sendable func statuses(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.optionalViewer(context)
        let params = try await request.parameters(context: context)
        let page = try Pagination.page(params, default: 20, max: 40)
        let id = try Self.accountID(context)
        if try params.bool("pinned") == true {
            let pinned = try await self.timelines.pinned(id, for: viewer)
            return try Pagination.response(pinned, request: request, urls: self.urls)
        }
        // Media does not exist yet: that filtered list is truly empty.
        if try params.bool("only_media") == true {
            _ = try await self.accounts.view(id)
            return try Pagination.response(
                [StatusEntity](),
                newestID: nil,
                oldestID: nil,
                request: request,
                urls: self.urls
            )
        }
        let result = try await self.timelines.account(
            id,
            for: viewer,
            excludeReplies: try params.bool("exclude_replies") ?? false,
            excludeReblogs: try params.bool("exclude_reblogs") ?? false,
            tagged: try params.string("tagged"),
            page: page
        )
        return try Pagination.response(result, request: request, urls: self.urls)
    }

    @Sendable func followers(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.followList(request, context, followers: true)
    }

    @Sendable func following(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.followList(request, context, followers: false)
    }

    private func followList(_ request: Request, _ context: AppRequestContext, followers: Bool) async throws -> Response
    {
        let viewer = try StatusesController.optionalViewer(context, scope: "read:accounts")
        let page = try Pagination.page(try await request.parameters(context: context), default: 40, max: 80)
        let result = try await self.follows.list(
            of: try Self.accountID(context),
            followers: followers,
            viewer: viewer,
            page: page
        )
        return try Pagination.response(result, request: request, urls: self.urls)
    }

    @Sendable func follow(_ request: Request, context: AppRequestContext) async throws -> RelationshipEntity {
        let viewer = try StatusesController.viewer(context, scope: "write:follows")
        let params = try await request.parameters(context: context)
        let relationship = try await self.follows.follow(
            try Self.accountID(context),
            by: viewer,
            reblogs: try params.bool("reblogs"),
            notify: try params.bool("notify"),
            languages: try params.strings("languages")
        )
        return RelationshipEntity(relationship)
    }

    @Sendable func unfollow(_ request: Request, context: AppRequestContext) async throws -> RelationshipEntity {
        let viewer = try StatusesController.viewer(context, scope: "write:follows")
        return RelationshipEntity(try await self.follows.unfollow(try Self.accountID(context), by: viewer))
    }

    @Sendable func block(_ request: Request, context: AppRequestContext) async throws -> RelationshipEntity {
        let viewer = try StatusesController.viewer(context, scope: "write:blocks")
        return RelationshipEntity(try await self.follows.block(try Self.accountID(context), by: viewer))
    }

    @Sendable func unblock(_ request: Request, context: AppRequestContext) async throws -> RelationshipEntity {
        let viewer = try StatusesController.viewer(context, scope: "write:blocks")
        return RelationshipEntity(try await self.follows.unblock(try Self.accountID(context), by: viewer))
    }

    @Sendable func mute(_ request: Request, context: AppRequestContext) async throws -> RelationshipEntity {
        let viewer = try StatusesController.viewer(context, scope: "write:mutes")
        let params = try await request.parameters(context: context)
        let relationship = try await self.follows.mute(
            try Self.accountID(context),
            by: viewer,
            notifications: try params.bool("notifications") ?? true,
            duration: try params.int("duration")
        )
        return RelationshipEntity(relationship)
    }

    @Sendable func unmute(_ request: Request, context: AppRequestContext) async throws -> RelationshipEntity {
        let viewer = try StatusesController.viewer(context, scope: "write:mutes")
        return RelationshipEntity(try await self.follows.unmute(try Self.accountID(context), by: viewer))
    }

    @Sendable func blocks(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.blockList(request, context, blocks: true)
    }

    @Sendable func mutes(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.blockList(request, context, blocks: false)
    }

    private func blockList(_ request: Request, _ context: AppRequestContext, blocks: Bool) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: blocks ? "read:blocks" : "read:mutes")
        let page = try Pagination.page(try await request.parameters(context: context), default: 40, max: 80)
        let result = try await self.follows.blockedOrMuted(by: viewer, blocks: blocks, page: page)
        return try Pagination.response(result, request: request, urls: self.urls)
    }

    @Sendable func followRequests(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: "read:follows")
        let page = try Pagination.page(try await request.parameters(context: context), default: 40, max: 80)
        let result = try await self.follows.requests(to: viewer, page: page)
        return try Pagination.response(result, request: request, urls: self.urls)
    }

    @Sendable func authorizeRequest(_ request: Request, context: AppRequestContext) async throws -> RelationshipEntity {
        let viewer = try StatusesController.viewer(context, scope: "write:follows")
        return RelationshipEntity(
            try await self.follows.answerRequest(from: try Self.accountID(context), by: viewer, accept: true)
        )
    }

    @Sendable func rejectRequest(_ request: Request, context: AppRequestContext) async throws -> RelationshipEntity {
        let viewer = try StatusesController.viewer(context, scope: "write:follows")
        return RelationshipEntity(
            try await self.follows.answerRequest(from: try Self.accountID(context), by: viewer, accept: false)
        )
    }

    @Sendable func note(_ request: Request, context: AppRequestContext) async throws -> RelationshipEntity {
        let viewer = try StatusesController.viewer(context, scope: "write:accounts")
        let params = try await request.parameters(context: context)
        let comment = try params.string("comment") ?? ""
        return RelationshipEntity(try await self.follows.setNote(comment, on: try Self.accountID(context), by: viewer))
    }

    @Sendable func removeFromFollowers(_ request: Request, context: AppRequestContext) async throws
        -> RelationshipEntity
    {
        let viewer = try StatusesController.viewer(context, scope: "write:follows")
        return RelationshipEntity(try await self.follows.removeFollower(try Self.accountID(context), by: viewer))
    }

    /// https://docs.joinmastodon.org/entities/FamiliarFollowers/
    struct FamiliarFollowersEntity: Encodable, Sendable {
        let id: String
        let accounts: [AccountEntity]
    }

    @Sendable func familiarFollowers(_ request: Request, context: AppRequestContext) async throws
        -> [FamiliarFollowersEntity]
    {
        let viewer = try StatusesController.viewer(context, scope: "read:follows")
        let params = try await request.parameters(context: context)
        let ids = (try params.strings("id") ?? []).compactMap(Account.ID.init)
        return try await self.follows.familiarFollowers(of: ids, viewer: viewer).map {
            FamiliarFollowersEntity(id: $0.0.description, accounts: $0.1.map(AccountEntity.init))
        }
    }

    /// Endorsed (featured) accounts and featured tags are not built: an empty list is the true answer.
    @Sendable func emptyList(_ request: Request, context: AppRequestContext) async throws -> [String] {
        []
    }
}
