import Core
import Foundation
import Storage

extension NoteSource {
    /// Where an attachment can be fetched: the stored file, or the remote original.
    package static func publicURL(of media: MediaAttachment, store: (any MediaStore)?) -> String? {
        if let remote = media.remoteURL, media.fileKey.isEmpty { return remote }
        return store?.url(media.fileKey) ?? media.remoteURL
    }

    /// Gathers what the Note of `status` needs: mentioned accounts, tags, and the parent and thread URIs.
    package static func load(
        _ status: Status,
        author: Account,
        in session: DBSession,
        media store: (any MediaStore)?
    ) async throws -> NoteSource {
        let extras = try await session.extras(of: [status.id])
        let mentioned = try await session.accounts(ids: extras.mentions[status.id] ?? []).sorted { $0.id < $1.id }
        let tags = extras.tags[status.id] ?? []
        var parentURI: String?
        if let parentID = status.inReplyToID {
            parentURI = try await session.status(id: parentID)?.uri
        }
        var rootURI: String?
        if let root = status.conversationID {
            rootURI = root == status.id ? status.uri : try await session.status(id: root)?.uri
        }
        var source = NoteSource(
            status: status,
            author: author,
            mentions: mentioned,
            tags: tags,
            inReplyToURI: parentURI,
            conversationURI: rootURI.map { "\($0)#conversation" }
        )
        source.poll = try await session.pollTallies(statuses: [status.id], viewer: nil)[status.id]
        source.attachments = (try await session.media(of: [status.id])[status.id] ?? []).compactMap { media in
            guard media.state == .ready, let url = Self.publicURL(of: media, store: store) else { return nil }
            return (media, url)
        }
        return source
    }
}
