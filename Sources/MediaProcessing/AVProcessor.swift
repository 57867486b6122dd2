import Foundation

/// Video and audio uploads, handled with Debian's `ffprobe` and `ffmpeg` when they are installed.
///
/// Nothing is re-encoded (a Raspberry Pi would take minutes per clip): the first video stream and the first audio
/// stream are copied into a fresh container with every tag, chapter, subtitle, data stream and cover picture
/// dropped, so a phone's GPS position (`location`, `©xyz`) or a recording date does not survive. Only codecs that
/// browsers play are accepted, so a copied stream plays where a Mastodon client shows it. A still frame of a video
/// becomes the picture clients show before playing.
package struct AVProcessor: Sendable {
    /// `ffprobe` and `ffmpeg`; nil when not installed (video and audio are then refused with a clear error).
    package let ffprobe: URL?
    package let ffmpeg: URL?
    /// Pixels per video frame (3840 x 2160, as Mastodon).
    package var maxVideoPixels = 8_294_400
    /// Frames per second (as Mastodon).
    package var maxFrameRate = 120.0
    /// How long one tool may run before it is stopped.
    package var timeout: TimeInterval = 120

    /// Finds the tools in `directory`, or on `PATH` when it is nil.
    package init(directory: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let folders =
            directory.map { [$0] }
            ?? (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
            .map(String.init)
        func find(_ name: String) -> URL? {
            folders.lazy.map { URL(fileURLWithPath: $0).appendingPathComponent(name) }
                .first { FileManager.default.isExecutableFile(atPath: $0.path) }
        }
        self.ffprobe = find("ffprobe")
        self.ffmpeg = find("ffmpeg")
    }

    /// Both tools are there.
    package var isAvailable: Bool { self.ffprobe != nil && self.ffmpeg != nil }

    /// What `ffprobe` found, already checked against the limits and the accepted codecs.
    package struct Probe: Sendable, Equatable {
        package var kind: AVKind
        package var container: AVContainer
        /// The container the streams are copied into.
        package var output: AVOutput
        package var width: Int?
        package var height: Int?
        /// Seconds.
        package var duration: Double?
        /// `"30/1"`, as ffprobe and Mastodon write it.
        package var frameRate: String?
        /// Bits per second.
        package var bitrate: Int?
        package var videoCodec: String?
        package var audioCodec: String?
    }

    /// A processed clip: the copied streams, and for a video a still frame (PNG) to make the preview from.
    package struct Processed: Sendable {
        package var file: Data
        package var output: AVOutput
        package var still: Data?
    }

    /// Reads the file's streams. `file` must be a path: MP4s keep their index at the end, so a pipe will not do.
    ///
    /// - Throws: ``MediaError/unsupported(_:)`` when the tools are missing, the container or a codec is not one
    ///   browsers play, or nothing playable is inside; ``MediaError/tooManyPixels(width:height:)`` above
    ///   `maxVideoPixels`; ``MediaError/corrupt(_:)`` when ffprobe cannot read it.
    package func probe(file: URL, container: AVContainer) throws(MediaError) -> Probe {
        guard let ffprobe, self.ffmpeg != nil else {
            throw .unsupported("video and audio are not supported on this server (ffmpeg is not installed)")
        }
        let run = try self.run(
            ffprobe,
            ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", "--", file.path]
        )
        guard run.status == 0,
            let json = try? JSONSerialization.jsonObject(with: run.stdout) as? [String: Any],
            let format = json["format"] as? [String: Any]
        else { throw .corrupt(Self.firstLine(run.stderr, otherwise: "ffprobe could not read the file")) }
        let streams = json["streams"] as? [[String: Any]] ?? []
        let video = streams.first { stream in
            guard stream["codec_type"] as? String == "video" else { return false }
            let disposition = stream["disposition"] as? [String: Any]
            return (disposition?["attached_pic"] as? Int ?? 0) == 0
        }
        let audio = streams.first { $0["codec_type"] as? String == "audio" }
        guard video != nil || audio != nil else { throw .unsupported("no video or audio stream") }
        var probe = Probe(
            kind: video == nil ? .audio : (audio == nil ? .silentVideo : .video),
            container: container,
            output: .mp4,
            duration: Self.number(format["duration"]),
            bitrate: Self.number(format["bit_rate"]).map { Int($0) },
            videoCodec: video?["codec_name"] as? String,
            audioCodec: audio?["codec_name"] as? String
        )
        if let video {
            guard let codec = probe.videoCodec, Self.videoCodecs.contains(codec) else {
                throw .unsupported(
                    "video codec \(probe.videoCodec ?? "unknown") is not supported (use H.264, VP9 or AV1)"
                )
            }
            let width = video["width"] as? Int ?? 0
            let height = video["height"] as? Int ?? 0
            guard width > 0, height > 0 else { throw .corrupt("the video has no frame size") }
            guard width * height <= self.maxVideoPixels else { throw .tooManyPixels(width: width, height: height) }
            probe.width = width
            probe.height = height
            let rate = (video["avg_frame_rate"] as? String).flatMap(Self.rate) ?? (video["r_frame_rate"] as? String)
            probe.frameRate = rate
            if let rate, let fps = Self.framesPerSecond(rate), fps > self.maxFrameRate {
                throw .unsupported("more than \(Int(self.maxFrameRate)) frames per second")
            }
        }
        if let audio = probe.audioCodec, !Self.audioCodecs.contains(audio) {
            throw .unsupported("audio codec \(audio) is not supported (use AAC, MP3, Opus, Vorbis or FLAC)")
        }
        guard let output = AVOutput.choose(video: probe.videoCodec, audio: probe.audioCodec) else {
            throw .unsupported("this mix of codecs is not supported")
        }
        probe.output = output
        return probe
    }

    /// Copies the playable streams into a clean container (see the type's notes) and, for a video, takes a still
    /// frame from a second in (or the middle of a shorter clip).
    package func process(file: URL, probe: Probe, scratch: URL) throws(MediaError) -> Processed {
        guard let ffmpeg else { throw .unsupported("video and audio are not supported on this server") }
        let out = scratch.appendingPathComponent("out.\(probe.output.fileExtension(kind: probe.kind))")
        var arguments = ["-nostdin", "-v", "error", "-y", "-i", file.path]
        arguments += probe.kind == .audio ? ["-map", "0:a:0", "-vn"] : ["-map", "0:V:0", "-map", "0:a:0?"]
        arguments += [
            "-c", "copy", "-map_metadata", "-1", "-map_chapters", "-1", "-sn", "-dn", "-fflags", "+bitexact",
        ]
        arguments += probe.output.muxerOptions + ["-f", probe.output.muxer, out.path]
        let copy = try self.run(ffmpeg, arguments)
        guard copy.status == 0, let data = FileManager.default.contents(atPath: out.path), !data.isEmpty else {
            throw .corrupt(Self.firstLine(copy.stderr, otherwise: "ffmpeg could not copy the streams"))
        }
        var still: Data?
        if probe.kind != .audio {
            let at = min(1, (probe.duration ?? 0) / 2)
            let frame = try self.run(
                ffmpeg,
                [
                    "-nostdin", "-v", "error", "-ss", String(format: "%.3f", at), "-i", out.path, "-map", "0:V:0",
                    "-frames:v", "1", "-f", "image2pipe", "-c:v", "png", "pipe:1",
                ]
            )
            guard frame.status == 0, !frame.stdout.isEmpty else {
                throw .corrupt(Self.firstLine(frame.stderr, otherwise: "no frame could be decoded"))
            }
            still = frame.stdout
        }
        return Processed(file: data, output: probe.output, still: still)
    }

    // MARK: - Codecs

    static let videoCodecs: Set<String> = ["h264", "hevc", "vp8", "vp9", "av1"]
    static let audioCodecs: Set<String> = ["aac", "mp3", "opus", "vorbis", "flac", "alac"]

    // MARK: - Running the tools

    private struct Run {
        var status: Int32
        var stdout: Data
        var stderr: Data
    }

    /// Runs a tool to its end (or until `timeout`), collecting what it writes. Blocks the calling thread: call it
    /// from the processing gate's thread.
    private func run(_ tool: URL, _ arguments: [String]) throws(MediaError) -> Run {
        let process = Process()
        process.executableURL = tool
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do {
            try process.run()
        } catch {
            throw .processingFailed("\(tool.lastPathComponent) could not start: \(error)")
        }
        let timer = DispatchWorkItem { [process] in if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + self.timeout, execute: timer)
        // Both pipes are drained at once, so neither fills up and stalls the tool.
        let errors = ReadBox()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errors.data = err.fileHandleForReading.readDataToEndOfFile() }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        timer.cancel()
        if process.terminationReason == .uncaughtSignal {
            throw .processingFailed("\(tool.lastPathComponent) was stopped after \(Int(self.timeout)) s")
        }
        return Run(status: process.terminationStatus, stdout: stdout, stderr: errors.data)
    }

    private final class ReadBox: @unchecked Sendable {
        var data = Data()
    }

    private static func firstLine(_ data: Data, otherwise: String) -> String {
        let line = String(decoding: data.prefix(500), as: UTF8.self).split(whereSeparator: \.isNewline).first
        return line.map(String.init) ?? otherwise
    }

    private static func number(_ value: Any?) -> Double? {
        if let text = value as? String { return Double(text) }
        return value as? Double
    }

    /// `"30000/1001"` kept as written; `"0/0"` (unknown) dropped.
    private static func rate(_ text: String) -> String? {
        Self.framesPerSecond(text).map { $0 > 0 ? text : nil } ?? nil
    }

    private static func framesPerSecond(_ text: String) -> Double? {
        let parts = text.split(separator: "/").compactMap { Double($0) }
        guard parts.count == 2, parts[1] > 0 else { return parts.count == 1 ? parts[0] : nil }
        return parts[0] / parts[1]
    }
}

