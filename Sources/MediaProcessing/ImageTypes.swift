import Foundation

/// Image formats accepted for upload (detected from the bytes, never from a name or a declared type).
package enum ImageFormat: String, Sendable {
    case jpeg, png, webp, gif, heif, avif

    /// The MIME type of files in this format.
    package var mimeType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .webp: "image/webp"
        case .gif: "image/gif"
        case .heif: "image/heic"
        case .avif: "image/avif"
        }
    }

    /// The usual file name extension, without the dot.
    package var fileExtension: String {
        switch self {
        case .jpeg: "jpg"
        case .png: "png"
        case .webp: "webp"
        case .gif: "gif"
        case .heif: "heic"
        case .avif: "avif"
        }
    }

    /// Identifies the format from the leading bytes: JPEG `FF D8 FF`, PNG `89 50 4E 47 0D 0A 1A 0A`, `GIF87a` /
    /// `GIF89a`, `RIFF....WEBP`, and ISO BMFF `ftyp` boxes with a HEIF or AVIF brand. SVG, PDF and everything else
    /// are `.unsupported`.
    package static func sniff(_ data: Data) throws(MediaError) -> ImageFormat {
        let head = [UInt8](data.prefix(1024))
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if head.starts(with: Array("GIF87a".utf8)) || head.starts(with: Array("GIF89a".utf8)) { return .gif }
        if head.count >= 12, head.starts(with: Array("RIFF".utf8)), Array(head[8..<12]) == Array("WEBP".utf8) {
            return .webp
        }
        if let format = isoMediaFormat(head) { return format }
        if head.isEmpty { throw .unsupported("empty file") }
        if head.starts(with: Array("%PDF-".utf8)) { throw .unsupported("PDF documents are not supported") }
        if looksLikeSVG(head) { throw .unsupported("SVG images are not supported") }
        throw .unsupported("unrecognised file type")
    }

    /// Brands (major or compatible) of an `ftyp` box that identify a still HEIF or AVIF image.
    private static let avifBrands: Set<String> = ["avif", "avis"]
    private static let heifBrands: Set<String> = ["heic", "heix", "heim", "heis", "hevc", "hevx"]
    private static let genericBrands: Set<String> = ["mif1", "msf1"]

    private static func isoMediaFormat(_ head: [UInt8]) -> ImageFormat? {
        guard head.count >= 12, Array(head[4..<8]) == Array("ftyp".utf8) else { return nil }
        let boxSize = head[0..<4].reduce(0) { ($0 << 8) | Int($1) }
        let brand = { (offset: Int) in String(decoding: head[offset..<(offset + 4)], as: UTF8.self) }
        let major = brand(8)
        var compatible: [String] = []
        var offset = 16
        while offset + 4 <= min(boxSize, head.count) {
            compatible.append(brand(offset))
            offset += 4
        }
        if avifBrands.contains(major) { return .avif }
        if heifBrands.contains(major) { return .heif }
        let all = Set(compatible).union([major])
        guard !all.isDisjoint(with: genericBrands) || !all.isDisjoint(with: avifBrands) else {
            return nil  // MP4, QuickTime, camera raw, ...
        }
        if !all.isDisjoint(with: avifBrands) { return .avif }
        return .heif
    }

    /// Text (after an optional UTF-8 byte order mark and white space) that opens with `<svg`, or with `<?xml` /
    /// `<!DOCTYPE` / a comment and mentions `<svg` within the first kilobyte.
    private static func looksLikeSVG(_ head: [UInt8]) -> Bool {
        var bytes = head[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        bytes = bytes.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        let text = String(decoding: bytes, as: UTF8.self).lowercased()
        if text.hasPrefix("<svg") { return true }
        return text.hasPrefix("<") && text.contains("<svg")
    }
}

/// What an image's header says, read without decoding pixels.
package struct ImageProbe: Sendable, Equatable {
    package var format: ImageFormat
    /// Width and height as displayed: EXIF orientations 5...8 (a quarter turn) swap the stored axes.
    package var width: Int
    package var height: Int
    /// Frames of an animated GIF or WebP; 1 for everything else.
    package var pages: Int

    package init(format: ImageFormat, width: Int, height: Int, pages: Int) {
        self.format = format
        self.width = width
        self.height = height
        self.pages = pages
    }
}

package enum MediaError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not an image format we accept (SVG, PDF, text, unknown bytes).
    case unsupported(String)
    /// The header claims more pixels (width x height x frames) than the decoder is allowed to produce.
    case tooManyPixels(width: Int, height: Int)
    /// Recognised as an image but unreadable: truncated, malformed, or the header cannot be parsed.
    case corrupt(String)
    /// The image was readable but converting or encoding it failed.
    case processingFailed(String)

    package var description: String {
        switch self {
        case .unsupported(let reason): "unsupported media: \(reason)"
        case .tooManyPixels(let width, let height): "image too large: \(width)x\(height)"
        case .corrupt(let reason): "corrupt image: \(reason)"
        case .processingFailed(let reason): "image processing failed: \(reason)"
        }
    }
}

/// The result of ``ImageProcessor/process(_:)``: a cleaned, size-limited original plus a JPEG preview.
package struct ProcessedImage: Sendable {
    /// The re-encoded image, without any metadata.
    package var original: Data
    package var originalFormat: ImageFormat
    /// Size of `original` (of one frame when animated).
    package var width: Int
    package var height: Int
    /// A JPEG of at most `previewSide` pixels on the long side (the first frame when animated; alpha on white).
    package var preview: Data
    package var previewWidth: Int
    package var previewHeight: Int
    /// BlurHash (4 x 3 components) of the preview.
    package var blurhash: String
    /// `original` holds more than one frame.
    package var isAnimated: Bool

    package init(
        original: Data,
        originalFormat: ImageFormat,
        width: Int,
        height: Int,
        preview: Data,
        previewWidth: Int,
        previewHeight: Int,
        blurhash: String,
        isAnimated: Bool
    ) {
        self.original = original
        self.originalFormat = originalFormat
        self.width = width
        self.height = height
        self.preview = preview
        self.previewWidth = previewWidth
        self.previewHeight = previewHeight
        self.blurhash = blurhash
        self.isAnimated = isAnimated
    }
}
