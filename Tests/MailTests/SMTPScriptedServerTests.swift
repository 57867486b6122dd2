import Foundation
import Mail
import NIOCore
import NIOPosix
import Testing

/// Failure modes and dialogue details checked against a scripted server on 127.0.0.1.
@Suite struct SMTPScriptedServerTests {
    static func transport(
        _ server: ScriptedSMTPServer,
        security: SMTPConfiguration.Security = .none,
        credentials: (String, String)? = nil,
        timeout: TimeAmount = .seconds(5)
    ) -> SMTPTransport {
        SMTPTransport(
            configuration: SMTPConfiguration(
                host: "127.0.0.1",
                port: server.port,
                security: security,
                username: credentials?.0,
                password: credentials?.1,
                heloName: "tern.example",
                timeout: timeout,
                tlsCertificateVerification: .none
            ),
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton
        )
    }

    static func message() throws -> MailMessage {
        MailMessage(
            from: try MailAddress("notifications@tern.example"),
            to: [try MailAddress("alice@example.org"), try MailAddress("bob@example.org")],
            subject: "Test",
            text: "Body\n"
        )
    }

    /// Sends and returns the `MailError` thrown, failing the test when the send succeeds.
    static func failure(of transport: SMTPTransport) async throws -> MailError {
        do {
            try await transport.send(try Self.message())
        } catch let error as MailError {
            return error
        }
        Issue.record("send succeeded unexpectedly")
        return .transient("none")
    }

