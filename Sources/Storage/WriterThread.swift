import NIOCore
import NIOPosix

/// The thread an SQLite database's write transactions run on (`Database.transaction` prefers it as their
/// task executor): a commit, and the checkpoint that now and then follows it and waits for the disk,
/// block their thread. On the server's event loops that held up every connection of the loop (a posting
/// run's p99 went from 48 ms to over a second); on the concurrency pool, one of its few threads.
final class WriterThread: TaskExecutor {
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let loop: any EventLoop

    init() {
        self.loop = self.group.next()
    }

    deinit {
        self.group.shutdownGracefully { _ in }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        self.loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// Stops the thread once its queued jobs have run.
    func shutdown() async {
        try? await self.group.shutdownGracefully()
    }
}
