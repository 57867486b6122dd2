import Core
import Foundation
import HTTPCommon
import Hummingbird
import Processing

/// https://docs.joinmastodon.org/entities/Poll/
struct PollEntity: ResponseEncodable, Sendable {
    struct Option: Encodable, Sendable {
        let title: String
        @Nullable var votesCount: Int?

        enum CodingKeys: String, CodingKey {
            case title
            case votesCount = "votes_count"
        }
    }

    let id: String
    @Nullable var expiresAt: Date?
    let expired: Bool
    let multiple: Bool
    let votesCount: Int
    @Nullable var votersCount: Int?
    let options: [Option]
    let emojis: [String]
    var voted: Bool?
    var ownVotes: [Int]?

    /// Totals stay hidden until the end when the author asked, except from the author.
    init(_ tally: PollTally, viewer: Account.ID?) {
        let poll = tally.poll
        let expired = tally.expired
        let showTotals = !poll.hideTotals || expired || viewer == poll.accountID
        self.id = poll.id.description
        self.expiresAt = poll.expiresAt
        self.expired = expired
        self.multiple = poll.multiple
        self.votesCount = tally.votes.reduce(0, +)
        self.votersCount = poll.multiple ? tally.voters : nil
        self.options = zip(poll.options, tally.votes).map { Option(title: $0, votesCount: showTotals ? $1 : nil) }
        self.emojis = []
        if let own = tally.ownVotes {
            self.voted = !own.isEmpty || viewer == poll.accountID
            self.ownVotes = own
        }
    }

    enum CodingKeys: String, CodingKey {
        case id
        case expiresAt = "expires_at"
        case expired, multiple
        case votesCount = "votes_count"
        case votersCount = "voters_count"
        case options, emojis, voted
        case ownVotes = "own_votes"
    }
}

/// `/api/v1/polls/*` — https://docs.joinmastodon.org/methods/polls/
struct PollsController {
    let polls: PollProcessor

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("polls/:id", use: self.show)
        group.post("polls/:id/votes", use: self.vote)
    }

    static func id(_ context: AppRequestContext) throws -> Poll.ID {
        guard let id = context.parameters.get("id").flatMap(Poll.ID.init) else { throw DomainError.notFound }
        return id
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> PollEntity {
        let viewer = try StatusesController.optionalViewer(context)
        return PollEntity(try await self.polls.show(try Self.id(context), for: viewer), viewer: viewer)
    }

    @Sendable func vote(_ request: Request, context: AppRequestContext) async throws -> PollEntity {
        let viewer = try StatusesController.viewer(context, scope: "write:statuses")
        let params = try await request.parameters(context: context)
        let raw = try params.strings("choices") ?? []
        let choices = raw.compactMap { Int($0) }
        guard choices.count == raw.count, choices.count <= 4 else {
            throw DomainError.unprocessable("Validation failed: That choice is not in the poll")
        }
        let tally = try await self.polls.vote(try Self.id(context), choices: choices, by: viewer)
        return PollEntity(tally, viewer: viewer)
    }
}
