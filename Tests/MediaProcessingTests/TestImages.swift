import CVipsShim
import Foundation
import MediaProcessing
import Testing

/// An image built in memory with libvips, for encoding test inputs.
final class TestImage {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { tern_vips_unref(pointer) }

    /// Starts libvips for the helpers (the processor starts it too; both paths are idempotent).
    static func startVips() {
        precondition(tern_vips_init(1) == 0, "libvips failed to start")
    }

    /// An 8-bit image whose pixel at (x, y) is `pixel(x, y)` (`bands` values: grey, grey+alpha, RGB or RGBA).
    static func make(width: Int, height: Int, bands: Int, pixel: (Int, Int) -> [UInt8]) -> TestImage {
        var bytes = [UInt8]()
        bytes.reserveCapacity(width * height * bands)
        for y in 0..<height {
            for x in 0..<width { bytes.append(contentsOf: pixel(x, y)) }
        }
        return fromPixels(bytes, width: width, height: height, bands: bands)
    }

    /// A large RGB image of diagonal colour bands, built row by row (cheap even in debug builds).
    static func bands(width: Int, height: Int) -> TestImage {
        var row = [UInt8](repeating: 0, count: width * 3)
        for x in 0..<width {
            row[x * 3] = UInt8(x % 256)
            row[x * 3 + 1] = UInt8((x / 7) % 256)
            row[x * 3 + 2] = 200
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(width * height * 3)
        for y in 0..<height {
            bytes.append(contentsOf: row)
            bytes[bytes.count - 1] = UInt8(y % 256)
        }
        return fromPixels(bytes, width: width, height: height, bands: 3)
    }

    static func fromPixels(_ bytes: [UInt8], width: Int, height: Int, bands: Int) -> TestImage {
        startVips()
        var out: OpaquePointer?
        let status = bytes.withUnsafeBytes { raw in
            tern_vips_new_from_pixels(raw.baseAddress, raw.count, Int32(width), Int32(height), Int32(bands), &out)
        }
        precondition(status == 0 && out != nil, "new_from_pixels failed")
        return TestImage(out!)
    }

    /// Decodes `png` and attaches libvips's built-in sRGB ICC profile (as `icc-profile-data`).
    static func withSRGBProfile(png: Data) -> TestImage {
        startVips()
        var out: OpaquePointer?
        let status = png.withUnsafeBytes { raw in
            // Exporting to "srgb" from an image without a profile goes through XYZ and attaches the profile.
            tern_vips_thumbnail_buffer(raw.baseAddress, raw.count, TERN_VIPS_LOADER_PNG, 10_000, 10_000, 0, 1, &out)
        }
        precondition(status == 0 && out != nil, "thumbnail failed: \(takeVipsError())")
        let image = TestImage(out!)
        // Render now: the PNG buffer is only borrowed.
        var copy: OpaquePointer?
        precondition(tern_vips_copy_memory(image.pointer, &copy) == 0 && copy != nil, "copy_memory failed")
        return TestImage(copy!)
    }

    /// Frames of equal size stacked into one animated image.
    static func animation(_ frames: [TestImage], delayMilliseconds: Int = 100) -> TestImage {
        var pointers: [OpaquePointer?] = frames.map(\.pointer)
        var out: OpaquePointer?
        let status = pointers.withUnsafeMutableBufferPointer { buffer in
            tern_vips_join_pages(buffer.baseAddress, Int32(buffer.count), Int32(delayMilliseconds), &out)
        }
        precondition(status == 0 && out != nil, "join_pages failed")
        return TestImage(out!)
    }

    /// A copy carrying `exif` (a JPEG APP1 payload, "Exif\0\0" included) and optionally an XMP packet. The EXIF
    /// orientation is mirrored into libvips's `orientation` field, which libvips writes back into the EXIF on save.
    func withMetadata(exif: [UInt8]?, orientation: Int = 1, xmp: String? = nil) -> TestImage {
        var out: OpaquePointer?
        precondition(tern_vips_copy(pointer, &out) == 0 && out != nil, "copy failed")
        let copy = TestImage(out!)
        if let exif {
            exif.withUnsafeBytes { tern_vips_set_blob(copy.pointer, "exif-data", $0.baseAddress, $0.count) }
        }
        tern_vips_set_int(copy.pointer, "orientation", Int32(orientation))
        if let xmp {
            let bytes = Array(xmp.utf8)
            bytes.withUnsafeBytes { tern_vips_set_blob(copy.pointer, "xmp-data", $0.baseAddress, $0.count) }
        }
        return copy
    }

    /// Encodes with libvips, keeping metadata unless `strip`.
    func encode(_ format: ImageFormat, strip: Bool = false) -> Data {
        var buffer: UnsafeMutableRawPointer?
        var length = 0
        let keep: Int32 = strip ? 1 : 0
        let status: Int32
        switch format {
        case .jpeg: status = tern_vips_save_jpeg(pointer, 90, 0, 0, keep, &buffer, &length)
        case .png: status = tern_vips_save_png(pointer, keep, &buffer, &length)
        case .webp: status = tern_vips_save_webp(pointer, 90, keep, &buffer, &length)
        case .gif: status = tern_vips_save_gif(pointer, keep, &buffer, &length)
        case .heif: status = tern_vips_save_heif(pointer, 0, 60, keep, &buffer, &length)
        case .avif: status = tern_vips_save_heif(pointer, 1, 60, keep, &buffer, &length)
        }
        defer { tern_vips_free(buffer) }
        precondition(status == 0 && buffer != nil, "saving \(format) failed: \(takeVipsError())")
        return Data(bytes: buffer!, count: length)
    }
}

func takeVipsError() -> String {
    guard let text = tern_vips_take_error() else { return "" }
    defer { tern_vips_free(text) }
    return String(cString: text)
}

/// What libvips reads back from an encoded file, with every frame fully decoded.
struct Inspection {
    var width: Int
    var height: Int
    var bands: Int
    var pageHeight: Int
    var pages: Int
    var hasAlpha: Bool
    var orientation: Int
    var fields: [String]
    /// All frames, band-interleaved.
    var pixels: [UInt8]

