import Core
import Foundation
import Logging

/// What became of one delivery.
package enum DeliveryResult: Sendable, Equatable {
    /// The inbox took it (2xx).
    case delivered
    /// Worth trying again later: a network failure, a timeout, 5xx, 401 (a stale key cache), 408 or 429.
    case retry(String)
    /// Never worth trying again: any other 4xx, or a target we refuse to contact.
    case drop(String)
}

/// Signs and POSTs one activity to one inbox, and classifies the outcome.
package struct Deliverer: Sendable {
    let transport: any HTTPTransport
    let clock: Clock
    let limits: TransportLimits

    package init(transport: any HTTPTransport, clock: Clock, limits: TransportLimits = TransportLimits()) {
        self.transport = transport
        self.clock = clock
        self.limits = limits
    }

    package func deliver(_ activity: String, to inbox: String, key: SigningKey) async -> DeliveryResult {
        guard let url = URL(string: inbox), let host = URLBuilder.authority(of: inbox) else {
            return .drop("not an inbox URL: \(inbox)")
        }
        let body = Data(activity.utf8)
        let target = OutboundRequest.target(of: url)
        var headers: [(name: String, value: String)] = [
            ("Host", host),
            ("Date", HTTPSignature.httpDate(self.clock.now())),
            ("Digest", Digest.header(for: body)),
            ("Content-Type", "application/activity+json"),
        ]
        do {
            let signature = try HTTPSignature.sign(
                SignableRequest(method: "POST", target: target, headers: headers),
                headers: ["(request-target)", "host", "date", "digest", "content-type"],
                key: key
            )
            headers.append(("Signature", signature))
        } catch {
            return .drop("could not sign: \(error)")
        }
        headers.removeAll { $0.name == "Host" }
        let response: OutboundResponse
        do {
            response = try await self.transport.send(
                OutboundRequest(method: "POST", url: url, headers: headers, body: body),
                limits: self.limits
            )
        } catch let error as TransportError {
            return Self.classify(error)
        } catch {
            return .retry(String(describing: error))
        }
        return Self.classify(status: response.status)
    }

    /// Mastodon's rules: 2xx delivered; 4xx other than 401, 408 and 429 are final; the rest is retried.
    package static func classify(status: Int) -> DeliveryResult {
        switch status {
        case 200..<300: .delivered
        case 401, 408, 429: .retry("status \(status)")
        case 400..<500: .drop("status \(status)")
        default: .retry("status \(status)")
        }
    }

    static func classify(_ error: TransportError) -> DeliveryResult {
        switch error {
        case .invalidURL, .forbiddenAddress, .plainHTTPNotAllowed: .drop(error.description)
        default: .retry(error.description)
        }
    }
}

extension OutboundRequest {
    /// The request target a URL is sent with (the percent-encoded path and query, as on the wire): what
    /// `(request-target)` must sign.
    package static func target(of url: URL) -> String {
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url.path }
        var path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        if let query = components.percentEncodedQuery { path += "?\(query)" }
        return path
    }
}
