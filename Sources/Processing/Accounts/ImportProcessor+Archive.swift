import Core
import Federation
import Foundation
import Storage
import ZIPFoundation

extension ImportProcessor {
    /// The largest archive accepted, in bytes.
    package static let maxArchiveBytes = 64 * 1024 * 1024
    /// The most posts one archive may hold.
    package static let maxArchivePosts = 20_000

    /// What an archive import brought in.
    package struct ArchiveResult: Sendable, Equatable {
        package var posts: Int
        package var media: Int
        /// Activities that are not posts of one's own (boosts, anything else), left out.
        package var skipped: Int
    }

    /// Imports the posts of an archive in Mastodon's layout (what `writeArchive` and Mastodon write):
    /// every `Create` of a `Note` in `outbox.json` becomes a post of this account with its original date,
    /// visibility, content warning, language, pictures (from the archive, processed as uploads) and its
    /// place in threads among the imported posts. They are not sent to other servers, put in anyone's home
    /// feed or notified: they are history. The whole archive is checked first (JSON, every post, every
    /// picture it names), so a damaged one is refused with the reason and nothing is stored.
    package func importArchive(_ data: Data, by accountID: Account.ID) async throws -> ArchiveResult {
        guard data.count <= Self.maxArchiveBytes else {
            throw DomainError.validation("The archive is larger than \(Self.maxArchiveBytes / 1024 / 1024) MB")
        }
        guard let author = try await self.context.db.read({ try await $0.account(id: accountID) }), author.isLocal
        else { throw DomainError.notFound }
        let plan = try Self.readArchive(data)

        // Pictures first, as uploads (each processed by its job); then every post in one transaction.
        let media = MediaProcessor(self.context)
        var uploaded: [String: MediaAttachment.ID] = [:]
        var created: [MediaAttachment.ID] = []
        do {
            for (path, bytes, description) in plan.files {
                let view = try await media.upload(
                    .init(data: bytes, description: description, focus: nil),
                    by: accountID,
                    processNow: false
                )
                uploaded[path] = view.attachment.id
                created.append(view.attachment.id)
            }
            try await self.insertArchivedPosts(plan.notes, author: author, media: uploaded)
        } catch {
            for id in created { try? await media.delete(id, by: accountID) }
            throw error
        }
        return ArchiveResult(posts: plan.notes.count, media: plan.files.count, skipped: plan.skipped)
    }

    /// Inserts the posts in one transaction. Their ids are time-ordered at the posts' own dates (so they sit
    /// where they were in timelines): the millisecond, then 6 bits chosen for this import, then the
    /// post's place in the archive. Another import with a post in the same millisecond could pick the same
    /// 6 bits; the transaction then fails on the duplicate id and is tried again with other bits.
    private func insertArchivedPosts(_ notes: [ArchivedNote], author: Account, media: [String: MediaAttachment.ID])
        async throws
    {
        for attempt in 1...5 {
            do {
                try await self.insertArchivedPosts(notes, author: author, media: media, node: Int64.random(in: 0...63))
                return
            } catch StorageError.duplicate where attempt < 5 {
                continue
            }
        }
    }

    private func insertArchivedPosts(
        _ notes: [ArchivedNote],
        author: Account,
        media: [String: MediaAttachment.ID],
        node: Int64
    ) async throws {
        let urls = self.context.urls
        let now = self.context.clock.now()
        try await self.context.db.transaction { session in
            var byOldURI: [String: Status] = [:]
            for (index, archived) in notes.enumerated() {
                let note = archived.note
                let published = min(note.published ?? now, now)
                let id = Status.ID(IDGenerator.lowerBound(for: published) | node << 10 | Int64(index & 1023))
                let parent = note.inReplyTo.flatMap { byOldURI[$0] }
                let followers = note.attributedTo + "/followers"
                var status = Status(
                    id: id,
                    accountID: author.id,
                    uri: urls.status(author.username, id.rawValue),
                    url: urls.statusPage(author.username, id.rawValue),
                    text: HTMLText.plain(note.content),
                    content: note.content,
                    spoilerText: note.spoilerText,
                    sensitive: note.sensitive,
                    visibility: Audience.visibility(to: note.to, cc: note.cc, followers: followers),
                    language: note.language,
                    inReplyToID: parent?.id,
                    inReplyToAccountID: parent?.accountID,
                    createdAt: published
                )
                status.conversationID = parent?.thread ?? id
                try await session.insertStatus(status, mentions: [], tags: note.hashtags) { self.context.ids.next() }
                let attached = archived.pictures.compactMap { media[$0.path] }
                if !attached.isEmpty { _ = try await session.attachMedia(attached, to: status.id, account: author.id) }
                byOldURI[note.uri] = status
            }
        }
    }

