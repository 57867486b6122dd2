import Core
import Foundation
import HTTPCommon
import Hummingbird
import NIOCore
import Processing
import ServiceLifecycle

/// The streaming API over server-sent events — https://docs.joinmastodon.org/methods/streaming/
///
/// `GET /api/v1/streaming/user`, `/user/notification`, `/public`, `/public/local`, `/public/remote`,
/// `/hashtag?tag=`, `/hashtag/local?tag=`, `/direct`. A token comes in the `Authorization` header or
/// the `access_token` query parameter. Events are `update`, `status.update`, `notification` and
/// `delete`; a comment line keeps the connection alive every 15 seconds.
struct StreamingController {
    let streams: StreamHub
    let oauth: OAuthProcessor
    let urls: URLBuilder
    static let heartbeat: Duration = .seconds(15)

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("streaming/health") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "OK"))
            )
        }
        for path in [
            "user", "user/notification", "public", "public/local", "public/remote", "hashtag", "hashtag/local",
            "direct", "list",
        ] {
            group.get("streaming/\(path)") { request, context in
                try await self.stream(path.replacingOccurrences(of: "/", with: ":"), request: request, context: context)
            }
        }
    }

    func stream(_ name: String, request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        guard let stream = StreamName(name, tag: query.get("tag"), list: query.get("list")) else {
            throw DomainError.validation("Unknown stream type, or a missing tag or list")
        }
        var viewer = context.viewer
        if viewer == nil, let token = request.uri.queryParameters.get("access_token"), !token.isEmpty {
            guard let found = try await self.oauth.authenticate(bearer: token) else {
                throw DomainError.unauthorized("The access token is invalid")
            }
            viewer = found
        }
        if stream.isPersonal {
            guard let viewer, viewer.accountID != nil else {
                throw DomainError.unauthorized("This stream requires an authenticated user")
            }
            guard viewer.scopes.allows("read:statuses") || viewer.scopes.allows("read:notifications") else {
                throw DomainError.forbidden("This action is outside the authorized scopes")
            }
        }
        guard try await self.streams.permits(stream, viewer: viewer?.accountID) else { throw DomainError.notFound }
        let (id, messages) = await self.streams.subscribe(viewer: viewer?.accountID, streams: [stream])
        let hub = self.streams
        let urls = self.urls
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
            body: ResponseBody { writer in
                let (chunks, output) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(500))
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await message in messages { output.yield(Self.render(message, urls: urls)) }
                        output.finish()
                    }
                    group.addTask {
                        while !Task.isCancelled {
                            try? await Task.sleep(for: Self.heartbeat)
                            output.yield(":thump\n\n")
                        }
                    }
                    // A server stopping gracefully waits for open responses: end this one when it begins.
                    await withGracefulShutdownHandler {
                        do {
                            try await writer.write(ByteBuffer(string: ":)\n\n"))
                            for await chunk in chunks { try await writer.write(ByteBuffer(string: chunk)) }
                        } catch {
                            // The client went away.
                        }
                    } onGracefulShutdown: {
                        output.finish()
                    }
                    group.cancelAll()
                }
                await hub.unsubscribe(id)
                try? await writer.finish(nil)
            }
        )
    }

    /// `event: <name>` and `data: <payload>`, as Mastodon's streaming server writes them.
    static func render(_ message: StreamMessage, urls: URLBuilder) -> String {
        let data: String
        switch message.payload {
        case .id(let id): data = id
        case .status(let view): data = Self.json(StatusEntity(view, urls: urls))
        case .notification(let view): data = Self.json(NotificationEntity(view, urls: urls))
        }
        return "event: \(message.event)\ndata: \(data)\n\n"
    }

    static func json(_ value: some Encodable) -> String {
        guard let data = try? StreamingJSONEncoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
