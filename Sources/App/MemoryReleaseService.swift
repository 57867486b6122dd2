import ServiceLifecycle

/// Every `interval` for the life of `tern serve`: gives back the heap's free pages
/// (`ProcessMemory.trimHeap`) and unmaps the read-only file pages (`ProcessMemory.releaseFilePages`),
/// so that what stays resident is what the last few seconds of serving used, not every page that the
/// first request of each kind or a burst of requests ever touched.
///
/// The first request of each kind runs code that never runs again (generic metadata made once, lazy
/// globals, a route's first use): measured on the benchmark, one `GET /api/v1/instance` after start-up
/// brought 6.4 MiB of the binary's code back, in 64 KiB blocks. Unmapped pages stay in the page cache,
/// so what is still used faults straight back: on the timeline benchmark the server's instructions per
/// request did not change, in user space or in the kernel.
struct MemoryReleaseService: Service {
    var interval: Duration = .seconds(10)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await Task.sleep(for: self.interval) } catch { return }
                ProcessMemory.trimHeap()
                ProcessMemory.releaseFilePages()
            }
        }
    }
}
