import Foundation

/// Video and sound files made by Debian's ffmpeg (installed by the CI) for the tests.
package enum TestClips {
    /// A two-second 320x240 H.264 MP4, with AAC sound unless `silent`, tagged with a GPS position.
    package static func mp4(silent: Bool = false) throws -> Data {
        var arguments = ["-f", "lavfi", "-i", "testsrc=duration=2:size=320x240:rate=10"]
        if !silent { arguments += ["-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "aac", "-shortest"] }
        arguments += ["-c:v", "libx264", "-preset", "ultrafast", "-metadata", "location=+48.8583+002.2945/"]
        return try Self.make("mp4", arguments)
    }

    /// Two seconds of a 440 Hz tone as an MP3.
    package static func mp3() throws -> Data {
        try Self.make("mp3", ["-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "libmp3lame"])
    }

    private static func make(_ ext: String, _ arguments: [String]) throws -> Data {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tern-clip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("clip.\(ext)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ffmpeg", "-nostdin", "-v", "error", "-y"] + arguments + [out.path]
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(
                .fileWriteUnknown,
                userInfo: [NSLocalizedDescriptionKey: "ffmpeg failed; is it installed?"]
            )
        }
        return try Data(contentsOf: out)
    }
}
