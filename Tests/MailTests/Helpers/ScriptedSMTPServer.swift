import NIOCore
import NIOPosix
import Synchronization

/// A hand-written SMTP server on 127.0.0.1 that answers from a script, for failure modes aiosmtpd cannot produce.
final class ScriptedSMTPServer: Sendable {
    /// What the server sends when a client connects.
    enum Greeting: Sendable {
        /// A normal greeting line (CRLF is appended).
        case line(String)
        /// "220 " followed by this many bytes without a line ending: a hostile, endless line.
        case endless(bytes: Int)
        /// Nothing at all, to provoke a timeout.
        case silent
    }

    /// Answers a command line; `nil` falls back to `standardReply`. Replies may hold several CRLF-separated lines.
    typealias Responder = @Sendable (String) -> String?

    let channel: any Channel
    private let received: Mutex<[String]>

    /// Command lines received so far, from all connections (message data excluded).
    var commands: [String] {
        self.received.withLock { $0 }
    }

    var port: Int {
        self.channel.localAddress?.port ?? 0
    }

    private init(channel: any Channel) {
        self.channel = channel
        self.received = Mutex([])
    }

    /// Runs `body` with a started server and closes the server afterwards.
    static func with(
        greeting: Greeting = .line("220 scripted.test ESMTP"),
        responder: @escaping Responder = { _ in nil },
        _ body: (ScriptedSMTPServer) async throws -> Void
    ) async throws {
        let log = ScriptLog()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(
                        ScriptedSMTPHandler(greeting: greeting, responder: responder, log: log)
                    )
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = ScriptedSMTPServer(channel: channel)
        log.server.withLock { $0 = server }
        do {
            try await body(server)
            try? await channel.close()
        } catch {
            try? await channel.close()
            throw error
        }
    }

    fileprivate func record(_ line: String) {
        self.received.withLock { $0.append(line) }
    }

    /// A well-behaved server's reply to `line`.
    static func standardReply(_ line: String) -> String {
        let verb = line.split(separator: " ").first.map { $0.uppercased() } ?? ""
        switch verb {
        case "EHLO": return "250-scripted.test greets you\r\n250-8BITMIME\r\n250 SIZE 1000000"
        case "HELO": return "250 scripted.test"
        case "MAIL", "RCPT", "RSET", "NOOP": return "250 2.0.0 OK"
        case "DATA": return "354 End data with <CR><LF>.<CR><LF>"
        case ".": return "250 2.0.0 queued"
        case "QUIT": return "221 2.0.0 bye"
        default: return "502 5.5.2 command not recognised"
        }
    }
}

/// Connects the per-connection handlers to the server object created after binding.
private final class ScriptLog: Sendable {
    let server = Mutex<ScriptedSMTPServer?>(nil)

    func record(_ line: String) {
        self.server.withLock { $0?.record(line) }
    }
}

private final class ScriptedSMTPHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let greeting: ScriptedSMTPServer.Greeting
    private let responder: ScriptedSMTPServer.Responder
    private let log: ScriptLog
    private var buffer = ByteBuffer()
    private var inData = false

    init(greeting: ScriptedSMTPServer.Greeting, responder: @escaping ScriptedSMTPServer.Responder, log: ScriptLog) {
        self.greeting = greeting
        self.responder = responder
        self.log = log
    }

    func channelActive(context: ChannelHandlerContext) {
        switch self.greeting {
        case .line(let text):
            context.writeAndFlush(self.wrapOutboundOut(ByteBuffer(string: text + "\r\n")), promise: nil)
        case .endless(let count):
            context.write(self.wrapOutboundOut(ByteBuffer(string: "220 ")), promise: nil)
            let chunk = ByteBuffer(repeating: UInt8(ascii: "a"), count: 16384)
            for _ in 0..<(count / 16384) {
                context.write(self.wrapOutboundOut(chunk), promise: nil)
            }
            context.flush()
        case .silent:
            break
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = self.unwrapInboundIn(data)
        self.buffer.writeBuffer(&incoming)
        while let newline = self.buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            let length = self.buffer.readableBytesView.distance(
                from: self.buffer.readableBytesView.startIndex,
                to: newline
            )
            let line = self.buffer.readString(length: length)?.trimmingSuffix("\r") ?? ""
            self.buffer.moveReaderIndex(forwardBy: 1)
            if self.inData {
                guard line == "." else { continue }
                self.inData = false
            } else {
                self.log.record(line)
            }
            let reply = self.responder(line) ?? ScriptedSMTPServer.standardReply(line)
            context.writeAndFlush(self.wrapOutboundOut(ByteBuffer(string: reply + "\r\n")), promise: nil)
            if line.uppercased() == "DATA" && reply.hasPrefix("354") {
                self.inData = true
            }
            if line.uppercased() == "QUIT" {
                context.close(promise: nil)
                return
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        self.hasSuffix(suffix) ? String(self.dropLast(suffix.count)) : self
    }
}
