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

    private struct Values: Sendable {
        let status: Status
        let author: AccountView
        let mentions: [AccountView]
        let tags: [String]
        let viewer: ViewerFlags?
        let viewerID: Account.ID?
        let reblog: StatusView?
        var poll: PollTally?
        var media: [MediaView] = []
        var filtered: [FilterMatch]?
        var includeSource = false
    }

    /// One allocation for all of it (which also lets a view hold its reblogged view): a view is copied
    /// from the hydration into its page, its entity and its JSON.
    private var storage: CopyOnWrite<Values>

    package var status: Status { self.storage.value.status }
    package var author: AccountView { self.storage.value.author }
    package var mentions: [AccountView] { self.storage.value.mentions }
    package var tags: [String] { self.storage.value.tags }
    package var viewer: ViewerFlags? { self.storage.value.viewer }
    /// Who the view was made for.
    package var viewerID: Account.ID? { self.storage.value.viewerID }
    /// The reblogged status, for a reblog.
    package var reblog: StatusView? { self.storage.value.reblog }
    /// The status's poll with its counts, if it has one.
    package var poll: PollTally? {
        get { self.storage.value.poll }
        set { self.storage.update { $0.poll = newValue } }
    }
    /// The status's media attachments with their URLs.
    package var media: [MediaView] {
        get { self.storage.value.media }
        set { self.storage.update { $0.media = newValue } }
    }
    /// The viewer's filters that matched, when filters were applied (`filtered` in the API).
    package var filtered: [FilterMatch]? {
        get { self.storage.value.filtered }
        set { self.storage.update { $0.filtered = newValue } }
    }
    /// Set by the delete endpoint: the source text for delete-and-redraft.
    package var includeSource: Bool {
        get { self.storage.value.includeSource }
        set { self.storage.update { $0.includeSource = newValue } }
    }

    package init(
        status: Status,
        author: AccountView,
        mentions: [AccountView],
        tags: [String],
        viewer: ViewerFlags?,
        viewerID: Account.ID? = nil,
        reblog: StatusView?
    ) {
        self.storage = CopyOnWrite(
            Values(
                status: status,
                author: author,
                mentions: mentions,
                tags: tags,
                viewer: viewer,
                viewerID: viewerID,
                reblog: reblog
            )
        )
    }

    /// Whether the viewer wrote this status.
    package var viewerIsAuthor: Bool { self.viewerID == self.status.accountID }
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
