import Foundation
import NIOSSL
import Testing

@testable import Federation

/// Transport tests against a loopback server. Every refused destination is refused before any connection attempt,
/// so no packet leaves the machine.
@Suite struct NIOHTTPTransportTests {
    static let loopbackOnly = AddressGuard(allowed: [try! AddressRange("127.0.0.1/32")])

    func transport(
        _ addressGuard: AddressGuard = loopbackOnly,
        tls: TLSConfiguration = .makeClientConfiguration()
    ) -> NIOHTTPTransport {
        NIOHTTPTransport(guard: addressGuard, userAgent: "TernTest/1.0", tlsConfiguration: tls)
    }

    func echoFields(_ response: OutboundResponse) -> [String: String] {
        var fields: [String: String] = [:]
        for line in String(decoding: response.body, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            fields[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return fields
    }

    @Test func getAndPostSucceedWhenAllowed() async throws {
        try await TransportTestServer.with { server in
            let client = transport()
            let get = try await client.send(
                OutboundRequest(url: server.url("/echo?a=1&b=%20x")),
                limits: TransportLimits()
            )
            #expect(get.status == 200)
            #expect(get.header("content-length") != nil)
            #expect(get.finalURL == server.url("/echo?a=1&b=%20x"))
            var fields = echoFields(get)
            #expect(fields["method"] == "GET")
            #expect(fields["target"] == "/echo?a=1&b=%20x")
            #expect(fields["host"] == "127.0.0.1:\(server.port)")
            #expect(fields["user-agent"] == "TernTest/1.0")

            let post = try await client.send(
                OutboundRequest(
                    method: "POST",
                    url: server.url("/echo"),
                    headers: [
                        (name: "Content-Type", value: "application/activity+json"),
                        (name: "User-Agent", value: "Custom/2"), (name: "Host", value: "evil.example"),
                    ],
                    body: Data("{\"type\":\"Follow\"}".utf8)
                ),
                limits: TransportLimits()
            )
            #expect(post.status == 200)
            fields = echoFields(post)
            #expect(fields["method"] == "POST")
            #expect(fields["body"] == "{\"type\":\"Follow\"}")
            #expect(fields["host"] == "127.0.0.1:\(server.port)")
            #expect(fields["user-agent"] == "Custom/2")
            #expect(server.connections == 2)
        }
    }

    @Test func loopbackIsRefusedWithoutAllowListAndNeverContacted() async throws {
        try await TransportTestServer.with { server in
            let client = transport(AddressGuard(allowed: []))
            let error = await #expect(throws: TransportError.self) {
                try await client.send(OutboundRequest(url: server.url("/echo")), limits: TransportLimits())
            }
            guard case .forbiddenAddress(let host, let reason) = error else {
                Issue.record("expected forbiddenAddress, got \(String(describing: error))")
                return
            }
            #expect(host == "127.0.0.1")
            #expect(reason.contains("loopback"))
            #expect(server.connections == 0)
        }
    }

    @Test(arguments: [
        "http://169.254.169.254/latest/meta-data", "http://10.0.0.1/", "https://10.0.0.1/", "http://[::1]:8080/",
        "https://[fe80::1]/", "http://0.0.0.0:9/", "http://[::ffff:169.254.169.254]/", "https://192.168.1.1/inbox",
        "http://127.0.0.2/",
    ])
    func refusesForbiddenDestinationsWithoutConnecting(_ text: String) async throws {
        let error = await #expect(throws: TransportError.self) {
            try await transport().send(OutboundRequest(url: URL(string: text)!), limits: TransportLimits())
        }
        guard case .forbiddenAddress = error else {
            Issue.record("expected forbiddenAddress for \(text), got \(String(describing: error))")
            return
        }
    }

