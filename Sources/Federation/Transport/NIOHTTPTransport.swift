import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// The real network, guarded: resolves the host itself, vets every resolved address with an ``AddressGuard`` and
/// connects only to the vetted addresses, so a DNS answer that changes between check and connect cannot redirect
/// the connection.
///
/// One request per connection (`Connection: close`); no pooling, no redirects (see ``RedirectingClient``).
/// - Plain http is allowed only when every address of the host is in the guard's allowed ranges.
/// - A host with any refused address is refused as a whole.
/// - Responses larger than ``TransportLimits/maxResponseBytes`` fail with ``TransportError/responseTooLarge(limit:)``
///   as soon as that is known (by `Content-Length` or while reading) and the connection is closed.
package final class NIOHTTPTransport: HTTPTransport {
    package let addressGuard: AddressGuard
    private let eventLoopGroup: any EventLoopGroup
    private let userAgent: String
    private let tlsConfiguration: TLSConfiguration
    private let logger: Logger
    private let sslContext = Mutex<NIOSSLContext?>(nil)

    /// - Parameters:
    ///   - addressGuard: decides which addresses may be contacted and which may use plain http.
    ///   - eventLoopGroup: where connections run; the shared singleton needs no shutdown.
    ///   - userAgent: sent as `User-Agent` unless the request sets one.
    ///   - tlsConfiguration: the TLS client configuration; the default verifies certificates against the system
    ///     trust roots.
    ///   - logger: receives a debug line for each refused or failed request.
    package init(
        guard addressGuard: AddressGuard,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        userAgent: String,
        tlsConfiguration: TLSConfiguration = .makeClientConfiguration(),
        logger: Logger = Logger(label: "federation.transport")
    ) {
        self.addressGuard = addressGuard
        self.eventLoopGroup = eventLoopGroup
        self.userAgent = userAgent
        self.tlsConfiguration = tlsConfiguration
        self.logger = logger
    }

    package func send(_ request: OutboundRequest, limits: TransportLimits) async throws -> OutboundResponse {
        let target = try RequestTarget(url: request.url)
        let head = try makeHead(for: request, target: target)
        let deadline = ContinuousClock.now.advanced(by: limits.totalTimeout)
        do {
            return try await withDeadline(deadline) {
                try await self.perform(
                    head: head,
                    body: request.body,
                    target: target,
                    limits: limits,
                    deadline: deadline
                )
            }
        } catch {
            logger.debug(
                "outbound request failed",
                metadata: ["method": "\(request.method)", "url": "\(request.url.absoluteString)", "error": "\(error)"]
            )
            throw error
        }
    }

    // MARK: - Steps

    private func perform(
        head: HTTPRequestHead,
        body: Data?,
        target: RequestTarget,
        limits: TransportLimits,
        deadline: ContinuousClock.Instant
    ) async throws -> OutboundResponse {
        let addresses = try await resolve(target)
        try vet(addresses, target: target)
        let context = target.isTLS ? try makeSSLContext() : nil
        let serverName = target.isTLS ? target.serverName : nil
        let bodyBuffer = body.map { ByteBuffer(bytes: $0) }
        let limit = max(0, limits.maxResponseBytes)

        var failures: [String] = []
        var everyFailureTimedOut = true
        for address in addresses {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { throw TransportError.timedOut }
            let loop = eventLoopGroup.next()
            let promise = loop.makePromise(of: CollectedResponse.self)
            let bootstrap = ClientBootstrap(group: loop)
                .connectTimeout(TimeAmount(min(limits.connectTimeout, remaining)))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        if let context {
                            try pipeline.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverName))
                        }
                        try pipeline.addHTTPClientHandlers()
                        try pipeline.addHandler(
                            ResponseCollector(head: head, body: bodyBuffer, limit: limit, promise: promise)
                        )
                    }
                }
            let channel: any Channel
            do {
                channel = try await bootstrap.connect(to: address).get()
            } catch {
                promise.fail(TransportError.connectFailed("\(address): \(error)"))
                if case ChannelError.connectTimeout = error {
                    failures.append("\(address): connect timed out")
                } else {
                    everyFailureTimedOut = false
                    failures.append("\(address): \(error)")
                }
                try Task.checkCancellation()
                continue
            }
            return try await exchange(on: channel, response: promise.futureResult, url: target.url)
        }
        if everyFailureTimedOut { throw TransportError.timedOut }
        throw TransportError.connectFailed("\(target.host): " + failures.joined(separator: "; "))
    }

    /// Waits for the collector to finish; closes the channel on every exit, including cancellation by the deadline.
    private func exchange(
        on channel: any Channel,
        response: EventLoopFuture<CollectedResponse>,
        url: URL
    ) async throws -> OutboundResponse {
        defer { channel.close(promise: nil) }
        let collected = try await withTaskCancellationHandler {
            try await response.get()
        } onCancel: {
            channel.close(promise: nil)
        }
        return OutboundResponse(
            status: Int(collected.status.code),
            headers: collected.headers.map { (name: $0.name, value: $0.value) },
            body: Data(collected.body.readableBytesView),
            finalURL: url
        )
    }

    private func resolve(_ target: RequestTarget) async throws -> [SocketAddress] {
        if let literal = target.literal {
            do {
                return [try SocketAddress(ipAddress: literal.description, port: target.port)]
            } catch {
                throw TransportError.invalidURL(target.url.absoluteString)
            }
        }
        let host = target.host
        let port = target.port
        // getaddrinfo blocks, so it runs on the shared blocking-work pool, never on an event loop.
        return try await NIOThreadPool.singleton.runIfActive {
            try SystemResolver.resolve(host: host, port: port)
        }
    }

    private func vet(_ addresses: [SocketAddress], target: RequestTarget) throws {
        guard !addresses.isEmpty else { throw TransportError.resolutionFailed("\(target.host): no addresses") }
        for address in addresses {
            guard let ip = IPAddress(address) else {
                throw TransportError.forbiddenAddress(host: target.host, reason: "\(address) is not an IP address")
            }
            if let reason = addressGuard.refusal(for: ip) {
                logger.debug("refused outbound address", metadata: ["host": "\(target.host)", "address": "\(ip)"])
                throw TransportError.forbiddenAddress(host: target.host, reason: "\(ip) is \(reason)")
            }
        }
        if !target.isTLS {
            for address in addresses {
                guard let ip = IPAddress(address), addressGuard.allowsPlainHTTP(ip) else {
                    throw TransportError.plainHTTPNotAllowed(target.host)
                }
            }
        }
    }

    private func makeSSLContext() throws -> NIOSSLContext {
        try sslContext.withLock { cached in
            if let cached { return cached }
            do {
                let context = try NIOSSLContext(configuration: tlsConfiguration)
                cached = context
                return context
            } catch {
                throw TransportError.connectFailed("TLS setup failed: \(error)")
            }
        }
    }

    private func makeHead(for request: OutboundRequest, target: RequestTarget) throws -> HTTPRequestHead {
        let method = request.method.uppercased()
        guard !method.isEmpty, method.utf8.allSatisfy(HeaderSyntax.isTokenByte) else {
            throw TransportError.protocolError("invalid method '\(request.method)'")
        }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: target.hostHeader)
        let managed: Set<String> = ["host", "connection", "content-length", "transfer-encoding", "keep-alive"]
        var hasUserAgent = false
        for (name, value) in request.headers {
            guard !name.isEmpty, name.utf8.allSatisfy(HeaderSyntax.isTokenByte) else {
                throw TransportError.protocolError("invalid header name '\(name)'")
            }
            guard value.utf8.allSatisfy(HeaderSyntax.isValueByte) else {
                throw TransportError.protocolError("invalid value for header '\(name)'")
            }
            let lowered = name.lowercased()
            if managed.contains(lowered) { continue }
            if lowered == "user-agent" { hasUserAgent = true }
            headers.add(name: name, value: value)
        }
        if !hasUserAgent { headers.add(name: "User-Agent", value: userAgent) }
        headers.add(name: "Connection", value: "close")
        if let body = request.body {
            headers.add(name: "Content-Length", value: String(body.count))
        } else if ["POST", "PUT", "PATCH"].contains(method) {
            headers.add(name: "Content-Length", value: "0")
        }
        return HTTPRequestHead(
            version: .http1_1,
            method: HTTPMethod(rawValue: method),
            uri: target.requestURI,
            headers: headers
        )
    }
}

