import Core
import Foundation
import Hummingbird
import Logging
import Storage

/// `tern serve`: builds and runs the application until SIGINT or SIGTERM.
package enum Server {
    package static func run(_ config: AppConfig) async throws {
        var logger = Logger(label: "tern")
        logger.logLevel = config.logLevel
        let deps = try await AppDependencies.make(config, logger: logger)
        let app = try await buildApplication(deps, ownsProcess: true)
        try await app.runService()
    }

    /// Runs Swift Concurrency's jobs on the event loops the server's connections run on
    /// (`EventLoopExecutor`). Call once, first thing in `main`.
    package static func runTasksOnEventLoops() {
        EventLoopExecutor.install()
    }

    /// One line for an error that stopped the server.
    package static func describe(_ error: any Error) -> String {
        if let error = error as? ConfigError { return error.description }
        let text = String(describing: error)
        if text.contains("Address already in use") || text.contains("bind") {
            return "cannot listen: \(text)"
        }
        return text
    }
}
