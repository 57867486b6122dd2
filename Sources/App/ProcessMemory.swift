#if canImport(Glibc)
    import Glibc
#endif

/// What `tern serve` does to keep its resident memory to what serving needs: it unmaps its read-only
/// file pages once it listens and every few seconds after (`releaseFilePages`), and gives back the
/// heap's free pages as often (`trimHeap`); `MemoryReleaseService` runs both. Tests and the admin
/// commands do neither.
///
/// **File pages.**
/// Most of a server's resident memory is not data but pages of code and read-only data mapped from
/// the binary and the Swift libraries: everything start-up ran once (configuration, migrations, the
/// router's few hundred routes, templates), everything the first request of each kind ran once, and,
/// because the kernel maps 64 KiB around every page fault, their neighbours. Measured on the
/// benchmark (docs/benchmarks.md), a server that had just served thousands of timeline requests held
/// 58 MiB resident but had touched only 22 MiB of it while serving them.
///
/// This unmaps the pages of every private, read-only file mapping that has no private copy of a page
/// (`Anonymous: 0 kB` in `/proc/self/smaps`), with `MADV_DONTNEED`. For such a mapping that only
/// drops the page table entries: the pages stay in the page cache, shared and reclaimable, and
/// whatever the server runs next faults back in from there (no disk read while the cache holds them).
/// Writable mappings, shared mappings, anonymous memory and any mapping with a relocated (copied)
/// page are left alone, so no data can be lost. Linux only; elsewhere, and if `/proc` cannot be read,
/// it does nothing.
package enum ProcessMemory {
    /// What was released: how many mappings and bytes.
    package struct Released: Sendable, Equatable {
        package var mappings = 0
        package var bytes = 0
    }

    /// Releases the resident pages of the read-only file mappings. Returns what it released.
    @discardableResult
    package static func releaseFilePages() -> Released {
        #if os(Linux)
            guard let smaps = Self.read("/proc/self/smaps") else { return Released() }
            var released = Released()
            for mapping in Self.candidates(in: smaps) {
                guard let start = UnsafeMutableRawPointer(bitPattern: mapping.start) else { continue }
                if madvise(start, Int(mapping.end - mapping.start), MADV_DONTNEED) == 0 {
                    released.mappings += 1
                    released.bytes += mapping.residentBytes
                }
            }
            return released
        #else
            return Released()
        #endif
    }

    /// Hands the free pages inside the heap back to the system (glibc's `malloc_trim`). glibc gives
    /// memory back on its own only from the top of each arena, so after a burst of requests freed
    /// buffers stay resident in the middle (3.5 MiB of 13.5 after the timeline benchmark). Looked up
    /// at run time, as Swift's C library module does not declare it; a no-op elsewhere. Returns whether
    /// it ran.
    @discardableResult
    package static func trimHeap() -> Bool {
        guard let trim = Self.mallocTrim else { return false }
        _ = trim(0)
        return true
    }

    private typealias MallocTrim = @convention(c) (Int) -> Int32

    private static let mallocTrim: MallocTrim? = {
        #if os(Linux)
            guard let symbol = dlsym(nil, "malloc_trim") else { return nil }
            return unsafeBitCast(symbol, to: MallocTrim.self)
        #else
            return nil
        #endif
    }()

    /// A mapping whose pages may be dropped.
    package struct Mapping: Sendable, Equatable {
        package let start: UInt
        package let end: UInt
        package let residentBytes: Int

        package init(start: UInt, end: UInt, residentBytes: Int) {
            self.start = start
            self.end = end
            self.residentBytes = residentBytes
        }
    }

    /// The private, read-only, file-backed mappings with no anonymous (copied) page and some pages
    /// resident, from the text of `/proc/self/smaps`.
    package static func candidates(in smaps: String) -> [Mapping] {
        var result: [Mapping] = []
        var current: (start: UInt, end: UInt, eligible: Bool)?
        var resident = 0
        var anonymous = -1
        func finish() {
            if let current, current.eligible, anonymous == 0, resident > 0 {
                result.append(Mapping(start: current.start, end: current.end, residentBytes: resident))
            }
            current = nil
            resident = 0
            anonymous = -1
        }
        for line in smaps.split(separator: "\n", omittingEmptySubsequences: true) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let first = fields.first else { continue }
            if first.hasSuffix(":") {
                // "Rss:  1234 kB", "Anonymous:  0 kB", and the other counters of the current mapping.
                guard fields.count >= 2, let kilobytes = Int(fields[1]) else { continue }
                if first == "Rss:" { resident = kilobytes * 1024 }
                if first == "Anonymous:" { anonymous = kilobytes }
                continue
            }
            // A mapping's header: "start-end perms offset dev inode [path]".
            finish()
            let bounds = first.split(separator: "-")
            guard fields.count >= 6, bounds.count == 2, let start = UInt(bounds[0], radix: 16),
                let end = UInt(bounds[1], radix: 16), end > start
            else { continue }
            let permissions = fields[1]
            let path = fields[5]
            // Read-only ("r" then "-" for write), private ("p"), and a file: not [heap], [stack], [vdso].
            let eligible =
                permissions.count == 4 && permissions.hasPrefix("r-") && permissions.hasSuffix("p")
                && path.hasPrefix("/") && fields[4] != "0"
            current = (start, end, eligible)
        }
        finish()
        return result
    }

    #if os(Linux)
        /// Reads a file of `/proc`, whose size `stat` reports as 0, to its end.
        private static func read(_ path: String) -> String? {
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { return nil }
            defer { close(descriptor) }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 { return nil }
                if count == 0 { break }
                bytes.append(contentsOf: chunk[0..<count])
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    #endif
}
