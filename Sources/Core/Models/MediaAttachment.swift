import Foundation

/// A picture, a video or a sound uploaded by a local account or fetched for a remote post.
///
/// Files live in a `MediaStore` under unguessable keys; the row says where and what was found in them.
package struct MediaAttachment: Sendable, Equatable {
    package typealias ID = EntityID<MediaAttachment>

    /// Mastodon's attachment types.
    package enum Kind: String, Sendable {
        case image, gifv, video, audio, unknown
    }

    /// Where processing is: uploads are stored raw, then a job makes the original and the preview.
    package enum State: String, Sendable {
        case pending, ready, failed
    }

    package var id: ID
    package var accountID: Account.ID
    package var statusID: Status.ID?
    /// The scheduled status this waits for (it cannot be deleted or attached elsewhere meanwhile).
    package var scheduledStatusID: ScheduledStatus.ID?
    package var kind: Kind
    package var state: State
    /// The processed file's key in the store (the raw upload's key while pending).
    package var fileKey: String
    package var contentType: String
    package var fileSize: Int
    package var width: Int?
    package var height: Int?
    package var previewKey: String?
    package var previewWidth: Int?
    package var previewHeight: Int?
    package var blurhash: String?
    /// Of a video or a sound: seconds, bits per second, and (video) frames per second as `"30/1"`.
    package var duration: Double?
    package var bitrate: Int?
    package var frameRate: String?
    /// Alt text, at most 1,500 characters.
    package var description: String?
    /// The focal point, each in -1…1.
    package var focusX: Double
    package var focusY: Double
    /// Where a remote attachment came from.
    package var remoteURL: String?
    package var createdAt: Date

    package init(
        id: ID,
        accountID: Account.ID,
        statusID: Status.ID? = nil,
        kind: Kind,
        state: State,
        fileKey: String,
        contentType: String,
        fileSize: Int,
        description: String? = nil,
        focusX: Double = 0,
        focusY: Double = 0,
        remoteURL: String? = nil,
        createdAt: Date
    ) {
        self.id = id
        self.accountID = accountID
        self.statusID = statusID
        self.kind = kind
        self.state = state
        self.fileKey = fileKey
        self.contentType = contentType
        self.fileSize = fileSize
        self.description = description
        self.focusX = focusX
        self.focusY = focusY
        self.remoteURL = remoteURL
        self.createdAt = createdAt
    }

    /// Mastodon's limits.
    package static let maxDescription = 1_500
    package static let maxPerStatus = 4
    package static let maxImageBytes = 16 * 1024 * 1024
    /// 99 MiB, Mastodon's `video_size_limit` (sound too).
    package static let maxVideoBytes = 103_809_024
}
