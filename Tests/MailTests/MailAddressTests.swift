import Mail
import Testing

@Suite struct MailAddressTests {
    @Test func acceptsPlainAddressAndName() throws {
        let address = try MailAddress("alice.smith+tern@example.org", name: "Alice Smith")
        #expect(address.address == "alice.smith+tern@example.org")
        #expect(address.name == "Alice Smith")
        #expect(address.localPart == "alice.smith+tern")
        #expect(address.domain == "example.org")
    }

    @Test func emptyNameBecomesNil() throws {
        #expect(try MailAddress("a@example.org", name: "").name == nil)
    }

    @Test(arguments: [
        "a@b\r\nBcc: x",
        "a@b\nBcc: x",
        "a\r@b.example",
        "no-at-sign",
        "two@at@signs.example",
        "@example.org",
        "alice@",
        "ällice@example.org",
        "a b@example.org",
        ".alice@example.org",
        "alice.@example.org",
        "al..ice@example.org",
        "\"quoted\"@example.org",
        "alice@exa mple.org",
        "alice@example..org",
        "alice@-example.org",
        "alice@[127.0.0.1]",
        "alice@example.org>",
        String(repeating: "a", count: 65) + "@example.org",
    ])
    func refusesInvalidAddress(_ input: String) {
        #expect(throws: MailError.self) { try MailAddress(input) }
    }

    @Test func refusesHeaderInjectionInName() {
        #expect(throws: MailError.self) { try MailAddress("a@example.org", name: "Eve\r\nBcc: victim@example.org") }
        #expect(throws: MailError.self) { try MailAddress("a@example.org", name: "Eve\u{0}") }
    }

    @Test func internationalDomainBecomesPunycode() throws {
        let address = try MailAddress("info@Bücher.example")
        #expect(address.asciiAddress == "info@xn--bcher-kva.example")
        #expect(try MailAddress("a@example.org").asciiAddress == "a@example.org")
    }

    @Test func punycodeMatchesRFC3492Samples() {
        #expect(Punycode.encode("bücher") == "bcher-kva")
        #expect(Punycode.encode("münchen") == "mnchen-3ya")
        #expect(Punycode.encode("他们为什么不说中文") == "ihqwcrb4cv8a8dqg056pqjye")
        #expect(Punycode.encode("3年B組金八先生") == "3B-ww4c5e180e575a65lsy2b")
    }
}
