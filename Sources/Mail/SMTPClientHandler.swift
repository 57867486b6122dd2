import NIOCore

/// Splits the server's bytes into SMTP replies and hands each to the command waiting for it.
///
/// SMTP without PIPELINING is strictly one reply per command, so one pending promise suffices. Memory is bounded:
/// a line may not exceed `maximumLineLength`, a reply `maximumReplyLines`, and at most `maximumQueuedReplies`
/// replies may arrive unasked. Each wait for a reply has its own timeout. Lives on the channel's event loop only.
final class SMTPClientHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Longest accepted reply line in bytes, line ending included (RFC 5321 allows 512).
    static let maximumLineLength = 4096
    /// Most lines accepted in one multi-line reply.
    static let maximumReplyLines = 128
    /// Most complete replies buffered without a command waiting for them.
    static let maximumQueuedReplies = 4

    private let timeout: TimeAmount
    private var context: ChannelHandlerContext?
    private var buffer = ByteBuffer()
    private var partialCode: Int?
    private var partialLines: [String] = []
    private var queued = CircularBuffer<SMTPReply>()
    private var waiting: (promise: EventLoopPromise<SMTPReply>, timeout: Scheduled<Void>)?
    private var failure: (any Error)?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    /// True when bytes or replies are buffered; after a `STARTTLS` go-ahead that means a plaintext injection attempt.
    var hasUnprocessedInput: Bool {
        self.buffer.readableBytes > 0 || self.partialCode != nil || !self.queued.isEmpty
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.fail(SMTPClientError.connectionClosed)
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = self.unwrapInboundIn(data)
        guard self.failure == nil else { return }
        self.buffer.writeBuffer(&incoming)
        do {
            try self.parseReplies()
            self.buffer.discardReadBytes()
        } catch {
            self.fail(error)
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.fail(SMTPClientError.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.fail(error)
        context.close(promise: nil)
    }

    /// Writes `command` (already CRLF-terminated) if given, then returns the next reply.
    ///
    /// Call with `nil` to read the greeting. `timeout` overrides the configured limit for this reply. Must be called
    /// on the event loop.
    func exchange(
        _ command: ByteBuffer?,
        timeout: TimeAmount? = nil,
        on eventLoop: any EventLoop
    ) -> EventLoopFuture<SMTPReply> {
        if let failure = self.failure {
            return eventLoop.makeFailedFuture(failure)
        }
        guard let context = self.context else {
            return eventLoop.makeFailedFuture(SMTPClientError.connectionClosed)
        }
        guard self.waiting == nil else {
            return eventLoop.makeFailedFuture(SMTPClientError.replyPending)
        }
        if let command {
            context.writeAndFlush(self.wrapOutboundOut(command)).assumeIsolated().whenFailure { error in
                self.fail(error)
            }
        }
        if let reply = self.queued.popFirst() {
            return eventLoop.makeSucceededFuture(reply)
        }
        let promise = eventLoop.makePromise(of: SMTPReply.self)
        let timeout = eventLoop.assumeIsolated().scheduleTask(in: timeout ?? self.timeout) {
            self.fail(SMTPClientError.timeout)
            self.context?.close(promise: nil)
        }
        self.waiting = (promise, timeout)
        return promise.futureResult
    }

    private func fail(_ error: any Error) {
        if self.failure == nil {
            self.failure = error
        }
        if let waiting = self.waiting {
            self.waiting = nil
            waiting.timeout.cancel()
            waiting.promise.fail(error)
        }
    }

    private func deliver(_ reply: SMTPReply) throws {
        if let waiting = self.waiting {
            self.waiting = nil
            waiting.timeout.cancel()
            waiting.promise.succeed(reply)
        } else {
            guard self.queued.count < Self.maximumQueuedReplies else {
                throw SMTPClientError.unexpectedData
            }
            self.queued.append(reply)
        }
    }

    private func parseReplies() throws {
        while true {
            let view = self.buffer.readableBytesView
            guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
                if view.count >= Self.maximumLineLength {
                    throw SMTPClientError.lineTooLong
                }
                return
            }
            let length = view.distance(from: view.startIndex, to: newline) + 1
            guard length <= Self.maximumLineLength, var line = self.buffer.readSlice(length: length) else {
                throw SMTPClientError.lineTooLong
            }
            var bytes = line.readBytes(length: line.readableBytes) ?? []
            bytes.removeLast()  // LF
            if bytes.last == UInt8(ascii: "\r") {
                bytes.removeLast()
            }
            try self.parseLine(bytes)
        }
    }

    private func parseLine(_ bytes: [UInt8]) throws {
        let line = String(decoding: bytes, as: UTF8.self)
        guard bytes.count >= 3,
            (UInt8(ascii: "2")...UInt8(ascii: "5")).contains(bytes[0]),
            bytes[1...2].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            bytes.count == 3 || bytes[3] == UInt8(ascii: " ") || bytes[3] == UInt8(ascii: "-"),
            let code = Int(String(decoding: bytes[0..<3], as: UTF8.self))
        else {
            throw SMTPClientError.malformedReply(line)
        }
        if let partialCode = self.partialCode, partialCode != code {
            throw SMTPClientError.malformedReply(line)
        }
        self.partialCode = code
        self.partialLines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
        guard self.partialLines.count <= Self.maximumReplyLines else {
            throw SMTPClientError.tooManyLines
        }
        if bytes.count > 3 && bytes[3] == UInt8(ascii: "-") {
            return
        }
        let reply = SMTPReply(code: code, lines: self.partialLines)
        self.partialCode = nil
        self.partialLines = []
        try self.deliver(reply)
    }
}
