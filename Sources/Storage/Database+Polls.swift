import Core
import Foundation
import SQLKit

extension DBSession {
    /// Stores a poll.
    package func insertPoll(_ poll: Poll) async throws {
        let options = String(decoding: try JSONEncoder().encode(poll.options), as: UTF8.self)
        try await self.sql.raw(
            """
            INSERT INTO polls (id, status_id, account_id, options, multiple, hide_totals, expires_at, created_at)
            VALUES (\(bind: poll.id.rawValue), \(bind: poll.statusID.rawValue), \(bind: poll.accountID.rawValue),
                \(bind: options), \(bind: poll.multiple), \(bind: poll.hideTotals),
                \(bind: poll.expiresAt.millisecondsSince1970), \(bind: self.nowMillis))
            """
        ).run()
    }

    /// Polls of statuses with their counts and the viewer's choices, keyed by status.
    package func pollTallies(statuses: [Status.ID], viewer: Account.ID?) async throws -> [Status.ID: PollTally] {
        guard !statuses.isEmpty else { return [:] }
        let rows = try await self.sql.raw(
            "SELECT polls.* FROM \(idTable: statuses.map(\.rawValue), as: "ids") CROSS JOIN polls WHERE polls.status_id = ids.value"
        ).all()
        guard !rows.isEmpty else { return [:] }
        var tallies: [Int64: PollTally] = [:]
        var byStatus: [Status.ID: Int64] = [:]
        var reported: [Int64: (counts: [Int], voters: Int)] = [:]
        for row in rows {
            let options =
                (try? JSONDecoder().decode(
                    [String].self,
                    from: Data(try row.decode(column: "options", as: String.self).utf8)
                )) ?? []
            let poll = Poll(
                id: Poll.ID(try row.decode(column: "id", as: Int64.self)),
                statusID: Status.ID(try row.decode(column: "status_id", as: Int64.self)),
                accountID: Account.ID(try row.decode(column: "account_id", as: Int64.self)),
                options: options,
                multiple: try row.decode(column: "multiple", as: Bool.self),
                hideTotals: try row.decode(column: "hide_totals", as: Bool.self),
                expiresAt: Date(millisecondsSince1970: try row.decode(column: "expires_at", as: Int64.self))
            )
            tallies[poll.id.rawValue] = PollTally(
                poll: poll,
                votes: Array(repeating: 0, count: options.count),
                voters: 0,
                ownVotes: viewer.map { _ in [] }
            )
            byStatus[poll.statusID] = poll.id.rawValue
            if let counts = try row.decode(column: "remote_counts", as: String?.self),
                let decoded = try? JSONDecoder().decode([Int].self, from: Data(counts.utf8))
            {
                reported[poll.id.rawValue] = (decoded, try row.decode(column: "remote_voters", as: Int?.self) ?? 0)
            }
        }
        let ids = Array(tallies.keys)
        let votes = try await self.sql.raw(
            """
            SELECT poll_id, choice, COUNT(*) AS n FROM poll_votes WHERE poll_id IN (\(ids: ids)) GROUP BY poll_id, choice
            """
        ).all()
        for row in votes {
            let poll = try row.decode(column: "poll_id", as: Int64.self)
            let choice = try row.decode(column: "choice", as: Int.self)
            if var tally = tallies[poll], tally.votes.indices.contains(choice) {
                tally.votes[choice] = try row.decode(column: "n", as: Int.self)
                tallies[poll] = tally
            }
        }
        let voters = try await self.sql.raw(
            "SELECT poll_id, COUNT(DISTINCT account_id) AS n FROM poll_votes WHERE poll_id IN (\(ids: ids)) GROUP BY poll_id"
        ).all()
        for row in voters {
            tallies[try row.decode(column: "poll_id", as: Int64.self)]?.voters = try row.decode(
                column: "n",
                as: Int.self
            )
        }
        if let viewer {
            let own = try await self.sql.raw(
                """
                SELECT poll_id, choice FROM poll_votes WHERE account_id = \(bind: viewer.rawValue)
                AND poll_id IN (\(ids: ids)) ORDER BY choice
                """
            ).all()
            for row in own {
                tallies[try row.decode(column: "poll_id", as: Int64.self)]?.ownVotes?.append(
                    try row.decode(column: "choice", as: Int.self)
                )
            }
        }
        // A remote poll counts on its own server; our voters' votes reach it and come back in its counts.
        for (poll, remote) in reported {
            guard var tally = tallies[poll] else { continue }
            for index in tally.votes.indices where index < remote.counts.count {
                tally.votes[index] = max(tally.votes[index], remote.counts[index])
            }
            tally.voters = max(tally.voters, remote.voters)
            tallies[poll] = tally
        }
        var result: [Status.ID: PollTally] = [:]
        for (status, poll) in byStatus { result[status] = tallies[poll] }
        return result
    }

