import Foundation

/// Work that is done later, outside a request, by the JobRunner. Stored as a row in `jobs`.
///
/// Each case has a stable `kind` string (the column) and a JSON payload. Handlers are idempotent:
/// a job may run twice after a crash.
package enum Job: Sendable, Equatable {
    /// Deletes expired authorization codes and tokens revoked more than a day ago.
    case pruneOAuth

    /// The `kind` column.
    package var kind: String {
        switch self {
        case .pruneOAuth: "prune_oauth"
        }
    }

    /// The `payload` column: JSON, `{}` for cases without data.
    package func payload() throws -> String {
        switch self {
        case .pruneOAuth: "{}"
        }
    }

    /// Rebuilds a job from its row; `nil` for a kind this build does not know (a newer process made it).
    package init?(kind: String, payload: String) throws {
        switch kind {
        case "prune_oauth": self = .pruneOAuth
        default: return nil
        }
    }
}
