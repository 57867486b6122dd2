import Foundation
import QRCode
import Testing

/// Renders the SVG to PNG and reads it back with a real QR decoder. Needs `rsvg-convert` (Debian: librsvg2-bin) and
/// `zbarimg` (Debian: zbar-tools); skipped when either is missing.
@Suite struct ScanRoundTripTests {
    static let rsvgConvert = Self.executable("rsvg-convert")
    static let zbarimg = Self.executable("zbarimg")
    static let toolsPresent = Self.rsvgConvert != nil && Self.zbarimg != nil

    /// The full path of `name` in `PATH`, if it is there and executable.
    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":")
            .map { "\($0)/\(name)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `executable` with `arguments`; returns its standard output, or nil when it exits non-zero.
    static func run(_ executable: String, _ arguments: [String]) throws -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            return nil
        }
        return String(decoding: data, as: UTF8.self)
    }

    @Test(
        "an otpauth URI survives SVG → PNG → zbarimg",
        .enabled(
            if: Self.toolsPresent,
            "needs rsvg-convert (apt: librsvg2-bin) and zbarimg (apt: zbar-tools); skipped because one is missing"
        ),
        arguments: [1, 4]
    )
    func scan(moduleSize: Int) throws {
        let rsvgConvert = try #require(Self.rsvgConvert)
        let zbarimg = try #require(Self.zbarimg)
        let text =
            "otpauth://totp/Tern%3A%20Staging:user%40tern.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            + "&issuer=Tern%3A%20Staging&algorithm=SHA1&digits=6&period=30"
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("qrcode-scan-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let svgFile = directory.appendingPathComponent("code.svg")
        let pngFile = directory.appendingPathComponent("code.png")
        try QRCode.svg(for: text, title: "<Scan & enrol>", moduleSize: moduleSize)
            .write(to: svgFile, atomically: true, encoding: .utf8)
        // Scale small renders up so the decoder gets a few pixels per module either way.
        let zoom = String(max(1, 4 / moduleSize))
        let rendered = try Self.run(rsvgConvert, ["--zoom", zoom, "--output", pngFile.path, svgFile.path])
        try #require(rendered != nil, "rsvg-convert failed")
        let decoded = try Self.run(zbarimg, ["--quiet", "--raw", pngFile.path])
        #expect(decoded?.trimmingCharacters(in: .newlines) == text)
    }
}