    @Test func completesADialogue() async throws {
        try await ScriptedSMTPServer.with { server in
            try await Self.transport(server).send(try Self.message())
            #expect(
                server.commands == [
                    "EHLO tern.example", "MAIL FROM:<notifications@tern.example>", "RCPT TO:<alice@example.org>",
                    "RCPT TO:<bob@example.org>", "DATA", "QUIT",
                ]
            )
        }
    }

    @Test func greeting421IsTransient() async throws {
        try await ScriptedSMTPServer.with(greeting: .line("421 4.3.2 too busy, try later")) { server in
            let error = try await Self.failure(of: Self.transport(server))
            #expect(error == .transient("greeting: 421 4.3.2 too busy, try later"))
        }
    }

    @Test func rcpt550IsPermanentWithServerText() async throws {
        let responder: ScriptedSMTPServer.Responder = { line in
            line.contains("bob@") ? "550 5.1.1 <bob@example.org>: no such user" : nil
        }
        try await ScriptedSMTPServer.with(responder: responder) { server in
            let error = try await Self.failure(of: Self.transport(server))
            #expect(error == .permanent("RCPT TO:<bob@example.org>: 550 5.1.1 <bob@example.org>: no such user"))
            #expect(!server.commands.contains("DATA"))
            #expect(server.commands.last == "QUIT")
        }
    }

    @Test func temporaryFailureAfterDataIsTransient() async throws {
        let responder: ScriptedSMTPServer.Responder = { $0 == "." ? "451 4.3.0 queue full" : nil }
        try await ScriptedSMTPServer.with(responder: responder) { server in
            let error = try await Self.failure(of: Self.transport(server))
            #expect(error == .transient("end of DATA: 451 4.3.0 queue full"))
        }
    }

    @Test func endlessLineFailsWithoutBuffering() async throws {
        try await ScriptedSMTPServer.with(greeting: .endless(bytes: 4 << 20)) { server in
            let error = try await Self.failure(of: Self.transport(server))
            guard case .transient(let text) = error else {
                Issue.record("expected a transient error, got \(error)")
                return
            }
            // Usually "reply line too long"; under load the server's write may fail first. Either
            // way the client gave up inside the greeting, before sending any command.
            #expect(!text.isEmpty)
            #expect(server.commands.isEmpty)
        }
    }

    @Test func endlessMultiLineReplyIsCapped() async throws {
        let manyLines = Array(repeating: "250-padding", count: 1000).joined(separator: "\r\n") + "\r\n250 done"
        let responder: ScriptedSMTPServer.Responder = { $0.hasPrefix("EHLO") ? manyLines : nil }
        try await ScriptedSMTPServer.with(responder: responder) { server in
            let error = try await Self.failure(of: Self.transport(server))
            guard case .transient(let text) = error else {
                Issue.record("expected a transient error, got \(error)")
                return
            }
            #expect(text.contains("too many lines"))
        }
    }

    @Test func silentServerTimesOut() async throws {
        // A server that never answers would hang the test without the timeout; its message proves it fired.
        try await ScriptedSMTPServer.with(greeting: .silent) { server in
            let error = try await Self.failure(of: Self.transport(server, timeout: .milliseconds(300)))
            guard case .transient(let text) = error else {
                Issue.record("expected a transient error, got \(error)")
                return
            }
            #expect(text.contains("timed out"))
        }
    }

    @Test func startTLSRequiredButNotOfferedIsPermanent() async throws {
        try await ScriptedSMTPServer.with { server in
            let error = try await Self.failure(of: Self.transport(server, security: .startTLS))
            #expect(error == .permanent("STARTTLS required but not offered by 127.0.0.1"))
            #expect(!server.commands.contains { $0.hasPrefix("MAIL") })
        }
    }

    @Test func plaintextAfterStartTLSGoAheadIsRefused() async throws {
        let responder: ScriptedSMTPServer.Responder = { line in
            switch line {
            case let line where line.hasPrefix("EHLO"): "250-scripted.test\r\n250 STARTTLS"
            case "STARTTLS": "220 2.0.0 go ahead\r\n250 injected reply"
            default: nil
            }
        }
        try await ScriptedSMTPServer.with(responder: responder) { server in
            let error = try await Self.failure(of: Self.transport(server, security: .startTLS))
            guard case .transient(let text) = error else {
                Issue.record("expected a transient error, got \(error)")
                return
            }
            #expect(text.contains("unexpected data"))
        }
    }

    @Test func fallsBackToHeloWhenEhloIsRefused() async throws {
        let responder: ScriptedSMTPServer.Responder = { $0.hasPrefix("EHLO") ? "502 5.5.1 no EHLO here" : nil }
        try await ScriptedSMTPServer.with(responder: responder) { server in
            try await Self.transport(server).send(try Self.message())
            #expect(Array(server.commands.prefix(2)) == ["EHLO tern.example", "HELO tern.example"])
        }
    }

    @Test func usesAuthLoginWhenPlainIsNotOffered() async throws {
        let user = Data("tern".utf8).base64EncodedString()
        let password = Data("s3cret".utf8).base64EncodedString()
        let responder: ScriptedSMTPServer.Responder = { line in
            switch line {
            case let line where line.hasPrefix("EHLO"): "250-scripted.test\r\n250 AUTH LOGIN"
            case "AUTH LOGIN": "334 VXNlcm5hbWU6"
            case user: "334 UGFzc3dvcmQ6"
            case password: "235 2.7.0 authenticated"
            default: nil
            }
        }
        try await ScriptedSMTPServer.with(responder: responder) { server in
            try await Self.transport(server, credentials: ("tern", "s3cret")).send(try Self.message())
            #expect(Array(server.commands.prefix(4)) == ["EHLO tern.example", "AUTH LOGIN", user, password])
        }
    }

    @Test func credentialsWithoutAuthOfferIsPermanent() async throws {
        try await ScriptedSMTPServer.with { server in
            let error = try await Self.failure(of: Self.transport(server, credentials: ("tern", "s3cret")))
            #expect(error == .permanent("credentials configured but the server offers no AUTH"))
        }
    }

    @Test func invalidMessageIsRefusedBeforeConnecting() async throws {
        try await ScriptedSMTPServer.with { server in
            var message = try Self.message()
            message.headers = [("X-Evil", "a\r\nBcc: victim@example.net")]
            await #expect(throws: MailError.self) { try await Self.transport(server).send(message) }
            #expect(server.commands.isEmpty)
        }
    }
}
