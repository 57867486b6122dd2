import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// A thin Mastodon client over the router, for the social-core tests.
struct SocialAPI {
    let client: any TestClientProtocol

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    static let linkField = HTTPFields.Element.Name("Link")!

    func headers(_ token: String?, contentType: String? = nil) -> HTTPFields {
        if let token { return .bearer(token, contentType: contentType) }
        if let contentType { return .contentType(contentType) }
        return HTTPFields()
    }

    func get(_ uri: String, _ token: String? = nil) async throws -> TestResponse {
        try await self.client.execute(uri: uri, method: .get, headers: self.headers(token), body: nil)
    }

    func post(_ uri: String, _ token: String?, _ pairs: [(String, String)] = []) async throws -> TestResponse {
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

    func delete(_ uri: String, _ token: String?) async throws -> TestResponse {
        try await self.client.execute(uri: uri, method: .delete, headers: self.headers(token), body: nil)
    }

    /// `POST /api/v1/statuses` as a form.
    func postStatus(
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
    func status(
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
    func follow(_ token: String, _ id: String, _ extra: [(String, String)] = []) async throws {
        let response = try await self.post("/api/v1/accounts/\(id)/follow", token, extra)
        guard response.status == .ok, response.json["following"] as? Bool == true else {
            throw TestFailure("follow answered \(response.status): \(response.text)")
        }
    }

    /// Reads a list endpoint that must answer 200 and returns the ids of its items.
    func ids(_ uri: String, _ token: String? = nil) async throws -> [String] {
        let response = try await self.get(uri, token)
        guard response.status == .ok else { throw TestFailure("\(uri) answered \(response.status): \(response.text)") }
        return response.jsonArray.compactMap { $0["id"] as? String }
    }

    /// The home timeline ids of `token`'s account.
    func home(_ token: String, _ query: String = "") async throws -> [String] {
        try await self.ids("/api/v1/timelines/home" + query, token)
    }

    /// The ids of an account's statuses as `token` (or anonymous) sees them.
    func accountStatuses(_ id: String, _ token: String?, _ query: String = "") async throws -> [String] {
        try await self.ids("/api/v1/accounts/\(id)/statuses" + query, token)
    }

    /// One account as JSON.
    func account(_ id: String) async throws -> [String: Any] {
        let response = try await self.get("/api/v1/accounts/\(id)")
        guard response.status == .ok else { throw TestFailure("account answered \(response.status)") }
        return response.json
    }

    /// The viewer's notifications as `(id, type, account id)`.
    func notifications(_ token: String, _ query: String = "") async throws -> [(id: String, type: String, from: String)]
    {
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

/// Expects a Mastodon error: the status and a non-empty JSON `error` (containing `fragment` when given).
func expectError(
    _ response: TestResponse,
    _ status: HTTPResponse.Status,
    _ fragment: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
    let error = response.json["error"] as? String
    #expect(error?.isEmpty == false, "no error in \(response.text)", sourceLocation: sourceLocation)
    if let fragment {
        #expect(error?.contains(fragment) == true, "\(error ?? "nil")", sourceLocation: sourceLocation)
    }
}

/// The `rel` → URL pairs of a `Link` header.
func links(_ response: TestResponse) -> [String: String] {
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
func pathAndQuery(_ url: String) -> String {
    guard let components = URLComponents(string: url) else { return url }
    return components.percentEncodedPath + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
}

extension TestApp {
    /// A local account's id (as the API writes it) and token.
    func user(_ username: String, scopes: String = "read write follow") async throws -> (id: String, token: String) {
        let (account, token) = try await self.account(username, scopes: scopes)
        return (account.id.description, token)
    }
}
