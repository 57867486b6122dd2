import Foundation
import Testing
import TwoFactor

@Suite struct TOTPTests {
    /// RFC 6238 Appendix B: each algorithm has its own ASCII seed, of the hash's output length.
    static let seeds: [TOTP.Algorithm: String] = [
        .sha1: "12345678901234567890",
        .sha256: "12345678901234567890123456789012",
        .sha512: "1234567890123456789012345678901234567890123456789012345678901234",
    ]

    /// RFC 6238 Appendix B: (Unix time, algorithm, 8-digit code).
    static let vectors: [(Int64, TOTP.Algorithm, String)] = [
        (59, .sha1, "94287082"), (59, .sha256, "46119246"), (59, .sha512, "90693936"),
        (1_111_111_109, .sha1, "07081804"), (1_111_111_109, .sha256, "68084774"),
        (1_111_111_109, .sha512, "25091201"),
        (1_111_111_111, .sha1, "14050471"), (1_111_111_111, .sha256, "67062674"),
        (1_111_111_111, .sha512, "99943326"),
        (1_234_567_890, .sha1, "89005924"), (1_234_567_890, .sha256, "91819424"),
        (1_234_567_890, .sha512, "93441116"),
        (2_000_000_000, .sha1, "69279037"), (2_000_000_000, .sha256, "90698825"),
        (2_000_000_000, .sha512, "38618901"),
        (20_000_000_000, .sha1, "65353130"), (20_000_000_000, .sha256, "77737706"),
        (20_000_000_000, .sha512, "47863826"),
    ]

    let secret = Array("12345678901234567890".utf8)
    let now = Date(timeIntervalSince1970: 1_700_000_015)

    @Test("RFC 6238 Appendix B test vectors, SHA-1, SHA-256 and SHA-512", arguments: 0..<18)
    func rfc6238(index: Int) throws {
        let (time, algorithm, expected) = Self.vectors[index]
        let seed = try #require(Self.seeds[algorithm])
        let totp = TOTP(secret: Array(seed.utf8), digits: 8, period: 30, algorithm: algorithm)
        let date = Date(timeIntervalSince1970: TimeInterval(time))
        #expect(totp.code(at: date) == expected)
        #expect(totp.verify(expected, at: date, lastUsedStep: nil) == time / 30)
    }

    @Test("RFC 4226 Appendix D HOTP values are the 6-digit codes of steps 0 to 9")
    func rfc4226() {
        let expected = [
            "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489",
        ]
        let totp = TOTP(secret: self.secret)
        #expect((0..<10).map { totp.code(forStep: Int64($0)) } == expected)
    }

    @Test("codes are zero-padded to the number of digits")
    func zeroPadded() {
        let totp = TOTP(secret: Array(Self.seeds[.sha1, default: ""].utf8), digits: 8)
        #expect(totp.code(at: Date(timeIntervalSince1970: 1_111_111_109)) == "07081804")
        #expect(totp.code(at: Date(timeIntervalSince1970: 1_111_111_109)).count == 8)
        var six = totp
        six.digits = 6
        #expect(six.code(at: Date(timeIntervalSince1970: 1_111_111_109)) == "081804")
    }

    @Test("generated secrets are 20 random bytes and the default initializer uses one")
    func generatedSecret() {
        let first = TOTP.generateSecret()
        let second = TOTP.generateSecret()
        #expect(first.count == 20)
        #expect(first != second)
        let totp = TOTP()
        #expect(totp.secret.count == 20)
        #expect(totp.digits == 6 && totp.period == 30 && totp.algorithm == .sha1)
        #expect(totp.base32Secret.count == 32)
    }

    @Test("base32 secrets round-trip and are read loosely")
    func base32Init() throws {
        let totp = TOTP(secret: self.secret)
        #expect(totp.base32Secret == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
        let typed = try #require(TOTP(base32: "gezd gnbv gy3t qojq gezd gnbv gy3t qojq"))
        #expect(typed.secret == self.secret)
        #expect(TOTP(base32: "") == nil)
        #expect(TOTP(base32: "GEZDGNBV1") == nil)
        #expect(TOTP(base32: "not base32!") == nil)
    }

