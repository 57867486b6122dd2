import Processing
import ServiceLifecycle

/// Runs the streaming hub for the life of the server; on shutdown it closes every stream so that open
/// event-stream responses end and the server can stop.
struct StreamingService: Service {
    let hub: StreamHub

    func run() async throws {
        await withGracefulShutdownHandler {
            await self.hub.run()
        } onGracefulShutdown: {
            Task { await self.hub.shutdown() }
        }
    }
}
