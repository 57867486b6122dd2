import Foundation
import Testing

@testable import MediaProcessing

/// Metadata removal, refusal of unsupported or hostile input.
@Suite struct SafetyTests {
    let processor = ImageProcessor()

    static let exifMarker: [UInt8] = Array("Exif".utf8) + [0, 0]

    static func photoWithGPS(_ format: ImageFormat, orientation: Int = 1) -> Data {
        let image = TestImage.make(width: 48, height: 32, bands: 3) { x, y in [UInt8(x * 5), UInt8(y * 7), 90] }
        return image.withMetadata(
            exif: ExifFixture.payload(orientation: orientation),
            orientation: orientation,
            xmp: xmpWithGPS
        )
        .encode(format)
    }

    // MARK: Metadata

    /// Every input format that libvips 8.14 can write EXIF into, and the output format each one is stored as.
    @Test(arguments: [
        (ImageFormat.jpeg, ImageFormat.jpeg), (.png, .png), (.webp, .webp), (.heif, .jpeg), (.avif, .jpeg),
    ])
    func gpsIsRemoved(input: ImageFormat, output: ImageFormat) throws {
        let data = Self.photoWithGPS(input)
        // The input really carries the GPS position: libvips reads it back, and the raw rational bytes are there.
        let latitude = try #require(Inspection.field("exif-ifd3-GPSLatitude", of: data, as: input))
        #expect(latitude.hasPrefix("52/1 22/1 1234/100"))
        #expect(data.contains(bytes: ExifFixture.latitudeBytes))
        #expect(data.contains(bytes: ExifFixture.longitudeBytes))

        let result = try processor.process(data)
        #expect(result.originalFormat == output)
        for (encoded, format) in [(result.original, output), (result.preview, ImageFormat.jpeg)] {
            let inspection = try Inspection.of(encoded, as: format)
            #expect(inspection.privateFields.isEmpty, "\(format) output keeps \(inspection.privateFields)")
            #expect(!encoded.contains(bytes: Self.exifMarker))
            #expect(!encoded.contains(bytes: ExifFixture.latitudeBytes))
            #expect(!encoded.contains(bytes: ExifFixture.longitudeBytes))
            #expect(!encoded.contains(ascii: "GPSLatitude"))
            #expect(!encoded.contains(ascii: "xmpmeta"))
            if format == .png { #expect(!encoded.contains(ascii: "eXIf")) }
        }
    }

    /// GIF cannot carry EXIF from libvips, but the animated-GIF path must come out clean as well (and the still-GIF
    /// path is covered by the PNG output checks).
    @Test func animatedGIFOutputHasNoMetadata() throws {
        let frames = (0..<3).map { index in
            TestImage.make(width: 24, height: 12, bands: 3) { _, _ in [UInt8(index * 90), 20, 20] }
        }
        let data = TestImage.animation(frames).withMetadata(exif: ExifFixture.payload(), xmp: xmpWithGPS)
            .encode(.gif)
        let result = try processor.process(data)
        #expect(result.isAnimated)
        let inspection = try Inspection.of(result.original, as: .gif)
        #expect(inspection.privateFields.isEmpty)
        #expect(!result.original.contains(bytes: Self.exifMarker))
        #expect(!result.original.contains(ascii: "xmpmeta"))
    }

    @Test func animatedWebPOutputHasNoMetadata() throws {
        let frames = (0..<3).map { index in
            TestImage.make(width: 24, height: 12, bands: 3) { _, _ in [UInt8(index * 90), 20, 20] }
        }
        let data = TestImage.animation(frames).withMetadata(exif: ExifFixture.payload(), xmp: xmpWithGPS)
            .encode(.webp)
        #expect(data.contains(bytes: ExifFixture.latitudeBytes))
        let result = try processor.process(data)
        #expect(result.isAnimated)
        let inspection = try Inspection.of(result.original, as: .webp)
        #expect(inspection.pages == 3)
        #expect(inspection.privateFields.isEmpty)
        #expect(!result.original.contains(bytes: Self.exifMarker))
        #expect(!result.original.contains(bytes: ExifFixture.latitudeBytes))
        #expect(!result.original.contains(ascii: "xmpmeta"))
    }

    @Test(arguments: [ImageFormat.jpeg, .png, .webp])
    func iccProfileIsConvertedAndRemoved(format: ImageFormat) throws {
        let png = TestImage.make(width: 40, height: 30, bands: 3) { x, y in [UInt8(x * 6), UInt8(y * 8), 128] }
            .encode(.png)
        let data = TestImage.withSRGBProfile(png: png).encode(format)
        #expect(Inspection.field("icc-profile-data", of: data, as: format) != nil)
        let result = try processor.process(data)
        for (encoded, outputFormat) in [(result.original, format), (result.preview, ImageFormat.jpeg)] {
            let inspection = try Inspection.of(encoded, as: outputFormat)
            #expect(inspection.privateFields.isEmpty, "\(outputFormat) output keeps \(inspection.privateFields)")
            #expect(!encoded.contains(ascii: "ICC_PROFILE"))
            #expect(!encoded.contains(ascii: "iCCP"))
            #expect(!encoded.contains(ascii: "ICCP"))
        }
        // Colours survive the sRGB-to-sRGB conversion.
        let output = try Inspection.of(result.original, as: format)
        #expect(output.pixel(20, 15).enumerated().allSatisfy { abs(Int($1) - [120, 120, 128][$0]) < 12 })
    }

    // MARK: Unsupported input

    static let unsupportedInputs: [(String, [UInt8])] = {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>"
        let xmlSVG = "\u{FEFF}<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"
        let pdf = "%PDF-1.7\n%\u{00E2}\u{00E3}\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
        let mp4: [UInt8] = [0, 0, 0, 0x18] + Array("ftypisom".utf8) + [0, 0, 2, 0] + Array("isomiso2".utf8)
        let tiff: [UInt8] = [0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0, 0, 0]
        return [
            ("text", Array("just some text, named photo.jpg".utf8)),
            ("svg", Array(svg.utf8)),
            ("xml svg", Array(xmlSVG.utf8)),
            ("pdf", Array(pdf.utf8)),
            ("mp4", mp4),
            ("tiff", tiff),
            ("empty", []),
        ]
    }()

    @Test(arguments: unsupportedInputs)
    func unsupportedInputIsRefused(name: String, bytes: [UInt8]) {
        let data = Data(bytes)
        let operations: [() throws -> Void] = [{ _ = try processor.probe(data) }, { _ = try processor.process(data) }]
        for operation in operations {
            let error = mediaError(operation)
            guard case .unsupported = error else {
                Issue.record("\(name): expected .unsupported, got \(String(describing: error))")
                continue
            }
        }
    }

    @Test func unsupportedReasonsNameTheType() {
        #expect(
            mediaError { _ = try ImageFormat.sniff(Data("<svg/>".utf8)) }
                == .unsupported("SVG images are not supported")
        )
        #expect(
            mediaError { _ = try ImageFormat.sniff(Data("%PDF-1.4".utf8)) }
                == .unsupported("PDF documents are not supported")
        )
    }

    @Test func sniffingIgnoresEverythingButMagicBytes() throws {
        #expect(try ImageFormat.sniff(Data([0xFF, 0xD8, 0xFF, 0xE0])) == .jpeg)
        #expect(try ImageFormat.sniff(Data(Array("GIF87a".utf8))) == .gif)
        let heic = [0, 0, 0, 0x18] + Array("ftypmif1".utf8) + [0, 0, 0, 0] + Array("mif1heic".utf8)
        #expect(try ImageFormat.sniff(Data(heic)) == .heif)
        let avif = [0, 0, 0, 0x18] + Array("ftypmif1".utf8) + [0, 0, 0, 0] + Array("mif1avif".utf8)
        #expect(try ImageFormat.sniff(Data(avif)) == .avif)
    }

    // MARK: Decompression bombs

    /// A PNG whose header claims 30000 x 30000 pixels (900 megapixels) followed by a few bytes of image data.
    static func pngBomb(width: UInt32 = 30_000, height: UInt32 = 30_000) -> Data {
        let header = bigEndian(width) + bigEndian(height) + [8, 2, 0, 0, 0]  // 8-bit RGB
        let idat: [UInt8] = [0x78, 0x9C, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01]
        let bytes =
            [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + pngChunk("IHDR", header) + pngChunk("IDAT", idat)
            + pngChunk("IEND", [])
        return Data(bytes)
    }

    @Test func pngBombIsRefusedFromItsHeader() {
        let bomb = Self.pngBomb()
        #expect(mediaError { _ = try processor.probe(bomb) } == .tooManyPixels(width: 30_000, height: 30_000))
        #expect(mediaError { _ = try processor.process(bomb) } == .tooManyPixels(width: 30_000, height: 30_000))
    }

    @Test func jpegBombIsRefusedFromItsHeader() throws {
        // A real JPEG whose frame header (SOF0) is patched to claim 30000 x 30000.
        var bytes = [UInt8](TestImage.make(width: 16, height: 16, bands: 3) { _, _ in [10, 20, 30] }.encode(.jpeg))
        var index = 2
        var patched = false
        while index + 9 < bytes.count, bytes[index] == 0xFF {
            let marker = bytes[index + 1]
            let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
            if marker == 0xC0 || marker == 0xC2 {
                bytes.replaceSubrange((index + 5)..<(index + 9), with: [0x75, 0x30, 0x75, 0x30])
                patched = true
                break
            }
            index += 2 + length
        }
        try #require(patched)
        let bomb = Data(bytes)
        #expect(mediaError { _ = try processor.process(bomb) } == .tooManyPixels(width: 30_000, height: 30_000))
    }

    @Test func framesCountTowardsTheDecodeLimit() throws {
        let frames = (0..<3).map { index in
            TestImage.make(width: 20, height: 20, bands: 3) { _, _ in [UInt8(index * 60), 0, 0] }
        }
        let animated = TestImage.animation(frames).encode(.gif)
        let strict = ImageProcessor(maxDecodePixels: 1000)  // one frame is 400 pixels, three are 1200
        #expect(mediaError { _ = try strict.process(animated) } == .tooManyPixels(width: 20, height: 20))
        let still = frames[0].encode(.gif)
        #expect(try strict.process(still).width == 20)
    }

    @Test func limitIsInclusive() throws {
        let image = TestImage.make(width: 25, height: 40, bands: 3) { _, _ in [1, 2, 3] }.encode(.png)
        #expect(try ImageProcessor(maxDecodePixels: 1000).probe(image).width == 25)
        #expect(mediaError { _ = try ImageProcessor(maxDecodePixels: 999).probe(image) } != nil)
    }

    // MARK: Corrupt input

    @Test func truncatedJPEGIsCorrupt() throws {
        let image = TestImage.make(width: 128, height: 96, bands: 3) { x, y in [UInt8(x), UInt8(y), UInt8(x ^ y)] }
        let jpeg = image.encode(.jpeg)
        let truncated = jpeg.prefix(jpeg.count / 2)
        // The header is intact, so probing works; decoding the pixels does not.
        #expect(try processor.probe(truncated).width == 128)
        guard case .corrupt = mediaError({ _ = try processor.process(truncated) }) else {
            Issue.record("truncated JPEG was not reported as corrupt")
            return
        }
    }

    @Test(arguments: [ImageFormat.jpeg, .png, .webp, .gif])
    func headerOnlyFragmentsAreCorrupt(format: ImageFormat) {
        let data = TestImage.make(width: 32, height: 32, bands: 3) { x, _ in [UInt8(x * 8), 0, 0] }.encode(format)
        let fragment = data.prefix(14)
        let operations: [() throws -> Void] = [
            { _ = try processor.probe(fragment) }, { _ = try processor.process(fragment) },
        ]
        for operation in operations {
            guard case .corrupt = mediaError(operation) else {
                Issue.record("\(format) fragment was not reported as corrupt")
                continue
            }
        }
    }

    @Test func truncatedPNGIsCorrupt() {
        let image = TestImage.make(width: 128, height: 96, bands: 3) { x, y in [UInt8(x), UInt8(y), UInt8(x ^ y)] }
        let png = image.encode(.png)
        let truncated = png.prefix(png.count / 2)
        let error = mediaError({ _ = try processor.process(truncated) })
        guard case .corrupt = error else {
            Issue.record("truncated PNG was not reported as corrupt: \(String(describing: error))")
            return
        }
    }

    @Test func garbageAfterMagicBytesIsCorrupt() {
        var bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0]
        for index in 0..<500 { bytes.append(UInt8((index * 73 + 11) % 256)) }
        guard case .corrupt = mediaError({ _ = try processor.process(Data(bytes)) }) else {
            Issue.record("garbage JPEG was not reported as corrupt")
            return
        }
    }

    /// Deterministically damaged files (bytes overwritten, cut short) must fail with a `MediaError` or still
    /// produce a valid result, never crash.
    @Test(arguments: [ImageFormat.jpeg, .png, .webp, .gif, .heif])
    func damagedFilesNeverCrash(format: ImageFormat) throws {
        let original = [UInt8](
            TestImage.make(width: 40, height: 30, bands: 3) { x, y in [UInt8(x * 6), UInt8(y * 8), UInt8(x ^ y)] }
                .encode(format)
        )
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            seed ^= seed << 13
            seed ^= seed >> 7
            seed ^= seed << 17
            return Int(seed % UInt64(Int.max))
        }
        for round in 0..<24 {
            var bytes = original
            // Keep the magic bytes so the decoder, not the sniffer, sees the damage.
            for _ in 0..<(1 + round % 4) {
                let position = 12 + next() % (bytes.count - 12)
                bytes[position] = UInt8(next() % 256)
            }
            if round % 3 == 0 { bytes.removeLast(next() % (bytes.count / 2)) }
            do {
                let result = try processor.process(Data(bytes))
                #expect(result.width > 0 && result.height > 0)
                #expect(result.preview.starts(with: [0xFF, 0xD8, 0xFF]))
            } catch is MediaError {
                // Refused cleanly.
            }
        }
    }

    @Test func errorsDescribeThemselves() {
        #expect(MediaError.tooManyPixels(width: 3, height: 4).description == "image too large: 3x4")
        #expect(MediaError.unsupported("x").description.contains("unsupported"))
    }
}

