import Core
import Foundation
import Processing
import Storage
import Synchronization

/// Benchmarking only: fills an empty database with synthetic local accounts, follows and statuses.
///
/// Accounts `bench0`…`bench{N-1}` are made by the admin processor (so they are confirmed, approved and
/// have a bcrypt hash at the configured cost); `bench0` then follows K of the others through the follow
/// processor. Statuses are written with the same Storage calls `StatusProcessor.post` makes
/// (`insertStatus`, `fanOut`, mention notifications), in batched transactions, so home feeds end up
/// exactly as if everyone had posted for real. The follows come first, so fan-out fills `bench0`'s feed.
///
/// Statuses are spread round-robin over the accounts with `created_at` increasing over the past
/// `days` days; their ids come from an `IDGenerator` reading that back-dated time, so ids and
/// timestamps agree as they do for real posts. The text is generated deterministically.
package struct BenchmarkSeeder: Sendable {
    package struct Options: Sendable {
        package var accounts: Int
        package var statuses: Int
        package var follows: Int
        package var password: String
        package var batchSize = 1_000
        package var days = 14

        package init(accounts: Int, statuses: Int, follows: Int, password: String) {
            self.accounts = accounts
            self.statuses = statuses
            self.follows = follows
            self.password = password
        }
    }

    package struct Summary: Sendable, CustomStringConvertible {
        package var accounts: Int
        package var follows: Int
        package var statuses: Int
        package var homeFeedOfBench0: Int
        package var seconds: Double

        package var description: String {
            "Seeded \(self.accounts) accounts, \(self.follows) follows by @bench0 and \(self.statuses) statuses "
                + "(home feed of @bench0: \(self.homeFeedOfBench0) entries) in "
                + String(format: "%.1f", self.seconds) + " s."
        }
    }

    /// Why seeding did not start; its description is the one line the CLI prints.
    package struct Refusal: Error, CustomStringConvertible {
        package let description: String
    }

    private let deps: AppDependencies
    private let progress: @Sendable (String) -> Void

    /// `progress` receives one line per tenth of each phase; by default it goes unbuffered to stdout.
    package init(
        _ admin: AdminTool,
        progress: @escaping @Sendable (String) -> Void = { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) }
    ) {
        self.deps = admin.deps
        self.progress = progress
    }

    package func seed(_ options: Options) async throws -> Summary {
        guard options.accounts >= 1 else { throw Refusal(description: "--accounts must be at least 1") }
        guard options.statuses >= 0 else { throw Refusal(description: "--statuses must not be negative") }
        guard options.follows >= 0 else { throw Refusal(description: "--follow must not be negative") }
        guard options.batchSize >= 1, options.days >= 1 else { throw Refusal(description: "invalid batch settings") }
        let db = self.deps.db
        if try await db.read({ try await $0.account(username: "bench0", domain: nil) }) != nil {
            throw Refusal(
                description:
                    "@bench0 already exists: seed-benchmark only fills an empty database (use a fresh data folder or database)"
            )
        }
        let follows = min(options.follows, options.accounts - 1)
        if follows < options.follows {
            self.progress("note: only \(options.accounts - 1) other accounts exist; @bench0 follows all of them")
        }
        let started = ContinuousClock.now

        // Accounts, through the admin processor (validation, bcrypt, one transaction each).
        var accounts: [Account] = []
        accounts.reserveCapacity(options.accounts)
        var ticker = Ticker(total: options.accounts, label: "accounts", report: self.progress)
        for index in 0..<options.accounts {
            let (account, _) = try await self.deps.processor.admin.createAccount(
                username: "bench\(index)",
                email: "bench\(index)@example.com",
                password: options.password,
                role: .user
            )
            accounts.append(account)
            ticker.advance(to: index + 1)
        }

        // Follows first, through the follow processor, so that fan-out below fills bench0's home feed.
        ticker = Ticker(total: follows, label: "follows", report: self.progress)
        for index in 0..<follows {
            _ = try await self.deps.processor.follows.follow(
                accounts[index + 1].id,
                by: accounts[0].id,
                reblogs: nil,
                notify: nil,
                languages: nil
            )
            ticker.advance(to: index + 1)
        }

        // Statuses, in batched transactions, with the Storage calls of StatusProcessor.post.
        let urls = self.deps.config.urls
        let mentionTargets = Dictionary(
            uniqueKeysWithValues: accounts.map {
                ($0.username.lowercased(), ResolvedMention(url: $0.url ?? $0.uri, username: $0.username))
            }
        )
        let accountByName = Dictionary(uniqueKeysWithValues: accounts.map { ($0.username.lowercased(), $0.id) })
        let nowMillis = Date().millisecondsSince1970
        let spanMillis = Int64(options.days) * 86_400_000
        let startMillis = nowMillis - spanMillis
        // Leave the last minute free so benchmark posts made right after seeding sort after these.
        let stepMillis = options.statuses > 0 ? Double(spanMillis - 60_000) / Double(options.statuses) : 0
        let backdated = BackdatedTime(startMillis)
        let ids = IDGenerator(clock: Core.Clock { backdated.now })
        var random = SplitMix64(seed: 0x7465_726E)
        var text = SyntheticText()
        ticker = Ticker(total: options.statuses, label: "statuses", report: self.progress)

        var next = 0
        while next < options.statuses {
            let end = min(next + options.batchSize, options.statuses)
            var batch: [(Status, mentions: [Account.ID], tags: [String])] = []
            batch.reserveCapacity(end - next)
            for index in next..<end {
                let author = accounts[index % accounts.count]
                let created = startMillis + Int64((Double(index) * stepMillis).rounded(.down))
                backdated.set(created)
                let body = text.make(author: author.username, accounts: accounts.count, random: &random)
                let rendered = TextFormatter.format(
                    body,
                    mention: { mentionTargets[$0.username.lowercased()] },
                    hashtagURL: { urls.tag($0) }
                )
                let mentioned = rendered.mentions.compactMap { accountByName[$0.username.lowercased()] }
                let id: Status.ID = ids.next()
                let roll = random.next() % 100
                let visibility: Visibility = roll < 85 ? .public : roll < 95 ? .unlisted : .private
                let status = Status(
                    id: id,
                    accountID: author.id,
                    uri: urls.status(author.username, id.rawValue),
                    url: urls.statusPage(author.username, id.rawValue),
                    text: body,
                    content: rendered.html,
                    visibility: visibility,
                    local: true,
                    createdAt: Date(millisecondsSince1970: created)
                )
                batch.append((status, mentioned, rendered.hashtags))
            }
            try await db.transaction { session in
                for (status, mentions, tags) in batch {
                    try await session.insertStatus(status, mentions: mentions, tags: tags) { ids.next() }
                    // Public, unlisted and private posts all go to followers' home feeds (no replies here).
                    try await session.fanOut(
                        status.id,
                        author: status.accountID,
                        requireAlsoFollowing: nil,
                        onlyShowingReblogs: false
                    )
                    for account in Set(mentions) where account != status.accountID {
                        try await session.insertNotification(
                            Core.Notification(
                                id: ids.next(),
                                accountID: account,
                                fromAccountID: status.accountID,
                                kind: .mention,
                                statusID: status.id,
                                createdAt: status.createdAt
                            )
                        )
                    }
                }
            }
            next = end
            ticker.advance(to: next)
        }

        let feed = try await db.read { session in
            try await session.homeFeed(of: accounts[0].id, page: PageRequest(limit: options.statuses + 1)).count
        }
        let elapsed = ContinuousClock.now - started
        return Summary(
            accounts: accounts.count,
            follows: follows,
            statuses: options.statuses,
            homeFeedOfBench0: feed,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        )
    }
}

