import Foundation
import Testing

@testable import MediaProcessing

@Suite struct ImageProcessorTests {
    let processor = ImageProcessor()

    /// A 64x48 RGB image with distinct colours everywhere.
    static func photo(width: Int = 64, height: Int = 48) -> TestImage {
        TestImage.make(width: width, height: height, bands: 3) { x, y in
            [UInt8(x * 255 / max(width - 1, 1)), UInt8(y * 255 / max(height - 1, 1)), UInt8((x + y) % 256)]
        }
    }

    // MARK: Probing

    @Test(arguments: [ImageFormat.jpeg, .png, .webp, .gif, .heif, .avif])
    func probeReadsFormatAndSize(format: ImageFormat) throws {
        let data = Self.photo().encode(format)
        #expect(try processor.probe(data) == ImageProbe(format: format, width: 64, height: 48, pages: 1))
    }

    @Test(arguments: [ImageFormat.gif, .webp])
    func probeCountsFrames(format: ImageFormat) throws {
        let frames = (0..<3).map { index in
            TestImage.make(width: 20, height: 10, bands: 3) { _, _ in [UInt8(index * 100), 50, 200] }
        }
        let data = TestImage.animation(frames).encode(format)
        #expect(try processor.probe(data) == ImageProbe(format: format, width: 20, height: 10, pages: 3))
    }

    // MARK: Format conversions

    @Test func jpegStaysJPEG() throws {
        let result = try processor.process(Self.photo().encode(.jpeg))
        #expect(result.originalFormat == .jpeg)
        #expect(result.original.starts(with: [0xFF, 0xD8, 0xFF]))
        #expect((result.width, result.height) == (64, 48))
        #expect(!result.isAnimated)
        let output = try Inspection.of(result.original, as: .jpeg)
        #expect((output.width, output.height, output.bands) == (64, 48, 3))
    }

    @Test func pngWithAlphaKeepsAlphaAndPreviewIsFlattenedJPEG() throws {
        let image = TestImage.make(width: 64, height: 48, bands: 4) { x, y in
            [200, UInt8(y * 5), 30, x < 32 ? 0 : 255]  // left half fully transparent
        }
        let result = try processor.process(image.encode(.png))
        #expect(result.originalFormat == .png)
        let output = try Inspection.of(result.original, as: .png)
        #expect(output.hasAlpha)
        #expect(output.bands == 4)
        #expect(output.pixel(5, 5)[3] == 0)
        #expect(output.pixel(50, 5)[3] == 255)

        #expect(result.preview.starts(with: [0xFF, 0xD8, 0xFF]))
        let preview = try Inspection.of(result.preview, as: .jpeg)
        #expect(!preview.hasAlpha)
        #expect(preview.bands == 3)
        #expect((preview.width, preview.height) == (result.previewWidth, result.previewHeight))
        // Transparent pixels become white.
        #expect(preview.pixel(5, 24).allSatisfy { $0 > 240 })
    }

    @Test func greyPNGBecomesSRGB() throws {
        let image = TestImage.make(width: 30, height: 20, bands: 1) { x, _ in [UInt8(x * 8)] }
        let result = try processor.process(image.encode(.png))
        let output = try Inspection.of(result.original, as: .png)
        #expect(output.bands == 3)
    }

    @Test func webpStaysWebP() throws {
        let result = try processor.process(Self.photo().encode(.webp))
        #expect(result.originalFormat == .webp)
        #expect(try processor.probe(result.original).format == .webp)
        #expect(!result.isAnimated)
    }

    @Test(arguments: [ImageFormat.heif, .avif])
    func heifAndAVIFBecomeJPEG(format: ImageFormat) throws {
        let result = try processor.process(Self.photo().encode(format))
        #expect(result.originalFormat == .jpeg)
        #expect(result.original.starts(with: [0xFF, 0xD8, 0xFF]))
        #expect((result.width, result.height) == (64, 48))
    }

