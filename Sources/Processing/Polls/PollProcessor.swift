import Core
import Foundation
import Storage

/// Polls: reading, voting, and closing (a job tells voters and the author the results are in).
package struct PollProcessor: Sendable {
    let context: ProcessingContext
    let hydrator: StatusHydrator

    init(_ context: ProcessingContext) {
        self.context = context
        self.hydrator = StatusHydrator(context: context)
    }

    /// A poll of a status the viewer can see.
    package func show(_ id: Poll.ID, for viewer: Account.ID?) async throws -> PollTally {
        guard let statusID = try await self.context.db.read({ try await $0.pollStatus(id) }),
            let view = try await self.hydrator.views([statusID], for: viewer).first, let poll = view.poll
        else { throw DomainError.notFound }
        return poll
    }

    /// Votes once in an open poll: one choice, or several when the poll allows it.
    package func vote(_ id: Poll.ID, choices: [Int], by viewer: Account.ID) async throws -> PollTally {
        let tally = try await self.show(id, for: viewer)
        guard tally.poll.expiresAt > self.context.clock.now() else {
            throw DomainError.unprocessable("Validation failed: The poll has already ended")
        }
        guard !choices.isEmpty, choices.allSatisfy({ tally.poll.options.indices.contains($0) }) else {
            throw DomainError.unprocessable("Validation failed: That choice is not in the poll")
        }
        guard tally.poll.multiple || Set(choices).count == 1 else {
            throw DomainError.unprocessable("Validation failed: This poll allows one choice")
        }
        let voted = try await self.context.db.transaction {
            try await $0.insertVotes(id, account: viewer, choices: choices) { self.context.ids.next() }
        }
        guard voted else { throw DomainError.unprocessable("Validation failed: You have already voted on this poll") }
        return try await self.show(id, for: viewer)
    }

    /// The job: once the poll ended, notify its local voters and its author (idempotent).
    package func close(_ id: Poll.ID) async throws {
        guard let statusID = try await self.context.db.read({ try await $0.pollStatus(id) }),
            let status = try await self.context.db.read({ try await $0.status(id: statusID) })
        else { return }
        let now = self.context.clock.now()
        try await self.context.db.transaction { session in
            let voters = try await session.localVoters(id)
            for account in Set(voters + [status.accountID]) {
                try await session.insertNotification(
                    Notification(
                        id: self.context.ids.next(),
                        accountID: account,
                        fromAccountID: status.accountID,
                        kind: .poll,
                        statusID: statusID,
                        createdAt: now
                    )
                )
            }
        }
    }
}
