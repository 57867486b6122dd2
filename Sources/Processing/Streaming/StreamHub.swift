import Core
import Foundation
import Storage

/// A timeline a streaming client listens to, as Mastodon names them.
package enum StreamName: Hashable, Sendable {
    case user
    case userNotification
    case publicAll
    case publicLocal
    case publicRemote
    case hashtag(String)
    case hashtagLocal(String)
    case direct
    /// One of the viewer's lists, by id.
    case list(Int64)

    /// Reads a stream name (`user`, `public:local`, `hashtag` with its tag, `list` with its id…); nil for
    /// unknown ones.
    package init?(_ name: String, tag: String? = nil, list: String? = nil) {
        let tag = tag?.trimmingCharacters(in: .whitespaces).lowercased()
        switch name {
        case "user": self = .user
        case "user:notification": self = .userNotification
        case "public": self = .publicAll
        case "public:local": self = .publicLocal
        case "public:remote": self = .publicRemote
        case "direct": self = .direct
        case "list":
            guard let id = list.flatMap({ Int64($0.trimmingCharacters(in: .whitespaces)) }) else { return nil }
            self = .list(id)
        case "hashtag":
            guard let tag, !tag.isEmpty else { return nil }
            self = .hashtag(tag)
        case "hashtag:local":
            guard let tag, !tag.isEmpty else { return nil }
            self = .hashtagLocal(tag)
        default: return nil
        }
    }

    /// The `stream` array of an event: `["user"]`, `["hashtag", "tern"]`.
    package var names: [String] {
        switch self {
        case .user: ["user"]
        case .userNotification: ["user:notification"]
        case .publicAll: ["public"]
        case .publicLocal: ["public:local"]
        case .publicRemote: ["public:remote"]
        case .hashtag(let tag): ["hashtag", tag]
        case .hashtagLocal(let tag): ["hashtag:local", tag]
        case .direct: ["direct"]
        case .list(let id): ["list", String(id)]
        }
    }

    /// Whether the stream is about the signed-in user (and so needs a token).
    package var isPersonal: Bool {
        switch self {
        case .user, .userNotification, .direct, .list: true
        default: false
        }
    }
}

/// One event for one client.
package struct StreamMessage: Sendable {
    package enum Payload: Sendable {
        case status(StatusView)
        case notification(NotificationView)
        /// A deleted status's id.
        case id(String)
    }

    package let stream: [String]
    /// `update`, `status.update`, `notification`, `delete`.
    package let event: String
    package let payload: Payload
}

