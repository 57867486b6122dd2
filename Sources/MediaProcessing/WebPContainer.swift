import Foundation

/// Post-processing of WebP files written by libvips.
///
/// libvips 8.14's WebP writer ignores its `strip` option (fixed in later releases) and always attaches an EXIF
/// chunk, rebuilt from the image header (resolution, dimensions, orientation) even when every metadata field was
/// removed beforehand. This removes the `EXIF`, `XMP ` and `ICCP` chunks from the RIFF container and clears the
/// matching `VP8X` feature flags, leaving the image data untouched.
enum WebPContainer {
    /// `VP8X` flag bits (first payload byte) for ICC profile, EXIF and XMP.
    static let iccFlag: UInt8 = 0x20
    static let exifFlag: UInt8 = 0x08
    static let xmpFlag: UInt8 = 0x04

    static let metadataChunks: Set<String> = ["EXIF", "XMP ", "ICCP"]

    /// The file without metadata chunks. Throws when `bytes` is not a well-formed RIFF/WebP container.
    static func removingMetadata(_ data: Data) throws(MediaError) -> Data {
        Data(try removingMetadata([UInt8](data)))
    }

    /// The file without metadata chunks. Throws when `bytes` is not a well-formed RIFF/WebP container.
    static func removingMetadata(_ bytes: [UInt8]) throws(MediaError) -> [UInt8] {
        guard bytes.count >= 12, Array(bytes[0..<4]) == Array("RIFF".utf8), Array(bytes[8..<12]) == Array("WEBP".utf8)
        else { throw .processingFailed("encoder produced an invalid WebP container") }
        var output = Array(bytes[0..<12])
        output.reserveCapacity(bytes.count)
        var vp8xOffset: Int?
        var offset = 12
        while offset < bytes.count {
            guard offset + 8 <= bytes.count else { throw .processingFailed("truncated WebP chunk header") }
            let fourCC = String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self)
            let size = Int(littleEndian32(bytes, at: offset + 4))
            let payloadEnd = offset + 8 + size
            guard payloadEnd <= bytes.count else { throw .processingFailed("truncated WebP chunk \(fourCC)") }
            // Chunks are padded to an even size.
            let chunkEnd = min(payloadEnd + (size & 1), bytes.count)
            if !metadataChunks.contains(fourCC) {
                if fourCC == "VP8X", size >= 1 { vp8xOffset = output.count }
                output.append(contentsOf: bytes[offset..<chunkEnd])
            }
            offset = chunkEnd
        }
        if let vp8xOffset { output[vp8xOffset + 8] &= ~(iccFlag | exifFlag | xmpFlag) }
        let riffSize = UInt32(output.count - 8)
        for index in 0..<4 { output[4 + index] = UInt8((riffSize >> (8 * UInt32(index))) & 0xFF) }
        return output
    }

    private static func littleEndian32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
    }
}
