import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting

/// Real image files made in the tests, without any image library: PNGs with uncompressed deflate blocks.
package enum TestImages {
    /// An RGB PNG of one colour (or a horizontal gradient when `gradient`).
    package static func png(width: Int, height: Int, rgb: (UInt8, UInt8, UInt8) = (200, 40, 40), gradient: Bool = false)
        -> Data
    {
        var raw = Data()
        raw.reserveCapacity((width * 3 + 1) * height)
        for _ in 0..<height {
            raw.append(0)  // filter: none
            for x in 0..<width {
                if gradient {
                    let v = UInt8(x * 255 / max(1, width - 1))
                    raw.append(contentsOf: [v, rgb.1, 255 - v])
                } else {
                    raw.append(contentsOf: [rgb.0, rgb.1, rgb.2])
                }
            }
        }
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var header = Data()
        header.append(contentsOf: Self.bigEndian(UInt32(width)))
        header.append(contentsOf: Self.bigEndian(UInt32(height)))
        header.append(contentsOf: [8, 2, 0, 0, 0])
        png.append(Self.chunk("IHDR", header))
        png.append(Self.chunk("IDAT", Self.zlibStored(raw)))
        png.append(Self.chunk("IEND", Data()))
        return png
    }

    /// A PNG header that claims `width` × `height` with almost no data: a decompression bomb's shape.
    package static func pngBomb(width: Int, height: Int) -> Data {
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var header = Data()
        header.append(contentsOf: Self.bigEndian(UInt32(width)))
        header.append(contentsOf: Self.bigEndian(UInt32(height)))
        header.append(contentsOf: [8, 2, 0, 0, 0])
        png.append(Self.chunk("IHDR", header))
        png.append(Self.chunk("IDAT", Self.zlibStored(Data(repeating: 0, count: 64))))
        png.append(Self.chunk("IEND", Data()))
        return png
    }

    static func chunk(_ type: String, _ data: Data) -> Data {
        var out = Data(Self.bigEndian(UInt32(data.count)))
        let body = Data(type.utf8) + data
        out.append(body)
        out.append(contentsOf: Self.bigEndian(Self.crc32(body)))
        return out
    }

    static func zlibStored(_ data: Data) -> Data {
        var out = Data([0x78, 0x01])
        var offset = 0
        let bytes = [UInt8](data)
        repeat {
            let length = min(65_535, bytes.count - offset)
            let final: UInt8 = offset + length >= bytes.count ? 1 : 0
            out.append(final)
            out.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
            out.append(contentsOf: [UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)])
            out.append(contentsOf: bytes[offset..<(offset + length)])
            offset += length
        } while offset < bytes.count
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        out.append(contentsOf: Self.bigEndian((b << 16) | a))
        return out
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data { crc = Self.crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    /// The multipart boundary of `multipart`.
    package static let boundary = "----TernMediaBoundary3f9a"

    /// A multipart body with one file part (`file`) and some text fields.
    package static func multipart(
        file: Data,
        filename: String = "picture.png",
        type: String = "image/png",
        fields: [(String, String)] = [],
        fileField: String = "file"
    )
        -> ByteBuffer
    {
        var body = Data()
        for (name, value) in fields {
            body.append(
                Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
            )
        }
        body.append(
            Data(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(fileField)\"; filename=\"\(filename)\"\r\nContent-Type: \(type)\r\n\r\n"
                    .utf8
            )
        )
        body.append(file)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        return ByteBuffer(bytes: body)
    }

    /// `POST /api/v{version}/media` with `file` as the upload.
    package static func upload(
        _ client: any TestClientProtocol,
        _ token: String,
        _ file: Data,
        version: Int = 1,
        filename: String = "picture.png",
        fields: [(String, String)] = []
    ) async throws -> TestResponse {
        try await client.execute(
            uri: "/api/v\(version)/media",
            method: .post,
            headers: .bearer(token, contentType: "multipart/form-data; boundary=\(boundary)"),
            body: Self.multipart(file: file, filename: filename, fields: fields)
        )
    }
}
