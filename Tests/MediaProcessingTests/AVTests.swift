import Foundation
import Testing

@testable import MediaProcessing

/// Clips made by Debian's ffmpeg in each test (the CI installs it), then probed and cleaned by ``AVProcessor``.
@Suite("Video and audio")
struct AVTests {
    let av = AVProcessor()

    /// A folder removed when the test ends.
    final class Scratch {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tern-av-test-\(UUID().uuidString)")
        init() throws { try FileManager.default.createDirectory(at: self.url, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: self.url) }
        func file(_ name: String) -> URL { self.url.appendingPathComponent(name) }
    }

    /// Runs a tool found by `AVProcessor` and answers its standard output.
    @discardableResult
    static func tool(_ url: URL?, _ arguments: [String]) throws -> Data {
        let executable = try #require(url, "ffmpeg and ffprobe must be installed (apt-get install ffmpeg)")
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(executable.lastPathComponent) \(arguments.joined(separator: " "))")
        return data
    }

    /// Makes a clip with ffmpeg's test sources.
    func make(_ name: String, in scratch: Scratch, _ arguments: [String]) throws -> URL {
        let file = scratch.file(name)
        try Self.tool(self.av.ffmpeg, ["-nostdin", "-v", "error", "-y"] + arguments + [file.path])
        return file
    }

    /// Every tag ffprobe reads in a file, container's and streams', lowercased.
    func tags(_ data: Data, in scratch: Scratch) throws -> String {
        let file = scratch.file("check-\(UUID().uuidString)")
        try data.write(to: file)
        let json = try Self.tool(
            self.av.ffprobe,
            ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", file.path]
        )
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        var all: [String] = []
        if let format = object["format"] as? [String: Any], let tags = format["tags"] { all.append("\(tags)") }
        for stream in object["streams"] as? [[String: Any]] ?? [] {
            if let tags = stream["tags"] { all.append("\(tags)") }
        }
        return all.joined(separator: "\n").lowercased()
    }

    static let video = ["-f", "lavfi", "-i", "testsrc=duration=2:size=320x240:rate=10"]
    static let sound = ["-f", "lavfi", "-i", "sine=frequency=440:duration=2"]
    static let gps = ["-metadata", "location=+48.8583+002.2945/", "-metadata", "title=At home on holiday"]

    @Test("The first bytes tell the container; pictures are not clips")
    func sniffing() {
        func bytes(_ head: [UInt8]) -> Data { Data(head + [UInt8](repeating: 0, count: 16)) }
        #expect(AVContainer.sniff(bytes([0, 0, 0, 0x20] + Array("ftypisom".utf8))) == .mp4)
        #expect(AVContainer.sniff(bytes([0, 0, 0, 0x14] + Array("ftypqt  ".utf8))) == .quicktime)
        #expect(AVContainer.sniff(bytes([0x1A, 0x45, 0xDF, 0xA3])) == .matroska)
        #expect(AVContainer.sniff(bytes(Array("OggS".utf8))) == .ogg)
        #expect(AVContainer.sniff(bytes(Array("fLaC".utf8))) == .flac)
        #expect(AVContainer.sniff(bytes(Array("ID3".utf8))) == .mp3)
        #expect(AVContainer.sniff(bytes([0xFF, 0xFB, 0x90])) == .mp3)
        #expect(AVContainer.sniff(bytes([0xFF, 0xF1, 0x50])) == .aac)
        #expect(AVContainer.sniff(bytes(Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WAVE".utf8))) == .wav)
        #expect(AVContainer.sniff(bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) == nil)
        #expect(AVContainer.sniff(bytes(Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WEBP".utf8))) == nil)
        #expect(AVContainer.sniff(Data("<svg xmlns=\"http://www.w3.org/2000/svg\"/>".utf8)) == nil)
        #expect(AVContainer.sniff(Data([0, 0])) == nil)
    }

    @Test("An MP4 with sound: read, copied without its GPS tag or title, and a still taken")
    func mp4WithSound() throws {
        let scratch = try Scratch()
        let file = try self.make(
            "in.mp4",
            in: scratch,
            Self.video + Self.sound + ["-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest"] + Self.gps
        )
        #expect(try self.tags(try Data(contentsOf: file), in: scratch).contains("48.8583"))  // the GPS tag is there
        let probe = try self.av.probe(file: file, container: .mp4)
        #expect(probe.kind == .video)
        #expect(probe.output == .mp4)
        #expect(probe.width == 320 && probe.height == 240)
        #expect(probe.frameRate == "10/1")
        #expect(probe.videoCodec == "h264" && probe.audioCodec == "aac")
        let duration = try #require(probe.duration)
        #expect(abs(duration - 2) < 0.2)
        #expect((probe.bitrate ?? 0) > 0)

        let clip = try self.av.process(file: file, probe: probe, scratch: scratch.url)
        #expect(clip.output.mimeType(kind: probe.kind) == "video/mp4")
        let tags = try self.tags(clip.file, in: scratch)
        #expect(!tags.contains("48.8583") && !tags.contains("+002.2945"), "\(tags)")
        #expect(!tags.contains("holiday"), "\(tags)")
        let still = try #require(clip.still)
        let picture = try ImageProcessor().process(still)
        #expect(picture.width == 320 && picture.height == 240)
        #expect(picture.blurhash.count == 28)
        // The copy is itself a clip that reads the same.
        let copy = scratch.file("copy.mp4")
        try clip.file.write(to: copy)
        let again = try self.av.probe(file: copy, container: .mp4)
        #expect(again.width == 320 && again.videoCodec == "h264" && again.audioCodec == "aac")
    }

