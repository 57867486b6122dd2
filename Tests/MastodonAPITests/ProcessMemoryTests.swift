import App
import Foundation
import Testing

@Suite struct ProcessMemoryTests {
    /// Mappings in `/proc/self/smaps` form: the header line, then the counters that matter here.
    static func mapping(_ header: String, rss: Int, anonymous: Int) -> String {
        "\(header)\nSize:               64 kB\nRss:             \(rss) kB\nPss:                0 kB\n"
            + "Anonymous:        \(anonymous) kB\nVmFlags: rd ex mr mw me\n"
    }

    @Test("only private read-only file mappings with no copied page and something resident are released")
    func choosesMappings() {
        let smaps = [
            // Code of the binary: released.
            Self.mapping("00400000-00500000 r-xp 00000000 fd:01 1234  /usr/bin/tern", rss: 512, anonymous: 0),
            // Read-only data of a library: released.
            Self.mapping("7f0000000000-7f0000010000 r--p 00000000 fd:01 99  /usr/lib/libx.so", rss: 64, anonymous: 0),
            // RELRO: read-only now, but the loader wrote relocations into it.
            Self.mapping("7f0000010000-7f0000020000 r--p 00010000 fd:01 99  /usr/lib/libx.so", rss: 64, anonymous: 4),
            // Writable data: never.
            Self.mapping("7f0000020000-7f0000030000 rw-p 00020000 fd:01 99  /usr/lib/libx.so", rss: 64, anonymous: 0),
            // Shared mapping (a database file mapped by SQLite, say): never.
            Self.mapping("7f0000030000-7f0000040000 r--s 00000000 fd:01 77  /data/tern.sqlite", rss: 64, anonymous: 0),
            // Anonymous memory and the kernel's pages: never.
            Self.mapping("7f0000040000-7f0000050000 r--p 00000000 00:00 0 ", rss: 64, anonymous: 0),
            Self.mapping("7ffc00000000-7ffc00002000 r-xp 00000000 00:00 0  [vdso]", rss: 8, anonymous: 0),
            // Nothing resident: nothing to do.
            Self.mapping("7f0000050000-7f0000060000 r-xp 00000000 fd:01 98  /usr/lib/liby.so", rss: 0, anonymous: 0),
            // Garbage lines are skipped, and do not make the next mapping eligible.
            "not a mapping at all\nRss: lots kB\n",
            Self.mapping("7f0000060000-7f0000070000 r-xp 00000000 fd:01 97  /usr/lib/libz.so", rss: 16, anonymous: 0),
        ].joined()
        let chosen = ProcessMemory.candidates(in: smaps)
        #expect(
            chosen == [
                .init(start: 0x0040_0000, end: 0x0050_0000, residentBytes: 512 * 1024),
                .init(start: 0x7f00_0000_0000, end: 0x7f00_0001_0000, residentBytes: 64 * 1024),
                .init(start: 0x7f00_0006_0000, end: 0x7f00_0007_0000, residentBytes: 16 * 1024),
            ]
        )
        #expect(ProcessMemory.candidates(in: "").isEmpty)
        // A mapping whose counters never came (a truncated read) is not released.
        #expect(ProcessMemory.candidates(in: "00400000-00500000 r-xp 00000000 fd:01 1234  /usr/bin/tern\n").isEmpty)
    }

    #if os(Linux)
        @Test("releasing file pages lowers this process's resident file pages, and the code still runs")
        func releasesPages() throws {
            func residentFileKiB() throws -> Int {
                let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
                let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("RssFile:") })
                return try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
            }
            let before = try residentFileKiB()
            let released = ProcessMemory.releaseFilePages()
            let after = try residentFileKiB()
            #expect(released.mappings > 0)
            #expect(released.bytes > 0)
            #expect(after < before)
            // The pages come back from the page cache when used: this code, Foundation and the runtime.
            #expect(ProcessMemory.candidates(in: "").isEmpty)
            #expect(String(describing: Date(timeIntervalSince1970: 0)).hasPrefix("1970-01-01"))
            #expect(try residentFileKiB() > 0)
        }

        @Test("the heap trim is found in glibc")
        func trimsHeap() {
            #expect(ProcessMemory.trimHeap())
        }
    #endif
}
