import Foundation

/// One outbound HTTP request.
package struct OutboundRequest: Sendable {
    /// The method, such as `GET` or `POST`.
    package var method: String
    /// An absolute http or https URL.
    package var url: URL
    /// Header fields to send. `Host`, `Connection`, `Content-Length` and `Transfer-Encoding` are set by the
    /// transport; values given for them here are ignored.
    package var headers: [(name: String, value: String)]
    package var body: Data?

    package init(
        method: String = "GET",
        url: URL,
        headers: [(name: String, value: String)] = [],
        body: Data? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// The response to an ``OutboundRequest``.
package struct OutboundResponse: Sendable {
    package var status: Int
    package var headers: [(name: String, value: String)]
    package var body: Data
    /// The URL that produced this response: the request's, or the last redirect target's.
    package var finalURL: URL

    package init(status: Int, headers: [(name: String, value: String)], body: Data, finalURL: URL) {
        self.status = status
        self.headers = headers
        self.body = body
        self.finalURL = finalURL
    }

    /// The first value of the header field `name`, compared case-insensitively.
    package func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}

/// Why an outbound request failed.
package enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL is not an absolute http or https URL with a usable host and port.
    case invalidURL(String)
    /// The host is, or resolves to, an address that outbound requests may not reach.
    case forbiddenAddress(host: String, reason: String)
    /// Plain http was requested for a host outside the allowed ranges.
    case plainHTTPNotAllowed(String)
    /// The host name could not be resolved.
    case resolutionFailed(String)
    /// No connection could be established (including a failed TLS handshake).
    case connectFailed(String)
    /// The connect timeout or the total timeout passed.
    case timedOut
    /// The response body is larger than the limit.
    case responseTooLarge(limit: Int)
    /// More redirects than allowed.
    case tooManyRedirects
    /// The request could not be encoded or the response could not be understood.
    case protocolError(String)

    package var description: String {
        switch self {
        case .invalidURL(let url):
            return "invalid URL: \(url)"
        case .forbiddenAddress(let host, let reason):
            return "refusing to connect to \(host): \(reason)"
        case .plainHTTPNotAllowed(let host):
            return "plain http is not allowed for \(host)"
        case .resolutionFailed(let detail):
            return "could not resolve \(detail)"
        case .connectFailed(let detail):
            return "could not connect: \(detail)"
        case .timedOut:
            return "the request timed out"
        case .responseTooLarge(let limit):
            return "the response is larger than \(limit) bytes"
        case .tooManyRedirects:
            return "too many redirects"
        case .protocolError(let detail):
            return "HTTP protocol error: \(detail)"
        }
    }
}

/// Limits that apply to one request.
package struct TransportLimits: Sendable {
    /// How long establishing a TCP connection to one address may take.
    package var connectTimeout: Duration
    /// How long the whole request may take, from resolving the host to the last byte of the response.
    package var totalTimeout: Duration
    /// The largest response body accepted, in bytes.
    package var maxResponseBytes: Int

    package init(
        connectTimeout: Duration = .seconds(10),
        totalTimeout: Duration = .seconds(30),
        maxResponseBytes: Int = 1 << 20
    ) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxResponseBytes = maxResponseBytes
    }
}

/// Anything that can send one request: the real network, or an in-process test network.
package protocol HTTPTransport: Sendable {
    /// Sends exactly one request; redirects are not followed. The transport adds the `Host` header (host and port
    /// from the URL, the port omitted when it is the scheme's default).
    func send(_ request: OutboundRequest, limits: TransportLimits) async throws -> OutboundResponse
}
