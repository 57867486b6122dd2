import Core
import Foundation
import HTTPCommon
import HTTPTypes
import Hummingbird
import Processing

/// Mastodon's pagination: `max_id`, `since_id`, `min_id`, `limit`, and a `Link` header with
/// `next` (older) and `prev` (newer) URLs.
enum Pagination {
    /// Reads the page parameters; `limit` is clamped to 1...`max` and defaults to `default`.
    static func page(_ params: RequestParameters, default defaultLimit: Int, max maxLimit: Int) throws -> PageRequest {
        func id(_ key: String) throws -> Int64? {
            guard let text = try params.string(key), !text.isEmpty else { return nil }
            guard let value = Int64(text) else { throw DomainError.validation("\(key) must be an id") }
            return value
        }
        let limit = try params.int("limit") ?? defaultLimit
        return PageRequest(
            maxID: try id("max_id"),
            sinceID: try id("since_id"),
            minID: try id("min_id"),
            limit: Swift.max(1, Swift.min(limit, maxLimit))
        )
    }

    /// What a query value in a `Link` URL keeps unescaped.
    private static func keepsInQueryValue(_ byte: UInt8) -> Bool {
        PercentEncoding.isUnreserved(byte) || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]")
    }

    /// A JSON response of `items` (a list, or an object holding lists) with the `Link` header built from
    /// the page's paging ids.
    static func response(
        _ items: some Encodable,
        newestID: Int64?,
        oldestID: Int64?,
        request: Request,
        urls: URLBuilder
    ) throws -> Response {
        let data = try StreamingJSONEncoder.encode(items)
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let newestID, let oldestID {
            let base = urls.base + request.uri.path
            let kept = (request.uri.queryParameters.map { ($0.key, $0.value) } as [(Substring, Substring)])
                .filter { !["max_id", "since_id", "min_id"].contains(String($0.0)) }
            func link(_ key: String, _ value: Int64) -> String {
                let query =
                    (kept.map {
                        "\($0.0)=\(PercentEncoding.encode($0.1, keeping: Self.keepsInQueryValue))"
                    }
                    + ["\(key)=\(value)"]).joined(separator: "&")
                return "\(base)?\(query)"
            }
            headers[.link] = "<\(link("max_id", oldestID))>; rel=\"next\", <\(link("min_id", newestID))>; rel=\"prev\""
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension Pagination {
    /// A page of accounts, as every account list answers.
    static func response(_ page: Page<AccountView>, request: Request, urls: URLBuilder) throws -> Response {
        try self.response(
            page.items.map(AccountEntity.init),
            newestID: page.newestID,
            oldestID: page.oldestID,
            request: request,
            urls: urls
        )
    }

    /// A page of statuses, as every timeline answers.
    static func response(_ page: Page<StatusView>, request: Request, urls: URLBuilder) throws -> Response {
        try self.response(
            page.items.map { StatusEntity($0, urls: urls) },
            newestID: page.newestID,
            oldestID: page.oldestID,
            request: request,
            urls: urls
        )
    }
}

extension HTTPField.Name {
    static let link = HTTPField.Name("Link")!
}
