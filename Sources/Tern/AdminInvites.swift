import App
import ArgumentParser
import Foundation

struct InviteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invite",
        abstract: "Make, list and expire invite links (they work in every registration mode).",
        subcommands: [Create.self, List.self, Expire.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make an invite link and print it.")
        @Option(name: .long, help: "The inviting account (default: the oldest admin).") var by: String?
        @Option(name: .customLong("max-uses"), help: "How many sign-ups it allows (default: no limit).")
        var maxUses: Int?
        @Option(name: .customLong("expires-in"), help: "Its lifetime: 30m, 6h, 1d, 1w (default: never).")
        var expiresIn: String?
        @Flag(name: .long, help: "People who sign up with it follow the inviter.") var autofollow = false
        @Option(name: .long, help: "A note only the inviter sees.") var comment: String?
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            var seconds: Int?
            if let text = self.expiresIn {
                guard let parsed = AdminTool.parseDuration(text) else {
                    fail("--expires-in: expected a duration such as 30m, 6h, 1d or 1w")
                }
                seconds = parsed
            }
            try await AdminRunner.run(self.options) { [seconds] admin in
                let url = try await admin.createInvite(
                    by: self.by,
                    maxUses: self.maxUses,
                    expiresIn: seconds,
                    autofollow: self.autofollow,
                    comment: self.comment
                )
                print(url)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List invite links, newest first.")
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            try await AdminRunner.run(self.options) { admin in
                let lines = try await admin.listInvites()
                print(lines.isEmpty ? "No invite links." : lines.joined(separator: "\n"))
            }
        }
    }

    struct Expire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make an invite link stop working.")
        @Argument(help: "The invite code (the last part of the link).") var code: String
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            try await AdminRunner.run(self.options) { admin in
                try await admin.expireInvite(code: self.code)
                print("Expired \(self.code).")
            }
        }
    }
}
