import Core
import Foundation
import HTTPCommon
import Hummingbird
import HummingbirdWebSocket
import Processing

/// The streaming API over WebSocket: `GET /api/v1/streaming` upgraded, as Elk, Phanpy and Ice Cubes
/// use it — https://docs.joinmastodon.org/methods/streaming/#websocket
///
/// The token comes as `access_token` or in `Sec-WebSocket-Protocol`; `stream` (and `tag`) in the query
/// open a first stream; `{"type":"subscribe","stream":"hashtag","tag":"x"}` and `unsubscribe` change
/// them. Events are `{"stream":[…],"event":"update","payload":"<JSON as a string>"}`.
package struct StreamingWebSocket: Sendable {
    let streams: StreamHub
    let oauth: OAuthProcessor
    let urls: URLBuilder
    static let maxMessage = 16 * 1024

    package init(processor: Processor) {
        self.streams = processor.streams
        self.oauth = processor.oauth
        self.urls = processor.context.urls
    }

    package func addRoutes(to router: Router<BasicWebSocketRequestContext>) {
        router.ws("api/v1/streaming") { request, _ in
            // Refused before the upgrade: an unknown token never gets a socket.
            _ = try await self.viewer(request)
            var headers = HTTPFields()
            if let protocols = request.headers[.secWebSocketProtocol] {
                headers[.secWebSocketProtocol] = protocols.split(separator: ",").first.map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
            }
            return .upgrade(headers)
        } onUpgrade: { inbound, outbound, context in
            let viewer = try await self.viewer(context.request)
            var initial: Set<StreamName> = []
            let query = context.request.uri.queryParameters
            if let name = query.get("stream"),
                let stream = StreamName(name, tag: query.get("tag"), list: query.get("list")),
                await self.allowed(stream, viewer: viewer)
            {
                initial.insert(stream)
            }
            let (id, messages) = await self.streams.subscribe(viewer: viewer?.accountID, streams: initial)
            let urls = self.urls
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await message in messages {
                        try? await outbound.write(.text(Self.frame(message, urls: urls)))
                    }
                }
                do {
                    for try await message in inbound.messages(maxSize: Self.maxMessage) {
                        guard case .text(let text) = message else { continue }
                        await self.handle(text, subscription: id, viewer: viewer)
                    }
                } catch {
                    // The client went away or sent something too large.
                }
                await self.streams.unsubscribe(id)
                group.cancelAll()
            }
        }
    }

    /// The viewer of a token in the query or `Sec-WebSocket-Protocol`; nil without one; 401 for a bad one.
    func viewer(_ request: Request) async throws -> Viewer? {
        let fromQuery: String? = request.uri.queryParameters.get("access_token")
        let fromProtocol: String? = request.headers[.secWebSocketProtocol]?.split(separator: ",").first.map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        let token = fromQuery ?? fromProtocol
        guard let token, !token.isEmpty else { return nil }
        guard let viewer = try await self.oauth.authenticate(bearer: token) else {
            throw HTTPError(.unauthorized, message: "The access token is invalid")
        }
        return viewer
    }

    /// Personal streams need a signed-in viewer; a list, its owner.
    func allowed(_ stream: StreamName, viewer: Viewer?) async -> Bool {
        guard !stream.isPersonal || viewer?.accountID != nil else { return false }
        return (try? await self.streams.permits(stream, viewer: viewer?.accountID)) ?? false
    }

    /// A `subscribe` or `unsubscribe` message; anything else is ignored, as Mastodon's server does.
    func handle(_ text: String, subscription: UUID, viewer: Viewer?) async {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let type = object["type"] as? String, let name = object["stream"] as? String,
            let stream = StreamName(name, tag: object["tag"] as? String, list: Self.listID(object["list"])),
            await self.allowed(stream, viewer: viewer)
        else { return }
        switch type {
        case "subscribe": await self.streams.change(subscription, adding: [stream])
        case "unsubscribe": await self.streams.change(subscription, removing: [stream])
        default: return
        }
    }

    /// A list id sent as a string or as a number.
    static func listID(_ value: Any?) -> String? {
        if let text = value as? String { return text }
        return (value as? NSNumber).map { $0.stringValue }
    }

    /// The WebSocket frame of an event: its payload is JSON inside a string, as Mastodon sends it.
    static func frame(_ message: StreamMessage, urls: URLBuilder) -> String {
        let payload: String
        switch message.payload {
        case .id(let id): payload = id
        case .status(let view): payload = StreamingController.json(StatusEntity(view, urls: urls))
        case .notification(let view): payload = StreamingController.json(NotificationEntity(view, urls: urls))
        }
        let body: [String: Any] = ["stream": message.stream, "event": message.event, "payload": payload]
        guard let data = try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