/// The time the seeding IDGenerator reads: set to each status's back-dated `created_at` before its id is made.
private final class BackdatedTime: Sendable {
    private let millis: Mutex<Int64>

    init(_ millis: Int64) { self.millis = Mutex(millis) }

    var now: Date { Date(millisecondsSince1970: self.millis.withLock { $0 }) }

    func set(_ millis: Int64) { self.millis.withLock { $0 = millis } }
}

/// Prints "label: done/total (p%)" each time another tenth is done.
private struct Ticker {
    let total: Int
    let label: String
    let report: @Sendable (String) -> Void
    var reportedTenths = 0

    init(total: Int, label: String, report: @escaping @Sendable (String) -> Void) {
        self.total = total
        self.label = label
        self.report = report
        if total == 0 { report("\(label): none") }
    }

    mutating func advance(to done: Int) {
        guard self.total > 0 else { return }
        let tenths = done * 10 / self.total
        if tenths > self.reportedTenths {
            self.reportedTenths = tenths
            self.report("\(self.label): \(done)/\(self.total) (\(tenths * 10)%)")
        }
    }
}

/// A small deterministic generator (SplitMix64), so every run seeds the same data.
private struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { self.state = seed }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func pick<T>(_ items: [T]) -> T { items[Int(self.next() % UInt64(items.count))] }
}

/// Plausible short posts: one or two sentences, a mention about one post in eight, a hashtag about one in six.
private struct SyntheticText {
    private let openers = [
        "Just finished", "Thinking about", "Finally tried", "Can't stop looking at", "Spent the morning on",
        "Anyone else enjoying", "Quick note on", "Loving", "Not sure about", "Wrote a bit about",
    ]
    private let subjects = [
        "the new release", "a long walk by the river", "sourdough experiments", "the garden this year",
        "an old paperback", "rainy afternoons", "my bike commute", "a tiny side project", "the night sky",
        "fresh coffee", "the local library", "a weekend hike", "that conference talk", "learning to sketch",
    ]
    private let endings = [
        ".", "!", " and it was worth it.", ", more soon.", ". Recommended.", " — thoughts?", ". What a day.",
        ", honestly.", ". Ten out of ten.", "…",
    ]
    private let extras = [
        "", "", "", " Took some notes along the way.", " The weather helped.", " Might do it again tomorrow.",
        " Still learning.",
    ]
    private let tags = ["photography", "coffee", "books", "gardening", "cycling", "swift", "music", "hiking"]

    mutating func make(author: String, accounts: Int, random: inout SplitMix64) -> String {
        var text =
            random.pick(self.openers) + " " + random.pick(self.subjects) + random.pick(self.endings)
            + random.pick(self.extras)
        if accounts > 1 && random.next() % 8 == 0 {
            var other = "bench\(random.next() % UInt64(accounts))"
            if other == author { other = author == "bench0" ? "bench1" : "bench0" }
            text = "@\(other) " + text
        }
        if random.next() % 6 == 0 {
            text += " #\(random.pick(self.tags))"
        }
        return text
    }
}
