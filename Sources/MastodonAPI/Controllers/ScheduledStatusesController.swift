import Core
import Foundation
import HTTPCommon
import Hummingbird
import Processing

/// https://docs.joinmastodon.org/entities/ScheduledStatus/
struct ScheduledStatusEntity: ResponseEncodable, Sendable {
    struct Poll: Encodable, Sendable {
        let options: [String]
        let expiresIn: String
        let multiple: Bool
        let hideTotals: Bool

        enum CodingKeys: String, CodingKey {
            case options
            case expiresIn = "expires_in"
            case multiple
            case hideTotals = "hide_totals"
        }
    }

    struct Params: Encodable, Sendable {
        let text: String
        @Nullable var poll: Poll?
        @Nullable var mediaIds: [String]?
        @Nullable var sensitive: Bool?
        @Nullable var spoilerText: String?
        let visibility: String
        @Nullable var inReplyToId: String?
        @Nullable var language: String?
        @Nullable var applicationId: String?
        @Nullable var scheduledAt: Date?
        @Nullable var idempotency: String?
        let withRateLimit: Bool

        enum CodingKeys: String, CodingKey {
            case text, poll
            case mediaIds = "media_ids"
            case sensitive
            case spoilerText = "spoiler_text"
            case visibility
            case inReplyToId = "in_reply_to_id"
            case language
            case applicationId = "application_id"
            case scheduledAt = "scheduled_at"
            case idempotency
            case withRateLimit = "with_rate_limit"
        }
    }

    let id: String
    let scheduledAt: Date
    let params: Params
    let mediaAttachments: [MediaAttachmentEntity]

    init(_ view: ScheduledStatusView) {
        let scheduled = view.scheduled
        self.id = scheduled.id.description
        self.scheduledAt = scheduled.scheduledAt
        let p = scheduled.params
        self.params = Params(
            text: p.text,
            poll: p.poll.map {
                Poll(
                    options: $0.options,
                    expiresIn: String($0.expiresIn),
                    multiple: $0.multiple,
                    hideTotals: $0.hideTotals
                )
            },
            mediaIds: p.mediaIDs.map { $0.map(String.init) },
            sensitive: p.sensitive,
            spoilerText: p.spoilerText.isEmpty ? nil : p.spoilerText,
            visibility: (p.visibility ?? .public).rawValue,
            inReplyToId: p.inReplyToID.map(String.init),
            language: p.language,
            applicationId: p.applicationID.map(String.init),
            scheduledAt: nil,
            idempotency: nil,
            withRateLimit: false
        )
        self.mediaAttachments = view.media.map(MediaAttachmentEntity.init)
    }

    enum CodingKeys: String, CodingKey {
        case id
        case scheduledAt = "scheduled_at"
        case params
        case mediaAttachments = "media_attachments"
    }
}

/// `/api/v1/scheduled_statuses/*` — https://docs.joinmastodon.org/methods/scheduled_statuses/
struct ScheduledStatusesController {
    let statuses: StatusProcessor
    let urls: URLBuilder

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("scheduled_statuses", use: self.index)
        group.get("scheduled_statuses/:id", use: self.show)
        group.put("scheduled_statuses/:id", use: self.update)
        group.delete("scheduled_statuses/:id", use: self.cancel)
    }

    static func id(_ context: AppRequestContext) throws -> ScheduledStatus.ID {
        guard let id = context.parameters.get("id").flatMap(ScheduledStatus.ID.init) else { throw DomainError.notFound }
        return id
    }

    @Sendable func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: "read:statuses")
        let page = try Pagination.page(try await request.parameters(context: context), default: 20, max: 40)
        let items = try await self.statuses.scheduled(of: viewer, page: page)
        return try Pagination.response(
            items.map(ScheduledStatusEntity.init),
            newestID: items.first?.scheduled.id.rawValue,
            oldestID: items.last?.scheduled.id.rawValue,
            request: request,
            urls: self.urls
        )
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> ScheduledStatusEntity {
        let viewer = try StatusesController.viewer(context, scope: "read:statuses")
        return ScheduledStatusEntity(try await self.statuses.scheduledView(try Self.id(context), of: viewer))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> ScheduledStatusEntity {
        let viewer = try StatusesController.viewer(context, scope: "write:statuses")
        let params = try await request.parameters(context: context)
        guard let text = try params.string("scheduled_at"), let date = MastodonJSONEncoder.parseClientDate(text) else {
            throw DomainError.validation("Validation failed: Scheduled at is not a valid date")
        }
        return ScheduledStatusEntity(try await self.statuses.reschedule(try Self.id(context), to: date, by: viewer))
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try StatusesController.viewer(context, scope: "write:statuses")
        try await self.statuses.cancelScheduled(try Self.id(context), by: viewer)
        return MastodonErrorMiddleware.json(.ok, [:])
    }
}