    @Test("A silent WebM is a gifv kept as WebM")
    func silentWebM() throws {
        let scratch = try Scratch()
        let file = try self.make(
            "in.webm",
            in: scratch,
            Self.video + ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-b:v", "200k"] + Self.gps
        )
        let probe = try self.av.probe(file: file, container: .matroska)
        #expect(probe.kind == .silentVideo && probe.output == .webm && probe.audioCodec == nil)
        let clip = try self.av.process(file: file, probe: probe, scratch: scratch.url)
        #expect(clip.output.mimeType(kind: probe.kind) == "video/webm")
        #expect(clip.still != nil)
        #expect(!(try self.tags(clip.file, in: scratch)).contains("holiday"))
    }

    @Test("An MP3 with a cover picture and tags keeps only the sound")
    func mp3WithCover() throws {
        let scratch = try Scratch()
        let cover = scratch.file("cover.png")
        try TestImage.make(width: 64, height: 64, bands: 3) { x, y in [UInt8(x * 4), UInt8(y * 4), 0] }
            .encode(.png).write(to: cover)
        let file = try self.make(
            "in.mp3",
            in: scratch,
            Self.sound + [
                "-i", cover.path, "-map", "0:a", "-map", "1:v", "-c:a", "libmp3lame", "-c:v", "png", "-id3v2_version",
                "3", "-disposition:v", "attached_pic",
            ] + Self.gps
        )
        let probe = try self.av.probe(file: file, container: .mp3)
        #expect(probe.kind == .audio && probe.output == .mp3 && probe.width == nil)
        let clip = try self.av.process(file: file, probe: probe, scratch: scratch.url)
        #expect(clip.still == nil)
        #expect(clip.output.mimeType(kind: .audio) == "audio/mpeg")
        let copy = scratch.file("copy.mp3")
        try clip.file.write(to: copy)
        let again = try self.av.probe(file: copy, container: .mp3)
        #expect(again.kind == .audio)
        let streams = try Self.tool(self.av.ffprobe, ["-v", "error", "-show_streams", copy.path])
        #expect(!String(decoding: streams, as: UTF8.self).contains("codec_type=video"))  // the cover is gone
        #expect(!(try self.tags(clip.file, in: scratch)).contains("holiday"))
    }

    @Test("A codec browsers do not play is refused by name")
    func unsupportedCodec() throws {
        let scratch = try Scratch()
        let file = try self.make("in.mp4", in: scratch, Self.video + ["-c:v", "mpeg4"])
        #expect(throws: MediaError.unsupported("video codec mpeg4 is not supported (use H.264, VP9 or AV1)")) {
            try self.av.probe(file: file, container: .mp4)
        }
    }

    @Test("More pixels than 4K per frame are refused")
    func tooLarge() throws {
        let scratch = try Scratch()
        let file = try self.make(
            "in.mp4",
            in: scratch,
            [
                "-f", "lavfi", "-i", "color=size=4000x2200:duration=0.1:rate=1", "-c:v", "libx264", "-preset",
                "ultrafast",
            ]
        )
        #expect(throws: MediaError.tooManyPixels(width: 4000, height: 2200)) {
            try self.av.probe(file: file, container: .mp4)
        }
    }

    @Test("A clip cut short, or bytes that only look like one, are corrupt")
    func corrupt() throws {
        let scratch = try Scratch()
        let file = try self.make("in.mp4", in: scratch, Self.video + ["-c:v", "libx264", "-preset", "ultrafast"])
        let whole = try Data(contentsOf: file)
        let cut = scratch.file("cut.mp4")
        try whole.prefix(whole.count / 2).write(to: cut)
        var caught: MediaError?
        do { _ = try self.av.probe(file: cut, container: .mp4) } catch { caught = error }
        guard case .corrupt = caught else {
            Issue.record("a cut MP4 was \(String(describing: caught))")
            return
        }
        let fake = scratch.file("fake.webm")
        try Data([0x1A, 0x45, 0xDF, 0xA3] + [UInt8](repeating: 0x42, count: 2000)).write(to: fake)
        caught = nil
        do { _ = try self.av.probe(file: fake, container: .matroska) } catch { caught = error }
        guard case .corrupt = caught else {
            Issue.record("garbage after a Matroska header was \(String(describing: caught))")
            return
        }
    }

    @Test("Without ffmpeg a clip is refused, saying so")
    func withoutTools() throws {
        let scratch = try Scratch()
        let none = AVProcessor(directory: scratch.url.path)
        #expect(!none.isAvailable)
        #expect(
            throws: MediaError.unsupported("video and audio are not supported on this server (ffmpeg is not installed)")
        ) {
            try none.probe(file: scratch.file("in.mp4"), container: .mp4)
        }
    }
}
