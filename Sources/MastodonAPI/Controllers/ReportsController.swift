import Core
import Foundation
import HTTPCommon
import Hummingbird
import Processing

/// https://docs.joinmastodon.org/entities/Report/
struct ReportEntity: ResponseEncodable, Sendable {
    let id: String
    let actionTaken: Bool
    @Nullable var actionTakenAt: Date?
    let category: String
    let comment: String
    let forwarded: Bool
    let createdAt: Date
    @Nullable var statusIds: [String]?
    @Nullable var ruleIds: [String]?
    let targetAccount: AccountEntity

    enum CodingKeys: String, CodingKey {
        case id
        case actionTaken = "action_taken"
        case actionTakenAt = "action_taken_at"
        case category, comment, forwarded
        case createdAt = "created_at"
        case statusIds = "status_ids"
        case ruleIds = "rule_ids"
        case targetAccount = "target_account"
    }
}

/// `POST /api/v1/reports` — https://docs.joinmastodon.org/methods/reports/
struct ReportsController {
    let reports: ReportProcessor

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("reports", use: self.create)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> ReportEntity {
        let viewer = try StatusesController.viewer(context, scope: "write:reports")
        let params = try await request.parameters(context: context)
        guard let raw = try params.string("account_id"), let target = Account.ID(raw) else {
            throw DomainError.notFound
        }
        let statusRaw = try params.strings("status_ids") ?? []
        let statuses = statusRaw.compactMap(Status.ID.init)
        guard statuses.count == statusRaw.count, statuses.count <= 100 else { throw DomainError.notFound }
        let report = try await self.reports.report(
            target,
            statuses: statuses,
            comment: try params.string("comment") ?? "",
            category: try params.string("category"),
            ruleIDs: try params.strings("rule_ids") ?? [],
            forward: try params.bool("forward") ?? false,
            by: viewer
        )
        return ReportEntity(
            id: String(report.id),
            actionTaken: false,
            actionTakenAt: nil,
            category: report.category,
            comment: report.comment,
            forwarded: report.forwarded,
            createdAt: report.createdAt,
            statusIds: report.statusIDs.isEmpty ? nil : report.statusIDs.map(\.description),
            ruleIds: report.ruleIDs.isEmpty ? nil : report.ruleIDs,
            targetAccount: AccountEntity(report.target)
        )
    }
}
