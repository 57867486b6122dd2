import Core
import Federation
import Foundation
import MediaProcessing
import Storage

/// Remote pictures kept here: an attachment of a remote post, or a remote account's avatar or header, is fetched once through the outbound guard
/// (size-capped), processed like an upload (type sniffed, metadata stripped, size capped, preview made)
/// and served from this server, so readers do not hit the author's server and hostile files never
/// reach them as they came. Until it is cached, or when fetching fails, the remote URL is shown.
/// `prune` lets the cache go again for old posts (the remote URL is shown again).
package struct RemoteMediaCache: Sendable {
    let context: ProcessingContext

    init(_ context: ProcessingContext) {
        self.context = context
    }

    /// The job: fetches and processes one remote attachment. Refusals (4xx, not a picture, too large)
    /// leave it shown from its server; a network failure is thrown, so the job is tried again later.
    func cache(_ id: MediaAttachment.ID) async throws {
        guard var media = try await self.context.db.read({ try await $0.media(id: id) }), media.fileKey.isEmpty,
            media.kind == .image, let remote = media.remoteURL, let url = URL(string: remote)
        else { return }
        guard let data = try await self.fetch(url, limit: MediaAttachment.maxImageBytes) else { return }
        let result: Result<ProcessedImage, any Error> = await MediaProcessor.gate.run {
            Result { try MediaProcessor.images.process(data) }
        }
        guard case .success(let image) = result else {
            self.context.logger.info("remote media \(id) is not a picture Tern can process; shown from its server")
            return
        }
        try await MediaProcessor(self.context).store(image, as: &media)
        let cached = media
        try await self.context.db.transaction { try await $0.updateProcessedMedia(cached) }
    }

    /// The job: fetches a remote account's avatar and header through the outbound guard and keeps them
    /// processed like a local account's (400 px and 1500 x 500, metadata stripped), replacing older
    /// copies. A picture that is refused or is not one is not kept (it shows from its server); a
    /// network failure is thrown, so the job is tried again later.
    func cacheProfileImages(of id: Account.ID) async throws {
        guard let account = try await self.context.db.read({ try await $0.account(id: id) }), !account.isLocal,
            !account.isSuspended
        else { return }
        for which in [AccountProcessor.ProfileImage.avatar, .header] {
            let remote = which == .avatar ? account.avatarRemoteURL : account.headerRemoteURL
            let key = try await remote.flatMap(URL.init(string:)).asyncMap {
                try await self.fetchProfileImage($0, which)
            }
            // Stored only if the account still names this picture (a newer one may have arrived meanwhile).
            let (stored, old) = try await self.context.db.transaction { session -> (Bool, String?) in
                guard let current = try await session.account(id: id),
                    remote == (which == .avatar ? current.avatarRemoteURL : current.headerRemoteURL)
                else { return (false, nil) }
                try await session.updateProfileImage(id, header: which == .header, key: key)
                return (true, which == .avatar ? current.avatarKey : current.headerKey)
            }
            if !stored, let key { try? await self.context.media.delete(key) }
            if stored, let old, old != key { try? await self.context.media.delete(old) }
        }
    }

    /// One profile picture fetched and processed into the store; nil when it is refused or not a picture.
    private func fetchProfileImage(_ url: URL, _ which: AccountProcessor.ProfileImage) async throws -> String? {
        guard let data = try await self.fetch(url, limit: AccountProcessor.ProfileImage.maxBytes) else { return nil }
        let processor = which.processor
        let result: Result<ProcessedImage, any Error> = await MediaProcessor.gate.run {
            Result { try processor.process(data) }
        }
        guard case .success(let image) = result else {
            self.context.logger.info("remote picture \(url) is not a picture Tern can process; shown from its server")
            return nil
        }
        let key = LocalMediaStore.newKey(extension: image.originalFormat.fileExtension)
        try await self.context.media.put(image.original, key: key)
        return key
    }

    /// GETs a remote picture through the outbound guard: its bytes, or nil when refused, missing or over
    /// `limit`; a server error or a network failure is thrown (the job is retried).
    private func fetch(_ url: URL, limit: Int) async throws -> Data? {
        let client = RedirectingClient(transport: self.context.federation.transport)
        let request = OutboundRequest(url: url, headers: [("Accept", "image/*")])
        let limits = TransportLimits(totalTimeout: .seconds(60), maxResponseBytes: limit)
        let response: OutboundResponse
        do {
            response = try await client.send(request, limits: limits)
        } catch TransportError.responseTooLarge {
            self.context.logger.info("remote picture \(url) is larger than the cache takes; shown from its server")
            return nil
        }
        guard (200..<300).contains(response.status) else {
            if response.status >= 500 || response.status == 429 {
                throw TransportError.connectFailed("remote media answered \(response.status)")
            }
            return nil
        }
        return response.body
    }

    /// What a prune freed.
    package struct PruneResult: Sendable, Equatable {
        package var files: Int
        package var bytes: Int64
    }

    /// Lets go of the cached copies of remote attachments of posts older than `cutoff`, a page at a time
    /// (`progress` hears the running total); the posts show the remote URLs again. Uploads are untouched.
    package func prune(olderThan cutoff: Date, progress: @Sendable (PruneResult) -> Void = { _ in }) async throws
        -> PruneResult
    {
        var total = PruneResult(files: 0, bytes: 0)
        while true {
            let page = try await self.context.db.read { try await $0.cachedRemoteMedia(before: cutoff, limit: 500) }
            if page.isEmpty { break }
            for media in page {
                for key in [media.fileKey, media.previewKey].compactMap({ $0 }) where !key.isEmpty {
                    total.bytes += Int64(try await self.context.media.size(key) ?? 0)
                    try await self.context.media.delete(key)
                    total.files += 1
                }
            }
            try await self.context.db.transaction { try await $0.uncacheRemoteMedia(page.map(\.id)) }
            progress(total)
        }
        return total
    }
}
