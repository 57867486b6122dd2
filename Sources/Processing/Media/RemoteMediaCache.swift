import Core
import Federation
import Foundation
import MediaProcessing
import Storage

/// Remote pictures kept here: an attachment of a remote post is fetched once through the outbound guard
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
        let client = RedirectingClient(transport: self.context.federation.transport)
        let request = OutboundRequest(url: url, headers: [("Accept", "image/*")])
        let limits = TransportLimits(totalTimeout: .seconds(60), maxResponseBytes: MediaAttachment.maxImageBytes)
        let response: OutboundResponse
        do {
            response = try await client.send(request, limits: limits)
        } catch TransportError.responseTooLarge {
            self.context.logger.info("remote media \(id) is larger than the cache takes; shown from its server")
            return
        }
        guard (200..<300).contains(response.status) else {
            if response.status >= 500 || response.status == 429 {
                throw TransportError.connectFailed("remote media answered \(response.status)")
            }
            return
        }
        let data = response.body
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
