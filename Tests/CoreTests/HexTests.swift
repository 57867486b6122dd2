import Core
import Foundation
import Testing

@Suite struct HexTests {
    @Test("bytes become two lowercase digits each, leading zeros kept")
    func digits() {
        #expect([UInt8]().lowercaseHex == "")
        #expect([0x00, 0x0F, 0xA0, 0xFF].lowercaseHex == "000fa0ff")
        let all = (0...255).map { UInt8($0) }
        #expect(all.lowercaseHex == all.map { String(format: "%02x", $0) }.joined())
    }
}