    @Test("the current code verifies and returns its step")
    func verifyCurrent() {
        let totp = TOTP(secret: self.secret)
        let step = totp.step(at: self.now)
        #expect(step == 56_666_667)
        #expect(totp.verify(totp.code(at: self.now), at: self.now, lastUsedStep: nil) == step)
    }

    @Test("codes from one step either side are accepted for clock drift, two steps are not")
    func driftWindow() {
        let totp = TOTP(secret: self.secret)
        let step = totp.step(at: self.now)
        let previous = totp.code(at: self.now.addingTimeInterval(-30))
        let next = totp.code(at: self.now.addingTimeInterval(30))
        #expect(totp.verify(previous, at: self.now, lastUsedStep: nil) == step - 1)
        #expect(totp.verify(next, at: self.now, lastUsedStep: nil) == step + 1)
        #expect(totp.verify(totp.code(at: self.now.addingTimeInterval(-60)), at: self.now, lastUsedStep: nil) == nil)
        #expect(totp.verify(totp.code(at: self.now.addingTimeInterval(60)), at: self.now, lastUsedStep: nil) == nil)
    }

    @Test("a used code, and any code of an earlier step, is rejected")
    func replay() throws {
        let totp = TOTP(secret: self.secret)
        let code = totp.code(at: self.now)
        let used = try #require(totp.verify(code, at: self.now, lastUsedStep: nil))
        #expect(totp.verify(code, at: self.now, lastUsedStep: used) == nil)
        #expect(totp.verify(code, at: self.now.addingTimeInterval(25), lastUsedStep: used) == nil)
        let previous = totp.code(at: self.now.addingTimeInterval(-30))
        #expect(totp.verify(previous, at: self.now, lastUsedStep: used) == nil)
        let next = totp.code(at: self.now.addingTimeInterval(30))
        #expect(totp.verify(next, at: self.now.addingTimeInterval(30), lastUsedStep: used) == used + 1)
    }

    @Test("a code of the next step used early blocks the current step's code")
    func futureStepUsed() {
        let totp = TOTP(secret: self.secret)
        let step = totp.step(at: self.now)
        #expect(totp.verify(totp.code(at: self.now), at: self.now, lastUsedStep: step + 1) == nil)
    }

    @Test("spaces in entered codes are ignored")
    func spaces() {
        let totp = TOTP(secret: self.secret)
        let code = totp.code(at: self.now)
        let spaced = " \(code.prefix(3)) \(code.dropFirst(3)) "
        #expect(totp.verify(spaced, at: self.now, lastUsedStep: nil) == totp.step(at: self.now))
    }

    @Test(
        "anything but exactly six ASCII digits is rejected",
        arguments: ["", "12345", "1234567", "12345a", "+12345", "12-345", "\u{661}\u{662}\u{663}\u{664}\u{665}\u{666}"]
    )
    func rejectsMalformed(code: String) {
        let totp = TOTP(secret: self.secret)
        #expect(totp.verify(code, at: self.now, lastUsedStep: nil) == nil)
    }

    @Test("a wrong code of the right shape is rejected")
    func wrongCode() {
        let totp = TOTP(secret: self.secret)
        let window = (-1...1).map { totp.code(at: self.now.addingTimeInterval(Double($0) * 30)) }
        let wrong = (0..<1_000_000).lazy.map { String(format: "%06d", $0) }.first { !window.contains($0) } ?? ""
        #expect(totp.verify(wrong, at: self.now, lastUsedStep: nil) == nil)
    }

    @Test("odd digits and period values are clamped instead of trapping")
    func clamped() {
        var totp = TOTP(secret: self.secret)
        totp.period = 0
        totp.digits = 42
        #expect(totp.code(at: self.now).count == 10)
        totp.digits = 0
        #expect(totp.code(at: self.now).count == 1)
    }
}
