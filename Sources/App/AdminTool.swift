import Core
import Foundation
import Logging
import Processing
import Storage

/// The admin CLI's view of the server: the same configuration, database and processors as `serve`.
package struct AdminTool: Sendable {
    let deps: AppDependencies

    /// Opens the database, applies migrations and runs `body` with the database service running.
    package static func with(_ config: AppConfig, _ body: @escaping @Sendable (AdminTool) async throws -> Void)
        async throws
    {
        var logger = Logger(label: "tern-admin")
        logger.logLevel = .warning
        let deps = try await AppDependencies.make(config, logger: logger)
        try await deps.db.withRunning {
            try await deps.prepare()
            try await body(AdminTool(deps: deps))
        }
    }

    /// One line per job kind: how many wait and how many of those failed before.
    package func jobSummary() async throws -> [String] {
        try await self.deps.db.read { try await $0.jobSummary() }.map {
            "\($0.kind)\t\($0.waiting) waiting\t\($0.failing) failing"
        }
    }

    /// Makes every waiting job due now (after an outage: retry deliveries without waiting for back-off).
    package func retryJobs() async throws {
        try await self.deps.db.transaction { try await $0.makeAllJobsDue() }
    }

    /// Applies migrations (already done by `with`) and reports which were new.
    package func migrate() async throws -> [String] {
        try await self.deps.db.migrate(logger: self.deps.logger)
    }

    /// Creates an account; returns a one-line summary and the generated password, if any.
    package func createAccount(username: String, email: String, password: String?, admin: Bool) async throws
        -> (String, String?)
    {
        let (account, generated) = try await self.deps.processor.admin.createAccount(
            username: username,
            email: email,
            password: password,
            role: admin ? .admin : .user
        )
        return (
            "@\(account.username) (id \(account.id)\(admin ? ", admin" : "")) as \(self.deps.config.urls.acct(account.username))",
            generated
        )
    }

    /// One line per local account.
    package func listAccounts() async throws -> [String] {
        try await self.deps.processor.admin.listAccounts().map { account, user in
            var flags: [String] = [user.role.rawValue]
            if user.confirmedAt == nil { flags.append("unconfirmed") }
            if !user.approved { flags.append("pending approval") }
            if account.isSuspended { flags.append("suspended") }
            return "\(account.id)  @\(account.username)  \(user.email)  \(flags.joined(separator: ", "))"
        }
    }

    package func resetPassword(username: String, password: String?) async throws -> String {
        try await self.deps.processor.admin.resetPassword(username: username, password: password)
    }

    package func confirm(username: String) async throws {
        try await self.deps.processor.admin.confirm(username: username)
    }

    package func approve(username: String) async throws {
        try await self.deps.processor.admin.approve(username: username)
    }

    package func reject(username: String) async throws {
        try await self.deps.processor.admin.reject(username: username)
    }

    /// One line per sign-up waiting for approval, with its reason.
    package func pendingAccounts() async throws -> [String] {
        try await self.deps.processor.admin.pendingAccounts().map { account, user in
            let reason = (user.reason ?? "").replacingOccurrences(of: "\n", with: " ")
            return
                "\(account.id)  @\(account.username)  \(user.email)  \(user.confirmedAt == nil ? "unconfirmed" : "confirmed")  \(reason)"
        }
    }

    /// Lets cached copies of remote pictures of posts older than `seconds` go; `progress` hears running
    /// totals (files, bytes) after each page.
    package func pruneMediaCache(olderThan seconds: Int, progress: @escaping @Sendable (Int, Int64) -> Void)
        async throws -> (files: Int, bytes: Int64)
    {
        let cutoff = self.deps.processor.context.clock.now().addingTimeInterval(-TimeInterval(seconds))
        let result = try await self.deps.processor.mediaCache.prune(olderThan: cutoff) { progress($0.files, $0.bytes) }
        return (result.files, result.bytes)
    }

    /// Adds `handle` as an alias of the local account (so that account may move here).
    package func addAlias(username: String, handle: String) async throws {
        let (account, _) = try await self.deps.processor.admin.localAccount(username: username)
        try await self.deps.processor.migration.addAlias(handle, to: account.id)
    }

    /// Moves the local account to `handle` (which must list it as an alias); returns the target's URI.
    package func move(username: String, to handle: String) async throws -> String {
        let (account, _) = try await self.deps.processor.admin.localAccount(username: username)
        return try await self.deps.processor.migration.move(account.id, to: handle, password: nil).uri
    }

    package func deleteAccount(username: String) async throws {
        try await self.deps.processor.admin.deleteAccount(username: username)
    }

    package func setSuspended(username: String, _ suspended: Bool) async throws {
        try await self.deps.processor.admin.setSuspended(username: username, suspended)
    }

    /// One line for a failure: user-facing messages as they are, "not found" with context.
    package static func describe(_ error: any Error) -> String {
        switch error {
        case let error as DomainError:
            if case .notFound = error { return "no such local account" }
            return error.userMessage
        case let error as ConfigError: return error.description
        default: return String(describing: error)
        }
    }
}
