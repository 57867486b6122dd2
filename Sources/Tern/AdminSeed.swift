import App
import ArgumentParser
import Foundation

/// `tern admin seed-benchmark`: fills an empty database with synthetic data for benchmarks.
struct SeedBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed-benchmark",
        abstract: "Benchmarking tool: fill an empty database with synthetic accounts, follows and statuses.",
        discussion: """
            For benchmarks only (scripts/bench-timelines.sh): never run it on a real server's database. \
            Creates local accounts bench0, bench1, … (all with the given password, hashed at the minimum \
            bcrypt cost 4), makes bench0 follow the next --follow accounts, then writes --statuses synthetic \
            posts round-robin over the accounts, back-dated over the past 14 days and fanned out to \
            followers' home feeds as real posts are. Refuses to run when bench0 already exists.
            """
    )

    @Option(name: .long, help: "How many accounts to create (bench0 …).") var accounts = 200
    @Option(name: .long, help: "How many statuses to write.") var statuses = 200_000
    @Option(name: .long, help: "How many of the other accounts bench0 follows.") var follow = 200
    @Option(name: .long, help: "The password of every bench account (8 to 72 characters).") var password: String
    @OptionGroup var options: ConfigOptions

    func run() async throws {
        do {
            var config = try self.options.load()
            config.bcryptCost = 4  // synthetic accounts: the cheapest bcrypt keeps seeding (and sign-in) fast
            try await AdminTool.with(config) { admin in
                let summary = try await BenchmarkSeeder(admin).seed(
                    .init(
                        accounts: self.accounts,
                        statuses: self.statuses,
                        follows: self.follow,
                        password: self.password
                    )
                )
                print(summary)
            }
        } catch let error as ConfigError {
            fail(error.description)
        } catch {
            fail(AdminTool.describe(error))
        }
    }
}

/// `tern admin seed-followers`: remote followers on many loopback hosts, for the fan-out benchmark.
struct SeedFollowers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed-followers",
        abstract: "Benchmarking tool: give a local account remote followers on many loopback hosts.",
        discussion: """
            For benchmarks only (scripts/bench-federation.sh): never run it on a real server's database. \
            Follower j lives on host 127.0.0.1:(--base-port + j % --hosts) with its shared inbox at /inbox.
            """
    )

    @Option(name: .long, help: "The local account to follow.") var account: String
    @Option(name: .long, help: "How many remote followers.") var followers = 30_000
    @Option(name: .long, help: "Over how many hosts (one port each).") var hosts = 3_000
    @Option(name: .long, help: "The port of the first host.") var basePort = 20_000
    @OptionGroup var options: ConfigOptions

    func run() async throws {
        try await AdminRunner.run(self.options) { admin in
            print(
                try await FollowerSeeder(admin).seed(
                    .init(account: self.account, followers: self.followers, hosts: self.hosts, basePort: self.basePort)
                )
            )
        }
    }
}
