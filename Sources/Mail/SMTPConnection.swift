import NIOCore
import NIOPosix
import NIOSSL

/// One open SMTP connection: async wrappers that run each step on the channel's event loop.
struct SMTPConnection: Sendable {
    let channel: any Channel

    /// Connects, optionally wrapping the socket in TLS from the first byte, and installs `SMTPClientHandler`.
    static func connect(
        host: String,
        port: Int,
        timeout: TimeAmount,
        implicitTLS: NIOSSLContext?,
        serverHostname: String?,
        eventLoopGroup: any EventLoopGroup
    ) async throws -> SMTPConnection {
        let bootstrap = ClientBootstrap(group: eventLoopGroup)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let implicitTLS {
                        try pipeline.addHandler(
                            NIOSSLClientHandler(context: implicitTLS, serverHostname: serverHostname)
                        )
                    }
                    try pipeline.addHandler(SMTPClientHandler(timeout: timeout))
                }
            }
        let channel = try await bootstrap.connect(host: host, port: port).get()
        return SMTPConnection(channel: channel)
    }

    /// Reads the next reply without sending anything (the greeting).
    func readReply() async throws -> SMTPReply {
        try await self.exchange(nil)
    }

    /// Sends one command line (CRLF is appended) and returns the reply.
    func command(_ line: String, timeout: TimeAmount? = nil) async throws -> SMTPReply {
        try await self.exchange(self.channel.allocator.buffer(string: line + "\r\n"), timeout: timeout)
    }

    /// Sends raw bytes (the dot-stuffed message and its terminating dot) and returns the reply.
    func send(_ bytes: [UInt8]) async throws -> SMTPReply {
        try await self.exchange(self.channel.allocator.buffer(bytes: bytes))
    }

    private func exchange(_ bytes: ByteBuffer?, timeout: TimeAmount? = nil) async throws -> SMTPReply {
        let channel = self.channel
        return try await channel.eventLoop.flatSubmit {
            do {
                let handler = try channel.pipeline.syncOperations.handler(type: SMTPClientHandler.self)
                return handler.exchange(bytes, timeout: timeout, on: channel.eventLoop)
            } catch {
                return channel.eventLoop.makeFailedFuture(error)
            }
        }.get()
    }

    /// Puts TLS in front of the SMTP handler after the server's `220` to `STARTTLS`.
    ///
    /// Refuses when anything arrived after that reply: such bytes were sent in plain text and would otherwise be
    /// read as if they came over TLS (the STARTTLS command-injection attack).
    func startTLS(context: NIOSSLContext, serverHostname: String?) async throws {
        let channel = self.channel
        try await channel.eventLoop.submit {
            let pipeline = channel.pipeline.syncOperations
            let handler = try pipeline.handler(type: SMTPClientHandler.self)
            guard !handler.hasUnprocessedInput else {
                throw SMTPClientError.unexpectedData
            }
            try pipeline.addHandler(
                NIOSSLClientHandler(context: context, serverHostname: serverHostname),
                position: .first
            )
        }.get()
    }

    /// Sends `QUIT`, waits briefly (at most two seconds) for the answer, then closes; never throws.
    func quit() async {
        _ = try? await self.command("QUIT", timeout: .seconds(2))
        await self.close()
    }

    /// Closes the connection; never throws.
    func close() async {
        try? await self.channel.close()
    }
}