// MARK: - URL handling

/// The parts of a request URL the transport needs, validated before any network activity.
struct RequestTarget: Sendable {
    let url: URL
    let isTLS: Bool
    /// Lowercased, without IPv6 brackets.
    let host: String
    let port: Int
    /// Set when the host is an IP literal.
    let literal: IPAddress?
    /// `host[:port]`, the port omitted when default; IPv6 literals in brackets.
    let hostHeader: String
    /// Percent-encoded path and query, never empty.
    let requestURI: String

    /// The name for SNI and certificate checks; nil for IP literals, which are checked against the peer address.
    var serverName: String? {
        guard literal == nil else { return nil }
        return host.hasSuffix(".") ? String(host.dropLast()) : host
    }

    init(url: URL) throws {
        let invalid = TransportError.invalidURL(url.absoluteString)
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: true),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            var host = components.percentEncodedHost?.lowercased(), !host.isEmpty
        else { throw invalid }
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        }
        let literal = IPAddress(host)
        if literal == nil {
            // A DNS name: letters, digits, '-', '_' and dots only. Anything else (zone identifiers,
            // percent-encoding, unparseable IPv6 text) is refused rather than handed to the resolver.
            let allowed = host.utf8.allSatisfy { byte in
                (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x2E
                    || byte == 0x5F
            }
            guard allowed, !host.hasPrefix("."), !host.contains("..") else { throw invalid }
        }
        let isTLS = scheme == "https"
        let defaultPort = isTLS ? 443 : 80
        let port = components.port ?? defaultPort
        guard (1...65535).contains(port) else { throw invalid }

        var path = components.percentEncodedPath
        if path.isEmpty { path = "/" }
        guard path.hasPrefix("/") else { throw invalid }
        if let query = components.percentEncodedQuery { path += "?" + query }
        guard path.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw invalid }

        let bracketed = literal.map { $0.isIPv4 ? host : "[\(host)]" } ?? host
        self.url = url
        self.isTLS = isTLS
        self.host = host
        self.port = port
        self.literal = literal
        self.hostHeader = port == defaultPort ? bracketed : "\(bracketed):\(port)"
        self.requestURI = path
    }
}

