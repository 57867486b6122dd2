internal import CVipsShim
import Foundation

/// Process-wide libvips state and error plumbing. Everything libvips-specific in this module goes through here and
/// through ``VipsImage``; no glib or libvips header is visible to Swift.
enum Vips {
    /// Worker threads per libvips pipeline. Uploads are processed concurrently by the server anyway, so one thread
    /// per pipeline keeps memory (and CPU contention) proportional to the number of uploads in flight.
    static let concurrency: Int32 = 1

    /// Opens and starts libvips exactly once, on the first picture (Swift runs this initialiser once, thread-safely;
    /// the C side is idempotent too).
    private static let started: Bool = tern_vips_init(concurrency) == 0

    static func start() throws(MediaError) {
        guard started else { throw .processingFailed("libvips could not be loaded or started (Debian: libvips42)") }
    }

    /// Takes libvips's accumulated error text. The buffer is process-wide, so under concurrent failures it may hold
    /// messages from other images too; it is only used for diagnostics.
    static func takeError() -> String {
        guard let text = tern_vips_take_error() else { return "" }
        defer { tern_vips_free(text) }
        let message = String(cString: text).split(whereSeparator: \.isNewline).joined(separator: "; ")
        return message.isEmpty ? "unknown libvips error" : message
    }

    /// Runs a shim call producing an image, throwing `error(message)` on failure.
    static func image(
        _ error: (String) -> MediaError,
        _ call: (UnsafeMutablePointer<OpaquePointer?>) -> Int32
    ) throws(MediaError) -> VipsImage {
        var out: OpaquePointer?
        let status = call(&out)
        guard status == 0, let out else {
            if let out { tern_vips_unref(out) }
            throw error(takeError())
        }
        return VipsImage(out)
    }

    /// Runs a shim call producing a buffer, and hands the buffer over to `Data` without copying it.
    static func bytes(
        _ error: (String) -> MediaError,
        _ call: (UnsafeMutablePointer<UnsafeMutableRawPointer?>, UnsafeMutablePointer<Int>) -> Int32
    ) throws(MediaError) -> Data {
        var buffer: UnsafeMutableRawPointer?
        var length = 0
        let status = call(&buffer, &length)
        guard status == 0, let buffer else {
            tern_vips_free(buffer)
            throw error(takeError())
        }
        return Data(bytesNoCopy: buffer, count: length, deallocator: .custom { pointer, _ in tern_vips_free(pointer) })
    }
}

/// Owns one reference to a libvips image.
final class VipsImage {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { tern_vips_unref(pointer) }

    var width: Int { Int(tern_vips_width(pointer)) }
    var height: Int { Int(tern_vips_height(pointer)) }
    var bands: Int { Int(tern_vips_bands(pointer)) }
    var pageHeight: Int { Int(tern_vips_page_height(pointer)) }
    var pageCount: Int { Int(tern_vips_n_pages(pointer)) }
    var orientation: Int { Int(tern_vips_orientation(pointer)) }
    var hasAlpha: Bool { tern_vips_has_alpha(pointer) != 0 }
    func hasField(_ name: String) -> Bool { tern_vips_has_field(pointer, name) != 0 }
}
