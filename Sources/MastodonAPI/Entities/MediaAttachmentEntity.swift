import Core
import Hummingbird
import Processing

/// https://docs.joinmastodon.org/entities/MediaAttachment/
struct MediaAttachmentEntity: ResponseEncodable, Sendable {
    struct Size: Encodable, Sendable {
        let width: Int
        let height: Int
        let size: String
        let aspect: Double

        init?(width: Int?, height: Int?) {
            guard let width, let height, width > 0, height > 0 else { return nil }
            self.width = width
            self.height = height
            self.size = "\(width)x\(height)"
            self.aspect = Double(width) / Double(height)
        }
    }

    /// The original file: its size, and for a video or a sound its length, bitrate and frame rate (absent keys are
    /// left out, as Mastodon does).
    struct Original: Encodable, Sendable {
        var size: Size?
        var frameRate: String?
        var duration: Double?
        var bitrate: Int?

        var isEmpty: Bool { self.size == nil && self.duration == nil && self.bitrate == nil }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(self.size?.width, forKey: .width)
            try container.encodeIfPresent(self.size?.height, forKey: .height)
            try container.encodeIfPresent(self.size?.size, forKey: .size)
            try container.encodeIfPresent(self.size?.aspect, forKey: .aspect)
            try container.encodeIfPresent(self.frameRate, forKey: .frameRate)
            try container.encodeIfPresent(self.duration, forKey: .duration)
            try container.encodeIfPresent(self.bitrate, forKey: .bitrate)
        }

        enum CodingKeys: String, CodingKey {
            case width, height, size, aspect, duration, bitrate
            case frameRate = "frame_rate"
        }
    }

    struct Focus: Encodable, Sendable {
        let x: Double
        let y: Double
    }

    struct Meta: Encodable, Sendable {
        var original: Original?
        var small: Size?
        let focus: Focus
    }

    let id: String
    let type: String
    @Nullable var url: String?
    @Nullable var previewUrl: String?
    @Nullable var remoteUrl: String?
    @Nullable var previewRemoteUrl: String?
    @Nullable var textUrl: String?
    let meta: Meta
    @Nullable var description: String?
    @Nullable var blurhash: String?

    init(_ view: MediaView) {
        let media = view.attachment
        self.id = media.id.description
        self.type = media.kind.rawValue
        self.url = view.url
        self.previewUrl = view.previewURL
        self.remoteUrl = media.remoteURL
        self.previewRemoteUrl = nil
        self.textUrl = nil
        self.meta = Meta(
            original: Self.original(media),
            small: Size(width: media.previewWidth, height: media.previewHeight),
            focus: Focus(x: media.focusX, y: media.focusY)
        )
        self.description = media.description
        self.blurhash = media.blurhash
    }

    private static func original(_ media: MediaAttachment) -> Original? {
        let original = Original(
            size: Size(width: media.width, height: media.height),
            frameRate: media.frameRate,
            duration: media.duration,
            bitrate: media.bitrate
        )
        return original.isEmpty ? nil : original
    }

    enum CodingKeys: String, CodingKey {
        case id, type, url
        case previewUrl = "preview_url"
        case remoteUrl = "remote_url"
        case previewRemoteUrl = "preview_remote_url"
        case textUrl = "text_url"
        case meta, description, blurhash
    }
}
