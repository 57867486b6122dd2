import Foundation

/// Follows redirects (301, 302, 303, 307, 308) up to `maxRedirects`, sending every hop through the same transport,
/// so each hop's host is resolved and vetted again at connect time.
///
/// A 303, and a 301 or 302 answering a POST, continues as a GET without a body. Credentials (`Authorization`,
/// `Cookie`) are dropped when a redirect leaves the original origin. Each hop gets the full `limits`. Headers that
/// depend on the URL, such as an HTTP signature, are passed on unchanged: callers that sign requests should not
/// rely on redirects, or re-sign.
package struct RedirectingClient: Sendable {
    package let transport: any HTTPTransport
    package let maxRedirects: Int

    package init(transport: any HTTPTransport, maxRedirects: Int = 3) {
        self.transport = transport
        self.maxRedirects = max(0, maxRedirects)
    }

    /// `eachHop` prepares every request before it goes out, the first and each redirect (signed fetches
    /// sign each hop for its own URL).
    package func send(
        _ request: OutboundRequest,
        limits: TransportLimits = .init(),
        eachHop: (@Sendable (OutboundRequest) async throws -> OutboundRequest)? = nil
    ) async throws -> OutboundResponse {
        var current = request
        var redirects = 0
        while true {
            if let eachHop { current = try await eachHop(current) }
            var response = try await transport.send(current, limits: limits)
            response.finalURL = current.url
            guard Self.redirectStatuses.contains(response.status), let location = response.header("Location") else {
                return response
            }
            guard redirects < maxRedirects else { throw TransportError.tooManyRedirects }
            redirects += 1
            current = try Self.follow(location: location, status: response.status, from: current)
        }
    }

    private static let redirectStatuses: Set<Int> = [301, 302, 303, 307, 308]

    private static func follow(location: String, status: Int, from request: OutboundRequest) throws
        -> OutboundRequest
    {
        let trimmed = location.trimmingCharacters(in: .whitespaces)
        guard let target = URL(string: trimmed, relativeTo: request.url)?.absoluteURL,
            let scheme = target.scheme?.lowercased(), scheme == "http" || scheme == "https", target.host != nil
        else {
            throw TransportError.invalidURL(location)
        }
        var next = request
        next.url = target
        let method = request.method.uppercased()
        if status == 303 && method != "HEAD" || (status == 301 || status == 302) && method == "POST" {
            next.method = "GET"
            next.body = nil
            next.headers.removeAll { ["content-type", "content-length", "digest"].contains($0.name.lowercased()) }
        }
        if origin(of: target) != origin(of: request.url) {
            next.headers.removeAll {
                ["authorization", "cookie", "proxy-authorization"].contains($0.name.lowercased())
            }
        }
        return next
    }

    private static func origin(of url: URL) -> String {
        let scheme = url.scheme?.lowercased() ?? ""
        let host = url.host?.lowercased() ?? ""
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        return "\(scheme)://\(host):\(port)"
    }
}
