import Core
import Federation
import Foundation
import MediaProcessing
import Storage

/// Media uploads: stored raw, processed by a job (or at once for the v1 endpoint). Pictures go through
/// libvips into a capped, metadata-free original and a 640 px preview with a blurhash; videos and
/// sounds through ffmpeg (see `AVProcessor`), a video's still making its preview.
package struct MediaProcessor: Sendable {
    let context: ProcessingContext
    static let images = ImageProcessor()
    /// Image and video processing is CPU-heavy: one at a time, so uploads never starve the API.
    static let gate = ProcessingGate(1)
    /// `ffprobe` at upload, off the cooperative pool; quick, so not behind `gate`.
    static let probes = ProcessingGate(2)

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
    ///
    /// The type is read from the bytes: a picture is checked by libvips, a video or a sound by `ffprobe`, so a
    /// file that cannot be processed is refused here with 422 rather than failing later in the job.
    package func upload(_ upload: Upload, by viewer: Account.ID, processNow: Bool) async throws -> MediaView {
        guard !upload.data.isEmpty else { throw DomainError.validation("Validation failed: File can't be blank") }
        let description = try Self.checkDescription(upload.description)
        let (focusX, focusY) = try Self.focus(upload.focus)
        let kind: MediaAttachment.Kind
        let contentType: String
        if let container = AVContainer.sniff(upload.data), (try? ImageFormat.sniff(upload.data)) == nil {
            guard upload.data.count <= MediaAttachment.maxVideoBytes else {
                throw DomainError.validation("Validation failed: File file size must be less than 99 MB")
            }
            let probe = try await self.probe(upload.data, container: container)
            kind = Self.kind(probe.kind)
            contentType = probe.output.mimeType(kind: probe.kind)
        } else {
            guard upload.data.count <= MediaAttachment.maxImageBytes else {
                throw DomainError.validation("Validation failed: File file size must be less than 16 MB")
            }
            do {
                contentType = try Self.images.probe(upload.data).format.mimeType
            } catch let error as MediaError {
                throw Self.domainError(error)
            }
            kind = .image
        }
        let key = LocalMediaStore.newKey(extension: "upload")
        try await self.context.media.put(upload.data, key: key)
        let media = MediaAttachment(
            id: self.context.ids.next(),
            accountID: viewer,
            kind: kind,
            state: .pending,
            fileKey: key,
            contentType: contentType,
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
        let rawKey = media.fileKey
        do {
            if media.kind == .image {
                let result: Result<ProcessedImage, any Error> = await Self.gate.run {
                    Result { try Self.images.process(raw) }
                }
                try await self.store(try result.get(), as: &media)
            } else {
                try await self.storeClip(raw, as: &media)
            }
        } catch let error as MediaError {
            self.context.logger.info("media \(id) could not be processed: \(error)")
            media.state = .failed
            let failed = media
            try await self.context.db.transaction { try await $0.updateProcessedMedia(failed) }
            return
        }
        let processed = media
        try await self.context.db.transaction { try await $0.updateProcessedMedia(processed) }
        try? await self.context.media.delete(rawKey)
    }

    /// What `ffprobe` says of a clip, run off the cooperative pool (it is quick, so it does not wait for
    /// the processing gate).
    private func probe(_ data: Data, container: AVContainer) async throws -> AVProcessor.Probe {
        let av = AVProcessor(directory: self.context.instance.ffmpegDirectory)
        let result: Result<AVProcessor.Probe, any Error> = await Self.probes.run {
            Result {
                try Self.withScratch(data) { file, _ in try av.probe(file: file, container: container) }
            }
        }
        do {
            return try result.get()
        } catch let error as MediaError {
            throw Self.domainError(error)
        }
    }

    /// Copies a clip's streams into a clean file, makes a preview from a still of a video, and records
    /// them with the clip's size, length, bitrate and frame rate on `media`.
    private func storeClip(_ raw: Data, as media: inout MediaAttachment) async throws {
        guard let container = AVContainer.sniff(raw) else { throw MediaError.unsupported("not a video or a sound") }
        let av = AVProcessor(directory: self.context.instance.ffmpegDirectory)
        let result: Result<(AVProcessor.Probe, AVProcessor.Processed, ProcessedImage?), any Error> =
            await Self.gate.run {
                Result {
                    try Self.withScratch(raw) { file, scratch in
                        let probe = try av.probe(file: file, container: container)
                        let clip = try av.process(file: file, probe: probe, scratch: scratch)
                        return (probe, clip, try clip.still.map { try Self.images.process($0) })
                    }
                }
            }
        let (probe, clip, still) = try result.get()
        let key = LocalMediaStore.newKey(extension: clip.output.fileExtension(kind: probe.kind))
        try await self.context.media.put(clip.file, key: key)
        if let still {
            let previewKey = LocalMediaStore.newKey(extension: "jpg")
            try await self.context.media.put(still.preview, key: previewKey)
            media.previewKey = previewKey
            media.previewWidth = still.previewWidth
            media.previewHeight = still.previewHeight
            media.blurhash = still.blurhash
        }
        media.state = .ready
        media.kind = Self.kind(probe.kind)
        media.fileKey = key
        media.contentType = clip.output.mimeType(kind: probe.kind)
        media.fileSize = clip.file.count
        media.width = probe.width
        media.height = probe.height
        media.duration = probe.duration
        media.bitrate = probe.bitrate
        media.frameRate = probe.frameRate
    }

    /// Runs `body` with `data` written to a file in a fresh folder, removed afterwards.
    private static func withScratch<T>(_ data: Data, _ body: (URL, URL) throws -> T) throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tern-media-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("in")
        try data.write(to: file)
        return try body(file, folder)
    }

    /// The MIME types uploads may have: pictures, and videos and sounds when ffmpeg is there.
    static func acceptedTypes(_ settings: InstanceSettings) -> [String] {
        let pictures = ["image/jpeg", "image/png", "image/gif", "image/webp", "image/heic", "image/avif"]
        guard AVProcessor(directory: settings.ffmpegDirectory).isAvailable else { return pictures }
        return pictures + [
            "video/mp4", "video/quicktime", "video/webm", "audio/mpeg", "audio/mp4", "audio/aac", "audio/ogg",
            "audio/webm", "audio/flac",
        ]
    }

    static func kind(_ kind: AVKind) -> MediaAttachment.Kind {
        switch kind {
        case .video: .video
        case .silentVideo: .gifv
        case .audio: .audio
        }
    }

    /// Writes a processed picture's original and preview to the media store under new keys and records
    /// them, its size and its blurhash on `media`, now ready (the caller saves the row).
    func store(_ image: ProcessedImage, as media: inout MediaAttachment) async throws {
        let ext = image.originalFormat.fileExtension
        let originalKey = LocalMediaStore.newKey(extension: ext)
        let previewKey = LocalMediaStore.newKey(extension: "jpg")
        try await self.context.media.put(image.original, key: originalKey)
        try await self.context.media.put(image.preview, key: previewKey)
        media.state = .ready
        media.fileKey = originalKey
        media.contentType = image.originalFormat.mimeType
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
        guard media.statusID == nil, media.scheduledStatusID == nil else {
            throw DomainError.unprocessable("Media attachment is currently used by a status")
        }
        try await self.context.db.transaction { try await $0.deleteMedia(id) }
        try? await self.context.media.delete(media.fileKey)
        if let preview = media.previewKey { try? await self.context.media.delete(preview) }
    }

    /// The media a new, edited or scheduled status attaches: the viewer's own, processed, at most four,
    /// not on another status and not held for another scheduled one.
    func attachable(
        _ ids: [MediaAttachment.ID],
        by viewer: Account.ID,
        status: Status.ID?,
        scheduled: ScheduledStatus.ID? = nil
    ) async throws -> [MediaAttachment] {
        guard !ids.isEmpty else { return [] }  // most posts: no read at all
        guard ids.count <= MediaAttachment.maxPerStatus else {
            throw DomainError.validation("Validation failed: Media attachments must be at most 4")
        }
        let found = try await self.context.db.read { try await $0.media(ids: ids) }
        let byID = Dictionary(found.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return try ids.map { id in
            guard let media = byID[id], media.accountID == viewer, media.statusID == nil || media.statusID == status,
                media.scheduledStatusID == nil || media.scheduledStatusID == scheduled
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
        case .unsupported(let reason) where reason.contains("ffmpeg"):
            .validation("Validation failed: Video and audio uploads are not supported on this server")
        case .unsupported(let reason) where reason.contains("codec") || reason.contains("frames per second"):
            .validation("Validation failed: File \(reason)")
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
