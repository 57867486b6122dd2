import Foundation

/// Work that is done later, outside a request, by the JobRunner. Stored as a row in `jobs`.
///
/// Each case has a stable `kind` string (the column) and a JSON payload. Handlers are idempotent:
/// a job may run twice after a crash.
package enum Job: Sendable, Equatable {
    /// Deletes expired authorization codes and tokens revoked more than a day ago.
    case pruneOAuth
    /// Publishes a scheduled status if it is still scheduled for now (it may have been moved or cancelled).
    case publishScheduledStatus(id: Int64)
    /// Tells a poll's voters and author that it closed.
    case closePoll(id: Int64)

    /// The `kind` column.
    package var kind: String {
        switch self {
        case .pruneOAuth: "prune_oauth"
        case .publishScheduledStatus: "publish_scheduled_status"
        case .closePoll: "close_poll"
        }
    }

    /// The `payload` column: JSON, `{}` for cases without data.
    package func payload() throws -> String {
        switch self {
        case .pruneOAuth: "{}"
        case .publishScheduledStatus(let id), .closePoll(let id): "{\"id\":\(id)}"
        }
    }

    /// Rebuilds a job from its row; `nil` for a kind this build does not know (a newer process made it).
    package init?(kind: String, payload: String) throws {
        switch kind {
        case "prune_oauth": self = .pruneOAuth
        case "publish_scheduled_status":
            struct Payload: Decodable { let id: Int64 }
            self = .publishScheduledStatus(id: try JSONDecoder().decode(Payload.self, from: Data(payload.utf8)).id)
        case "close_poll":
            struct Payload: Decodable { let id: Int64 }
            self = .closePoll(id: try JSONDecoder().decode(Payload.self, from: Data(payload.utf8)).id)
        default: return nil
        }
    }
}
