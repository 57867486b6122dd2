import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// A tiny HTTP/1.1 server on 127.0.0.1 with an ephemeral port, for transport tests.
///
/// Routes: `/echo` answers with the request's method, target, Host, User-Agent and body; `/bytes?n=N` sends N bytes
/// with a Content-Length; `/stream?n=N` sends N bytes chunked; `/hang` never answers; `/redirect?to=URL` answers
/// 302 to URL; `/see-other` answers 303 to `/echo`; `/loop` answers 302 to itself.
final class TransportTestServer: Sendable {
    let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let counter: ConnectionCounter

    /// How many connections the server has accepted so far.
    var connections: Int {
        counter.value
    }

    private init(port: Int, group: MultiThreadedEventLoopGroup, counter: ConnectionCounter) {
        self.port = port
        self.group = group
        self.counter = counter
    }

    /// Runs `body` with a started server and stops the server afterwards, also when `body` throws.
    @discardableResult
    static func with<T>(
        tls: NIOSSLContext? = nil,
        _ body: (TransportTestServer) async throws -> T
    ) async throws -> T {
        let server = try await start(tls: tls)
        do {
            let result = try await body(server)
            try await server.stop()
            return result
        } catch {
            try? await server.stop()
            throw error
        }
    }

    private static func start(tls: NIOSSLContext?) async throws -> TransportTestServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let counter = ConnectionCounter()
        do {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    counter.increment()
                    return channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        if let tls {
                            try pipeline.addHandler(NIOSSLServerHandler(context: tls))
                        }
                        try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
                        try pipeline.addHandler(TestServerHandler())
                    }
                }
                .bind(host: "127.0.0.1", port: 0)
                .get()
            let port = channel.localAddress?.port ?? 0
            return TransportTestServer(port: port, group: group, counter: counter)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    func stop() async throws {
        try await group.shutdownGracefully()
    }

    /// `http://127.0.0.1:port` followed by `path`.
    func url(_ path: String, scheme: String = "http", host: String = "127.0.0.1") -> URL {
        URL(string: "\(scheme)://\(host):\(port)\(path)")!
    }
}

/// Counts accepted connections; shared by the server object and its child channel initializer.
private final class ConnectionCounter: Sendable {
    private let atomic = Atomic<Int>(0)

    var value: Int {
        atomic.load(ordering: .sequentiallyConsistent)
    }

    func increment() {
        atomic.wrappingAdd(1, ordering: .sequentiallyConsistent)
    }
}

private final class TestServerHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
        case .body(var part):
            body.writeBuffer(&part)
        case .end:
            if let head { respond(to: head, context: context) }
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let components = URLComponents(string: "http://server\(head.uri)")
        let path = components?.path ?? head.uri
        let query = components?.queryItems ?? []
        let number = query.first { $0.name == "n" }?.value.flatMap { Int($0) } ?? 0
        switch path {
        case "/echo":
            let text = [
                "method=\(head.method.rawValue)",
                "target=\(head.uri)",
                "host=\(head.headers["host"].joined(separator: ","))",
                "user-agent=\(head.headers["user-agent"].joined(separator: ","))",
                "body=\(String(buffer: body))",
            ].joined(separator: "\n")
            send(.ok, body: ByteBuffer(string: text), context: context)
        case "/bytes":
            send(.ok, body: ByteBuffer(repeating: 0x61, count: number), context: context)
        case "/stream":
            send(.ok, body: ByteBuffer(repeating: 0x61, count: number), chunked: true, context: context)
        case "/hang":
            return
        case "/redirect":
            let target = query.first { $0.name == "to" }?.value ?? "/"
            send(.found, headers: [("Location", target)], body: ByteBuffer(), context: context)
        case "/see-other":
            send(.seeOther, headers: [("Location", "/echo")], body: ByteBuffer(), context: context)
        case "/loop":
            send(.found, headers: [("Location", "/loop")], body: ByteBuffer(), context: context)
        default:
            send(.notFound, body: ByteBuffer(string: "not found"), context: context)
        }
    }

    private func send(
        _ status: HTTPResponseStatus,
        headers extra: [(String, String)] = [],
        body: ByteBuffer,
        chunked: Bool = false,
        context: ChannelHandlerContext
    ) {
        var headers = HTTPHeaders(extra)
        headers.add(name: "Connection", value: "close")
        if !chunked { headers.add(name: "Content-Length", value: String(body.readableBytes)) }
        let head = HTTPResponseHead(version: .http1_1, status: status, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if chunked {
            var remaining = body
            while let slice = remaining.readSlice(length: min(65_536, remaining.readableBytes)),
                slice.readableBytes > 0
            {
                context.write(wrapOutboundOut(.body(.byteBuffer(slice))), promise: nil)
            }
        } else if body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            bound.value.close(promise: nil)
        }
    }
}
