/// Why a message could not be built or sent.
///
/// Callers retry `transient` failures later and drop `permanent` ones: the split follows SMTP's reply classes.
package enum MailError: Error, Sendable, Equatable {
    /// An address (or a header meant for one) failed validation; the text names the offending input.
    case invalidAddress(String)
    /// Worth retrying: network errors, timeouts, malformed or oversized replies and 4xx replies.
    case transient(String)
    /// Not worth retrying: 5xx replies (the text carries the server's reply), TLS required but not offered,
    /// invalid headers or configuration.
    case permanent(String)
}

extension MailError: CustomStringConvertible {
    /// A one-line description for logs.
    package var description: String {
        switch self {
        case .invalidAddress(let text): "invalid address: \(text)"
        case .transient(let text): "transient mail failure: \(text)"
        case .permanent(let text): "permanent mail failure: \(text)"
        }
    }
}
