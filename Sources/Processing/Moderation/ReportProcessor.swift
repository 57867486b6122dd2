import Core
import Foundation
import Storage

/// Reports filed by users about accounts and their statuses, for moderators.
package struct ReportProcessor: Sendable {
    let context: ProcessingContext

    init(_ context: ProcessingContext) {
        self.context = context
    }

    /// The categories Mastodon knows.
    package static let categories: Set<String> = ["spam", "legal", "violation", "other"]

    /// A filed report, as the reporter sees it.
    package struct ReportView: Sendable {
        package let id: Int64
        package let category: String
        package let comment: String
        package let forwarded: Bool
        package let createdAt: Date
        package let statusIDs: [Status.ID]
        package let ruleIDs: [String]
        package let target: AccountView
    }

    /// Files a report about `target`; the statuses must be the target's and visible to the reporter.
    package func report(
        _ target: Account.ID,
        statuses: [Status.ID],
        comment: String,
        category: String?,
        ruleIDs: [String],
        forward: Bool,
        by viewer: Account.ID
    ) async throws -> ReportView {
        guard target != viewer else { throw DomainError.unprocessable("You cannot report yourself") }
        guard let account = try await self.context.db.read({ try await $0.account(id: target) }) else {
            throw DomainError.notFound
        }
        let category = category.flatMap { $0.isEmpty ? nil : $0 } ?? (ruleIDs.isEmpty ? "other" : "violation")
        guard Self.categories.contains(category) else {
            throw DomainError.validation("Validation failed: Category is not included in the list")
        }
        guard comment.count <= 1000 else { throw DomainError.validation("Validation failed: Comment is too long") }
        let known = Set(self.context.instance.rules.map(\.id))
        guard ruleIDs.allSatisfy(known.contains) else {
            throw DomainError.validation("Validation failed: Rule is unknown")
        }
        let visible = try await StatusHydrator(context: self.context).views(statuses, for: viewer)
        guard visible.count == Set(statuses).count, visible.allSatisfy({ $0.status.accountID == target }) else {
            throw DomainError.notFound
        }
        let id = self.context.ids.next()
        try await self.context.db.transaction {
            try await $0.insertReport(
                id: id,
                by: viewer,
                about: target,
                statuses: statuses,
                comment: comment,
                category: category,
                ruleIDs: ruleIDs,
                forward: forward
            )
        }
        return ReportView(
            id: id,
            category: category,
            comment: comment,
            forwarded: forward && !account.isLocal,
            createdAt: self.context.clock.now(),
            statusIDs: statuses,
            ruleIDs: ruleIDs,
            target: AccountView(account: account, user: nil, urls: self.context.urls)
        )
    }
}
