import App
import ArgumentParser
import Foundation

struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the server from the command line (uses the same configuration as serve).",
        subcommands: [
            AccountCommand.self, InviteCommand.self, MediaCommand.self, JobsCommand.self, Migrate.self,
            SeedBenchmark.self,
            SeedFollowers.self,
        ]
    )
}

struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "Show the job queue (deliveries, inbox, housekeeping) or retry it now.",
        subcommands: [Summary.self, Retry.self],
        defaultSubcommand: Summary.self
    )

    struct Summary: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Waiting jobs per kind, and how many failed before."
        )
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            try await AdminRunner.run(self.options) { admin in
                let lines = try await admin.jobSummary()
                print(lines.isEmpty ? "No jobs waiting." : lines.joined(separator: "\n"))
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make every waiting job due now.")
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            try await AdminRunner.run(self.options) { admin in
                try await admin.retryJobs()
                print("Every waiting job is due now.")
            }
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations and exit.")
    @OptionGroup var options: ConfigOptions

    func run() async throws {
        try await AdminRunner.run(self.options) { admin in
            let applied = try await admin.migrate()
            print(
                applied.isEmpty
                    ? "Database is up to date."
                    : "Applied \(applied.count) migration(s): \(applied.joined(separator: ", "))"
            )
        }
    }
}

struct AccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Create and manage local accounts.",
        subcommands: [
            Create.self, List.self, Pending.self, Approve.self, Reject.self, ResetPassword.self, Confirm.self,
            Suspend.self, Unsuspend.self, Delete.self, Alias.self, Move.self,
        ]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a confirmed local account.")
        @Argument(help: "The username.") var name: String
        @Option(name: .long, help: "The email address.") var email: String
        @Flag(name: .long, help: "Make the account an admin.") var admin = false
        @Option(name: .long, help: "The password; one is generated and printed when omitted.") var password: String?
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            try await AdminRunner.run(self.options) { admin in
                let (summary, generated) = try await admin.createAccount(
                    username: self.name,
                    email: self.email,
                    password: self.password,
                    admin: self.admin
                )
                print("Created \(summary)")
                if let generated { print("Password: \(generated)") }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List local accounts, newest first.")
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            try await AdminRunner.run(self.options) { admin in
                let rows = try await admin.listAccounts()
                if rows.isEmpty {
                    print("No local accounts.")
                    return
                }
                for row in rows { print(row) }
            }
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password",
            abstract: "Set a new password and sign the account out everywhere."
        )
        @Argument(help: "The username.") var name: String
        @Option(name: .long, help: "The new password; one is generated and printed when omitted.") var password: String?
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            try await AdminRunner.run(self.options) { admin in
                let password = try await admin.resetPassword(username: self.name, password: self.password)
                print("Password of @\(self.name) reset; every session and token was revoked.")
                if self.password == nil { print("Password: \(password)") }
            }
        }
    }

    struct Confirm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Confirm the email of an account and approve it.")
        @Argument(help: "The username.") var name: String
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            try await AdminRunner.run(self.options) { admin in
                try await admin.confirm(username: self.name)
                print("Confirmed @\(self.name).")
            }
        }
    }

    struct Pending: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List sign-ups waiting for approval, oldest first.")
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            try await AdminRunner.run(self.options) { admin in
                let lines = try await admin.pendingAccounts()
                print(lines.isEmpty ? "No sign-up is waiting for approval." : lines.joined(separator: "\n"))
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve a sign-up (approval mode); the person is told by email when mail is set up."
        )
        @Argument(help: "The username.") var name: String
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            try await AdminRunner.run(self.options) { admin in
                try await admin.approve(username: self.name)
                print("Approved @\(self.name).")
            }
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reject a sign-up waiting for approval: the account is removed and its username freed."
        )
        @Argument(help: "The username.") var name: String
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            try await AdminRunner.run(self.options) { admin in
                try await admin.reject(username: self.name)
                print("Rejected @\(self.name).")
            }
        }
    }

    struct Suspend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Suspend an account: its tokens stop working.")
        @Argument(help: "The username.") var name: String
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            try await AdminRunner.run(self.options) { admin in
                try await admin.setSuspended(username: self.name, true)
                print("Suspended @\(self.name).")
            }
        }
    }

    struct Unsuspend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lift the suspension of an account.")
        @Argument(help: "The username.") var name: String
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            try await AdminRunner.run(self.options) { admin in
                try await admin.setSuspended(username: self.name, false)
                print("Unsuspended @\(self.name).")
            }
        }
    }
}

extension AccountCommand {
    struct Alias: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add another account as an alias of this one, so that it may move here."
        )
        @Argument(help: "The username.") var name: String
        @Argument(help: "The other account, user@host.") var handle: String
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            try await AdminRunner.run(self.options) { admin in
                try await admin.addAlias(username: self.name, handle: self.handle)
                print("@\(self.name) now lists \(self.handle) as an alias.")
            }
        }
    }

    struct Move: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move an account to another that lists it as an alias: its followers follow the new one."
        )
        @Argument(help: "The username.") var name: String
        @Option(name: .long, help: "The new account, user@host.") var to: String
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            try await AdminRunner.run(self.options) { admin in
                let target = try await admin.move(username: self.name, to: self.to)
                print("@\(self.name) moved to \(target); followers move with the job queue.")
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a local account for good: its posts, media and follows go, a Delete is sent to every "
                + "known server, and the username stays reserved."
        )
        @Argument(help: "The username.") var name: String
        @Flag(name: .long, help: "Confirm: this cannot be undone.") var yes = false
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            guard self.yes else { fail("deleting @\(self.name) cannot be undone: add --yes to go ahead") }
            try await AdminRunner.run(self.options) { admin in
                try await admin.deleteAccount(username: self.name)
                print("Deleted @\(self.name); the Delete goes out to other servers with the job queue.")
            }
        }
    }
}

enum AdminRunner {
    /// Loads the configuration, opens and migrates the database, runs `body`, and turns every
    /// failure into one line on stderr and a non-zero exit.
    static func run(_ options: ConfigOptions, _ body: @escaping @Sendable (AdminTool) async throws -> Void) async throws
    {
        do {
            let config = try options.load()
            try await AdminTool.with(config) { admin in try await body(admin) }
        } catch let error as ConfigError {
            fail(error.description)
        } catch {
            fail(AdminTool.describe(error))
        }
    }
}
