import Core
import Foundation
import HTTPCommon
import Hummingbird
import Processing

/// `/settings/export`: the person's data to take elsewhere, as Mastodon's CSV files (follows, lists,
/// blocks, mutes, bookmarks) and as an archive of their posts and files.
extension SettingsPages {
    func addExportRoutes(pages: RouterGroup<AppRequestContext>, limited: RouterGroup<AppRequestContext>) {
        pages.get("settings/export", use: self.showExport)
        pages.get("settings/exports/:file", use: self.exportCSV)
        // Building an archive reads every post and file: it shares the sign-in rate limit.
        limited.get("settings/export/archive.zip", use: self.exportArchive)
    }

    @Sendable func showExport(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.page(request) { _, csrf in
            self.renderer.page(
                "settings_export",
                title: "Export your data",
                [
                    "csrf": csrf,
                    "section": ["export": true],
                    "files": ExportProcessor.CSVFile.allCases.map {
                        ["path": "/settings/exports/\($0.rawValue)", "name": $0.downloadName, "label": Self.label($0)]
                    },
                ]
            )
        }
    }

    @Sendable func exportCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let file = context.parameters.get("file").flatMap(ExportProcessor.CSVFile.init(rawValue:)) else {
            throw DomainError.notFound
        }
        guard let user = try await self.session.user(request) else { return Self.signInFirst(request) }
        let text = try await self.processor.exports.csv(file, of: user.accountID)
        return Self.download(Data(text.utf8), type: "text/csv; charset=utf-8", name: file.downloadName)
    }

    @Sendable func exportArchive(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let user = try await self.session.user(request) else { return Self.signInFirst(request) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tern-archive-\(UUID().uuidString).zip")
        defer { try? FileManager.default.removeItem(at: url) }
        try await self.processor.exports.writeArchive(of: user.accountID, to: url)
        let data = try Data(contentsOf: url)
        let date = self.processor.context.clock.now().formatted(.iso8601.year().month().day())
        return Self.download(data, type: "application/zip", name: "archive-\(date).zip")
    }

    private static func download(_ data: Data, type: String, name: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: type, .contentDisposition: "attachment; filename=\"\(name)\"",
                .cacheControl: "private, no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    private static func label(_ file: ExportProcessor.CSVFile) -> String {
        switch file {
        case .following: "Accounts you follow"
        case .lists: "Your lists and their members"
        case .blocks: "Accounts you block"
        case .mutes: "Accounts you mute"
        case .domainBlocks: "Domains you block"
        case .bookmarks: "Your bookmarks"
        }
    }
}
