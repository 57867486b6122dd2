import Core
import HTTPCommon
import Hummingbird

/// Renders errors of the HTML pages as pages: the user's message for a `DomainError`, a generic
/// one (and a log line) for anything else.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let renderer: PageRenderer

    func handle(
        _ request: Request,
        context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as DomainError {
            let status: HTTPResponse.Status =
                switch error {
                case .notFound: .notFound
                case .rateLimited: .tooManyRequests
                case .unauthorized: .unauthorized
                case .forbidden: .forbidden
                case .payloadTooLarge: .contentTooLarge
                default: .badRequest
                }
            let message =
                error == .rateLimited
                ? "Too many attempts from your address. Wait a few minutes and try again." : error.userMessage
            return self.renderer.page("error", title: "Something went wrong", status: status, ["message": message])
        } catch {
            context.logger.error("unhandled error on page: \(String(reflecting: error))")
            return self.renderer.page(
                "error",
                title: "Something went wrong",
                status: .internalServerError,
                ["message": "The server could not handle this request."]
            )
        }
    }
}
