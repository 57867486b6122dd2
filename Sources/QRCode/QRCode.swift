import CQREncode
import Foundation

/// QR codes for showing short texts (such as an `otpauth://` URI) to a phone camera, drawn by the system libqrencode.
///
/// Error correction is level M (about 15% of the symbol may be damaged). The smallest version that fits the text is
/// chosen, and libqrencode picks numeric, alphanumeric and 8-bit segments on its own; text is encoded as UTF-8.
package enum QRCode {
    /// Width of the light margin around the symbol, in modules; the QR specification asks for four.
    package static let quietZone = 4

    /// An SVG document for `text`: one `<path>` of the dark modules on a light background with a 4-module quiet zone.
    ///
    /// The `<svg>` carries `viewBox` (one unit per module), `width`/`height` in pixels (`moduleSize` per module),
    /// `shape-rendering="crispEdges"`, `role="img"` and an `aria-label` plus `<title>` of `title`, XML-escaped. The
    /// background is drawn so the code stays scannable on a dark page. The result can be inlined into HTML as is.
    package static func svg(for text: String, title: String, moduleSize: Int = 4) throws -> String {
        guard moduleSize >= 1 else {
            throw QRCodeError.invalidModuleSize
        }
        let matrix = try self.modules(for: text)
        let side = matrix.count + 2 * self.quietZone
        let pixels = side * moduleSize
        let label = XMLEscaping.escape(title)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(side) \(side)\""
        svg += " width=\"\(pixels)\" height=\"\(pixels)\" shape-rendering=\"crispEdges\""
        svg += " role=\"img\" aria-label=\"\(label)\">"
        svg += "<title>\(label)</title>"
        svg += "<rect width=\"\(side)\" height=\"\(side)\" fill=\"#fff\"/>"
        svg += "<path fill=\"#000\" d=\"\(self.pathData(for: matrix))\"/>"
        svg += "</svg>"
        return svg
    }

    /// The symbol's modules, row by row, `true` for dark; square, `17 + 4 × version` on a side, without quiet zone.
    ///
    /// Throws `QRCodeError.emptyText` and `.containsNUL` for input libqrencode can't take as a C string, and
    /// `.textTooLong` when the text doesn't fit a version 40 symbol at level M (2331 bytes in 8-bit mode).
    package static func modules(for text: String) throws -> [[Bool]] {
        guard !text.isEmpty else {
            throw QRCodeError.emptyText
        }
        guard !text.utf8.contains(0) else {
            throw QRCodeError.containsNUL
        }
        let symbol = text.withCString { string in
            QRcode_encodeString(string, 0, QR_ECLEVEL_M, QR_MODE_8, 1)
        }
        guard let symbol else {
            let code = errno
            throw code == ERANGE ? QRCodeError.textTooLong : QRCodeError.encodingFailed(errno: code)
        }
        defer { QRcode_free(symbol) }
        let width = Int(symbol.pointee.width)
        guard width > 0, let data = symbol.pointee.data else {
            throw QRCodeError.encodingFailed(errno: 0)
        }
        // Each byte describes one module; its lowest bit is set for dark ones.
        return (0..<width).map { row in
            (0..<width).map { column in
                data[row * width + column] & 1 == 1
            }
        }
    }

    /// One `M x y h n v1 h-n z` rectangle per horizontal run of dark modules, offset by the quiet zone.
    private static func pathData(for matrix: [[Bool]]) -> String {
        var path = ""
        for (row, modules) in matrix.enumerated() {
            var column = 0
            while column < modules.count {
                guard modules[column] else {
                    column += 1
                    continue
                }
                let start = column
                while column < modules.count, modules[column] {
                    column += 1
                }
                let run = column - start
                path += "M\(start + self.quietZone) \(row + self.quietZone)h\(run)v1h-\(run)z"
            }
        }
        return path
    }
}