    /// A post of an archive with the pictures it names (paths inside the archive, alt text).
    struct ArchivedNote {
        var note: RemoteNote
        var pictures: [(path: String, description: String?)]
    }

    /// The archive's posts, oldest first, and the files they name; throws a validation error for anything
    /// that is not as it should be.
    static func readArchive(_ data: Data) throws -> (
        notes: [ArchivedNote], files: [(path: String, data: Data, description: String?)], skipped: Int
    ) {
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw DomainError.validation("The file is not a ZIP archive")
        }
        func read(_ path: String, limit: Int) throws -> Data? {
            guard let entry = archive[path] else { return nil }
            guard entry.uncompressedSize <= UInt64(limit) else {
                throw DomainError.validation("\(path) in the archive is too large")
            }
            var bytes = Data()
            do {
                _ = try archive.extract(entry, skipCRC32: false) { bytes.append($0) }
            } catch {
                throw DomainError.validation("\(path) in the archive is damaged")
            }
            return bytes
        }
        guard let outboxData = try read("outbox.json", limit: Self.maxArchiveBytes) else {
            throw DomainError.validation("The archive has no outbox.json: it is not an account archive")
        }
        guard let outbox = try? JSON.parse(outboxData), case .array(let items)? = outbox["orderedItems"] else {
            throw DomainError.validation("outbox.json is not an ActivityStreams collection")
        }
        var notes: [ArchivedNote] = []
        var skipped = 0
        for (index, item) in items.enumerated() {
            guard item["type"]?.string == "Create", let object = item["object"], object["type"]?.string == "Note"
            else {
                skipped += 1
                continue
            }
            guard let note = RemoteNote.parse(object) else {
                throw DomainError.validation("Post \(index + 1) of outbox.json is not a readable Note")
            }
            // Attachment URLs are paths inside the archive, which the federation parser (http only) skips.
            let pictures = (object["attachment"]?.list ?? []).prefix(4).compactMap { item -> (String, String?)? in
                guard let url = item["url"]?.string ?? item["url"]?["href"]?.string,
                    (item["mediaType"]?.string ?? "image/").hasPrefix("image/")
                else { return nil }
                return (
                    Self.entryPath(url), item["name"]?.string.map { String($0.prefix(MediaAttachment.maxDescription)) }
                )
            }
            notes.append(ArchivedNote(note: note, pictures: pictures))
        }
        guard !notes.isEmpty else { throw DomainError.validation("The archive holds no posts") }
        guard notes.count <= Self.maxArchivePosts else {
            throw DomainError.validation(
                "The archive holds \(notes.count) posts; at most \(Self.maxArchivePosts) are accepted"
            )
        }
        // Oldest first; posts of the same second keep the archive's order.
        notes = notes.enumerated().sorted { first, second in
            let (a, b) = (first.element.note.published ?? .distantPast, second.element.note.published ?? .distantPast)
            return a != b ? a < b : first.offset < second.offset
        }.map(\.element)

        var files: [(path: String, data: Data, description: String?)] = []
        var seen: Set<String> = []
        for note in notes {
            for (path, description) in note.pictures {
                guard !path.contains(".."), !path.hasPrefix("http") else {
                    throw DomainError.validation("A post names \(path.prefix(80)), which is not a file of the archive")
                }
                guard seen.insert(path).inserted else { continue }
                guard let bytes = try read(path, limit: MediaAttachment.maxImageBytes) else {
                    throw DomainError.validation("The archive lacks \(path), which a post shows")
                }
                do {
                    _ = try MediaProcessor.images.probe(bytes)
                } catch {
                    throw DomainError.validation("\(path) in the archive is not a picture Tern can read")
                }
                files.append((path, bytes, description))
            }
        }
        return (notes, files, skipped)
    }

    /// An attachment URL as an archive entry's path (`/media_attachments/…` → `media_attachments/…`).
    static func entryPath(_ url: String) -> String {
        url.hasPrefix("/") ? String(url.dropFirst()) : url
    }
}
