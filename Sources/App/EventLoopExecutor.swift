import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Swift Concurrency's global jobs, run on NIO's event loops: the threads the server's connections run on.
///
/// By default a handler runs on the concurrency pool's threads, and every request hops from its
/// connection's event loop to the pool and back: two thread wake-ups per request, a fifth of the CPU of a
/// home-timeline page. NIO can take over the pool itself
/// (`NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor`), but it runs
/// each job as isolated to its event loop, so every call of a nonisolated async function counts as a
/// change of executor and goes through the loop's queue again (5 % of a page's CPU). Here a job runs as
/// what it is, a job of the generic executor, on the loop it was enqueued from (or any loop, from another
/// thread): calls between nonisolated functions stay on the thread without a switch.
enum EventLoopExecutor {
    /// The generic executor (no isolation, no task executor): what the runtime's own pool runs a global job
    /// on. The runtime writes it as a null executor reference, and Swift has no public name for it.
    private static let generic = unsafeBitCast((UInt(0), UInt(0)), to: UnownedSerialExecutor.self)

    /// Makes the event loops Swift Concurrency's global executor. Call once, first thing in `main`, before
    /// any task is enqueued; returns false where the runtime has no hook for it (another executor holds it).
    @discardableResult
    static func install() -> Bool {
        typealias Enqueue = @convention(thin) (UnownedJob) -> Void
        typealias Hook = @convention(thin) (UnownedJob, Enqueue) -> Void
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "swift_task_enqueueGlobal_hook") else { return false }
        let slot = symbol.assumingMemoryBound(to: UnsafeRawPointer?.self)
        guard slot.pointee == nil else { return false }
        let hook: Hook = { job, _ in EventLoopExecutor.enqueue(job) }
        withUnsafeBytes(of: hook) { slot.pointee = $0.load(as: UnsafeRawPointer.self) }
        return true
    }

    /// Runs `job` on the current thread's event loop, or on the next one from any other thread.
    private static func enqueue(_ job: UnownedJob) {
        MultiThreadedEventLoopGroup.singleton.any().execute { job.runSynchronously(on: Self.generic) }
    }
}
