import Core
import Federation
import Foundation
import Logging
import Mail
import Storage

/// Everything the server is told, read once at start-up into typed values.
///
/// Sources in order of precedence: command-line flags, `TERN_*` environment variables, the config
/// file (`--config tern.yaml`), then the defaults below. Code below `App` receives these typed
/// values, never the sources.
package struct AppConfig: Sendable {
    package var domain = "localhost:8080"
    package var accountDomain: String?
    package var listenHost = "127.0.0.1"
    package var listenPort = 8080
    package var scheme = "https"
    package var dataDirectory = "./data"
    package var database = "sqlite:tern.sqlite"
    package var instance = InstanceSettings()
    package var logLevel: Logger.Level = .info
    package var bcryptCost: UInt8 = 10
    /// `automatic`: the JobRunner polls; `manual`: tests drain the queue themselves.
    package var jobsManual = false
    package var jobConcurrency = 32
    /// How long cached copies of remote pictures are kept (by post age), in seconds; nil keeps them.
    package var mediaCacheRetention: Int?
    /// Sign-in, token and sign-up requests allowed per client address per 5 minutes (0: no limit).
    package var authRateLimit = 25
    /// Outbound guard exemptions, blocked hosts, delivery concurrency.
    package var federation = FederationSettings()
    /// Serve the web app's files from this folder instead of the copy built into the binary
    /// (development: edits show on reload).
    package var webAppDirectory: String?
    /// How mail is sent; nil when neither SMTP nor sendmail is configured.
    package var mail: MailConfig?

    package init() {}

    /// The database location with relative SQLite paths anchored in the data folder.
    package func databaseLocation() throws -> DatabaseLocation {
        do {
            return try DatabaseLocation(parsing: self.database, dataDirectory: self.dataDirectory)
        } catch let error as StorageError {
            throw ConfigError(setting: "database", environment: "TERN_DATABASE", message: error.description)
        }
    }

    /// The URL builder for this configuration.
    package var urls: URLBuilder {
        URLBuilder(scheme: self.scheme, domain: self.domain, accountDomain: self.accountDomain)
    }

    /// A configuration for tests: in-memory SQLite, http, fast bcrypt, jobs drained by hand.
    package static func testing(domain: String = "tern.test", database: String = "sqlite::memory:") -> AppConfig {
        var config = AppConfig()
        config.domain = domain
        config.scheme = "http"
        config.database = database
        config.dataDirectory = NSTemporaryDirectory() + "tern-test-" + UUID().uuidString
        config.bcryptCost = 4
        config.jobsManual = true
        config.logLevel = .warning
        config.instance.contactEmail = "admin@\(domain)"
        return config
    }
}

/// A setting that could not be used; its description is the one line printed before exiting.
/// The mail settings: a sender and one way to hand messages over.
package struct MailConfig: Sendable {
    package enum Delivery: Sendable {
        case smtp(SMTPConfiguration)
        /// A sendmail-compatible binary reading the message on standard input.
        case sendmail(path: String)
    }

    package var from: String
    package var delivery: Delivery

    package init(from: String, delivery: Delivery) {
        self.from = from
        self.delivery = delivery
    }
}

package struct ConfigError: Error, CustomStringConvertible, Equatable {
    package let setting: String
    package let environment: String
    package let message: String

    package var description: String { "invalid setting `\(self.setting)` (\(self.environment)): \(self.message)" }
}
