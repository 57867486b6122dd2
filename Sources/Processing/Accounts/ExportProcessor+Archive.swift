import Core
import Federation
import Foundation
import Storage
import ZIPFoundation

extension ExportProcessor {
    /// Statuses read per transaction while writing the outbox.
    static let archivePageSize = 200

    /// Writes the account's archive at `url` in Mastodon's layout: `actor.json` (the actor, its avatar and
    /// header pointing into the archive), `outbox.json` (a `Create` of every original status, every
    /// visibility, oldest first, attachments pointing into the archive), `likes.json` and
    /// `bookmarks.json` (collections of status ids), and the files themselves under `media_attachments/`.
    /// Boosts are left out, as importers skip them.
    package func writeArchive(of accountID: Account.ID, to url: URL) async throws {
        guard let account = try await self.context.db.read({ try await $0.account(id: accountID) }),
            account.isLocal
        else { throw DomainError.notFound }
        let urls = self.context.urls
        let store = self.context.media
        let archive = try Archive(url: url, accessMode: .create)

        // The outbox, oldest first, page by page.
        var items: [JSON] = []
        var files: [String] = []
        var filter = DBSession.AccountStatusFilter(visibilities: Visibility.allCases)
        filter.excludeReblogs = true
        var minID: Int64 = 0
        while true {
            let page: [JSON] = try await self.context.db.read { session in
                let ids = try await session.accountStatuses(
                    of: accountID,
                    filter: filter,
                    page: PageRequest(minID: minID, limit: Self.archivePageSize)
                )
                var page: [JSON] = []
                for status in try await session.statuses(ids: ids).sorted(by: { $0.id < $1.id }) {
                    var source = try await NoteSource.load(status, author: account, in: session, media: store)
                    source.attachments = source.attachments.map { attachment in
                        (attachment.media, Self.archivePath(attachment.media.fileKey))
                    }
                    files += source.attachments.map(\.media.fileKey).filter { !$0.isEmpty }
                    var create = NoteDocument.create(source, urls: urls).object ?? [:]
                    create["@context"] = nil
                    page.append(.object(create))
                    minID = max(minID, status.id.rawValue)
                }
                return page
            }
            items += page
            if page.count < Self.archivePageSize { break }
        }
        try Self.add(
            archive,
            "outbox.json",
            Self.collection(id: "outbox.json", items: items)
        )

        // The actor, with its pictures inside the archive.
        var actor =
            ActorDocument.person(
                account,
                publicKeyPEM: try await self.context.federation.keys.publicKeyPEM(for: account),
                urls: urls
            ).object ?? [:]
        actor["outbox"] = "outbox.json"
        actor["likes"] = "likes.json"
        actor["bookmarks"] = "bookmarks.json"
        for (field, key, name) in [("icon", account.avatarKey, "avatar"), ("image", account.headerKey, "header")] {
            guard let key else {
                actor[field] = nil
                continue
            }
            let path = name + "." + ((key as NSString).pathExtension.isEmpty ? "bin" : (key as NSString).pathExtension)
            actor[field] = [
                "type": "Image", "mediaType": .string(URLBuilder.mediaType(ofKey: key)), "url": .string(path),
            ]
            try Self.add(archive, path, data: try await store.get(key))
        }
        try Self.add(archive, "actor.json", .object(actor))

        let (likes, bookmarks) = try await self.context.db.read { session in
            (
                try await session.statusURIsForExport(accountID, favourites: true),
                try await session.statusURIsForExport(accountID, favourites: false)
            )
        }
        try Self.add(archive, "likes.json", Self.collection(id: "likes.json", items: likes.map(JSON.string)))
        try Self.add(
            archive,
            "bookmarks.json",
            Self.collection(id: "bookmarks.json", items: bookmarks.map(JSON.string))
        )

        for key in Set(files).sorted() {
            guard let data = try? await store.get(key) else { continue }  // a file lost from the store
            try Self.add(archive, String(Self.archivePath(key).dropFirst()), data: data)
        }
    }

    /// Where a media file sits in the archive (as attachment URLs name it).
    static func archivePath(_ key: String) -> String { "/media_attachments/files/\(key)" }

    static func collection(id: String, items: [JSON]) -> JSON {
        [
            "@context": "https://www.w3.org/ns/activitystreams", "id": .string(id), "type": "OrderedCollection",
            "totalItems": .number(Double(items.count)), "orderedItems": .array(items),
        ]
    }

    private static func add(_ archive: Archive, _ path: String, _ json: JSON) throws {
        try self.add(archive, path, data: Data(json.serialized().utf8))
    }

    private static func add(_ archive: Archive, _ path: String, data: Data) throws {
        try archive.addEntry(
            with: path,
            type: .file,
            uncompressedSize: Int64(data.count),
            compressionMethod: .deflate,
            provider: { position, size in
                data.subdata(in: Data.Index(position)..<Data.Index(position) + size)
            }
        )
    }
}
