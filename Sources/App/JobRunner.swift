import Core
import Foundation
import Logging
import Processing
import ServiceLifecycle
import Storage

/// Claims due jobs from the `jobs` table and runs them with bounded concurrency; retries with
/// back-off; stops on graceful shutdown. In manual mode it does nothing by itself and tests call `drain()`.
package struct JobRunner: Service {
    let db: Database
    let jobs: JobProcessor
    let concurrency: Int
    let manual: Bool
    let logger: Logger
    let clock: Clock
    let ids: IDGenerator
    let migrated: ReadinessGate
    /// How long cached remote pictures are kept; nil: no scheduled prune.
    let mediaCacheRetention: Int?
    /// Identifies this process in `locked_by`.
    let worker =
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
    /// How long a claim holds without renewal; running jobs are renewed every `lease / 4`.
    static let lease: Duration = .seconds(120)

    package init(_ deps: AppDependencies) {
        self.db = deps.db
        self.jobs = deps.processor.jobs
        self.concurrency = deps.config.jobConcurrency
        self.manual = deps.config.jobsManual
        self.logger = deps.logger
        self.clock = deps.processor.context.clock
        self.ids = deps.processor.context.ids
        self.migrated = deps.migrated
        self.mediaCacheRetention = deps.config.mediaCacheRetention
    }

    package func run() async throws {
        guard !self.manual else {
            try? await gracefulShutdown()
            return
        }
        // Claim nothing before the schema exists; a shutdown during start-up ends the wait too.
        await withTaskCancellationOrGracefulShutdownHandler {
            await self.migrated.wait()
        } onCancelOrGracefulShutdown: {
            self.migrated.open()
        }
        // SQLite is one process's database: what a killed predecessor held is due again now.
        if self.db.dialect == .sqlite {
            do {
                let released = try await self.db.releaseAllLeases()
                if released > 0 { self.logger.info("released \(released) job(s) held when the server last stopped") }
            } catch {
                self.logger.error("could not release old job leases: \(String(reflecting: error))")
            }
        }
        // A sliding window: whenever a job ends, its slot is refilled, so one slow delivery never holds
        // back the others. A ticker wakes the loop to look for new due jobs while all running ones are slow.
        await withTaskGroup(of: Bool.self) { group in
            var running = 0
            var ticking = false
            var lastHousekeeping = Date.distantPast
            var lastRenewal = ContinuousClock.now
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                if running > 0, lastRenewal.duration(to: .now) > Self.lease / 4 {
                    lastRenewal = .now
                    try? await self.db.renewLeases(worker: self.worker, lease: Self.lease)
                }
                if self.clock.now().timeIntervalSince(lastHousekeeping) > 3600, await self.scheduleHousekeeping() {
                    lastHousekeeping = self.clock.now()
                }
                var claimed = 0
                if running < self.concurrency {
                    do {
                        let batch = try await self.db.claimJobs(
                            worker: self.worker,
                            limit: self.concurrency - running,
                            lease: Self.lease
                        )
                        for job in batch {
                            group.addTask {
                                await self.runOne(job)
                                return true
                            }
                        }
                        claimed = batch.count
                        running += claimed
                    } catch {
                        self.logger.error("job queue unavailable: \(String(reflecting: error))")
                    }
                }
                if claimed > 0 && running < self.concurrency { continue }  // more may be due: claim again
                if !ticking {
                    ticking = true
                    let pause: Duration = running == 0 ? .milliseconds(500) : .milliseconds(100)
                    group.addTask {
                        try? await Task.sleep(for: pause)
                        return false
                    }
                }
                if let wasJob = await group.next() {
                    if wasJob { running -= 1 } else { ticking = false }
                }
            }
            group.cancelAll()
        }
    }

    /// Runs every due job, batch after batch, until none is left; returns how many ran. For tests.
    @discardableResult
    package func drain(maxBatches: Int = 1000) async throws -> Int {
        var total = 0
        for _ in 0..<maxBatches {
            let ran = try await self.runBatch()
            if ran == 0 { break }
            total += ran
        }
        return total
    }

    /// Claims up to `concurrency` jobs and runs them in parallel; each child records its own outcome.
    func runBatch() async throws -> Int {
        let batch = try await self.db.claimJobs(worker: self.worker, limit: self.concurrency, lease: Self.lease)
        await withDiscardingTaskGroup { group in
            for job in batch {
                group.addTask { await self.runOne(job) }
            }
        }
        return batch.count
    }

    func runOne(_ claimed: ClaimedJob) async {
        do {
            guard let job = try Job(kind: claimed.kind, payload: claimed.payload) else {
                // A newer process's job: leave it for a process that knows it, far in the future.
                try await self.db.failJob(
                    claimed.id,
                    error: "unknown job kind \(claimed.kind)",
                    retryAt: self.clock.now().addingTimeInterval(3600)
                )
                return
            }
            try await self.jobs.perform(job)
            try await self.db.completeJob(claimed.id)
        } catch {
            let delay = JobProcessor.retryDelay(afterAttempts: claimed.attempts, maxAttempts: claimed.maxAttempts)
            if delay == nil {
                self.logger.error(
                    "job \(claimed.id) (\(claimed.kind)) gave up after \(claimed.attempts) attempts: \(error)"
                )
            }
            try? await self.db.failJob(
                claimed.id,
                error: String(describing: error),
                retryAt: delay.map { self.clock.now().addingTimeInterval($0) }
            )
        }
    }

    /// Enqueues the periodic clean-ups unless one is already waiting; false when the database refused.
    func scheduleHousekeeping() async -> Bool {
        do {
            try await self.db.transaction { session in
                let pending = try await session.pendingJobCounts()
                if pending[Job.pruneOAuth.kind, default: 0] == 0 {
                    try await session.enqueue(.pruneOAuth, id: self.ids.next())
                }
                if let retention = self.mediaCacheRetention, pending["prune_media_cache", default: 0] == 0 {
                    try await session.enqueue(.pruneMediaCache(olderThanSeconds: Int64(retention)), id: self.ids.next())
                }
            }
            return true
        } catch {
            self.logger.warning("could not schedule housekeeping: \(String(reflecting: error))")
            return false
        }
    }
}