/// What a clip holds, in Mastodon's terms: a video without sound is shown as a looping `gifv`.
package enum AVKind: String, Sendable {
    case video, silentVideo, audio
}

/// Containers recognised from their first bytes (never from a name or a declared type).
package enum AVContainer: String, Sendable {
    case mp4, quicktime, matroska, ogg, mp3, wav, flac, aac

    /// Identifies a video or audio container; nil for anything else.
    package static func sniff(_ data: Data) -> AVContainer? {
        let head = [UInt8](data.prefix(16))
        guard head.count >= 12 else { return nil }
        if Array(head[4..<8]) == Array("ftyp".utf8) {
            return Array(head[8..<12]) == Array("qt  ".utf8) ? .quicktime : .mp4
        }
        if head.starts(with: [0x1A, 0x45, 0xDF, 0xA3]) { return .matroska }
        if head.starts(with: Array("OggS".utf8)) { return .ogg }
        if head.starts(with: Array("fLaC".utf8)) { return .flac }
        if head.starts(with: Array("RIFF".utf8)), Array(head[8..<12]) == Array("WAVE".utf8) { return .wav }
        if head.starts(with: Array("ID3".utf8)) { return .mp3 }
        if head[0] == 0xFF, head[1] & 0xF6 == 0xF0 { return .aac }  // an ADTS header
        if head[0] == 0xFF, head[1] & 0xE0 == 0xE0, head[1] & 0x06 != 0 { return .mp3 }  // an MPEG audio frame
        return nil
    }
}

