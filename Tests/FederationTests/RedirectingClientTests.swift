import Foundation
import Synchronization
import Testing

@testable import Federation

@Suite struct RedirectingClientTests {
    func client() -> RedirectingClient {
        RedirectingClient(
            transport: NIOHTTPTransport(guard: NIOHTTPTransportTests.loopbackOnly, userAgent: "TernTest/1.0")
        )
    }

    func escaped(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
    }

    @Test func followsRedirectOnTheAllowedServer() async throws {
        try await TransportTestServer.with { server in
            let response = try await client().send(OutboundRequest(url: server.url("/redirect?to=%2Fecho%3Fx%3D1")))
            #expect(response.status == 200)
            #expect(response.finalURL == server.url("/echo?x=1"))
            #expect(String(decoding: response.body, as: UTF8.self).contains("target=/echo?x=1"))
            #expect(server.connections == 2)
        }
    }

    @Test func absoluteRedirectIsFollowed() async throws {
        try await TransportTestServer.with { server in
            let target = server.url("/echo").absoluteString
            let response = try await client().send(OutboundRequest(url: server.url("/redirect?to=\(escaped(target))")))
            #expect(response.status == 200)
            #expect(response.finalURL == server.url("/echo"))
        }
    }

    @Test(arguments: ["http://169.254.169.254/", "http://127.0.0.2:{port}/echo", "http://[::1]:{port}/echo"])
    func redirectToForbiddenAddressIsRefused(_ template: String) async throws {
        try await TransportTestServer.with { server in
            let target = template.replacingOccurrences(of: "{port}", with: String(server.port))
            let error = await #expect(throws: TransportError.self) {
                try await client().send(OutboundRequest(url: server.url("/redirect?to=\(escaped(target))")))
            }
            guard case .forbiddenAddress = error else {
                Issue.record("expected forbiddenAddress, got \(String(describing: error))")
                return
            }
            #expect(server.connections == 1)
        }
    }

    @Test func redirectLoopStops() async throws {
        try await TransportTestServer.with { server in
            await #expect(throws: TransportError.tooManyRedirects) {
                try await client().send(OutboundRequest(url: server.url("/loop")))
            }
            #expect(server.connections == 4)
        }
    }

    @Test func seeOtherAfterPostBecomesGet() async throws {
        try await TransportTestServer.with { server in
            let response = try await client().send(
                OutboundRequest(method: "POST", url: server.url("/see-other"), body: Data("payload".utf8))
            )
            #expect(response.status == 200)
            let text = String(decoding: response.body, as: UTF8.self)
            #expect(text.contains("method=GET"))
            #expect(text.contains("body=\n") || text.hasSuffix("body="))
        }
    }

    @Test func zeroRedirectsReturnsTheRedirect() async throws {
        try await TransportTestServer.with { server in
            let transport = NIOHTTPTransport(guard: NIOHTTPTransportTests.loopbackOnly, userAgent: "TernTest/1.0")
            await #expect(throws: TransportError.tooManyRedirects) {
                try await RedirectingClient(transport: transport, maxRedirects: 0)
                    .send(OutboundRequest(url: server.url("/loop")))
            }
        }
    }

    @Test func rewritesMethodsAndDropsCredentialsAcrossOrigins() async throws {
        let network = ScriptedTransport { request in
            switch request.url.absoluteString {
            case "https://a.example/start":
                return (302, [(name: "Location", value: "https://b.example/next")])
            case "https://b.example/next":
                return (307, [(name: "Location", value: "/final")])
            default:
                return (200, [])
            }
        }
        let response = try await RedirectingClient(transport: network).send(
            OutboundRequest(
                method: "POST",
                url: URL(string: "https://a.example/start")!,
                headers: [
                    (name: "Authorization", value: "secret"), (name: "Content-Type", value: "application/json"),
                    (name: "Accept", value: "application/activity+json"),
                ],
                body: Data("{}".utf8)
            )
        )
        #expect(response.status == 200)
        #expect(response.finalURL.absoluteString == "https://b.example/final")
        let sent = network.requests
        #expect(
            sent.map(\.url.absoluteString) == [
                "https://a.example/start", "https://b.example/next", "https://b.example/final",
            ]
        )
        #expect(sent.map(\.method) == ["POST", "GET", "GET"])
        #expect(sent[1].body == nil)
        #expect(sent[1].headers.map(\.name) == ["Accept"])
        #expect(sent[2].headers.map(\.name) == ["Accept"])
    }

    @Test func redirectWithoutLocationIsReturned() async throws {
        let network = ScriptedTransport { _ in (302, []) }
        let response = try await RedirectingClient(transport: network).send(
            OutboundRequest(url: URL(string: "https://a.example/")!)
        )
        #expect(response.status == 302)
    }

    @Test func redirectToUnsupportedSchemeIsInvalid() async throws {
        let network = ScriptedTransport { _ in (301, [(name: "Location", value: "ftp://a.example/file")]) }
        await #expect(throws: TransportError.invalidURL("ftp://a.example/file")) {
            try await RedirectingClient(transport: network).send(
                OutboundRequest(url: URL(string: "https://a.example/")!)
            )
        }
    }
}

/// An in-process network that answers from a script and records what it was sent.
private final class ScriptedTransport: HTTPTransport {
    private let script: @Sendable (OutboundRequest) -> (Int, [(name: String, value: String)])
    private let sent = Mutex<[OutboundRequest]>([])

    init(_ script: @escaping @Sendable (OutboundRequest) -> (Int, [(name: String, value: String)])) {
        self.script = script
    }

    var requests: [OutboundRequest] {
        sent.withLock { $0 }
    }

    func send(_ request: OutboundRequest, limits: TransportLimits) async throws -> OutboundResponse {
        sent.withLock { $0.append(request) }
        let (status, headers) = script(request)
        return OutboundResponse(status: status, headers: headers, body: Data(), finalURL: request.url)
    }
}
