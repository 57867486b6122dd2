import Foundation

/// BlurHash encoder (https://blurha.sh): a compact base-83 string describing a blurred version of an image, which
/// clients draw while the real preview loads.
///
/// The image is converted from sRGB to linear light, projected onto `componentsX` x `componentsY` cosine basis
/// functions (a DCT), and the coefficients are quantised: the average colour (DC) as 24-bit sRGB in 4 characters,
/// every other component (AC) in 2 characters, scaled by the largest AC magnitude (1 character). The first character
/// encodes the component counts, so a hash is `4 + 2 * componentsX * componentsY` characters long.
package enum Blurhash {
    /// The base-83 alphabet of the specification, in digit order.
    package static let alphabet: [Character] = Array(
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~"
    )

    /// Encodes `width` x `height` pixels given row-major with `bytesPerPixel` bytes each (RGB first, any further bytes
    /// such as alpha are ignored). Component counts are clamped to 1...9. Returns "" when the dimensions are not
    /// positive, `bytesPerPixel` is below 3, or `pixels` is too short.
    package static func encode(
        pixels: [UInt8],
        width: Int,
        height: Int,
        bytesPerPixel: Int,
        componentsX: Int = 4,
        componentsY: Int = 3
    ) -> String {
        guard width > 0, height > 0, bytesPerPixel >= 3 else { return "" }
        let (pixelCount, pixelOverflow) = width.multipliedReportingOverflow(by: height)
        let (byteCount, byteOverflow) = pixelCount.multipliedReportingOverflow(by: bytesPerPixel)
        guard !pixelOverflow, !byteOverflow, byteCount <= pixels.count else { return "" }
        let countX = min(max(componentsX, 1), 9)
        let countY = min(max(componentsY, 1), 9)

        // Basis functions, tabulated per axis: cos(pi * i * x / width) and cos(pi * j * y / height).
        var cosX = [Double](repeating: 0, count: countX * width)
        for i in 0..<countX {
            for x in 0..<width { cosX[i * width + x] = cos(Double.pi * Double(i) * Double(x) / Double(width)) }
        }
        var cosY = [Double](repeating: 0, count: countY * height)
        for j in 0..<countY {
            for y in 0..<height { cosY[j * height + y] = cos(Double.pi * Double(j) * Double(y) / Double(height)) }
        }

        let linear = linearTable
        var factors = [Double](repeating: 0, count: countX * countY * 3)
        for y in 0..<height {
            for x in 0..<width {
                let offset = (y * width + x) * bytesPerPixel
                let red = linear[Int(pixels[offset])]
                let green = linear[Int(pixels[offset + 1])]
                let blue = linear[Int(pixels[offset + 2])]
                for j in 0..<countY {
                    let basisY = cosY[j * height + y]
                    for i in 0..<countX {
                        let basis = cosX[i * width + x] * basisY
                        let index = (j * countX + i) * 3
                        factors[index] += basis * red
                        factors[index + 1] += basis * green
                        factors[index + 2] += basis * blue
                    }
                }
            }
        }
        let area = Double(pixelCount)
        for component in 0..<(countX * countY) {
            let scale = (component == 0 ? 1.0 : 2.0) / area
            for channel in 0..<3 { factors[component * 3 + channel] *= scale }
        }

        var hash = ""
        hash.reserveCapacity(4 + 2 * countX * countY)
        appendBase83((countX - 1) + (countY - 1) * 9, digits: 1, to: &hash)

        let acCount = countX * countY - 1
        let maximumValue: Double
        if acCount > 0 {
            var actualMaximum = 0.0
            for index in 3..<factors.count { actualMaximum = max(actualMaximum, abs(factors[index])) }
            let quantisedMaximum = min(82, max(0, Int((actualMaximum * 166 - 0.5).rounded(.down))))
            maximumValue = Double(quantisedMaximum + 1) / 166
            appendBase83(quantisedMaximum, digits: 1, to: &hash)
        } else {
            maximumValue = 1
            appendBase83(0, digits: 1, to: &hash)
        }

        let dc = (linearToSRGB(factors[0]) << 16) + (linearToSRGB(factors[1]) << 8) + linearToSRGB(factors[2])
        appendBase83(dc, digits: 4, to: &hash)

        for component in 1..<(countX * countY) {
            let red = quantiseAC(factors[component * 3], maximumValue: maximumValue)
            let green = quantiseAC(factors[component * 3 + 1], maximumValue: maximumValue)
            let blue = quantiseAC(factors[component * 3 + 2], maximumValue: maximumValue)
            appendBase83(red * 19 * 19 + green * 19 + blue, digits: 2, to: &hash)
        }
        return hash
    }

    /// sRGB byte to linear light, for every byte value.
    private static let linearTable: [Double] = (0..<256).map { value in
        let v = Double(value) / 255
        return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
    }

    /// Linear light (clamped to 0...1) to an sRGB byte value.
    private static func linearToSRGB(_ value: Double) -> Int {
        let v = min(max(value, 0), 1)
        if v <= 0.003_130_8 { return Int(v * 12.92 * 255 + 0.5) }
        return Int((1.055 * pow(v, 1 / 2.4) - 0.055) * 255 + 0.5)
    }

    /// An AC coefficient, relative to `maximumValue`, to 0...18 on a square-root scale.
    private static func quantiseAC(_ value: Double, maximumValue: Double) -> Int {
        let normalised = value / maximumValue
        let signedRoot = normalised < 0 ? -(-normalised).squareRoot() : normalised.squareRoot()
        return min(18, max(0, Int((signedRoot * 9 + 9.5).rounded(.down))))
    }

    private static func appendBase83(_ value: Int, digits: Int, to hash: inout String) {
        var divisor = 1
        for _ in 1..<max(digits, 1) { divisor *= 83 }
        for _ in 0..<digits {
            hash.append(alphabet[(value / divisor) % 83])
            divisor /= 83
        }
    }
}
