import Foundation

/// A CSV file a person uploaded to import follows, blocks, mutes, lists or bookmarks (Mastodon's
/// formats). It is checked whole when uploaded, then applied by a job that records its progress.
package struct DataImport: Sendable, Equatable {
    package typealias ID = EntityID<DataImport>

    /// What the file holds, as Mastodon's import page names it.
    package enum Kind: String, Sendable, CaseIterable, Codable {
        case following, blocks, mutes, lists, bookmarks
        case domainBlocks = "domain_blocks"
    }

    /// Merge keeps what is there; overwrite first removes what the file does not list.
    package enum Mode: String, Sendable, CaseIterable, Codable {
        case merge, overwrite
    }

    package enum State: String, Sendable, Codable {
        case scheduled, running, finished
    }

    package var id: ID
    package var accountID: Account.ID
    package var kind: Kind
    package var mode: Mode
    package var state: State
    /// The file's rows without its header, as parsed at upload (empty when only progress was read).
    package var rows: [[String]]
    /// How many rows the file has.
    package var total: Int
    package var processed: Int
    package var imported: Int
    package var failed: Int
    /// The first failures, "what: why", for the person to read.
    package var failures: [String]
    package var createdAt: Date
    package var finishedAt: Date?

    package init(
        id: ID,
        accountID: Account.ID,
        kind: Kind,
        mode: Mode,
        rows: [[String]],
        createdAt: Date
    ) {
        self.id = id
        self.accountID = accountID
        self.kind = kind
        self.mode = mode
        self.state = .scheduled
        self.rows = rows
        self.total = rows.count
        self.processed = 0
        self.imported = 0
        self.failed = 0
        self.failures = []
        self.createdAt = createdAt
        self.finishedAt = nil
    }
}