    /// Shorthand IPv4 forms are not IP literals to the URL parser; getaddrinfo reads them as numbers (no DNS
    /// query) and the resulting address is vetted like any other.
    @Test(arguments: ["http://127.1/", "http://2130706433/", "http://0x7f000001/", "http://017700000001/"])
    func refusesShorthandLoopbackForms(_ text: String) async throws {
        let error = await #expect(throws: TransportError.self) {
            try await transport(AddressGuard(allowed: [])).send(
                OutboundRequest(url: URL(string: text)!),
                limits: TransportLimits()
            )
        }
        guard case .forbiddenAddress(_, let reason) = error else {
            Issue.record("expected forbiddenAddress for \(text), got \(String(describing: error))")
            return
        }
        #expect(reason.hasPrefix("127.0.0.1 is loopback"))
    }

    @Test func localhostNameIsRefusedWithoutAllowList() async throws {
        try await TransportTestServer.with { server in
            let error = await #expect(throws: TransportError.self) {
                try await transport(AddressGuard(allowed: [])).send(
                    OutboundRequest(url: server.url("/echo", host: "localhost")),
                    limits: TransportLimits()
                )
            }
            guard case .forbiddenAddress(let host, _) = error else {
                Issue.record("expected forbiddenAddress, got \(String(describing: error))")
                return
            }
            #expect(host == "localhost")
            #expect(server.connections == 0)
        }
    }

    @Test func plainHTTPToPublicAddressIsRefusedBeforeConnecting() async throws {
        await #expect(throws: TransportError.plainHTTPNotAllowed("1.1.1.1")) {
            try await transport().send(OutboundRequest(url: URL(string: "http://1.1.1.1/")!), limits: TransportLimits())
        }
    }

    @Test(arguments: ["ftp://127.0.0.1/file", "file:///etc/passwd", "mailto:a@b.example", "http:///path", "/relative"])
    func rejectsUnsupportedURLs(_ text: String) async throws {
        let url = try #require(URL(string: text))
        let error = await #expect(throws: TransportError.self) {
            try await transport().send(OutboundRequest(url: url), limits: TransportLimits())
        }
        guard case .invalidURL = error else {
            Issue.record("expected invalidURL for \(text), got \(String(describing: error))")
            return
        }
    }

    @Test func rejectsHeaderInjection() async throws {
        try await TransportTestServer.with { server in
            let request = OutboundRequest(
                url: server.url("/echo"),
                headers: [(name: "X-Test", value: "a\r\nInjected: yes")]
            )
            let error = await #expect(throws: TransportError.self) {
                try await transport().send(request, limits: TransportLimits())
            }
            guard case .protocolError = error else {
                Issue.record("expected protocolError, got \(String(describing: error))")
                return
            }
            #expect(server.connections == 0)
        }
    }

    @Test func httpsToPlainHTTPServerFailsPromptly() async throws {
        try await TransportTestServer.with { server in
            let error = await #expect(throws: TransportError.self) {
                // It fails in milliseconds with a protocol error; the timeout is only there to tell a hang
                // apart, and is generous because a machine running two test suites at once took over 10 s.
                try await transport().send(
                    OutboundRequest(url: server.url("/echo", scheme: "https")),
                    limits: TransportLimits(totalTimeout: .seconds(60))
                )
            }
            #expect(error != nil && error != .timedOut)
        }
    }

    @Test func responseAtTheLimitIsAccepted() async throws {
        try await TransportTestServer.with { server in
            let limits = TransportLimits(maxResponseBytes: 1 << 20)
            let exact = try await transport().send(OutboundRequest(url: server.url("/bytes?n=1048576")), limits: limits)
            #expect(exact.body.count == 1 << 20)
            let streamed = try await transport().send(
                OutboundRequest(url: server.url("/stream?n=1048576")),
                limits: limits
            )
            #expect(streamed.body.count == 1 << 20)
            #expect(streamed.header("Transfer-Encoding")?.lowercased() == "chunked")
        }
    }

    @Test(arguments: ["/bytes?n=2097152", "/stream?n=2097152", "/stream?n=1048577"])
    func oversizedResponseIsRefused(_ path: String) async throws {
        try await TransportTestServer.with { server in
            await #expect(throws: TransportError.responseTooLarge(limit: 1 << 20)) {
                try await transport().send(
                    OutboundRequest(url: server.url(path)),
                    limits: TransportLimits(maxResponseBytes: 1 << 20)
                )
            }
        }
    }

    @Test func silentServerTimesOut() async throws {
        try await TransportTestServer.with { server in
            await #expect(throws: TransportError.timedOut) {
                try await transport().send(
                    OutboundRequest(url: server.url("/hang")),
                    limits: TransportLimits(totalTimeout: .milliseconds(500))
                )
            }
        }
    }

    /// A loopback port that refuses connections and that no other test can take meanwhile: a TCP
    /// socket bound to it but not listening (a port freed by a stopped server could be reused by a
    /// test running alongside).
    static func withRefusingPort(_ body: (Int) async throws -> Void) async throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        try #require(bound)
        try await body(Int(UInt16(bigEndian: address.sin_port)))
    }

    @Test func closedPortFailsToConnect() async throws {
        try await Self.withRefusingPort { port in
            let url = try #require(URL(string: "http://127.0.0.1:\(port)/echo"))
            let error = await #expect(throws: TransportError.self) {
                try await transport().send(OutboundRequest(url: url), limits: TransportLimits())
            }
            guard case .connectFailed = error else {
                Issue.record("expected connectFailed, got \(String(describing: error))")
                return
            }
        }
    }

    @Test func httpsWithTrustedCertificateSucceeds() async throws {
        let certificate = try NIOSSLCertificate(bytes: Array(TestCertificates.certificate.utf8), format: .pem)
        let key = try NIOSSLPrivateKey(bytes: Array(TestCertificates.privateKey.utf8), format: .pem)
        let serverContext = try NIOSSLContext(
            configuration: .makeServerConfiguration(
                certificateChain: [.certificate(certificate)],
                privateKey: .privateKey(key)
            )
        )
        try await TransportTestServer.with(tls: serverContext) { server in
            var trusting = TLSConfiguration.makeClientConfiguration()
            trusting.trustRoots = .certificates([certificate])
            let response = try await transport(tls: trusting).send(
                OutboundRequest(url: server.url("/echo", scheme: "https")),
                limits: TransportLimits()
            )
            #expect(response.status == 200)
            #expect(echoFields(response)["host"] == "127.0.0.1:\(server.port)")

            // The same server is not trusted with the default roots.
            let error = await #expect(throws: TransportError.self) {
                try await transport().send(
                    OutboundRequest(url: server.url("/echo", scheme: "https")),
                    limits: TransportLimits()
                )
            }
            guard case .connectFailed = error else {
                Issue.record("expected connectFailed, got \(String(describing: error))")
                return
            }
        }
    }

    @Test func requestTargetsAreBuiltFromTheURL() throws {
        let plain = try RequestTarget(url: URL(string: "https://Example.COM/users/a%20b?page=2#frag")!)
        #expect(plain.host == "example.com")
        #expect(plain.port == 443)
        #expect(plain.hostHeader == "example.com")
        #expect(plain.requestURI == "/users/a%20b?page=2")
        #expect(plain.serverName == "example.com")

        let v6 = try RequestTarget(url: URL(string: "http://[2001:db8::1]:8080")!)
        #expect(v6.host == "2001:db8::1")
        #expect(v6.literal == IPAddress("2001:db8::1"))
        #expect(v6.hostHeader == "[2001:db8::1]:8080")
        #expect(v6.requestURI == "/")
        #expect(v6.serverName == nil)

        let explicitDefault = try RequestTarget(url: URL(string: "http://example.com:80/")!)
        #expect(explicitDefault.hostHeader == "example.com")
    }
}

