internal import CVipsShim
import Foundation

/// Turns uploaded image bytes into a safe, size-limited original and a JPEG preview, using libvips.
///
/// Every accepted file is decoded and re-encoded, so nothing of the uploaded bytes survives verbatim: EXIF (with GPS
/// positions), XMP, IPTC, ICC profiles, comments and text chunks are all dropped. Only the JPEG, PNG, WebP, GIF and
/// HEIF decoders are ever used (chosen from the file's magic bytes); libvips's untrusted loaders (ImageMagick, SVG,
/// PDF, ...) are blocked process-wide.
package struct ImageProcessor: Sendable {
    /// Longest side of a processed original, in pixels.
    package var maxSide: Int
    /// Pixel count (width x height, per frame) of a processed original.
    package var maxPixels: Int
    /// Longest side of a preview, in pixels.
    package var previewSide: Int
    /// Images whose header claims more than this many pixels (width x height x frames) are refused before any pixel
    /// is decoded.
    package var maxDecodePixels: Int

    /// JPEG quality of originals that are stored as JPEG.
    static let jpegQuality: Int32 = 85
    /// WebP quality of WebP originals.
    static let webpQuality: Int32 = 80
    /// JPEG quality of previews.
    static let previewQuality: Int32 = 80
    /// Long side of the thumbnail the BlurHash is computed from.
    static let blurhashSide: Int32 = 32

    /// Limits: originals are downscaled (never upscaled) to at most `maxSide` pixels on the long side and `maxPixels`
    /// pixels; previews to `previewSide` on the long side; headers claiming more than `maxDecodePixels` pixels
    /// (times frames) are refused before decoding (decompression bombs).
    package init(
        maxSide: Int = 3840,
        maxPixels: Int = 16_777_216,
        previewSide: Int = 640,
        maxDecodePixels: Int = 100_000_000
    ) {
        self.maxSide = max(1, maxSide)
        self.maxPixels = max(1, maxPixels)
        self.previewSide = max(1, previewSide)
        self.maxDecodePixels = max(1, maxDecodePixels)
    }

    /// Identifies the format from the magic bytes (see ``ImageFormat/sniff(_:)``) and reads the header with libvips,
    /// without decoding pixels.
    ///
    /// - Throws: ``MediaError/unsupported(_:)`` for anything but JPEG, PNG, WebP, GIF, HEIF and AVIF;
    ///   ``MediaError/corrupt(_:)`` when the header cannot be read; ``MediaError/tooManyPixels(width:height:)`` when it
    ///   claims more than `maxDecodePixels` pixels (all frames together).
    package func probe(_ data: Data) throws -> ImageProbe {
        let format = try ImageFormat.sniff(data)
        try Vips.start()
        return try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws(MediaError) in
            try readHeader(raw, format: format).probe
        }
    }

    /// Decodes, auto-rotates by EXIF orientation, converts to 8-bit sRGB, downsizes to the limits, strips all
    /// metadata and re-encodes:
    /// - JPEG, PNG and WebP keep their format (PNG and WebP keep alpha; an animated WebP stays animated);
    /// - HEIF and AVIF become JPEG (alpha flattened on white);
    /// - a still GIF becomes PNG, an animated GIF stays an animated GIF (every frame, resized if needed).
    ///
    /// The preview is always a JPEG of at most `previewSide` pixels on the long side (first frame, alpha flattened on
    /// white), and the BlurHash is computed from it.
    ///
    /// - Throws: everything ``probe(_:)`` throws; ``MediaError/corrupt(_:)`` when decoding fails (e.g. truncated
    ///   data); ``MediaError/processingFailed(_:)`` when conversion or encoding fails.
    package func process(_ data: Data) throws -> ProcessedImage {
        let format = try ImageFormat.sniff(data)
        try Vips.start()
        return try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws(MediaError) in
            try process(raw, format: format)
        }
    }

    // MARK: - Header

    private struct Header {
        var probe: ImageProbe
        var hasICCProfile: Bool
    }

    private static func loader(for format: ImageFormat) -> TernVipsLoader {
        switch format {
        case .jpeg: TERN_VIPS_LOADER_JPEG
        case .png: TERN_VIPS_LOADER_PNG
        case .webp: TERN_VIPS_LOADER_WEBP
        case .gif: TERN_VIPS_LOADER_GIF
        case .heif, .avif: TERN_VIPS_LOADER_HEIF
        }
    }

    private func readHeader(_ raw: UnsafeRawBufferPointer, format: ImageFormat) throws(MediaError) -> Header {
        let image = try Vips.image(MediaError.corrupt) { out in
            tern_vips_load(raw.baseAddress, raw.count, Self.loader(for: format), 0, out)
        }
        let storedWidth = image.width
        // Loaded with one page: the image is one frame high.
        let storedHeight = image.height
        let pages = (format == .gif || format == .webp) ? max(1, image.pageCount) : 1
        let quarterTurn = (5...8).contains(image.orientation)
        let width = quarterTurn ? storedHeight : storedWidth
        let height = quarterTurn ? storedWidth : storedHeight
        guard width > 0, height > 0 else { throw .corrupt("empty image") }
        let (framePixels, frameOverflow) = width.multipliedReportingOverflow(by: height)
        let (totalPixels, totalOverflow) = framePixels.multipliedReportingOverflow(by: pages)
        if frameOverflow || totalOverflow || totalPixels > maxDecodePixels {
            throw .tooManyPixels(width: width, height: height)
        }
        return Header(
            probe: ImageProbe(format: format, width: width, height: height, pages: pages),
            hasICCProfile: image.hasField("icc-profile-data")
        )
    }

    // MARK: - Processing

    private func process(_ raw: UnsafeRawBufferPointer, format: ImageFormat) throws(MediaError) -> ProcessedImage {
        let header = try readHeader(raw, format: format)
        let probe = header.probe
        let animated = probe.pages > 1 && (format == .gif || format == .webp)

        // Original: decode (shrinking on load where possible), rotate, resize, sRGB, strip, encode.
        let box = Self.fit(
            width: probe.width,
            height: probe.height,
            maxSide: maxSide,
            maxPixels: maxPixels
        )
        let decoded = try decode(
            raw,
            format: format,
            longSide: max(box.width, box.height),
            allPages: animated,
            icc: header.hasICCProfile
        )
        let outputFormat: ImageFormat
        var prepared = decoded
        switch format {
        case .jpeg, .heif, .avif:
            outputFormat = .jpeg
            prepared = try Vips.image(MediaError.processingFailed) { tern_vips_flatten_white(decoded.pointer, $0) }
        case .png: outputFormat = .png
        case .webp: outputFormat = .webp
        case .gif: outputFormat = animated ? .gif : .png
        }
        let clean = try Vips.image(MediaError.processingFailed) { tern_vips_strip_metadata(prepared.pointer, $0) }
        // Encoding pulls the pixels through the decoder: failures here are mostly decoding failures.
        let original = try Vips.bytes(Self.classifyPipelineError) { data, length in
            switch outputFormat {
            case .jpeg: tern_vips_save_jpeg(clean.pointer, Self.jpegQuality, 0, 0, 1, data, length)
            case .png: tern_vips_save_png(clean.pointer, 1, data, length)
            case .webp: tern_vips_save_webp(clean.pointer, Self.webpQuality, 1, data, length)
            case .gif: tern_vips_save_gif(clean.pointer, 1, data, length)
            case .heif, .avif: -1  // never chosen as an output format
            }
        }
        let frameHeight = animated ? clean.pageHeight : clean.height
        let cleanOriginal = outputFormat == .webp ? try WebPContainer.removingMetadata(original) : original

        // Preview: first frame only, from the source again so JPEG and WebP can shrink on load.
        let previewBox = Self.fit(
            width: probe.width,
            height: probe.height,
            maxSide: previewSide,
            maxPixels: Int.max
        )
        let previewDecoded = try decode(
            raw,
            format: format,
            longSide: max(previewBox.width, previewBox.height),
            allPages: false,
            icc: header.hasICCProfile
        )
        let previewFlat = try Vips.image(MediaError.processingFailed) {
            tern_vips_flatten_white(previewDecoded.pointer, $0)
        }
        let previewClean = try Vips.image(MediaError.processingFailed) {
            tern_vips_strip_metadata(previewFlat.pointer, $0)
        }
        let previewPixels = try Vips.image(Self.classifyPipelineError) {
            tern_vips_copy_memory(previewClean.pointer, $0)
        }
        let preview = try Vips.bytes(MediaError.processingFailed) { data, length in
            tern_vips_save_jpeg(previewPixels.pointer, Self.previewQuality, 0, 0, 1, data, length)
        }
        let blurhash = try Self.blurhash(of: previewPixels)

        return ProcessedImage(
            original: cleanOriginal,
            originalFormat: outputFormat,
            width: clean.width,
            height: frameHeight,
            preview: preview,
            previewWidth: previewPixels.width,
            previewHeight: previewPixels.height,
            blurhash: blurhash,
            isAnimated: animated && clean.height > frameHeight
        )
    }

    /// Decodes through `vips_thumbnail_buffer` (shrink-on-load, EXIF auto-rotation, resize down so the long side
    /// is at most `longSide`) and converts to 8-bit sRGB.
    private func decode(
        _ raw: UnsafeRawBufferPointer,
        format: ImageFormat,
        longSide: Int,
        allPages: Bool,
        icc: Bool
    ) throws(MediaError) -> VipsImage {
        let resized = try Vips.image(MediaError.corrupt) { out in
            tern_vips_thumbnail_buffer(
                raw.baseAddress,
                raw.count,
                Self.loader(for: format),
                Int32(clamping: longSide),
                Int32(clamping: longSide),
                allPages ? 1 : 0,
                icc ? 1 : 0,
                out
            )
        }
        return try Vips.image(MediaError.processingFailed) { tern_vips_to_srgb8(resized.pointer, $0) }
    }

    private static func blurhash(of preview: VipsImage) throws(MediaError) -> String {
        let small = try Vips.image(MediaError.processingFailed) {
            tern_vips_thumbnail_image(preview.pointer, blurhashSide, blurhashSide, $0)
        }
        let pixels = try Vips.bytes(MediaError.processingFailed) { tern_vips_write_pixels(small.pointer, $0, $1) }
        let bands = small.bands
        guard bands >= 3 else { throw .processingFailed("unexpected \(bands)-band preview") }
        return Blurhash.encode(
            pixels: [UInt8](pixels),
            width: small.width,
            height: small.height,
            bytesPerPixel: bands
        )
    }

    /// Errors raised while pixels flow from the decoder to an encoder. libvips decodes lazily, so a truncated or
    /// malformed file typically fails only here, with the decoder's message: such failures are `.corrupt`; failures
    /// that only the encoder reports are `.processingFailed`.
    private static func classifyPipelineError(_ message: String) -> MediaError {
        let lowered = message.lowercased()
        let decoderMarkers = [
            "load", "vipsjpeg", "vipspng", "libpng", "read", "premature", "unexpected end", "truncat", "source:",
            "heif:", "webp: unable to parse", "corrupt", "invalid",
        ]
        if decoderMarkers.contains(where: lowered.contains) { return .corrupt(message) }
        let encoderMarkers = ["save", "write", "cgif", "quantis", "memory"]
        if encoderMarkers.contains(where: lowered.contains) { return .processingFailed(message) }
        return .corrupt(message)
    }

    /// The size an image is scaled down to: the long side becomes at most `maxSide`, the pixel count at most
    /// `maxPixels`, the aspect ratio is kept (the short side rounded to nearest, as libvips does), and nothing is
    /// ever enlarged.
    static func fit(width: Int, height: Int, maxSide: Int, maxPixels: Int) -> (width: Int, height: Int) {
        let longSide = max(width, height)
        let shortSide = min(width, height)
        guard longSide > 0, shortSide > 0 else { return (width, height) }
        var target = min(longSide, maxSide)
        let pixels = Double(width) * Double(height)
        if pixels > Double(maxPixels) {
            let scaled = (Double(longSide) * (Double(maxPixels) / pixels).squareRoot()).rounded(.down)
            target = min(target, Int(scaled))
        }
        target = max(1, target)
        func short(_ long: Int) -> Int {
            max(1, Int((Double(shortSide) * Double(long) / Double(longSide)).rounded(.toNearestOrAwayFromZero)))
        }
        while target > 1, target.multipliedReportingOverflow(by: short(target)).partialValue > maxPixels {
            target -= 1
        }
        return width >= height ? (target, short(target)) : (short(target), target)
    }
}
