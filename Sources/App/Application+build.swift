import Core
import Federation
import HTTPCommon
import Hummingbird
import HummingbirdWebSocket
import Logging
import MastodonAPI
import Processing
import Storage
import WebUI

/// Builds the whole server from typed configuration. Used by `tern serve` and every test.
///
/// `ownsProcess` is for `tern serve`, where the application is the process: once it listens it gives
/// back its start-up pages, and every 10 s after it unmaps its read-only file pages and trims its heap
/// (`ProcessMemory`, `MemoryReleaseService`).
package func buildApplication(
    _ deps: AppDependencies,
    ownsProcess: Bool = false
) async throws -> some ApplicationProtocol {
    let router = try await buildRouter(deps)
    // WebSocket upgrades (the streaming API) are matched on a router of their own.
    let webSockets = Router(context: BasicWebSocketRequestContext.self)
    StreamingWebSocket(processor: deps.processor).addRoutes(to: webSockets)
    var app = Application(
        router: router,
        server: .http1WebSocketUpgrade(
            webSocketRouter: webSockets,
            configuration: .init(http1: .init(additionalChannelHandlers: [ExpectContinueHandler()]))
        ),
        configuration: .init(
            address: .hostname(deps.config.listenHost, port: deps.config.listenPort),
            serverName: "Tern"
        ),
        onServerRunning: { _ in
            guard ownsProcess else { return }
            let released = ProcessMemory.releaseFilePages()
            deps.logger.debug(
                "released \(released.bytes / 1024) KiB of start-up pages from \(released.mappings) mappings"
            )
        },
        logger: deps.logger
    )
    app.addServices(deps.db, JobRunner(deps), StreamingService(hub: deps.processor.streams))
    if ownsProcess { app.addServices(MemoryReleaseService()) }
    app.beforeServerStarts {
        try await deps.prepare()
        deps.logger.info(
            "Tern \(SoftwareVersion.tern) serving \(deps.config.urls.base) on \(deps.config.listenHost):\(deps.config.listenPort), database \(deps.db.location)"
        )
    }
    return app
}

/// The router with every front door mounted.
package func buildRouter(_ deps: AppDependencies) async throws -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    let webApp = try WebAppPages(folder: deps.config.webAppDirectory)
    // The file middlewares announce their folder at info level; once per router is noise in tests.
    var quietLogger = deps.logger
    quietLogger.logLevel = max(deps.logger.logLevel, .warning)
    router.addMiddleware {
        LogRequestsMiddleware(.debug)
        CrossOriginMiddleware()
        APIFallbackMiddleware()
        webApp.assetsMiddleware(logger: quietLogger)
        PublicPages.assetsMiddleware(logger: quietLogger)
        // Media files: immutable (keys are random and never reused), with ETag and Range handled by
        // Hummingbird's file middleware, which also refuses paths that leave the folder.
        FileMiddleware(
            deps.config.dataDirectory + "/media",
            urlBasePath: "/system",
            cacheControl: .init([(MediaType(type: .any), [.public, .maxAge(31_536_000), .immutable])]),
            searchForIndexHtml: false,
            logger: quietLogger
        )
    }
    DiscoveryRoutes(
        db: deps.db,
        urls: deps.config.urls,
        openRegistrations: deps.config.instance.registrations == .open
            || deps.config.instance.registrations == .approval
    ).addRoutes(to: router)
    let federation = deps.processor.context.federation
    let actors = ActorRoutes(
        db: deps.db,
        urls: deps.config.urls,
        keys: federation.keys,
        media: deps.processor.context.media
    )
    actors.addRoutes(to: router)
    InboxRoutes(
        db: deps.db,
        urls: deps.config.urls,
        ids: deps.processor.context.ids,
        clock: deps.processor.context.clock,
        federation: federation,
        logger: deps.logger
    ).addRoutes(to: router)
    // One allowance per client address for everything that checks a password or creates an account.
    let authLimiter = RateLimiter(limit: deps.config.authRateLimit, period: 300, clock: deps.processor.context.clock)
    MastodonRoutes(processor: deps.processor, authLimiter: authLimiter).addRoutes(to: router)
    let renderer = try await PageRenderer.load(
        instanceTitle: deps.config.instance.title,
        mailEnabled: deps.processor.credentials.mailEnabled,
        signUpOpen: [.open, .approval].contains(deps.config.instance.registrations)
    )
    let pages = PublicPages(processor: deps.processor, renderer: renderer)
    pages.addRoutes(to: router)
    // A profile's and a post's URL serve ActivityPub documents to servers and pages to browsers.
    let profilePage = pages.withErrorPages(pages.profile)
    let statusPage = pages.withErrorPages(pages.status)
    router.get("@{username}") { request, context in
        ActivityStreams.isActivityJSON(request.headers[.accept])
            ? try await actors.profileURL(request, context: context) : try await profilePage(request, context)
    }
    router.get("@{username}/:id") { request, context in
        ActivityStreams.isActivityJSON(request.headers[.accept])
            ? try await actors.statusURL(request, context: context) : try await statusPage(request, context)
    }
    OAuthPages(
        oauth: deps.processor.oauth,
        twoFactor: deps.processor.twoFactor,
        authLimiter: authLimiter,
        renderer: renderer,
        secureCookies: deps.config.scheme == "https",
        webAppCallback: deps.config.urls.base + "/web/callback"
    )
    .addRoutes(to: router)
    AccountPages(
        processor: deps.processor,
        authLimiter: authLimiter,
        renderer: renderer,
        secureCookies: deps.config.scheme == "https"
    )
    .addRoutes(to: router)
    webApp.addRoutes(to: router)
    return router
}
