import Core
import Storage

extension StatusProcessor {
    /// How many statuses one account may pin (Mastodon's limit).
    static let maxPins = 5

    /// Pins or unpins one of the viewer's own statuses on their profile.
    package func pin(_ id: Status.ID, by viewer: Account.ID, on: Bool) async throws -> StatusView {
        let status = try await self.show(id, for: viewer).status
        guard status.accountID == viewer, !status.isReblog else {
            throw DomainError.unprocessable("Validation failed: You can only pin your own statuses")
        }
        guard status.visibility != .direct else {
            throw DomainError.unprocessable("Validation failed: Direct messages cannot be pinned")
        }
        try await self.context.db.transaction { session in
            if on {
                if try await session.pin(id, by: viewer) > Self.maxPins {
                    throw DomainError.unprocessable(
                        "Validation failed: You have already pinned the maximum number of posts"
                    )
                }
            } else {
                try await session.unpin(id, by: viewer)
            }
        }
        return try await self.show(id, for: viewer)
    }
}
