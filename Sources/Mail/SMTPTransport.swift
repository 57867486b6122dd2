import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Sends each message over its own SMTP connection to one relay.
///
/// The dialogue is: greeting, `EHLO` (falling back to `HELO` on a 5xx), `STARTTLS` and a second `EHLO` when
/// configured, `AUTH PLAIN` (or `AUTH LOGIN` when only that is offered) when credentials are set, `MAIL FROM`,
/// one `RCPT TO` per recipient, `DATA` with dot-stuffing, `QUIT`. No PIPELINING, no SMTPUTF8, no connection reuse.
/// Every recipient must be accepted: one refusal fails the whole message, so a retry never duplicates mail.
package struct SMTPTransport: MailTransport {
    /// The relay and its settings.
    package let configuration: SMTPConfiguration
    /// Event loops for the connections; owned by the caller.
    package let eventLoopGroup: any EventLoopGroup

    /// Creates a transport; nothing is connected until `send`.
    package init(configuration: SMTPConfiguration, eventLoopGroup: any EventLoopGroup) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
    }

    /// Delivers one message to the relay.
    ///
    /// Throws `MailError.transient` for network failures, timeouts, TLS handshake failures, malformed or oversized
    /// replies and 4xx replies; `MailError.permanent` for 5xx replies (with the command and the server's text),
    /// a missing `STARTTLS` or `AUTH` offer, and invalid configuration.
    package func send(_ message: MailMessage) async throws {
        try message.validate()
        try Self.validateHeloName(self.configuration.heloName)
        let tls = try self.makeTLSContext()
        let serverHostname = Self.isIPAddress(self.configuration.host) ? nil : self.configuration.host
        let connection: SMTPConnection
        do {
            connection = try await SMTPConnection.connect(
                host: self.configuration.host,
                port: self.configuration.port,
                timeout: self.configuration.timeout,
                implicitTLS: self.configuration.security == .tls ? tls : nil,
                serverHostname: serverHostname,
                eventLoopGroup: self.eventLoopGroup
            )
        } catch {
            throw Self.classify(error, during: "connect to \(self.configuration.host):\(self.configuration.port)")
        }
        do {
            try await self.converse(over: connection, message: message, tls: tls, serverHostname: serverHostname)
            await connection.quit()
        } catch let error as MailError {
            await connection.quit()
            throw error
        } catch {
            await connection.close()
            throw Self.classify(error, during: "SMTP session with \(self.configuration.host)")
        }
    }

    private func converse(
        over connection: SMTPConnection,
        message: MailMessage,
        tls: NIOSSLContext?,
        serverHostname: String?
    ) async throws {
        try Self.expect(try await connection.readReply(), 220, after: "greeting")
        var extensions = try await self.hello(over: connection)
        if self.configuration.security == .startTLS, let tls {
            guard extensions["STARTTLS"] != nil else {
                throw MailError.permanent("STARTTLS required but not offered by \(self.configuration.host)")
            }
            try Self.expect(try await connection.command("STARTTLS"), 220, after: "STARTTLS")
            try await connection.startTLS(context: tls, serverHostname: serverHostname)
            extensions = try await self.hello(over: connection)
        }
        if let username = self.configuration.username, let password = self.configuration.password {
            try await Self.authenticate(
                over: connection,
                username: username,
                password: password,
                extensions: extensions
            )
        }
        try Self.expect(
            try await connection.command("MAIL FROM:<\(message.from.asciiAddress)>"),
            250,
            after: "MAIL FROM"
        )
        for recipient in message.to {
            let reply = try await connection.command("RCPT TO:<\(recipient.asciiAddress)>")
            try Self.expect(reply, 250, 251, after: "RCPT TO:<\(recipient.asciiAddress)>")
        }
        try Self.expect(try await connection.command("DATA"), 354, after: "DATA")
        try Self.expect(try await connection.send(Self.dotStuffed(message.rendered())), 250, after: "end of DATA")
    }

    /// Sends `EHLO`, or `HELO` when the server refuses `EHLO` with a 5xx, and returns the offered extensions.
    ///
    /// Keys are upper-cased keywords (`AUTH`, `STARTTLS`); values are the rest of the line. `HELO` offers none.
    private func hello(over connection: SMTPConnection) async throws -> [String: String] {
        let reply = try await connection.command("EHLO \(self.configuration.heloName)")
        if (500..<600).contains(reply.code) {
            try Self.expect(try await connection.command("HELO \(self.configuration.heloName)"), 250, after: "HELO")
            return [:]
        }
        try Self.expect(reply, 250, after: "EHLO")
        var extensions: [String: String] = [:]
        for line in reply.lines.dropFirst() {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard var keyword = parts.first.map({ $0.uppercased() }) else { continue }
            var parameters = parts.count > 1 ? String(parts[1]) : ""
            if keyword.hasPrefix("AUTH=") {  // pre-RFC 4954 servers: "AUTH=LOGIN PLAIN"
                parameters = String(keyword.dropFirst(5)) + " " + parameters
                keyword = "AUTH"
            }
            extensions[keyword, default: ""] += extensions[keyword] == nil ? parameters : " " + parameters
        }
        return extensions
    }

    /// Authenticates with PLAIN (initial response, RFC 4616) or, when only that is offered, LOGIN.
    private static func authenticate(
        over connection: SMTPConnection,
        username: String,
        password: String,
        extensions: [String: String]
    ) async throws {
        guard let offered = extensions["AUTH"] else {
            throw MailError.permanent("credentials configured but the server offers no AUTH")
        }
        let mechanisms = Set(offered.uppercased().split(separator: " ").map(String.init))
        if mechanisms.contains("PLAIN") {
            let token = Data("\0\(username)\0\(password)".utf8).base64EncodedString()
            var reply = try await connection.command("AUTH PLAIN \(token)")
            if reply.code == 334 {  // server ignored the initial response and asks again
                reply = try await connection.command(token)
            }
            try Self.expect(reply, 235, after: "AUTH PLAIN")
        } else if mechanisms.contains("LOGIN") {
            try Self.expect(try await connection.command("AUTH LOGIN"), 334, after: "AUTH LOGIN")
            let user = Data(username.utf8).base64EncodedString()
            try Self.expect(try await connection.command(user), 334, after: "AUTH LOGIN user name")
            let pass = Data(password.utf8).base64EncodedString()
            try Self.expect(try await connection.command(pass), 235, after: "AUTH LOGIN")
        } else {
            throw MailError.permanent("no supported AUTH mechanism (server offers \(offered))")
        }
    }

    /// Accepts the listed codes; maps 4xx to `transient`, 5xx to `permanent`, anything else to `transient`.
    private static func expect(_ reply: SMTPReply, _ accepted: Int..., after step: String) throws {
        guard !accepted.contains(reply.code) else { return }
        switch reply.code {
        case 500..<600: throw MailError.permanent("\(step): \(reply.summary)")
        case 400..<500: throw MailError.transient("\(step): \(reply.summary)")
        default: throw MailError.transient("\(step): unexpected reply \(reply.summary)")
        }
    }

    /// Doubles every `.` that starts a line and appends the `.` line ending `DATA` (RFC 5321 §4.5.2).
    package static func dotStuffed(_ message: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(message.count + 64)
        var atLineStart = true
        for byte in message {
            if atLineStart && byte == UInt8(ascii: ".") {
                output.append(byte)
            }
            output.append(byte)
            atLineStart = byte == 10
        }
        if !atLineStart {
            output.append(contentsOf: [13, 10])
        }
        output.append(contentsOf: [UInt8(ascii: "."), 13, 10])
        return output
    }

    private func makeTLSContext() throws -> NIOSSLContext? {
        guard self.configuration.security != .none else { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        switch self.configuration.tlsCertificateVerification {
        case .fullVerification: tls.certificateVerification = .fullVerification
        case .noHostnameVerification: tls.certificateVerification = .noHostnameVerification
        case .none: tls.certificateVerification = .none
        }
        if let path = self.configuration.trustRootsPEMPath {
            tls.trustRoots = .file(path)
        }
        do {
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw MailError.permanent("TLS configuration: \(error)")
        }
    }

    private static func validateHeloName(_ name: String) throws {
        guard !name.isEmpty, name.utf8.count <= 255, name.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) else {
            throw MailError.permanent("invalid HELO name \(name.debugDescription)")
        }
    }

    private static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }

    /// Everything below the reply level is worth retrying: refused connections, resets, timeouts, TLS failures.
    private static func classify(_ error: any Error, during step: String) -> MailError {
        if let error = error as? MailError {
            return error
        }
        return MailError.transient("\(step): \(error)")
    }
}
