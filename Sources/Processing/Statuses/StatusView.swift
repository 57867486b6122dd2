import Core

/// A status ready to render: the status, its author, mentions and tags, what the viewer did with it,
/// and, for a reblog, the reblogged status.
package struct StatusView: Sendable {
    /// What the viewer has done with the status (absent for anonymous viewers).
    package struct ViewerFlags: Sendable, Equatable {
        package var favourited: Bool
        package var reblogged: Bool
        package var bookmarked: Bool
        /// Only meaningful on the viewer's own statuses.
        package var pinned: Bool
        /// The viewer muted this status's thread.
        package var muted: Bool
    }

    package let status: Status
    package let author: AccountView
    package let mentions: [AccountView]
    package let tags: [String]
    package let viewer: ViewerFlags?
    /// Who the view was made for.
    package let viewerID: Account.ID?
    private let reblogBox: [StatusView]
    /// The status's poll with its counts, if it has one.
    package var poll: PollTally?
    /// The status's media attachments with their URLs.
    package var media: [MediaView] = []
    /// The viewer's filters that matched, when filters were applied (`filtered` in the API).
    package var filtered: [FilterMatch]?
    /// Set by the delete endpoint: the source text for delete-and-redraft.
    package var includeSource = false

    package init(
        status: Status,
        author: AccountView,
        mentions: [AccountView],
        tags: [String],
        viewer: ViewerFlags?,
        viewerID: Account.ID? = nil,
        reblog: StatusView?
    ) {
        self.viewerID = viewerID
        self.status = status
        self.author = author
        self.mentions = mentions
        self.tags = tags
        self.viewer = viewer
        self.reblogBox = reblog.map { [$0] } ?? []
    }

    /// Whether the viewer wrote this status.
    package var viewerIsAuthor: Bool { self.viewerID == self.status.accountID }

    /// The reblogged status, for a reblog.
    package var reblog: StatusView? { self.reblogBox.first }
}

/// A notification ready to render.
package struct NotificationView: Sendable {
    package let notification: Core.Notification
    package let account: AccountView
    package let status: StatusView?
}

/// A list of items with the ids to page by (they differ from item ids for favourites, follows...).
package struct Page<Item: Sendable>: Sendable {
    package let items: [Item]
    /// The paging id of the newest and oldest items, for the `Link` header.
    package let newestID: Int64?
    package let oldestID: Int64?

    package init(items: [Item], newestID: Int64?, oldestID: Int64?) {
        self.items = items
        self.newestID = newestID
        self.oldestID = oldestID
    }
}

/// A media attachment with the URLs its files are served at.
package struct MediaView: Sendable, Equatable {
    package let attachment: MediaAttachment
    /// The processed file; nil while processing.
    package let url: String?
    package let previewURL: String?
}