    @Test func stillGIFBecomesPNG() throws {
        let result = try processor.process(Self.photo().encode(.gif))
        #expect(result.originalFormat == .png)
        #expect(!result.isAnimated)
        let output = try Inspection.of(result.original, as: .png)
        #expect((output.width, output.height) == (64, 48))
    }

    @Test func animatedGIFStaysAnimatedGIF() throws {
        let colours: [[UInt8]] = [[255, 0, 0], [0, 255, 0], [0, 0, 255]]
        let frames = colours.map { colour in TestImage.make(width: 40, height: 30, bands: 3) { _, _ in colour } }
        let result = try processor.process(TestImage.animation(frames).encode(.gif))
        #expect(result.originalFormat == .gif)
        #expect(result.isAnimated)
        #expect((result.width, result.height) == (40, 30))
        let output = try Inspection.of(result.original, as: .gif)
        #expect(output.pages == 3)
        #expect(output.pageHeight == 30)
        #expect(output.height == 90)
        // Frame order survives: the first frame is red, the last blue.
        #expect(output.pixel(20, 15)[0] > 200)
        #expect(output.pixel(20, 75)[2] > 200)
        // The preview is the first frame.
        let preview = try Inspection.of(result.preview, as: .jpeg)
        #expect((preview.width, preview.height) == (40, 30))
        #expect(preview.pixel(20, 15)[0] > 200 && preview.pixel(20, 15)[2] < 60)
    }

    @Test func animatedGIFFramesAreResized() throws {
        let frames = (0..<3).map { index in
            TestImage.make(width: 80, height: 40, bands: 3) { x, _ in [UInt8(index * 80), UInt8(x * 3), 0] }
        }
        let small = ImageProcessor(maxSide: 40, previewSide: 20)
        let result = try small.process(TestImage.animation(frames).encode(.gif))
        #expect(result.isAnimated)
        #expect((result.width, result.height) == (40, 20))
        #expect((result.previewWidth, result.previewHeight) == (20, 10))
        let output = try Inspection.of(result.original, as: .gif)
        #expect((output.pages, output.pageHeight, output.width) == (3, 20, 40))
    }

    @Test func animatedWebPStaysAnimatedWebP() throws {
        let frames = (0..<3).map { index in
            TestImage.make(width: 32, height: 16, bands: 3) { _, _ in [UInt8(index * 120), 90, 40] }
        }
        let result = try processor.process(TestImage.animation(frames).encode(.webp))
        #expect(result.originalFormat == .webp)
        #expect(result.isAnimated)
        let output = try Inspection.of(result.original, as: .webp)
        #expect((output.pages, output.pageHeight, output.width) == (3, 16, 32))
    }

    // MARK: Orientation

    @Test func exifOrientationSixIsApplied() throws {
        // Stored 60x40: left half red, right half blue. Orientation 6 means "rotate 90 degrees clockwise to
        // display", so the stored left edge becomes the top: displayed 40x60, red on top, blue at the bottom.
        let stored = TestImage.make(width: 60, height: 40, bands: 3) { x, _ in x < 30 ? [255, 0, 0] : [0, 0, 255] }
        let data = stored.withMetadata(exif: ExifFixture.payload(orientation: 6, gps: false), orientation: 6)
            .encode(.jpeg)
        #expect(try Inspection.of(data, as: .jpeg).orientation == 6)
        #expect(try processor.probe(data) == ImageProbe(format: .jpeg, width: 40, height: 60, pages: 1))

        let result = try processor.process(data)
        #expect((result.width, result.height) == (40, 60))
        #expect((result.previewWidth, result.previewHeight) == (40, 60))
        let output = try Inspection.of(result.original, as: .jpeg)
        #expect((output.width, output.height) == (40, 60))
        #expect(output.orientation == 1)
        let top = output.pixel(20, 5)
        let bottom = output.pixel(20, 55)
        #expect(top[0] > 200 && top[2] < 60)
        #expect(bottom[2] > 200 && bottom[0] < 60)
    }

