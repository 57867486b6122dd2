import Core
import Federation
import Foundation
import MediaProcessing
import Storage

/// Media uploads: stored raw, processed by a job (or at once for the v1 endpoint) with libvips into
/// a capped, metadata-free original and a 640 px preview with a blurhash.
package struct MediaProcessor: Sendable {
    let context: ProcessingContext
    static let images = ImageProcessor()
    /// Image processing is CPU-heavy: one at a time, so uploads never starve the API.
    static let gate = ProcessingGate(1)

    init(_ context: ProcessingContext) {
        self.context = context
    }

    /// What a client uploads.
    package struct Upload: Sendable {
        package var data: Data
        package var description: String?
        package var focus: String?

        package init(data: Data, description: String?, focus: String?) {
            self.data = data
            self.description = description
            self.focus = focus
        }
    }

    /// A media attachment with the URLs of its files.
    static func view(_ media: MediaAttachment, store: any MediaStore) -> MediaView {
        MediaView(
            attachment: media,
            url: media.state == .ready ? NoteSource.publicURL(of: media, store: store) : nil,
            previewURL: media.previewKey.map { store.url($0) } ?? media.remoteURL
        )
    }

    /// Stores an upload and queues its processing; with `processNow` it is processed before returning.
    package func upload(_ upload: Upload, by viewer: Account.ID, processNow: Bool) async throws -> MediaView {
        guard !upload.data.isEmpty else { throw DomainError.validation("Validation failed: File can't be blank") }
        guard upload.data.count <= MediaAttachment.maxImageBytes else {
            throw DomainError.validation("Validation failed: File file size must be less than 16 MB")
        }
        let description = try Self.checkDescription(upload.description)
        let (focusX, focusY) = try Self.focus(upload.focus)
        let probe: ImageProbe
        do {
            probe = try Self.images.probe(upload.data)
        } catch let error as MediaError {
            throw Self.domainError(error)
        }
        let key = LocalMediaStore.newKey(extension: "upload")
        try await self.context.media.put(upload.data, key: key)
        let media = MediaAttachment(
            id: self.context.ids.next(),
            accountID: viewer,
            kind: .image,
            state: .pending,
            fileKey: key,
            contentType: "image/\(probe.format.rawValue)",
            fileSize: upload.data.count,
            description: description,
            focusX: focusX,
            focusY: focusY,
            createdAt: self.context.clock.now()
        )
        try await self.context.db.transaction { session in
            try await session.insertMedia(media)
            if !processNow {
                try await session.enqueue(.processMedia(id: media.id.rawValue), id: self.context.ids.next())
            }
        }
        if processNow { try await self.process(media.id) }
        return try await self.show(media.id, by: viewer)
    }

    /// The job: makes the original and the preview from the raw upload. A failure marks it failed
    /// (a bad file will not get better by retrying).
    package func process(_ id: MediaAttachment.ID) async throws {
        guard var media = try await self.context.db.read({ try await $0.media(id: id) }), media.state == .pending else {
            return
        }
        let raw = try await self.context.media.get(media.fileKey)
        let result: Result<ProcessedImage, any Error> = await Self.gate.run {
            Result { try Self.images.process(raw) }
        }
        switch result {
        case .success(let image):
            let rawKey = media.fileKey
            try await self.store(image, as: &media)
            let processed = media
            try await self.context.db.transaction { try await $0.updateProcessedMedia(processed) }
            try? await self.context.media.delete(rawKey)
        case .failure(let error):
            self.context.logger.info("media \(id) could not be processed: \(error)")
            media.state = .failed
            let failed = media
            try await self.context.db.transaction { try await $0.updateProcessedMedia(failed) }
        }
    }

    /// Writes a processed picture's original and preview to the media store under new keys and records
    /// them, its size and its blurhash on `media`, now ready (the caller saves the row).
    func store(_ image: ProcessedImage, as media: inout MediaAttachment) async throws {
        let ext = image.originalFormat == .jpeg ? "jpg" : image.originalFormat.rawValue
        let originalKey = LocalMediaStore.newKey(extension: ext)
        let previewKey = LocalMediaStore.newKey(extension: "jpg")
        try await self.context.media.put(image.original, key: originalKey)
        try await self.context.media.put(image.preview, key: previewKey)
        media.state = .ready
        media.fileKey = originalKey
        media.contentType = "image/\(image.originalFormat.rawValue)"
        media.fileSize = image.original.count
        media.width = image.width
        media.height = image.height
        media.previewKey = previewKey
        media.previewWidth = image.previewWidth
        media.previewHeight = image.previewHeight
        media.blurhash = image.blurhash
    }

    /// One of the viewer's attachments.
    package func show(_ id: MediaAttachment.ID, by viewer: Account.ID) async throws -> MediaView {
        guard let media = try await self.context.db.read({ try await $0.media(id: id) }), media.accountID == viewer
        else { throw DomainError.notFound }
        return Self.view(media, store: self.context.media)
    }

    /// Changes alt text and focus (also of an attached one, as Mastodon allows).
    package func update(_ id: MediaAttachment.ID, description: String?, focus: String?, by viewer: Account.ID)
        async throws -> MediaView
    {
        let current = try await self.show(id, by: viewer).attachment
        let text = description == nil ? current.description : try Self.checkDescription(description)
        let (x, y) = focus == nil ? (current.focusX, current.focusY) : try Self.focus(focus)
        try await self.context.db.transaction {
            try await $0.updateMediaDescription(id, description: text, focusX: x, focusY: y)
        }
        return try await self.show(id, by: viewer)
    }

    /// Deletes an attachment not used by a status, and its files.
    package func delete(_ id: MediaAttachment.ID, by viewer: Account.ID) async throws {
        let media = try await self.show(id, by: viewer).attachment
        guard media.statusID == nil else {
            throw DomainError.unprocessable("Media attachment is currently used by a status")
        }
        try await self.context.db.transaction { try await $0.deleteMedia(id) }
        try? await self.context.media.delete(media.fileKey)
        if let preview = media.previewKey { try? await self.context.media.delete(preview) }
    }

    /// The media a new or edited status attaches: the viewer's own, processed, at most four.
    func attachable(_ ids: [MediaAttachment.ID], by viewer: Account.ID, status: Status.ID?) async throws
        -> [MediaAttachment]
    {
        guard ids.count <= MediaAttachment.maxPerStatus else {
            throw DomainError.validation("Validation failed: Media attachments must be at most 4")
        }
        let found = try await self.context.db.read { try await $0.media(ids: ids) }
        let byID = Dictionary(found.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return try ids.map { id in
            guard let media = byID[id], media.accountID == viewer, media.statusID == nil || media.statusID == status
            else { throw DomainError.validation("Validation failed: Media attachments are not yours or already used") }
            guard media.state == .ready else {
                throw DomainError.unprocessable(
                    "Cannot attach files that have not finished processing. Try again in a moment!"
                )
            }
            return media
        }
    }

    static func checkDescription(_ text: String?) throws -> String? {
        guard let text else { return nil }
        guard text.count <= MediaAttachment.maxDescription else {
            throw DomainError.validation("Validation failed: Description is too long (maximum is 1500 characters)")
        }
        return text.isEmpty ? nil : text
    }

    /// `"x,y"` with each in -1…1.
    static func focus(_ text: String?) throws -> (Double, Double) {
        guard let text, !text.isEmpty else { return (0, 0) }
        let parts = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let x = parts[0], let y = parts[1], (-1...1).contains(x), (-1...1).contains(y) else {
            throw DomainError.validation("Validation failed: Focus must be two numbers from -1 to 1, like 0.5,-0.2")
        }
        return (x, y)
    }

    static func domainError(_ error: MediaError) -> DomainError {
        switch error {
        case .unsupported: .validation("Validation failed: File content type is invalid")
        case .tooManyPixels: .validation("Validation failed: File dimensions are too large")
        case .corrupt, .processingFailed: .validation("Validation failed: File could not be read")
        }
    }
}

/// At most `limit` bodies at once; CPU-bound work runs off the cooperative pool's shared threads.
package actor ProcessingGate {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    package init(_ limit: Int) {
        self.free = limit
    }

    package func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        if self.free > 0 {
            self.free -= 1
        } else {
            await withCheckedContinuation { self.waiting.append($0) }
        }
        defer {
            if self.waiting.isEmpty { self.free += 1 } else { self.waiting.removeFirst().resume() }
        }
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: body()) }
        }
    }
}
