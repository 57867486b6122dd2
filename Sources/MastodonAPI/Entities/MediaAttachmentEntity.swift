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

    struct Focus: Encodable, Sendable {
        let x: Double
        let y: Double
    }

    struct Meta: Encodable, Sendable {
        var original: Size?
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
            original: Size(width: media.width, height: media.height),
            small: Size(width: media.previewWidth, height: media.previewHeight),
            focus: Focus(x: media.focusX, y: media.focusY)
        )
        self.description = media.description
        self.blurhash = media.blurhash
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
