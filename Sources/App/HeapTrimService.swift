import ServiceLifecycle

/// Trims the heap (`ProcessMemory.trimHeap`) every `interval` for the life of `tern serve`, so that
/// memory freed after a burst of requests goes back to the system instead of staying resident.
/// A trim walks the allocator's free lists; its cost was not measured, and every 30 s it is rare.
struct HeapTrimService: Service {
    var interval: Duration = .seconds(30)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await Task.sleep(for: self.interval) } catch { return }
                ProcessMemory.trimHeap()
            }
        }
    }
}
