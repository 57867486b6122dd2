import Core
import Federation
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
        let voted = try await self.context.db.transaction { session in
            let inserted = try await session.insertVotes(id, account: viewer, choices: choices) {
                self.context.ids.next()
            }
            if inserted { try await self.federateVotes(tally, choices: choices, by: viewer, in: session) }
            return inserted
        }
        guard voted else { throw DomainError.unprocessable("Validation failed: You have already voted on this poll") }
        return try await self.show(id, for: viewer)
    }

    /// A vote in a remote poll goes to its author's server: one Note per choice, named after the option
    /// and replying to the Question (Mastodon's shape).
    func federateVotes(_ tally: PollTally, choices: [Int], by viewer: Account.ID, in session: DBSession) async throws {
        guard let status = try await session.status(id: tally.poll.statusID), !status.local,
            let author = try await session.account(id: status.accountID), !author.isLocal,
            let voter = try await session.account(id: viewer)
        else { return }
        let outbox = Outbox(self.context)
        for choice in Set(choices).sorted() {
            let note: JSON = [
                "id": .string(
                    self.context.urls.activity(voter.username, "votes", tally.poll.id.rawValue) + "/\(choice)"
                ),
                "type": "Note", "name": .string(tally.poll.options[choice]), "inReplyTo": .string(status.uri),
                "attributedTo": .string(voter.uri), "to": [.string(author.uri)],
            ]
            let create = SocialActivity.make(
                "Create",
                id: (note["id"]?.string ?? "") + "/activity",
                actor: voter.uri,
                object: note,
                to: [author.uri]
            )
            try await outbox.to([author], create, by: voter, in: session)
        }
    }

    /// The job: once the poll ended, notify its local voters and its author (idempotent).
    package func close(_ id: Poll.ID) async throws {
        guard let statusID = try await self.context.db.read({ try await $0.pollStatus(id) }),
            let status = try await self.context.db.read({ try await $0.status(id: statusID) })
        else { return }
        let now = self.context.clock.now()
        try await self.context.db.transaction { session in
            let voters = try await session.localVoters(id)
            let author = status.local ? [status.accountID] : []
            for account in Set(voters + author) {
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
            // The final counts go to the servers that have the Question.
            try await Outbox(self.context).publish(.update, status, in: session)
        }
    }
}