    /// Metadata fields that could carry private data (EXIF incl. GPS, XMP, IPTC, ICC, comments, text chunks).
    var privateFields: [String] {
        fields.filter { name in
            name.hasPrefix("exif-") || name.hasPrefix("xmp") || name.hasPrefix("iptc") || name.hasPrefix("icc")
                || name.hasPrefix("photoshop") || name.contains("comment") || name.hasPrefix("png-")
                || (name.hasPrefix("heif-") && name != "heif-primary" && name != "heif-compression")
        }
    }

    /// RGB(A) of the pixel at (x, y) of the first frame.
    func pixel(_ x: Int, _ y: Int) -> [UInt8] {
        let offset = (y * width + x) * bands
        return Array(pixels[offset..<(offset + bands)])
    }

    static func of(_ data: Data, as format: ImageFormat) throws -> Inspection {
        TestImage.startVips()
        let loader: TernVipsLoader =
            switch format {
            case .jpeg: TERN_VIPS_LOADER_JPEG
            case .png: TERN_VIPS_LOADER_PNG
            case .webp: TERN_VIPS_LOADER_WEBP
            case .gif: TERN_VIPS_LOADER_GIF
            case .heif, .avif: TERN_VIPS_LOADER_HEIF
            }
        return try data.withUnsafeBytes { raw in
            var out: OpaquePointer?
            guard tern_vips_load(raw.baseAddress, raw.count, loader, 1, &out) == 0, let out else {
                throw InspectionError(message: takeVipsError())
            }
            let image = TestImage(out)
            var names: [String] = []
            if let list = tern_vips_field_names(image.pointer) {
                var index = 0
                while let name = list[index] {
                    names.append(String(cString: name))
                    index += 1
                }
                tern_vips_strv_free(list)
            }
            var buffer: UnsafeMutableRawPointer?
            var length = 0
            guard tern_vips_write_pixels(image.pointer, &buffer, &length) == 0, let buffer else {
                throw InspectionError(message: takeVipsError())
            }
            defer { tern_vips_free(buffer) }
            return Inspection(
                width: Int(tern_vips_width(image.pointer)),
                height: Int(tern_vips_height(image.pointer)),
                bands: Int(tern_vips_bands(image.pointer)),
                pageHeight: Int(tern_vips_page_height(image.pointer)),
                pages: Int(tern_vips_n_pages(image.pointer)),
                hasAlpha: tern_vips_has_alpha(image.pointer) != 0,
                orientation: Int(tern_vips_orientation(image.pointer)),
                fields: names,
                pixels: [UInt8](UnsafeRawBufferPointer(start: buffer, count: length))
            )
        }
    }