/// A self-signed certificate for 127.0.0.1, valid 2000 to 2099, used only by these tests.
private enum TestCertificates {
    static let certificate = """
        -----BEGIN CERTIFICATE-----
        MIIBbzCCARWgAwIBAgIUbyj92rzulvtbV0ixxmYNDjGZHO0wCgYIKoZIzj0EAwIw
        GTEXMBUGA1UEAwwOdHJhbnNwb3J0LXRlc3QwIBcNMDAwMTAxMDAwMDAwWhgPMjA5
        OTEyMzEwMDAwMDBaMBkxFzAVBgNVBAMMDnRyYW5zcG9ydC10ZXN0MFkwEwYHKoZI
        zj0CAQYIKoZIzj0DAQcDQgAE4ViBD9VylDT106edilfANag2J5ZXICNs0w2EZYVl
        KM9al5uoB8K22WmsjYIk+Ei0bN3lSP9xHb9V1RZ3FVHXwaM5MDcwJwYDVR0RBCAw
        HocEfwAAAYIWdHJhbnNwb3J0LXRlc3QuaW52YWxpZDAMBgNVHRMBAf8EAjAAMAoG
        CCqGSM49BAMCA0gAMEUCIEbsrF33v181O5o9yawejQdrhSJGRsTLj8mvAg34aJEQ
        AiEAi3kJvSb9+rU2KuG2klr0MBYyjpZnJHNPRmx9e3vmGlQ=
        -----END CERTIFICATE-----
        """

    static let privateKey = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg6BedDgR5ZEFJTwJ1
        /lIwoWV+Wir4MScWy0RwEzfz/F2hRANCAAThWIEP1XKUNPXTp52KV8A1qDYnllcg
        I2zTDYRlhWUoz1qXm6gHwrbZaayNgiT4SLRs3eVI/3Edv1XVFncVUdfB
        -----END PRIVATE KEY-----
        """
}
