import App
import ArgumentParser
import Foundation

/// The entry point: Swift Concurrency runs on the server's event loops (`Server.runTasksOnEventLoops`),
/// then the command line is parsed and run.
@main
enum Entry {
    static func main() async {
        Server.runTasksOnEventLoops()
        await Tern.main()
    }
}

/// `tern`: the one binary. `tern serve` runs the server; `tern admin …` manages it.
struct Tern: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tern",
        abstract: "A federated microblogging server that speaks ActivityPub and the Mastodon API.",
        version: "0.1.0",
        subcommands: [Serve.self, Admin.self],
        defaultSubcommand: Serve.self
    )
}

/// Settings every command accepts; flags win over `TERN_*` variables, which win over the file.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "A YAML configuration file.")
    var config: String?
    @Option(name: .long, help: "The host (and port) in this server's URLs (TERN_DOMAIN).")
    var domain: String?
    @Option(
        name: .customLong("account-domain"),
        help: "The domain in handles, if not the URL host (TERN_ACCOUNT_DOMAIN)."
    )
    var accountDomain: String?
    @Option(name: .long, help: "Address to listen on, host:port or [v6]:port (TERN_LISTEN).")
    var listen: String?
    @Option(name: .customLong("protocol"), help: "https (default) or http, for URLs (TERN_PROTOCOL).")
    var scheme: String?
    @Option(
        name: .long,
        help: "sqlite:PATH (default sqlite:tern.sqlite in the data folder) or postgres://… (TERN_DATABASE)."
    )
    var database: String?
    @Option(name: .customLong("data-dir"), help: "The data folder (TERN_DATA_DIR), ./data by default.")
    var dataDir: String?
    @Option(name: .long, help: "open, approval, invite or closed (TERN_REGISTRATIONS).")
    var registrations: String?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error (TERN_LOG_LEVEL).")
    var logLevel: String?

    func load() throws -> AppConfig {
        var flags: [String: String] = [:]
        flags["domain"] = self.domain
        flags["account_domain"] = self.accountDomain
        flags["listen"] = self.listen
        flags["protocol"] = self.scheme
        flags["database"] = self.database
        flags["data_dir"] = self.dataDir
        flags["registrations"] = self.registrations
        flags["log_level"] = self.logLevel
        return try AppConfig.load(file: self.config, environment: ProcessInfo.processInfo.environment, flags: flags)
    }
}

/// Prints one clear line and exits non-zero: how every command reports failure.
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("tern: \(message)\n".utf8))
    exit(1)
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server.")
    @OptionGroup var options: ConfigOptions

    func run() async throws {
        do {
            let config = try self.options.load()
            try await Server.run(config)
        } catch let error as ConfigError {
            fail(error.description)
        } catch {
            fail(Server.describe(error))
        }
    }
}
