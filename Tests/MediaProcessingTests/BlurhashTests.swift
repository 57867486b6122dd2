import Testing

@testable import MediaProcessing

@Suite struct BlurhashTests {
    /// A 4x4 solid red image, worked out by hand from the specification.
    ///
    /// - size flag: (4 - 1) + (3 - 1) * 9 = 21 -> "L".
    /// - DC: linear (1, 0, 0) -> sRGB (255, 0, 0) -> 0xFF0000 = 16711680 = 29*83^3 + 18*83^2 + 70*83 + 45 -> "TI:j".
    /// - The basis is cos(pi * i * x / 4) with x = 0...3 (not centred), so a solid image still has AC terms:
    ///   sum over x of cos(pi * i * x / 4) is 4, 1, 0, 1 for i = 0, 1, 2, 3. An AC factor is
    ///   2 / 16 * Sx(i) * Sy(j) * colour: (1,0), (3,0), (0,1), (0,2)... give 0.5 or 0, (1,1) and (3,1) give 0.125.
    /// - Maximum AC 0.5 -> quantised floor(0.5 * 166 - 0.5) = 82 -> "~"; AC scale (82 + 1) / 166 = 0.5.
    /// - AC 0.5 -> red floor(sqrt(1) * 9 + 9.5) = 18, green and blue 9 -> 18*361 + 9*19 + 9 = 6678 -> "|c";
    ///   AC 0.125 -> red floor(sqrt(0.25) * 9 + 9.5) = 14 -> 5234 -> "$5"; AC 0 -> 9, 9, 9 -> 3429 -> "fQ".
    /// - Components in order (i, j) = (1,0) (2,0) (3,0) (0,1) (1,1) (2,1) (3,1) (0,2) (1,2) (2,2) (3,2).
    @Test func solidRedKnownAnswer() {
        let pixels = (0..<16).flatMap { _ -> [UInt8] in [255, 0, 0] }
        let hash = Blurhash.encode(pixels: pixels, width: 4, height: 4, bytesPerPixel: 3)
        let acTerms = ["|c", "fQ", "|c", "|c", "$5", "fQ", "$5", "fQ", "fQ", "fQ", "fQ"]
        #expect(hash == "L~TI:j" + acTerms.joined())
        // size flag + maximum AC + 4 DC characters + 2 per AC component = 1 + 1 + 4 + 2 * 11 = 4 + 2 * 4 * 3.
        #expect(hash.count == 28)
    }

    /// An 8x6 gradient; expected values cross-checked against an independent implementation of the algorithm.
    @Test func gradientKnownAnswers() {
        let pixels = Self.gradient(bytesPerPixel: 3)
        #expect(
            Blurhash.encode(pixels: pixels, width: 8, height: 6, bytesPerPixel: 3) == "L?GS4ZOeA_,^xdS7a%sqRCi%nlba"
        )
        #expect(
            Blurhash.encode(pixels: pixels, width: 8, height: 6, bytesPerPixel: 3, componentsX: 3, componentsY: 5)
                == "c?GS4ZOeA_xdS7a%RCi%nlrNj_SijJX*oe"
        )
    }

    @Test func alphaBytesAreIgnored() {
        let rgb = Self.gradient(bytesPerPixel: 3)
        let rgba = Self.gradient(bytesPerPixel: 4)
        #expect(
            Blurhash.encode(pixels: rgba, width: 8, height: 6, bytesPerPixel: 4)
                == Blurhash.encode(pixels: rgb, width: 8, height: 6, bytesPerPixel: 3)
        )
    }

    @Test(arguments: [(1, 1), (4, 3), (9, 9), (3, 7)])
    func lengthAndAlphabet(componentsX: Int, componentsY: Int) {
        let hash = Blurhash.encode(
            pixels: Self.gradient(bytesPerPixel: 3),
            width: 8,
            height: 6,
            bytesPerPixel: 3,
            componentsX: componentsX,
            componentsY: componentsY
        )
        #expect(hash.count == 4 + 2 * componentsX * componentsY)
        #expect(hash.allSatisfy(Blurhash.alphabet.contains))
        #expect(hash.first == Blurhash.alphabet[(componentsX - 1) + (componentsY - 1) * 9])
    }

    @Test func singleComponentIsTheAverageColour() {
        // Only the DC term: the maximum-AC digit is 0, then the 24-bit colour.
        let grey = [UInt8](repeating: 128, count: 2 * 2 * 3)
        #expect(
            Blurhash.encode(pixels: grey, width: 2, height: 2, bytesPerPixel: 3, componentsX: 1, componentsY: 1)
                == "00" + Self.base83(0x80_8080, digits: 4)
        )
    }

    @Test func invalidInputGivesEmptyString() {
        #expect(Blurhash.encode(pixels: [1, 2, 3], width: 2, height: 2, bytesPerPixel: 3).isEmpty)
        #expect(Blurhash.encode(pixels: [], width: 0, height: 0, bytesPerPixel: 3).isEmpty)
        #expect(Blurhash.encode(pixels: [1, 2], width: 1, height: 1, bytesPerPixel: 2).isEmpty)
    }

    /// 8x6 pixels: red (37x + 11y) mod 256, green (13x + 71y) mod 256, blue 255 - 29x - 7y.
    static func gradient(bytesPerPixel: Int) -> [UInt8] {
        var pixels: [UInt8] = []
        for y in 0..<6 {
            for x in 0..<8 {
                pixels += [UInt8((x * 37 + y * 11) % 256), UInt8((x * 13 + y * 71) % 256), UInt8(255 - x * 29 - y * 7)]
                if bytesPerPixel == 4 { pixels.append(UInt8(x * 30)) }
            }
        }
        return pixels
    }

    static func base83(_ value: Int, digits: Int) -> String {
        var result = ""
        var remaining = value
        for _ in 0..<digits {
            result.insert(Blurhash.alphabet[remaining % 83], at: result.startIndex)
            remaining /= 83
        }
        return result
    }
}