private enum HeaderSyntax {
    /// RFC 9110 `tchar`.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }

    /// Visible characters, spaces, tabs and obs-text; no CR, LF or other controls.
    static func isValueByte(_ byte: UInt8) -> Bool {
        byte == 0x09 || (byte >= 0x20 && byte != 0x7F)
    }
}

// MARK: - Resolution

enum SystemResolver {
    /// Resolves `host` with getaddrinfo, blocking; addresses in the resolver's order, without duplicates.
    static func resolve(host: String, port: Int) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Darwin)
            hints.ai_socktype = SOCK_STREAM
        #else
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #endif
        hints.ai_protocol = Int32(IPPROTO_TCP)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            let reason = String(cString: gai_strerror(status))
            throw TransportError.resolutionFailed("\(host): \(reason)")
        }
        defer { freeaddrinfo(first) }

        var addresses: [SocketAddress] = []
        var seen: Set<IPAddress> = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor?.pointee {
            cursor = entry.ai_next
            guard let raw = entry.ai_addr else { continue }
            let address: SocketAddress
            switch entry.ai_family {
            case AF_INET:
                address = raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                    SocketAddress($0.pointee, host: host)
                }
            case AF_INET6:
                address = raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    SocketAddress($0.pointee, host: host)
                }
            default:
                continue
            }
            guard let ip = IPAddress(address), seen.insert(ip).inserted else { continue }
            addresses.append(address)
        }
        return addresses
    }
}

// MARK: - Deadline

/// Runs `operation` until it finishes or `deadline` passes, whichever comes first. On the deadline this throws
/// ``TransportError/timedOut`` at once and cancels the operation without waiting for it (a blocking getaddrinfo
/// call cannot be interrupted; its late answer is ignored).
private func withDeadline<Value: Sendable>(
    _ deadline: ContinuousClock.Instant,
    operation: @escaping @Sendable () async throws -> Value
) async throws -> Value {
    let race = DeadlineRace<Value>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            race.start(continuation: continuation, deadline: deadline, operation: operation)
        }
    } onCancel: {
        race.finish(.failure(CancellationError()), cancellingOperation: true)
    }
}