/// The container a clip is copied into.
package enum AVOutput: String, Sendable {
    case mp4, webm, ogg, mp3, flac

    static let webmCodecs: Set<String> = ["vp8", "vp9", "av1", "opus", "vorbis"]
    static let mp4Codecs: Set<String> = ["h264", "hevc", "av1", "vp9", "aac", "mp3", "opus", "flac", "alac"]

    /// WebM when every stream fits it, MP4 otherwise; sound alone keeps its usual container.
    static func choose(video: String?, audio: String?) -> AVOutput? {
        let codecs = Set([video, audio].compactMap { $0 })
        if video == nil, let audio {
            switch audio {
            case "mp3": return .mp3
            case "opus", "vorbis": return .ogg
            case "flac": return .flac
            default: return .mp4
            }
        }
        if codecs.isSubset(of: Self.webmCodecs) { return .webm }
        if codecs.isSubset(of: Self.mp4Codecs) { return .mp4 }
        return nil
    }

    var muxer: String {
        switch self {
        case .mp4: "mp4"
        case .webm: "webm"
        case .ogg: "ogg"
        case .mp3: "mp3"
        case .flac: "flac"
        }
    }

    /// An MP4's index goes first, so playing starts before the whole file is fetched.
    var muxerOptions: [String] { self == .mp4 ? ["-movflags", "+faststart"] : [] }

    package func mimeType(kind: AVKind) -> String {
        let top = kind == .audio ? "audio" : "video"
        switch self {
        case .mp4: return "\(top)/mp4"
        case .webm: return "\(top)/webm"
        case .ogg: return "audio/ogg"
        case .mp3: return "audio/mpeg"
        case .flac: return "audio/flac"
        }
    }

    package func fileExtension(kind: AVKind) -> String {
        switch self {
        case .mp4: kind == .audio ? "m4a" : "mp4"
        case .webm: "webm"
        case .ogg: "ogg"
        case .mp3: "mp3"
        case .flac: "flac"
        }
    }
}