    /// A metadata field as libvips renders it, without decoding pixels.
    static func field(_ name: String, of data: Data, as format: ImageFormat) -> String? {
        TestImage.startVips()
        let loader: TernVipsLoader =
            switch format {
            case .jpeg: TERN_VIPS_LOADER_JPEG
            case .png: TERN_VIPS_LOADER_PNG
            case .webp: TERN_VIPS_LOADER_WEBP
            case .gif: TERN_VIPS_LOADER_GIF
            case .heif, .avif: TERN_VIPS_LOADER_HEIF
            }
        return data.withUnsafeBytes { raw -> String? in
            var out: OpaquePointer?
            guard tern_vips_load(raw.baseAddress, raw.count, loader, 0, &out) == 0, let out else { return nil }
            let image = TestImage(out)
            guard let text = tern_vips_field_as_string(image.pointer, name) else { return nil }
            defer { tern_vips_free(text) }
            return String(cString: text)
        }
    }
}

struct InspectionError: Error, CustomStringConvertible {
    var message: String
    var description: String { "libvips could not read the image: \(message)" }
}

/// Hand-built EXIF (little-endian TIFF) with an orientation tag and a GPS IFD.
enum ExifFixture {
    /// GPSLatitude 52/1 22/1 1234/100 as stored: three little-endian RATIONALs. Distinctive enough to search for.
    static let latitudeBytes: [UInt8] = rationals([(52, 1), (22, 1), (1234, 100)])
    static let longitudeBytes: [UInt8] = rationals([(4, 1), (53, 1), (4321, 100)])

    /// An APP1 payload: "Exif\0\0", TIFF header, IFD0 (Orientation, GPSInfo pointer), GPS IFD (version, latitude
    /// and longitude with their references).
    static func payload(orientation: Int = 1, gps: Bool = true) -> [UInt8] {
        var tiff: [UInt8] = [0x49, 0x49, 0x2A, 0x00] + u32(8)
        let ifd0Entries = gps ? 2 : 1
        let gpsOffset = 8 + 2 + ifd0Entries * 12 + 4
        tiff += u16(ifd0Entries)
        tiff += entry(tag: 0x0112, type: 3, count: 1, value: u16(orientation) + [0, 0])
        if gps { tiff += entry(tag: 0x8825, type: 4, count: 1, value: u32(gpsOffset)) }
        tiff += u32(0)
        if gps {
            let gpsEntries = 5
            let dataOffset = gpsOffset + 2 + gpsEntries * 12 + 4
            tiff += u16(gpsEntries)
            tiff += entry(tag: 0x0000, type: 1, count: 4, value: [2, 3, 0, 0])
            tiff += entry(tag: 0x0001, type: 2, count: 2, value: [0x4E, 0, 0, 0])
            tiff += entry(tag: 0x0002, type: 5, count: 3, value: u32(dataOffset))
            tiff += entry(tag: 0x0003, type: 2, count: 2, value: [0x45, 0, 0, 0])
            tiff += entry(tag: 0x0004, type: 5, count: 3, value: u32(dataOffset + 24))
            tiff += u32(0)
            tiff += latitudeBytes + longitudeBytes
        }
        return Array("Exif".utf8) + [0, 0] + tiff
    }

    private static func entry(tag: Int, type: Int, count: Int, value: [UInt8]) -> [UInt8] {
        u16(tag) + u16(type) + u32(count) + value
    }

    private static func rationals(_ values: [(Int, Int)]) -> [UInt8] {
        values.flatMap { u32($0.0) + u32($0.1) }
    }

    private static func u16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF)] }

    private static func u32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
}

/// An XMP packet with a GPS position, as cameras and editors write it.
let xmpWithGPS = """
    <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\
    <rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/" \
    exif:GPSLatitude="52,22.2056N" exif:GPSLongitude="4,53.7201E"/></rdf:RDF></x:xmpmeta>
    """

extension Data {
    func contains(bytes pattern: [UInt8]) -> Bool {
        guard !pattern.isEmpty, count >= pattern.count else { return false }
        return range(of: Data(pattern)) != nil
    }

    func contains(ascii text: String) -> Bool { contains(bytes: Array(text.utf8)) }
}

/// CRC-32 (ISO 3309, as PNG uses) for crafting PNG chunks.
func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}

/// A PNG chunk: length, type, data, CRC.
func pngChunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
    let typeBytes = Array(type.utf8)
    let length = UInt32(data.count)
    let crc = crc32(typeBytes + data)
    return bigEndian(length) + typeBytes + data + bigEndian(crc)
}

func bigEndian(_ value: UInt32) -> [UInt8] { (0..<4).reversed().map { UInt8((value >> (8 * UInt32($0))) & 0xFF) } }

/// The error a throwing call raised, as a `MediaError` (nil when it did not throw or threw something else).
func mediaError(_ body: () throws -> Void) -> MediaError? {
    do {
        try body()
        return nil
    } catch let error as MediaError {
        return error
    } catch {
        return nil
    }
}