/// Fans committed events out to connected streaming clients, each hydrated for its viewer (so blocks,
/// mutes and visibility apply as on timelines). Events arrive from the database's commit listener;
/// `run()` handles them in order. One process's hub sees that process's commits only.
package actor StreamHub {
    struct Subscriber {
        let viewer: Account.ID?
        var streams: Set<StreamName>
        let continuation: AsyncStream<StreamMessage>.Continuation
    }

    let context: ProcessingContext
    let hydrator: StatusHydrator
    let notifications: NotificationProcessor
    private var subscribers: [UUID: Subscriber] = [:]
    private let events: AsyncStream<[CommitEvent]>
    private let input: AsyncStream<[CommitEvent]>.Continuation

    init(_ context: ProcessingContext, notifications: NotificationProcessor) {
        self.context = context
        self.hydrator = StatusHydrator(context: context)
        self.notifications = notifications
        (self.events, self.input) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(10_000))
    }

    /// Hands committed events over (called by the database after each commit).
    package nonisolated func post(_ events: [CommitEvent]) {
        self.input.yield(events)
    }

    /// Subscribes a client; the stream ends when `unsubscribe` is called.
    package func subscribe(viewer: Account.ID?, streams: Set<StreamName>) -> (UUID, AsyncStream<StreamMessage>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(
            of: StreamMessage.self,
            bufferingPolicy: .bufferingNewest(500)
        )
        self.subscribers[id] = Subscriber(viewer: viewer, streams: streams, continuation: continuation)
        return (id, stream)
    }

    /// Whether the viewer may listen to a stream: a list only its owner.
    package func permits(_ stream: StreamName, viewer: Account.ID?) async throws -> Bool {
        guard case .list(let id) = stream else { return true }
        guard let viewer else { return false }
        return try await self.context.db.read { try await $0.list(id: AccountList.ID(id), of: viewer) } != nil
    }

    /// Adds or removes streams of a connected client (the WebSocket `subscribe`/`unsubscribe` messages).
    package func change(_ id: UUID, adding: Set<StreamName> = [], removing: Set<StreamName> = []) {
        self.subscribers[id]?.streams.formUnion(adding)
        self.subscribers[id]?.streams.subtract(removing)
    }

    package func unsubscribe(_ id: UUID) {
        self.subscribers.removeValue(forKey: id)?.continuation.finish()
    }

    /// Ends every client's stream and stops `run()` (graceful shutdown).
    package func shutdown() {
        for (_, subscriber) in self.subscribers { subscriber.continuation.finish() }
        self.subscribers.removeAll()
        self.input.finish()
    }

    /// How many clients are connected.
    package var connections: Int { self.subscribers.count }

    /// Handles events until the process stops.
    package func run() async {
        for await batch in self.events {
            for event in batch {
                do {
                    try await self.handle(event)
                } catch {
                    self.context.logger.debug("streaming: could not handle \(event): \(error)")
                }
            }
        }
    }

    func handle(_ event: CommitEvent) async throws {
        guard !self.subscribers.isEmpty else { return }
        switch event {
        case .notification(let id, let account):
            let listeners = self.subscribers.filter {
                $0.value.viewer == account
                    && ($0.value.streams.contains(.user) || $0.value.streams.contains(.userNotification))
            }
            guard !listeners.isEmpty, let view = try? await self.notifications.show(id, for: account) else { return }
            for (_, subscriber) in listeners {
                let stream: StreamName = subscriber.streams.contains(.user) ? .user : .userNotification
                subscriber.continuation.yield(
                    StreamMessage(stream: stream.names, event: "notification", payload: .notification(view))
                )
            }
        case .statusDeleted(let id):
            for (_, subscriber) in self.subscribers {
                guard let stream = subscriber.streams.first(where: { $0 != .userNotification }) else { continue }
                subscriber.continuation.yield(
                    StreamMessage(stream: stream.names, event: "delete", payload: .id(String(id.rawValue)))
                )
            }
        case .statusCreated(let id):
            try await self.deliver(id, event: "update")
        case .statusEdited(let id):
            try await self.deliver(id, event: "status.update")
        }
    }

    /// Sends a status to every client whose streams it belongs in, hydrated for that client.
    func deliver(_ id: Status.ID, event: String) async throws {
        let candidates = self.subscribers.filter { !$0.value.streams.subtracting([.userNotification]).isEmpty }
        guard !candidates.isEmpty,
            let status = try await self.context.db.read({ try await $0.status(id: id) })
        else { return }
        let users = Set(candidates.compactMap { $0.value.streams.contains(.user) ? $0.value.viewer : nil })
        let (extras, feeds) = try await self.context.db.read { session in
            (try await session.extras(of: [id]), try await session.homeFeedHolders(of: id, among: Array(users)))
        }
        let tags = Set(extras.tags[id] ?? [])
        let mentioned = Set(extras.mentions[id] ?? [])
        let lists = try await self.lists(containing: id, among: candidates.values)
        let isPublic = status.visibility == .public && !status.isReblog
        var views: [Account.ID?: StatusView?] = [:]
        for (_, subscriber) in candidates {
            guard
                let stream = Self.stream(
                    for: status,
                    subscriber: subscriber,
                    isPublic: isPublic,
                    tags: tags,
                    feeds: feeds,
                    mentioned: mentioned,
                    lists: lists
                )
            else { continue }
            let view: StatusView?
            if let cached = views[subscriber.viewer] {
                view = cached
            } else {
                view = try await self.hydrator.views([id], for: subscriber.viewer, timeline: true).first
                views[subscriber.viewer] = view
            }
            guard let view else { continue }  // hidden from this viewer
            subscriber.continuation.yield(StreamMessage(stream: stream.names, event: event, payload: .status(view)))
        }
    }

    /// The lists listened to whose timeline holds the status (by the list timeline's own query, so the
    /// replies policy applies as when reading the list).
    func lists(containing id: Status.ID, among subscribers: some Sequence<Subscriber>) async throws -> Set<Int64> {
        var owners: [Int64: Account.ID] = [:]
        for subscriber in subscribers {
            guard let viewer = subscriber.viewer else { continue }
            for case .list(let list) in subscriber.streams { owners[list] = viewer }
        }
        guard !owners.isEmpty else { return [] }
        return try await self.context.db.read { session in
            var found: Set<Int64> = []
            for (list, owner) in owners {
                guard let stored = try await session.list(id: AccountList.ID(list), of: owner) else { continue }
                let around = PageRequest(maxID: id.rawValue + 1, sinceID: id.rawValue - 1, limit: 1)
                if try await session.listTimeline(stored, page: around).contains(id) { found.insert(list) }
            }
            return found
        }
    }

    /// The first of a subscriber's streams a status belongs in, if any.
    static func stream(
        for status: Status,
        subscriber: Subscriber,
        isPublic: Bool,
        tags: Set<String>,
        feeds: Set<Account.ID>,
        mentioned: Set<Account.ID>,
        lists: Set<Int64> = []
    ) -> StreamName? {
        for stream in subscriber.streams {
            switch stream {
            case .user:
                if let viewer = subscriber.viewer, feeds.contains(viewer) { return stream }
            case .publicAll:
                if isPublic { return stream }
            case .publicLocal:
                if isPublic && status.local { return stream }
            case .publicRemote:
                if isPublic && !status.local { return stream }
            case .hashtag(let tag):
                if isPublic && tags.contains(tag) { return stream }
            case .hashtagLocal(let tag):
                if isPublic && status.local && tags.contains(tag) { return stream }
            case .direct:
                if status.visibility == .direct, let viewer = subscriber.viewer,
                    viewer == status.accountID || mentioned.contains(viewer)
                {
                    return stream
                }
            case .list(let id):
                if lists.contains(id) { return stream }
            case .userNotification:
                continue
            }
        }
        return nil
    }
}
