import Core
import Foundation
import HTTPCommon
import Hummingbird
import Processing

/// Turns every error under `/api` and `/oauth` into Mastodon's `{"error": "..."}` with the right status.
///
/// Messages come only from `DomainError` and OAuth errors; anything else is logged with the request
/// id and answered as a bare 500, so internal text never reaches a client.
struct MastodonErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(
        _ request: Request,
        context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as DomainError {
            return Self.response(for: error)
        } catch let error as OAuthProcessor.OAuthError {
            return Self.json(
                HTTPResponse.Status(code: error.status),
                ["error": error.code, "error_description": error.description]
            )
        } catch let error as HTTPError {
            switch error.status {
            case .notFound: return Self.response(for: .notFound)
            case .contentTooLarge: return Self.response(for: .payloadTooLarge)
            case .badRequest: return Self.json(.badRequest, ["error": "Bad request"])
            default: return Self.json(error.status, ["error": error.status.reasonPhrase])
            }
        } catch {
            context.logger.error("unhandled error: \(String(reflecting: error))")
            return Self.json(.internalServerError, ["error": "Internal server error"])
        }
    }

    static func response(for error: DomainError) -> Response {
        switch error {
        case .validation(let message, let details) where !details.isEmpty:
            var body: [String: Any] = ["error": message]
            body["details"] = details.mapValues { list in
                list.map { ["error": $0.error, "description": $0.description] }
            }
            return Self.json(.unprocessableContent, body)
        default:
            return Self.json(Self.status(of: error), ["error": error.userMessage])
        }
    }

    static func status(of error: DomainError) -> HTTPResponse.Status {
        switch error {
        case .notFound: .notFound
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .gone: .gone
        case .rateLimited: .tooManyRequests
        case .badRequest: .badRequest
        case .validation, .unprocessable: .unprocessableContent
        case .conflict: .conflict
        case .payloadTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .unavailable: .serviceUnavailable
        }
    }

    static func json(_ status: HTTPResponse.Status, _ body: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