    /// Records what a remote poll's server reports.
    package func updateRemotePollCounts(status: Status.ID, counts: [Int], voters: Int?) async throws {
        let encoded = String(decoding: try JSONEncoder().encode(counts), as: UTF8.self)
        try await self.sql.raw(
            """
            UPDATE polls SET remote_counts = \(bind: encoded), remote_voters = \(bind: voters)
            WHERE status_id = \(bind: status.rawValue)
            """
        ).run()
    }

    /// Records one choice of a voter (a remote vote arrives one choice per activity); false when it is
    /// already recorded.
    package func insertVote(_ poll: Poll.ID, account: Account.ID, choice: Int, id: Int64) async throws -> Bool {
        let existing = try await self.sql.raw(
            """
            SELECT id FROM poll_votes WHERE poll_id = \(bind: poll.rawValue) AND account_id = \(bind: account.rawValue)
            AND choice = \(bind: choice)
            """
        ).first()
        guard existing == nil else { return false }
        try await self.sql.raw(
            """
            INSERT INTO poll_votes (id, poll_id, account_id, choice, created_at)
            VALUES (\(bind: id), \(bind: poll.rawValue), \(bind: account.rawValue), \(bind: choice), \(bind: self.nowMillis))
            """
        ).run()
        return true
    }

    /// The status a poll belongs to.
    package func pollStatus(_ poll: Poll.ID) async throws -> Status.ID? {
        let row = try await self.sql.raw("SELECT status_id FROM polls WHERE id = \(bind: poll.rawValue)").first()
        return try row.map { Status.ID(try $0.decode(column: "status_id", as: Int64.self)) }
    }

    /// Records votes; false when the account had already voted.
    package func insertVotes(_ poll: Poll.ID, account: Account.ID, choices: [Int], ids: () -> Int64) async throws
        -> Bool
    {
        let existing = try await self.sql.raw(
            "SELECT id FROM poll_votes WHERE poll_id = \(bind: poll.rawValue) AND account_id = \(bind: account.rawValue)"
        ).first()
        guard existing == nil else { return false }
        for choice in Set(choices) {
            try await self.sql.raw(
                """
                INSERT INTO poll_votes (id, poll_id, account_id, choice, created_at)
                VALUES (\(bind: ids()), \(bind: poll.rawValue), \(bind: account.rawValue), \(bind: choice), \(bind: self.nowMillis))
                """
            ).run()
        }
        return true
    }

    /// Local accounts that voted in a poll.
    package func localVoters(_ poll: Poll.ID) async throws -> [Account.ID] {
        try await self.sql.raw(
            """
            SELECT DISTINCT v.account_id AS a FROM poll_votes v JOIN accounts a ON a.id = v.account_id
            WHERE v.poll_id = \(bind: poll.rawValue) AND a.domain IS NULL
            """
        ).all().map { Account.ID(try $0.decode(column: "a", as: Int64.self)) }
    }
}
