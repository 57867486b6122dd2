import Core
import Foundation
import HTTPCommon
import Hummingbird
import Logging
import Processing

/// The pages anyone can read without signing in or running JavaScript: profiles, posts with their
/// thread, hashtags, the about page, and the RSS and Atom feeds of accounts and hashtags.
///
/// Everything shown is what an anonymous viewer may see through the API (public and unlisted
/// posts; private and direct ones answer 404), read through the same processors. Names, content
/// warnings and alt text are escaped by the templates; post and bio HTML is the server's own
/// rendering or remote HTML sanitised on arrival, so it is inserted as it is.
package struct PublicPages: Sendable {
    let processor: Processor
    let renderer: PageRenderer
    let urls: URLBuilder

    static let pageSize = 20

    package init(processor: Processor, renderer: PageRenderer) {
        self.processor = processor
        self.renderer = renderer
        self.urls = processor.context.urls
    }

    /// `/`, `/about` and the hashtag pages. The `/@username` pages are mounted by the caller (they
    /// share their paths with ActivityPub documents) through `profile` and `status`.
    package func addRoutes(to router: Router<AppRequestContext>) {
        let pages = router.group().add(middleware: ErrorPageMiddleware(renderer: self.renderer))
        pages.get("/", use: self.root)
        pages.get("about", use: self.about)
        pages.get("tags/:name", use: self.tag)
    }

    /// Wraps a handler so its errors become HTML pages.
    package func withErrorPages(
        _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response
    ) -> @Sendable (Request, AppRequestContext) async throws -> Response {
        let middleware = ErrorPageMiddleware(renderer: self.renderer)
        return { request, context in try await middleware.handle(request, context: context, next: handler) }
    }

    /// The stylesheet and default pictures under `/assets/` (cached for a day: names are not versioned).
    package static func assetsMiddleware<Context: RequestContext>(logger: Logger) -> some RouterMiddleware<Context> {
        guard let resources = Bundle.module.resourcePath else {
            preconditionFailure("WebUI resources are missing from the build")
        }
        return FileMiddleware(
            resources + "/Static",
            urlBasePath: "/assets",
            cacheControl: .init([(MediaType(type: .any), [.public, .maxAge(86_400)])]),
            searchForIndexHtml: false,
            logger: logger
        )
    }

    // MARK: Pages

    /// Signed-in browsers go to the web app, everyone else to the about page, or on a single-user
    /// server to its one person's profile.
    @Sendable func root(_ request: Request, context: AppRequestContext) async throws -> Response {
        let signedIn = request.cookies[BrowserSession.sessionCookie].map { !$0.value.isEmpty } ?? false
        if signedIn { return Response.redirect(to: "/web/home", type: .found) }
        if self.processor.context.instance.singleUserMode,
            let account = try await self.processor.accounts.singleUserAccount()
        {
            return Response.redirect(to: "/@\(account.username)", type: .found)
        }
        return Response.redirect(to: "/about", type: .found)
    }

    @Sendable func about(_ request: Request, context: AppRequestContext) async throws -> Response {
        let instance = try await self.processor.instance.view()
        let settings = instance.settings
        var values: [String: Any] = [
            "description": settings.description.isEmpty ? settings.shortDescription : settings.description,
            "rules": settings.rules.map { ["text": $0.text] },
            "hasRules": !settings.rules.isEmpty,
            "users": instance.stats.localUsers, "statuses": instance.stats.localStatuses,
            "activeMonth": instance.stats.activeMonth, "domains": instance.stats.knownDomains,
            "registrations": Self.registrationText(settings.registrations),
            "canonical": self.urls.base + "/about",
            "ogDescription": HTMLText.excerpt(
                settings.shortDescription.isEmpty ? settings.description : settings.shortDescription,
                limit: 200
            ),
        ]
        if !settings.contactEmail.isEmpty { values["contactEmail"] = settings.contactEmail }
        if let contact = instance.contact { values["contact"] = self.accountValues(contact) }
        if !settings.sourceURL.isEmpty { values["sourceURL"] = settings.sourceURL }
        return self.renderer.publicPage("about", title: "About", values)
    }

    /// `/@username` (and `/@user@remote.host`), or its feeds as `/@username.rss` / `.atom`.
    @Sendable package func profile(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard var handle = context.parameters.get("username")?.removingPercentEncoding else {
            throw DomainError.notFound
        }
        var feed: FeedFormat?
        for format in FeedFormat.allCases where handle.hasSuffix(format.suffix) {
            feed = format
            handle.removeLast(format.suffix.count)
        }
        let account = try await self.processor.accounts.lookup(acct: handle, resolve: false)
        let page = PageRequest(
            maxID: request.uri.queryParameters.get("max_id").flatMap(Int64.init),
            limit: Self.pageSize
        )
        let statuses = try await self.processor.timelines.account(
            account.account.id,
            for: nil,
            excludeReplies: feed != nil,
            excludeReblogs: feed != nil,
            tagged: nil,
            page: page
        )
        let pageURL = self.pagePath(account.account)
        if let feed {
            guard account.account.isLocal else { throw DomainError.notFound }
            let name = account.account.displayName.isEmpty ? account.account.username : account.account.displayName
            return Feed(
                format: feed,
                title: "\(name) (@\(self.fullAcct(account.account)))",
                description: HTMLText.plain(account.account.noteHTML).isEmpty
                    ? "Public posts from @\(self.fullAcct(account.account))" : HTMLText.plain(account.account.noteHTML),
                pageURL: self.urls.base + pageURL,
                selfURL: self.urls.base + pageURL + feed.suffix,
                image: account.avatarURL,
                statuses: statuses.items
            )
            .response()
        }
        var pinned: [StatusView] = []
        if page.maxID == nil { pinned = try await self.processor.timelines.pinned(account.account.id, for: nil).items }
        var values = self.accountValues(account)
        values["statuses"] = statuses.items.map { self.statusValues($0) }
        values["pinned"] = pinned.map { self.statusValues($0) }
        values["hasPinned"] = !pinned.isEmpty
        values["empty"] = statuses.items.isEmpty && pinned.isEmpty
        if statuses.items.count == Self.pageSize, let oldest = statuses.oldestID {
            values["nextPage"] = "\(pageURL)?max_id=\(oldest)"
        }
        values["canonical"] = account.account.isLocal ? self.urls.base + pageURL : account.profileURL
        values["activityJSON"] = account.account.uri
        values["noindex"] = !account.account.indexable
        if account.account.isLocal {
            values["rss"] = pageURL + FeedFormat.rss.suffix
            values["atom"] = pageURL + FeedFormat.atom.suffix
        }
        values["ogTitle"] = values["displayName"]
        values["ogDescription"] = HTMLText.excerpt(HTMLText.plain(account.account.noteHTML), limit: 200)
        values["ogImage"] = account.avatarURL
        return self.renderer.publicPage(
            "profile",
            title: "\(values["displayName"] as? String ?? "") (@\(self.fullAcct(account.account)))",
            values
        )
    }

    /// `/@username/:id`: a post with the thread around it, as an anonymous reader may see it.
    @Sendable package func status(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let handle = context.parameters.get("username")?.removingPercentEncoding else {
            throw DomainError.notFound
        }
        guard let id = context.parameters.get("id").flatMap(Int64.init) else { throw DomainError.notFound }
        let view = try await self.processor.statuses.show(Status.ID(id), for: nil)
        // The author in the path must be the post's author, so a URL cannot put words in another mouth.
        let author = view.author.account
        guard view.reblog == nil,
            handle.lowercased() == author.acct.lowercased()
                || (author.isLocal && handle.lowercased() == self.urls.acct(author.username).lowercased())
        else { throw DomainError.notFound }
        let (ancestors, descendants) = try await self.processor.statuses.context(view.status.id, for: nil)
        var values: [String: Any] = [
            "ancestors": ancestors.map { self.statusValues($0) },
            "focus": self.statusValues(view, focused: true),
            "descendants": descendants.map { self.statusValues($0) },
        ]
        let name = author.displayName.isEmpty ? author.username : author.displayName
        let text = view.status.spoilerText.isEmpty ? HTMLText.plain(view.status.content) : view.status.spoilerText
        values["canonical"] = view.status.url ?? view.status.uri
        values["activityJSON"] = view.status.uri
        values["noindex"] = !author.indexable
        values["ogTitle"] = "\(name) (@\(self.fullAcct(author)))"
        values["ogDescription"] = HTMLText.excerpt(text, limit: 200)
        if let image = view.media.first(where: { $0.attachment.kind == .image }),
            let url = image.previewURL ?? image.url
        {
            values["ogImage"] = url
            values["twitterCard"] = "summary_large_image"
        } else {
            values["ogImage"] = view.author.avatarURL
        }
        values["ogType"] = "article"
        return self.renderer.publicPage(
            "status",
            title: "\(name): \(HTMLText.excerpt(text, limit: 60))",
            values
        )
    }

    /// `/tags/:name`, or its feeds as `/tags/:name.rss` / `.atom`.
    @Sendable func tag(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard var name = context.parameters.get("name")?.removingPercentEncoding else { throw DomainError.notFound }
        var feed: FeedFormat?
        for format in FeedFormat.allCases where name.hasSuffix(format.suffix) {
            feed = format
            name.removeLast(format.suffix.count)
        }
        guard !name.isEmpty, name.count <= 100, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw DomainError.notFound
        }
        let page = PageRequest(
            maxID: request.uri.queryParameters.get("max_id").flatMap(Int64.init),
            limit: Self.pageSize
        )
        let statuses = try await self.processor.timelines.tag(
            name,
            any: [],
            all: [],
            none: [],
            localOnly: false,
            for: nil,
            page: page
        )
        let path = "/tags/" + (name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? name)
        if let feed {
            return Feed(
                format: feed,
                title: "#\(name)",
                description: "Public posts tagged #\(name)",
                pageURL: self.urls.base + path,
                selfURL: self.urls.base + path + feed.suffix,
                image: nil,
                statuses: statuses.items
            )
            .response()
        }
        var values: [String: Any] = [
            "name": name,
            "statuses": statuses.items.map { self.statusValues($0) },
            "empty": statuses.items.isEmpty,
            "canonical": self.urls.base + path,
            "rss": path + FeedFormat.rss.suffix, "atom": path + FeedFormat.atom.suffix,
            "ogTitle": "#\(name)", "ogDescription": "Public posts tagged #\(name)",
        ]
        if statuses.items.count == Self.pageSize, let oldest = statuses.oldestID {
            values["nextPage"] = "\(path)?max_id=\(oldest)"
        }
        return self.renderer.publicPage("tag", title: "#\(name)", values)
    }

    // MARK: Values for the templates

    /// `username@account.domain` for local accounts, `username@host` for remote ones.
    func fullAcct(_ account: Account) -> String {
        self.urls.handle(username: account.username, domain: account.domain)
    }

    /// This server's page for an account: `/@name` or `/@name@host`.
    func pagePath(_ account: Account) -> String {
        "/@" + account.acct
    }

    func accountValues(_ view: AccountView) -> [String: Any] {
        let account = view.account
        var values: [String: Any] = [
            "displayName": account.displayName.isEmpty ? account.username : account.displayName,
            "acct": self.fullAcct(account),
            "path": self.pagePath(account),
            "avatar": view.avatarURL,
            "header": view.headerURL,
            "noteHTML": account.noteHTML,
            "fields": account.fields.map { field -> [String: Any] in
                var values: [String: Any] = ["name": field.name, "valueHTML": Self.meLinks(field.valueHTML)]
                if let verified = field.verifiedAt { values["verifiedAt"] = Self.isoDate(verified) }
                return values
            },
            "hasFields": !account.fields.isEmpty,
            "statusesCount": account.statusesCount,
            "followingCount": account.followingCount,
            "followersCount": account.followersCount,
            "locked": account.locked,
            "bot": account.bot,
            "remote": !account.isLocal,
        ]
        if !account.isLocal { values["originalURL"] = view.profileURL }
        if let moved = view.movedTo?.view.account {
            values["movedTo"] = ["acct": self.fullAcct(moved), "path": self.pagePath(moved)]
        }
        values["joined"] = Self.dayText(account.createdAt)
        return values
    }

    func statusValues(_ view: StatusView, focused: Bool = false) -> [String: Any] {
        let shown = view.reblog ?? view
        let status = shown.status
        let author = shown.author.account
        var values: [String: Any] = [
            "authorName": author.displayName.isEmpty ? author.username : author.displayName,
            "authorAcct": self.fullAcct(author),
            "authorPath": self.pagePath(author),
            "avatar": shown.author.avatarURL,
            "contentHTML": status.content,
            "spoiler": status.spoilerText,
            "hasSpoiler": !status.spoilerText.isEmpty,
            "permalink": "\(self.pagePath(author))/\(status.id.rawValue)",
            "createdAt": Self.isoDate(status.createdAt),
            "createdText": Self.dateText(status.createdAt),
            "edited": status.editedAt != nil,
            "replies": status.repliesCount,
            "reblogs": status.reblogsCount,
            "favourites": status.favouritesCount,
            "focused": focused,
            "hasMedia": !shown.media.isEmpty,
            "visibility": status.visibility == .unlisted ? "Unlisted" : "Public",
            "media": shown.media.compactMap { media -> [String: Any]? in
                guard let url = media.url ?? media.attachment.remoteURL else { return nil }
                return [
                    "url": url, "preview": media.previewURL ?? url,
                    "description": media.attachment.description ?? "",
                    "image": media.attachment.kind == .image || media.attachment.kind == .gifv,
                    "width": media.attachment.width ?? 0, "height": media.attachment.height ?? 0,
                ]
            },
        ]
        if !status.local { values["originalURL"] = status.url ?? status.uri }
        if let language = status.language { values["language"] = language }
        if view.reblog != nil {
            let booster = view.author.account
            values["rebloggedBy"] = booster.displayName.isEmpty ? booster.username : booster.displayName
            values["rebloggedByPath"] = self.pagePath(booster)
        }
        return values
    }

    /// Profile links marked as the account's own (`rel="me"`), which is what other sites look
    /// for when they verify a link back.
    static func meLinks(_ html: String) -> String {
        html.replacingOccurrences(of: "rel=\"nofollow noopener\"", with: "rel=\"me nofollow noopener\"")
            .replacingOccurrences(
                of: "rel=\"nofollow noopener noreferrer\"",
                with: "rel=\"me nofollow noopener noreferrer\""
            )
    }

    static func registrationText(_ mode: RegistrationMode) -> String {
        switch mode {
        case .open: "Anyone can sign up."
        case .approval: "Sign-ups are reviewed by the moderators."
        case .invite: "Sign-up is by invitation."
        case .closed: "Sign-ups are closed."
        }
    }

    static func isoDate(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    static func dateText(_ date: Date) -> String {
        date.formatted(
            Date.FormatStyle(date: .abbreviated, time: .shortened, timeZone: TimeZone(identifier: "UTC") ?? .current)
        ) + " UTC"
    }

    static func dayText(_ date: Date) -> String {
        date.formatted(Date.FormatStyle(date: .long, time: .omitted, timeZone: TimeZone(identifier: "UTC") ?? .current))
    }
}