@Suite struct WebPContainerTests {
    static func chunk(_ fourCC: String, _ payload: [UInt8]) -> [UInt8] {
        let size = payload.count
        let header = Array(fourCC.utf8) + (0..<4).map { UInt8((size >> (8 * $0)) & 0xFF) }
        return header + payload + (size % 2 == 1 ? [0] : [])
    }

    static func riff(_ chunks: [[UInt8]]) -> [UInt8] {
        let body = Array("WEBP".utf8) + chunks.flatMap { $0 }
        return Array("RIFF".utf8) + (0..<4).map { UInt8((body.count >> (8 * $0)) & 0xFF) } + body
    }

    @Test func metadataChunksAndFlagsAreRemoved() throws {
        let flags: UInt8 = 0x20 | 0x10 | 0x08 | 0x04  // ICC, alpha, EXIF, XMP
        let vp8x = Self.chunk("VP8X", [flags, 0, 0, 0, 9, 0, 0, 9, 0, 0])
        let image = Self.chunk("VP8L", [0x2F, 1, 2, 3, 4])
        let input = Self.riff([
            vp8x, Self.chunk("ICCP", [1, 2, 3]), image, Self.chunk("EXIF", [9, 9, 9]), Self.chunk("XMP ", [7, 7]),
        ])
        let output = try WebPContainer.removingMetadata(input)
        let expectedVP8X = Self.chunk("VP8X", [0x10, 0, 0, 0, 9, 0, 0, 9, 0, 0])
        #expect(output == Self.riff([expectedVP8X, image]))
    }

    @Test func plainFilesAreUnchanged() throws {
        let input = Self.riff([Self.chunk("VP8 ", [1, 2, 3, 4, 5, 6])])
        #expect(try WebPContainer.removingMetadata(input) == input)
    }

    @Test func malformedContainersAreRejected() {
        var truncated = Self.riff([Self.chunk("VP8 ", [1, 2, 3, 4, 5, 6])])
        truncated.removeLast(3)
        #expect(mediaError { _ = try WebPContainer.removingMetadata(truncated) } != nil)
        #expect(mediaError { _ = try WebPContainer.removingMetadata(Array("RIFF0000WAVE".utf8)) } != nil)
    }
}