    // MARK: Size limits

    @Test func largeImageIsDownscaled() throws {
        let data = TestImage.bands(width: 5000, height: 3000).encode(.jpeg)
        let result = try processor.process(data)
        #expect((result.width, result.height) == (3840, 2304))
        #expect((result.previewWidth, result.previewHeight) == (640, 384))
        let output = try Inspection.of(result.original, as: .jpeg)
        #expect((output.width, output.height) == (3840, 2304))
        let preview = try Inspection.of(result.preview, as: .jpeg)
        #expect((preview.width, preview.height) == (640, 384))
    }

    @Test func pixelLimitIsApplied() throws {
        let limited = ImageProcessor(maxSide: 1000, maxPixels: 10_000, previewSide: 50)
        let result = try limited.process(Self.photo(width: 400, height: 100).encode(.png))
        #expect(result.width * result.height <= 10_000)
        #expect((result.width, result.height) == (200, 50))
        #expect((result.previewWidth, result.previewHeight) == (50, 13))
    }

    @Test func smallImagesAreNeverUpscaled() throws {
        let result = try processor.process(Self.photo(width: 10, height: 7).encode(.png))
        #expect((result.width, result.height) == (10, 7))
        #expect((result.previewWidth, result.previewHeight) == (10, 7))
    }

    @Test func fitKeepsAspectRatioWithinLimits() {
        #expect(ImageProcessor.fit(width: 5000, height: 3000, maxSide: 3840, maxPixels: 16_777_216) == (3840, 2304))
        #expect(ImageProcessor.fit(width: 3000, height: 5000, maxSide: 3840, maxPixels: 16_777_216) == (2304, 3840))
        #expect(ImageProcessor.fit(width: 100, height: 50, maxSide: 3840, maxPixels: 16_777_216) == (100, 50))
        let square = ImageProcessor.fit(width: 5000, height: 5000, maxSide: 10_000, maxPixels: 16_777_216)
        #expect(square == (4096, 4096))
        #expect(ImageProcessor.fit(width: 10_000, height: 1, maxSide: 640, maxPixels: .max) == (640, 1))
        #expect(ImageProcessor.fit(width: 400, height: 100, maxSide: 50, maxPixels: .max) == (50, 13))
        #expect(ImageProcessor.fit(width: 400, height: 100, maxSide: 1000, maxPixels: 10_000) == (200, 50))
    }

    // MARK: Blurhash of processed images

    @Test func processedBlurhashIsWellFormed() throws {
        let result = try processor.process(Self.photo().encode(.jpeg))
        #expect(result.blurhash.count == 28)
        #expect(result.blurhash.first == "L")
        #expect(result.blurhash.allSatisfy(Blurhash.alphabet.contains))
    }

    @Test func solidImageBlurhashMatchesItsColour() throws {
        let red = TestImage.make(width: 64, height: 64, bands: 3) { _, _ in [255, 0, 0] }
        let result = try processor.process(red.encode(.png))
        // The average colour (characters 3...6) is the one of the 4x4 known-answer test. The AC terms depend on the
        // thumbnail size, since the BlurHash basis functions are not centred on the pixels.
        #expect(result.blurhash.hasPrefix("L"))
        #expect(result.blurhash.dropFirst(2).prefix(4) == "TI:j")
    }

    // MARK: Concurrency

    @Test func concurrentProcessing() async throws {
        let inputs = [ImageFormat.jpeg, .png, .webp, .gif, .jpeg, .png, .webp, .gif].map { Self.photo().encode($0) }
        let processor = self.processor
        let sizes = try await withThrowingTaskGroup(of: Int.self) { group in
            for input in inputs { group.addTask { try processor.process(input).width } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(sizes == Array(repeating: 64, count: inputs.count))
    }
}
