/// An error whose message is safe to show to the user. Anything else becomes a bare 500.
///
/// `validation` carries per-field details (Mastodon's 422 `details` on sign-up), keyed by
/// parameter name, each a list of (error code, description).
package enum DomainError: Error, Equatable, Sendable {
    case notFound
    case unauthorized(String)
    case forbidden(String)
    case gone
    case rateLimited
    case badRequest(String)
    case validation(String, details: [String: [FieldError]] = [:])
    case conflict(String)
    case unprocessable(String)
    case payloadTooLarge
    case unsupportedMediaType
    case unavailable(String)

    /// One failed rule on one field: Mastodon's `{"error": "ERR_TAKEN", "description": "..."}`.
    package struct FieldError: Equatable, Sendable {
        package let error: String
        package let description: String

        package init(_ error: String, _ description: String) {
            self.error = error
            self.description = description
        }
    }

    /// The message a client sees.
    package var userMessage: String {
        switch self {
        case .notFound: "Record not found"
        case .unauthorized(let message): message
        case .forbidden(let message): message
        case .gone: "Gone"
        case .rateLimited: "Too many requests"
        case .badRequest(let message): message
        case .validation(let message, _): message
        case .conflict(let message): message
        case .unprocessable(let message): message
        case .payloadTooLarge: "Request body too large"
        case .unsupportedMediaType: "Unsupported content type"
        case .unavailable(let message): message
        }
    }
}
