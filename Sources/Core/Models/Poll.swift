import Foundation

/// A poll attached to a status.
package struct Poll: Sendable, Equatable {
    package typealias ID = EntityID<Poll>

    package var id: ID
    package var statusID: EntityID<Status>
    package var accountID: EntityID<Account>
    package var options: [String]
    package var multiple: Bool
    package var hideTotals: Bool
    package var expiresAt: Date

    package init(
        id: ID,
        statusID: EntityID<Status>,
        accountID: EntityID<Account>,
        options: [String],
        multiple: Bool,
        hideTotals: Bool,
        expiresAt: Date
    ) {
        self.id = id
        self.statusID = statusID
        self.accountID = accountID
        self.options = options
        self.multiple = multiple
        self.hideTotals = hideTotals
        self.expiresAt = expiresAt
    }

    /// Mastodon's limits.
    package static let optionCount = 2...4
    package static let maxOptionLength = 50
    package static let duration: ClosedRange<Int> = 300...2_629_746
}

/// A poll with its counts and what the viewer voted.
package struct PollTally: Sendable, Equatable {
    package var poll: Poll
    /// Votes per option, in option order.
    package var votes: [Int]
    package var voters: Int
    /// The viewer's choices (nil: anonymous viewer).
    package var ownVotes: [Int]?
    /// Whether it had ended when it was read (set from the server's clock).
    package var expired = false

    package init(poll: Poll, votes: [Int], voters: Int, ownVotes: [Int]?) {
        self.poll = poll
        self.votes = votes
        self.voters = voters
        self.ownVotes = ownVotes
    }
}
