import Core
import Foundation
import HTTPCommon
import HTTPTypes
import Hummingbird
import Processing

/// `/api/v1/statuses/*` — https://docs.joinmastodon.org/methods/statuses/
struct StatusesController {
    let statuses: StatusProcessor
    let urls: URLBuilder

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("statuses", use: self.create)
        group.get("statuses", use: self.many)
        group.get("statuses/:id", use: self.show)
        group.delete("statuses/:id", use: self.delete)
        group.put("statuses/:id", use: self.edit)
        group.get("statuses/:id/history", use: self.history)
        group.get("statuses/:id/context", use: self.context)
        group.get("statuses/:id/source", use: self.source)
        group.post("statuses/:id/favourite", use: self.favourite)
        group.post("statuses/:id/unfavourite", use: self.unfavourite)
        group.post("statuses/:id/reblog", use: self.reblog)
        group.post("statuses/:id/unreblog", use: self.unreblog)
        group.post("statuses/:id/bookmark", use: self.bookmark)
        group.post("statuses/:id/unbookmark", use: self.unbookmark)
        group.get("statuses/:id/favourited_by", use: self.favouritedBy)
        group.get("statuses/:id/reblogged_by", use: self.rebloggedBy)
        group.post("statuses/:id/pin", use: self.pin)
        group.post("statuses/:id/mute", use: self.mute)
        group.post("statuses/:id/unmute", use: self.unmute)
        group.post("statuses/:id/unpin", use: self.unpin)
        group.post("statuses/:id/translate", use: self.translate)
        group.get("statuses/:id/quotes", use: self.quotes)
    }

    static func id(_ context: AppRequestContext) throws -> Status.ID {
        guard let id = context.parameters.get("id").flatMap(Status.ID.init) else { throw DomainError.notFound }
        return id
    }

    /// The viewer's account when the request carries a usable user token; anonymous otherwise.
    static func optionalViewer(_ context: AppRequestContext, scope: String = "read:statuses") throws -> Account.ID? {
        guard context.viewer?.accountID != nil else { return nil }
        return try context.requireUser(scope: scope).accountID
    }

    static func viewer(_ context: AppRequestContext, scope: String) throws -> Account.ID {
        guard let account = try context.requireUser(scope: scope).accountID else {
            throw DomainError.unprocessable("This method requires an authenticated user")
        }
        return account
    }

    func entity(_ view: StatusView) -> StatusEntity { StatusEntity(view, urls: self.urls) }

    /// `media_ids[]`: at most four ids.
    static func mediaIDs(_ params: RequestParameters) throws -> [MediaAttachment.ID] {
        let raw = (try params.strings("media_ids") ?? []).filter { !$0.isEmpty }
        guard raw.count <= MediaAttachment.maxPerStatus else {
            throw DomainError.validation("Validation failed: Media attachments must be at most 4")
        }
        return try raw.map { text in
            guard let id = MediaAttachment.ID(text) else {
                throw DomainError.validation("Validation failed: Media ids must be ids")
            }
            return id
        }
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try Self.viewer(context, scope: "write:statuses")
        let params = try await request.parameters(context: context)
        var new = StatusProcessor.NewStatus(text: try params.string("status") ?? "")
        new.mediaIDs = try Self.mediaIDs(params)
        if let poll = try params.object("poll") {
            guard let options = try poll.strings("options"), let expires = try poll.int("expires_in") else {
                throw DomainError.validation("Validation failed: Poll needs options and expires_in")
            }
            new.poll = .init(
                options: options,
                expiresIn: expires,
                multiple: try poll.bool("multiple") ?? false,
                hideTotals: try poll.bool("hide_totals") ?? false
            )
        }
        new.spoilerText = try params.string("spoiler_text") ?? ""
        new.sensitive = try params.bool("sensitive")
        if let visibility = try params.string("visibility"), !visibility.isEmpty {
            guard let parsed = Visibility(rawValue: visibility) else {
                throw DomainError.validation("Validation failed: Visibility is not included in the list")
            }
            new.visibility = parsed
        }
        if let language = try params.string("language"), !language.isEmpty { new.language = language }
        if let reply = try params.string("in_reply_to_id"), !reply.isEmpty {
            guard let id = Status.ID(reply) else { throw DomainError.notFound }
            new.inReplyToID = id
        }
        new.idempotencyKey = request.headers[HTTPField.Name("Idempotency-Key")!]
        new.applicationID = context.viewer?.applicationID
        if let scheduled = try params.string("scheduled_at"), !scheduled.isEmpty {
            guard let date = MastodonJSONEncoder.parseClientDate(scheduled) else {
                throw DomainError.validation("Validation failed: Scheduled at is not a valid date")
            }
            let entity = ScheduledStatusEntity(try await self.statuses.schedule(new, at: date, by: viewer))
            return try entity.response(from: request, context: context)
        }
        return try self.entity(try await self.statuses.post(new, by: viewer)).response(from: request, context: context)
    }

    @Sendable func many(_ request: Request, context: AppRequestContext) async throws -> [StatusEntity] {
        let viewer = try Self.optionalViewer(context)
        let params = try await request.parameters(context: context)
        let ids = (try params.strings("id") ?? []).prefix(40).compactMap(Status.ID.init)
        return try await self.statuses.show(Array(ids), for: viewer).map(self.entity)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> StatusEntity {
        self.entity(try await self.statuses.show(try Self.id(context), for: try Self.optionalViewer(context)))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> StatusEntity {
        let viewer = try Self.viewer(context, scope: "write:statuses")
        return self.entity(try await self.statuses.delete(try Self.id(context), by: viewer))
    }

    @Sendable func context(_ request: Request, context: AppRequestContext) async throws -> ContextEntity {
        let (ancestors, descendants) = try await self.statuses.context(
            try Self.id(context),
            for: try Self.optionalViewer(context)
        )
        return ContextEntity(ancestors: ancestors.map(self.entity), descendants: descendants.map(self.entity))
    }

    struct SourceEntity: ResponseEncodable, Sendable {
        let id: String
        let text: String
        let spoilerText: String

        enum CodingKeys: String, CodingKey {
            case id, text
            case spoilerText = "spoiler_text"
        }
    }

    @Sendable func source(_ request: Request, context: AppRequestContext) async throws -> SourceEntity {
        let viewer = try Self.viewer(context, scope: "read:statuses")
        let view = try await self.statuses.show(try Self.id(context), for: viewer)
        guard view.status.accountID == viewer else { throw DomainError.notFound }
        return SourceEntity(
            id: view.status.id.description,
            text: view.status.text,
            spoilerText: view.status.spoilerText
        )
    }

    @Sendable func favourite(_ request: Request, context: AppRequestContext) async throws -> StatusEntity {
        let viewer = try Self.viewer(context, scope: "write:favourites")
        return self.entity(try await self.statuses.favourite(try Self.id(context), by: viewer))
    }

    @Sendable func unfavourite(_ request: Request, context: AppRequestContext) async throws -> StatusEntity {
        let viewer = try Self.viewer(context, scope: "write:favourites")
        return self.entity(try await self.statuses.unfavourite(try Self.id(context), by: viewer))
    }

    @Sendable func reblog(_ request: Request, context: AppRequestContext) async throws -> StatusEntity {
        let viewer = try Self.viewer(context, scope: "write:statuses")
        let params = try await request.parameters(context: context)
        var visibility: Visibility?
        if let text = try params.string("visibility"), !text.isEmpty {
            guard let parsed = Visibility(rawValue: text) else {
                throw DomainError.validation("Validation failed: Visibility is not included in the list")
            }
            visibility = parsed
        }
        return self.entity(try await self.statuses.reblog(try Self.id(context), by: viewer, visibility: visibility))
    }

    @Sendable func unreblog(_ request: Request, context: AppRequestContext) async throws -> StatusEntity {
        let viewer = try Self.viewer(context, scope: "write:statuses")
        return self.entity(try await self.statuses.unreblog(try Self.id(context), by: viewer))
    }

    @Sendable func bookmark(_ request: Request, context: AppRequestContext) async throws -> StatusEntity {
        let viewer = try Self.viewer(context, scope: "write:bookmarks")
        return self.entity(try await self.statuses.bookmark(try Self.id(context), by: viewer, on: true))
    }

    @Sendable func unbookmark(_ request: Request, context: AppRequestContext) async throws -> StatusEntity {
        let viewer = try Self.viewer(context, scope: "write:bookmarks")
        return self.entity(try await self.statuses.bookmark(try Self.id(context), by: viewer, on: false))
    }

    @Sendable func favouritedBy(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.interactors(request, context, reblogs: false)
    }

    @Sendable func rebloggedBy(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.interactors(request, context, reblogs: true)
    }

    private func interactors(_ request: Request, _ context: AppRequestContext, reblogs: Bool) async throws -> Response {
        let params = try await request.parameters(context: context)
        let page = try Pagination.page(params, default: 40, max: 80)
        let result = try await self.statuses.interactors(
            try Self.id(context),
            reblogs: reblogs,
            for: try Self.optionalViewer(context),
            page: page
        )
        return try Pagination.response(result, request: request, urls: self.urls)
    }

    @Sendable func edit(_ request: Request, context: AppRequestContext) async throws -> StatusEntity {
        let viewer = try Self.viewer(context, scope: "write:statuses")
        let params = try await request.parameters(context: context)
        var edit = StatusProcessor.StatusEdit(text: try params.string("status") ?? "")
        // Present (even empty) replaces the attachments; absent keeps them.
        if try params.strings("media_ids") != nil { edit.mediaIDs = try Self.mediaIDs(params) }
        for attributes in try params.objects("media_attributes") ?? [] {
            guard let raw = try attributes.string("id"), let id = MediaAttachment.ID(raw) else {
                throw DomainError.validation("Validation failed: media_attributes need an id")
            }
            if let description = try attributes.string("description") { edit.mediaDescriptions[id] = description }
        }
        edit.spoilerText = try params.string("spoiler_text")
        edit.sensitive = try params.bool("sensitive")
        if let language = try params.string("language"), !language.isEmpty { edit.language = language }
        return self.entity(try await self.statuses.edit(try Self.id(context), edit, by: viewer))
    }

    /// https://docs.joinmastodon.org/entities/StatusEdit/
    struct StatusEditEntity: Encodable, Sendable {
        let content: String
        let spoilerText: String
        let sensitive: Bool
        let createdAt: Date
        let account: AccountEntity
        @Nullable var poll: String?
        let mediaAttachments: [MediaAttachmentEntity]
        let emojis: [String]

        enum CodingKeys: String, CodingKey {
            case content
            case spoilerText = "spoiler_text"
            case sensitive
            case createdAt = "created_at"
            case account, poll
            case mediaAttachments = "media_attachments"
            case emojis
        }
    }

    @Sendable func history(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (view, versions) = try await self.statuses.history(
            try Self.id(context),
            for: try Self.optionalViewer(context)
        )
        let account = AccountEntity(view.author)
        let entities = versions.map {
            StatusEditEntity(
                content: $0.version.content,
                spoilerText: $0.version.spoilerText,
                sensitive: $0.version.sensitive,
                createdAt: $0.version.createdAt,
                account: account,
                poll: nil,
                mediaAttachments: $0.media.map(MediaAttachmentEntity.init),
                emojis: []
            )
        }
        return try MastodonJSONEncoder.response(entities)
    }

    @Sendable func pin(_ request: Request, context: AppRequestContext) async throws -> StatusEntity {
        let viewer = try Self.viewer(context, scope: "write:accounts")
        return self.entity(try await self.statuses.pin(try Self.id(context), by: viewer, on: true))
    }

    @Sendable func unpin(_ request: Request, context: AppRequestContext) async throws -> StatusEntity {
        let viewer = try Self.viewer(context, scope: "write:accounts")
        return self.entity(try await self.statuses.pin(try Self.id(context), by: viewer, on: false))
    }

    /// No translation service is configured; Mastodon answers 503 in that case too.
    @Sendable func translate(_ request: Request, context: AppRequestContext) async throws -> StatusEntity {
        let viewer = try Self.viewer(context, scope: "read:statuses")
        _ = try await self.statuses.show(try Self.id(context), for: viewer)
        throw DomainError.unavailable("Translation is not available on this server")
    }

    /// Quote posts do not exist here: the true answer for a visible status is an empty list.
    @Sendable func quotes(_ request: Request, context: AppRequestContext) async throws -> [StatusEntity] {
        _ = try await self.statuses.show(try Self.id(context), for: try Self.optionalViewer(context))
        return []
    }

    @Sendable func mute(_ request: Request, context: AppRequestContext) async throws -> StatusEntity {
        let viewer = try Self.viewer(context, scope: "write:mutes")
        return self.entity(try await self.statuses.muteThread(try Self.id(context), by: viewer, on: true))
    }

    @Sendable func unmute(_ request: Request, context: AppRequestContext) async throws -> StatusEntity {
        let viewer = try Self.viewer(context, scope: "write:mutes")
        return self.entity(try await self.statuses.muteThread(try Self.id(context), by: viewer, on: false))
    }
}
