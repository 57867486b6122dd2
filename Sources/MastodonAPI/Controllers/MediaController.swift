import Core
import HTTPCommon
import Hummingbird
import Processing

/// `/api/v1/media`, `/api/v2/media` — https://docs.joinmastodon.org/methods/media/
struct MediaController {
    let media: MediaProcessor

    func addRoutes(v1: RouterGroup<AppRequestContext>, v2: RouterGroup<AppRequestContext>) {
        v1.post("media", use: self.createNow)
        v2.post("media", use: self.createLater)
        v1.get("media/:id", use: self.show)
        v1.put("media/:id", use: self.update)
        v1.delete("media/:id", use: self.delete)
    }

    /// v1: processed before answering.
    @Sendable func createNow(_ request: Request, context: AppRequestContext) async throws -> MediaAttachmentEntity {
        MediaAttachmentEntity(try await self.create(request, context: context, processNow: true))
    }

    /// v2: 202 while the job processes it (`url` is null until then), as Mastodon answers large files.
    @Sendable func createLater(_ request: Request, context: AppRequestContext) async throws -> Response {
        let view = try await self.create(request, context: context, processNow: false)
        var response = try MediaAttachmentEntity(view).response(from: request, context: context)
        if view.url == nil { response.status = .accepted }
        return response
    }

    func create(_ request: Request, context: AppRequestContext, processNow: Bool) async throws -> MediaView {
        let viewer = try context.requireUser(scope: "write:media")
        // A 99 MB video plus the multipart framing (pictures are held to 16 MB once their type is known).
        let params = try await request.parameters(context: context, limit: MediaAttachment.maxVideoBytes + 64 * 1024)
        guard let file = params.file("file") else {
            throw DomainError.validation("Validation failed: File can't be blank")
        }
        return try await self.media.upload(
            .init(data: file.data, description: try params.string("description"), focus: try params.string("focus")),
            by: try Self.account(viewer),
            processNow: processNow
        )
    }

    /// 206 while processing, 200 once done.
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try context.requireUser(scope: "read:statuses")
        let view = try await self.media.show(try Self.id(context), by: try Self.account(viewer))
        var response = try MediaAttachmentEntity(view).response(from: request, context: context)
        if view.url == nil && view.attachment.state == .pending { response.status = .partialContent }
        return response
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> MediaAttachmentEntity {
        let viewer = try context.requireUser(scope: "write:media")
        let params = try await request.parameters(context: context)
        return MediaAttachmentEntity(
            try await self.media.update(
                try Self.id(context),
                description: try params.string("description"),
                focus: try params.string("focus"),
                by: try Self.account(viewer)
            )
        )
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try context.requireUser(scope: "write:media")
        try await self.media.delete(try Self.id(context), by: try Self.account(viewer))
        return MastodonErrorMiddleware.json(.ok, [:])
    }

    static func id(_ context: AppRequestContext) throws -> MediaAttachment.ID {
        guard let id = context.parameters.get("id").flatMap(MediaAttachment.ID.init) else { throw DomainError.notFound }
        return id
    }

    static func account(_ viewer: Viewer) throws -> Account.ID {
        guard let account = viewer.accountID else {
            throw DomainError.unauthorized("This method requires an authenticated user")
        }
        return account
    }
}
