import Core
import Foundation
import Hummingbird
import HummingbirdTesting

/// Percent-encodes a form value: everything but the unreserved characters.
package func formEncode(_ value: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
}

/// `a=1&b=2`, percent-encoded, in the given order (keys may repeat).
package func formString(_ pairs: [(String, String)]) -> String {
    pairs.map { "\(formEncode($0.0))=\(formEncode($0.1))" }.joined(separator: "&")
}

/// A form body.
package func formBody(_ pairs: [(String, String)]) -> ByteBuffer {
    ByteBuffer(string: formString(pairs))
}

/// A JSON body from a dictionary literal.
package func jsonBody(_ object: [String: Any]) throws -> ByteBuffer {
    ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object))
}

package let formType = "application/x-www-form-urlencoded"
package let jsonType = "application/json"

/// A precondition of a test that did not hold.
package struct TestFailure: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}

/// A thin Mastodon client over the router, for the social-core tests.
package struct SocialAPI {
    package let client: any TestClientProtocol

    package init(_ client: any TestClientProtocol) {
        self.client = client
    }

    package static let linkField = HTTPFields.Element.Name("Link")!

    package func headers(_ token: String?, contentType: String? = nil) -> HTTPFields {
        if let token { return .bearer(token, contentType: contentType) }
        if let contentType { return .contentType(contentType) }
        return HTTPFields()
    }

    package func get(_ uri: String, _ token: String? = nil) async throws -> TestResponse {
        try await self.client.execute(uri: uri, method: .get, headers: self.headers(token), body: nil)
    }

    package func post(_ uri: String, _ token: String?, _ pairs: [(String, String)] = []) async throws -> TestResponse {
        if pairs.isEmpty {
            return try await self.client.execute(uri: uri, method: .post, headers: self.headers(token), body: nil)
        }
        return try await self.client.execute(
            uri: uri,
            method: .post,
            headers: self.headers(token, contentType: formType),
            body: formBody(pairs)
        )
    }

    package func delete(_ uri: String, _ token: String?) async throws -> TestResponse {
        try await self.client.execute(uri: uri, method: .delete, headers: self.headers(token), body: nil)
    }

    /// `POST /api/v1/statuses` as a form.
    package func postStatus(
        _ token: String?,
        _ text: String,
        visibility: String? = nil,
        _ extra: [(String, String)] = []
    ) async throws -> TestResponse {
        var pairs = [("status", text)]
        if let visibility { pairs.append(("visibility", visibility)) }
        return try await self.post("/api/v1/statuses", token, pairs + extra)
    }

    /// Posts a status that must be accepted and returns its id.
    package func status(
        _ token: String,
        _ text: String,
        visibility: String? = nil,
        _ extra: [(String, String)] = []
    ) async throws -> String {
        let response = try await self.postStatus(token, text, visibility: visibility, extra)
        guard response.status == .ok, let id = response.json["id"] as? String else {
            throw TestFailure("posting answered \(response.status): \(response.text)")
        }
        return id
    }

    /// Follows an account; the follow must be accepted.
    package func follow(_ token: String, _ id: String, _ extra: [(String, String)] = []) async throws {
        let response = try await self.post("/api/v1/accounts/\(id)/follow", token, extra)
        guard response.status == .ok, response.json["following"] as? Bool == true else {
            throw TestFailure("follow answered \(response.status): \(response.text)")
        }
    }

    /// Reads a list endpoint that must answer 200 and returns the ids of its items.
    package func ids(_ uri: String, _ token: String? = nil) async throws -> [String] {
        let response = try await self.get(uri, token)
        guard response.status == .ok else { throw TestFailure("\(uri) answered \(response.status): \(response.text)") }
        return response.jsonArray.compactMap { $0["id"] as? String }
    }

    /// The home timeline ids of `token`'s account.
    package func home(_ token: String, _ query: String = "") async throws -> [String] {
        try await self.ids("/api/v1/timelines/home" + query, token)
    }

    /// The ids of an account's statuses as `token` (or anonymous) sees them.
    package func accountStatuses(_ id: String, _ token: String?, _ query: String = "") async throws -> [String] {
        try await self.ids("/api/v1/accounts/\(id)/statuses" + query, token)
    }

    /// The viewer's relationship to one account.
    package func relationship(_ id: String, _ token: String) async throws -> [String: Any] {
        let response = try await self.get("/api/v1/accounts/relationships?id[]=\(id)", token)
        guard response.status == .ok, let first = response.jsonArray.first else {
            throw TestFailure("relationships answered \(response.status): \(response.text)")
        }
        return first
    }

    /// One account as JSON.
    package func account(_ id: String) async throws -> [String: Any] {
        let response = try await self.get("/api/v1/accounts/\(id)")
        guard response.status == .ok else { throw TestFailure("account answered \(response.status)") }
        return response.json
    }

    /// The viewer's notifications as `(id, type, account id)`.
    package func notifications(_ token: String, _ query: String = "") async throws -> [(
        id: String, type: String, from: String
    )] {
        let response = try await self.get("/api/v1/notifications" + query, token)
        guard response.status == .ok else {
            throw TestFailure("notifications answered \(response.status): \(response.text)")
        }
        return response.jsonArray.map {
            (
                $0["id"] as? String ?? "", $0["type"] as? String ?? "",
                ($0["account"] as? [String: Any])?["id"] as? String ?? ""
            )
        }
    }
}

/// The `rel` → URL pairs of a `Link` header.
package func links(_ response: TestResponse) -> [String: String] {
    guard let header = response.headers[SocialAPI.linkField] else { return [:] }
    var result: [String: String] = [:]
    for part in header.components(separatedBy: ", ") {
        guard let open = part.firstIndex(of: "<"), let close = part.firstIndex(of: ">"),
            let rel = part.range(of: "rel=\"")
        else { continue }
        let url = String(part[part.index(after: open)..<close])
        let name = part[rel.upperBound...].prefix { $0 != "\"" }
        result[String(name)] = url
    }
    return result
}

/// The path and query of an absolute URL, to replay it against the router.
package func pathAndQuery(_ url: String) -> String {
    guard let components = URLComponents(string: url) else { return url }
    return components.percentEncodedPath + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
}

extension TestApp {
    /// A local account's id (as the API writes it) and token.
    package func user(_ username: String, scopes: String = "read write follow") async throws -> (
        id: String, token: String
    ) {
        let (account, token) = try await self.account(username, scopes: scopes)
        return (account.id.description, token)
    }
}
