import Foundation
import Mail
import NIOCore
import NIOPosix
import Testing

/// End-to-end sends against a real SMTP server (aiosmtpd) on 127.0.0.1.
@Suite(.enabled(if: PythonSMTPServer.python != nil, PythonSMTPServer.skipReason))
struct SMTPTransportTests {
    static func message(
        to recipients: [String] = ["alice@example.org"],
        subject: String = "Welcome to Tern",
        text: String = "Hello from Tern.\n",
        html: String? = nil
    ) throws -> MailMessage {
        MailMessage(
            from: try MailAddress("notifications@tern.example", name: "Tern"),
            to: try recipients.map { try MailAddress($0) },
            subject: subject,
            text: text,
            html: html,
            headers: [("List-Unsubscribe", "<https://tern.example/unsubscribe/42>")]
        )
    }

    static func transport(
        _ server: PythonSMTPServer,
        security: SMTPConfiguration.Security = .none,
        verification: SMTPConfiguration.CertificateVerification = .fullVerification,
        trustServerCertificate: Bool = true,
        credentials: (String, String)? = nil
    ) -> SMTPTransport {
        SMTPTransport(
            configuration: SMTPConfiguration(
                host: "127.0.0.1",
                port: server.port,
                security: security,
                username: credentials?.0,
                password: credentials?.1,
                heloName: "tern.example",
                timeout: .seconds(10),
                tlsCertificateVerification: verification,
                trustRootsPEMPath: trustServerCertificate ? server.certificatePath : nil
            ),
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton
        )
    }

    @Test func plainSend() async throws {
        try await PythonSMTPServer.with { server in
            let message = try Self.message()
            try await Self.transport(server).send(message)
            let received = try #require(try server.messages().first)
            #expect(received.mailFrom == "notifications@tern.example")
            #expect(received.rcptTos == ["alice@example.org"])
            #expect(received.subject == "Welcome to Tern")
            #expect(received.from == "Tern <notifications@tern.example>")
            #expect(received.text == "Hello from Tern.\n")
            #expect(received.defects.isEmpty)
            #expect(received.data == message.rendered())
        }
    }

    @Test func startTLSWithAuthPlain() async throws {
        try await PythonSMTPServer.with(mode: .starttls, credentials: ("tern", "s3cret")) { server in
            let transport = Self.transport(server, security: .startTLS, credentials: ("tern", "s3cret"))
            try await transport.send(try Self.message())
            #expect(try server.messages().count == 1)
        }
    }

    @Test func implicitTLS() async throws {
        try await PythonSMTPServer.with(mode: .tls) { server in
            let transport = Self.transport(server, security: .tls, verification: .noHostnameVerification)
            try await transport.send(try Self.message())
            #expect(try server.messages().first?.subject == "Welcome to Tern")
        }
    }

    @Test func untrustedCertificateIsRefused() async throws {
        try await PythonSMTPServer.with(mode: .tls) { server in
            let transport = Self.transport(server, security: .tls, trustServerCertificate: false)
            await #expect {
                try await transport.send(try Self.message())
            } throws: { error in
                guard case .transient = error as? MailError else { return false }
                return true
            }
            let remaining = try server.messages()
            #expect(remaining.isEmpty)
        }
    }

    @Test func nonASCIISubjectAndBodyRoundTrip() async throws {
        let subject = "Grüße aus Zürich — ein langer Betreff mit Umlauten äöüß und einem Elefanten 🐘"
        let text = "Hallo Zoë,\n\n" + String(repeating: "Ünïcödé text that goes on and on; ", count: 8) + "\n🐘 ✓\n"
        let html = "<p>Hallo <b>Zoë</b> 🐘</p>\n"
        try await PythonSMTPServer.with { server in
            try await Self.transport(server).send(try Self.message(subject: subject, text: text, html: html))
            let received = try #require(try server.messages().first)
            #expect(received.subject == subject)
            #expect(received.contentType == "multipart/alternative")
            #expect(received.text == text)
            #expect(received.html == html)
            #expect(received.defects.isEmpty)
        }
    }

    @Test func leadingDotsSurvive() async throws {
        let text = ".hidden\n..two dots\n.\nend\n. space\n"
        try await PythonSMTPServer.with { server in
            try await Self.transport(server).send(try Self.message(text: text))
            #expect(try server.messages().first?.text == text)
        }
    }

    @Test func multipleRecipients() async throws {
        let recipients = ["alice@example.org", "bob@example.net", "carol@bücher.example"]
        try await PythonSMTPServer.with { server in
            try await Self.transport(server).send(try Self.message(to: recipients))
            let received = try #require(try server.messages().first)
            #expect(received.rcptTos == ["alice@example.org", "bob@example.net", "carol@xn--bcher-kva.example"])
            #expect(received.to == "alice@example.org, bob@example.net, carol@xn--bcher-kva.example")
        }
    }

    @Test func wrongPasswordIsPermanent() async throws {
        try await PythonSMTPServer.with(mode: .starttls, credentials: ("tern", "s3cret")) { server in
            let transport = Self.transport(server, security: .startTLS, credentials: ("tern", "wrong"))
            await #expect {
                try await transport.send(try Self.message())
            } throws: { error in
                guard case .permanent(let text) = error as? MailError else { return false }
                return text.contains("535")
            }
            let remaining = try server.messages()
            #expect(remaining.isEmpty)
        }
    }

    @Test func serverRequiringTLSRefusesPlainClientPermanently() async throws {
        try await PythonSMTPServer.with(mode: .starttls) { server in
            await #expect {
                try await Self.transport(server, security: .none).send(try Self.message())
            } throws: { error in
                guard case .permanent(let text) = error as? MailError else { return false }
                return text.contains("530")
            }
        }
    }

    @Test func nothingListeningIsTransient() async throws {
        let probe = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(probe.localAddress?.port)
        try await probe.close()
        let transport = SMTPTransport(
            configuration: SMTPConfiguration(host: "127.0.0.1", port: port, security: .none, timeout: .seconds(5)),
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton
        )
        await #expect {
            try await transport.send(try Self.message())
        } throws: { error in
            guard case .transient = error as? MailError else { return false }
            return true
        }
    }
}
