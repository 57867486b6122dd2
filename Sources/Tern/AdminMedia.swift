import App
import ArgumentParser
import Foundation

struct MediaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "media",
        abstract: "Look after the media store.",
        subcommands: [Prune.self]
    )

    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete cached copies of remote pictures of posts older than a duration (uploads are kept)."
        )
        @Option(name: .customLong("older-than"), help: "How old the posts must be: 12h, 7d, 4w.")
        var olderThan: String
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            guard let seconds = AdminTool.parseDuration(self.olderThan) else {
                fail("--older-than: expected a duration such as 12h, 7d or 4w")
            }
            try await AdminRunner.run(self.options) { admin in
                let result = try await admin.pruneMediaCache(olderThan: seconds) { files, bytes in
                    print("… \(files) files, \(Self.megabytes(bytes)) freed so far")
                }
                print("Deleted \(result.files) cached files, \(Self.megabytes(result.bytes)) freed.")
            }
        }

        static func megabytes(_ bytes: Int64) -> String {
            String(format: "%.1f MB", Double(bytes) / 1_000_000)
        }
    }
}