private final class DeadlineRace<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Value, any Error>?
        var outcome: Result<Value, any Error>?
        var operation: Task<Void, Never>?
        var timer: Task<Void, Never>?
    }

    private let state = Mutex(State())

    func start(
        continuation: CheckedContinuation<Value, any Error>,
        deadline: ContinuousClock.Instant,
        operation: @escaping @Sendable () async throws -> Value
    ) {
        let work = Task {
            do {
                let value = try await operation()
                self.finish(.success(value), cancellingOperation: false)
            } catch {
                self.finish(.failure(error), cancellingOperation: false)
            }
        }
        let timer = Task {
            do {
                try await Task.sleep(until: deadline, clock: .continuous)
            } catch {
                return
            }
            self.finish(.failure(TransportError.timedOut), cancellingOperation: true)
        }
        let earlyOutcome = state.withLock { state -> Result<Value, any Error>? in
            if let outcome = state.outcome { return outcome }
            state.continuation = continuation
            state.operation = work
            state.timer = timer
            return nil
        }
        if let earlyOutcome {
            work.cancel()
            timer.cancel()
            continuation.resume(with: earlyOutcome)
        }
    }

    func finish(_ result: Result<Value, any Error>, cancellingOperation: Bool) {
        let taken = state.withLock {
            state -> (CheckedContinuation<Value, any Error>?, Task<Void, Never>?, Task<Void, Never>?)? in
            guard state.outcome == nil else { return nil }
            state.outcome = result
            defer {
                state.continuation = nil
                state.operation = nil
                state.timer = nil
            }
            return (state.continuation, state.operation, state.timer)
        }
        guard let (continuation, work, timer) = taken else { return }
        timer?.cancel()
        if cancellingOperation { work?.cancel() }
        continuation?.resume(with: result)
    }
}

// MARK: - Channel handler

private struct CollectedResponse: Sendable {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var body: ByteBuffer
}

/// Sends the request once the connection is up, collects the response and enforces the size cap.
private final class ResponseCollector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let head: HTTPRequestHead
    private let body: ByteBuffer?
    private let limit: Int
    private let promise: EventLoopPromise<CollectedResponse>
    private var responseHead: HTTPResponseHead?
    private var received: ByteBuffer?
    private var finished = false

    init(head: HTTPRequestHead, body: ByteBuffer?, limit: Int, promise: EventLoopPromise<CollectedResponse>) {
        self.head = head
        self.body = body
        self.limit = limit
        self.promise = promise
    }

    func channelActive(context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let body, body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !finished else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            if self.head.method != .HEAD,
                let declared = head.headers.first(name: "content-length").flatMap({ Int($0) }), declared > limit
            {
                fail(TransportError.responseTooLarge(limit: limit), context: context)
                return
            }
            responseHead = head
            received = context.channel.allocator.buffer(capacity: 0)
        case .body(var part):
            guard responseHead != nil else {
                fail(TransportError.protocolError("body before response head"), context: context)
                return
            }
            if (received?.readableBytes ?? 0) + part.readableBytes > limit {
                fail(TransportError.responseTooLarge(limit: limit), context: context)
                return
            }
            received?.writeBuffer(&part)
        case .end:
            guard let responseHead else {
                fail(TransportError.protocolError("response ended before its head"), context: context)
                return
            }
            finished = true
            promise.succeed(
                CollectedResponse(
                    status: responseHead.status,
                    headers: responseHead.headers,
                    body: received ?? context.channel.allocator.buffer(capacity: 0)
                )
            )
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !finished {
            finished = true
            promise.fail(TransportError.protocolError("connection closed before the response was complete"))
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if case NIOSSLError.uncleanShutdown = error {
            // The peer closed TCP without close_notify. The close itself follows: a response delimited by the end
            // of the connection completes then, anything else fails as incomplete.
            return
        }
        fail(classify(error), context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if !finished {
            finished = true
            promise.fail(TransportError.protocolError("connection closed before the response was complete"))
        }
    }

    private func fail(_ error: TransportError, context: ChannelHandlerContext) {
        if !finished {
            finished = true
            promise.fail(error)
        }
        context.close(promise: nil)
    }

    private func classify(_ error: any Error) -> TransportError {
        if let transportError = error as? TransportError { return transportError }
        if error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError {
            // Before any response arrived this is almost always a failed handshake (untrusted certificate, wrong
            // name, a peer that does not speak TLS).
            return responseHead == nil ? .connectFailed("TLS failed: \(error)") : .protocolError("TLS: \(error)")
        }
        return .protocolError("\(error)")
    }
}

@available(*, unavailable)
extension ResponseCollector: Sendable {}
