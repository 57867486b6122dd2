import Testing

@testable import Federation

@Suite struct AddressRangeTests {
    @Test func parsesIPv4AndIPv6Ranges() throws {
        let v4 = try AddressRange("10.0.0.0/8")
        #expect(v4.description == "10.0.0.0/8")
        #expect(v4.contains(IPAddress("10.255.1.2")!))
        #expect(!v4.contains(IPAddress("11.0.0.1")!))

        let v6 = try AddressRange("fd00::/8")
        #expect(v6.description == "fd00::/8")
        #expect(v6.contains(IPAddress("fd12:3456::1")!))
        #expect(!v6.contains(IPAddress("fe80::1")!))
    }

    @Test func bareAddressIsASingleHost() throws {
        let v4 = try AddressRange("127.0.0.1")
        #expect(v4 == (try AddressRange("127.0.0.1/32")))
        #expect(v4.contains(IPAddress("127.0.0.1")!))
        #expect(!v4.contains(IPAddress("127.0.0.2")!))

        let v6 = try AddressRange("::1")
        #expect(v6.description == "::1/128")
        #expect(v6.contains(IPAddress("::1")!))
        #expect(!v6.contains(IPAddress("::2")!))
    }

    @Test func hostBitsAreCleared() throws {
        #expect((try AddressRange("10.1.2.3/8")).description == "10.0.0.0/8")
        #expect((try AddressRange("2001:db8:1:2::5/32")).description == "2001:db8::/32")
        #expect((try AddressRange("0.0.0.0/0")).contains(IPAddress("8.8.8.8")!))
        #expect((try AddressRange("2001:db8::/64")).contains(IPAddress("2001:db8::ffff:1")!))
        #expect(!(try AddressRange("2001:db8::/65")).contains(IPAddress("2001:db8::8000:0:0:1")!))
    }

    @Test func familiesDoNotMix() throws {
        let v4 = try AddressRange("0.0.0.0/0")
        #expect(!v4.contains(IPAddress("::1")!))
        let v6 = try AddressRange("::/0")
        #expect(!v6.contains(IPAddress("1.2.3.4")!))
    }

    @Test(arguments: [
        "", "localhost", "127.0.0.1/33", "::1/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8", "300.1.1.1",
        "10.0.0.0/ 8", "[::1]/128", "127.1", "fe80::1%eth0", "10.0.0.0/+8",
    ])
    func rejectsBadText(_ text: String) {
        #expect(throws: AddressGuardError.invalidRange(text)) { try AddressRange(text) }
    }

    @Test func parsesLists() throws {
        #expect(try AddressRange.parseList("").isEmpty)
        #expect(try AddressRange.parseList("  ").isEmpty)
        let list = try AddressRange.parseList(" 127.0.0.1/32,::1/128 , 10.0.0.0/8,,")
        #expect(list.map(\.description) == ["127.0.0.1/32", "::1/128", "10.0.0.0/8"])
        #expect(throws: AddressGuardError.self) { try AddressRange.parseList("127.0.0.1/32, nonsense") }
    }
}

@Suite struct IPAddressTests {
    @Test func parsesAndPrints() {
        #expect(IPAddress("127.0.0.1") == .v4(0x7F00_0001))
        #expect(IPAddress("::1") == .v6(0, 1))
        #expect(IPAddress("::ffff:127.0.0.1")?.description == "::ffff:127.0.0.1")
        #expect(IPAddress("2001:DB8:0:0:0:0:0:1")?.description == "2001:db8::1")
        #expect(IPAddress("::ffff:10.0.0.1")?.ipv4Mapped == IPAddress("10.0.0.1"))
        #expect(IPAddress("localhost") == nil)
        #expect(IPAddress("[::1]") == nil)
        #expect(IPAddress("1.2.3") == nil)
    }

    @Test func roundTripsBytes() {
        let address = IPAddress("2606:4700::1111")!
        #expect(IPAddress(bytes: address.bytes) == address)
        #expect(IPAddress("192.0.2.7")!.bytes == [192, 0, 2, 7])
    }
}

@Suite struct AddressGuardTests {
    let strict = AddressGuard(allowed: [])

    @Test(arguments: [
        "127.0.0.1", "127.5.5.5", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
        "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "240.0.0.1", "192.0.2.1", "198.18.0.1",
        "::1", "::", "fe80::1", "fc00::1", "fd12::1", "ff02::1", "fec0::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
        "::ffff:169.254.169.254", "64:ff9b::a00:1", "64:ff9b::7f00:1", "2001:db8::1", "2001::1", "100::1",
        "2002:a00:1::1", "2002:7f00:1::", "::127.0.0.1", "3fff::1", "4000::1",
    ])
    func refusesNonPublicAddresses(_ text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(strict.refusal(for: address) != nil, "\(text) should be refused")
        #expect(!strict.allowsPlainHTTP(address))
    }

    @Test(arguments: [
        "93.184.216.34", "1.1.1.1", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:1.1.1.1",
        "64:ff9b::101:101", "2a00:1450:4001::200e", "2002:101:101::1",
    ])
    func permitsPublicAddresses(_ text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(strict.refusal(for: address) == nil, "\(text) should be permitted")
        #expect(!strict.allowsPlainHTTP(address))
    }

    @Test func allowListExemptsExactlyItsRanges() throws {
        let guarded = AddressGuard(allowed: try AddressRange.parseList("127.0.0.1/32"))
        #expect(guarded.refusal(for: IPAddress("127.0.0.1")!) == nil)
        #expect(guarded.allowsPlainHTTP(IPAddress("127.0.0.1")!))
        #expect(guarded.refusal(for: IPAddress("::ffff:127.0.0.1")!) == nil)
        #expect(guarded.refusal(for: IPAddress("127.0.0.2")!) != nil)
        #expect(guarded.refusal(for: IPAddress("::1")!) != nil)
        #expect(guarded.refusal(for: IPAddress("10.0.0.1")!) != nil)
        #expect(!guarded.allowsPlainHTTP(IPAddress("127.0.0.2")!))
        #expect(!guarded.allowsPlainHTTP(IPAddress("1.1.1.1")!))
    }

    @Test func refusalNamesTheRange() {
        let reason = strict.refusal(for: IPAddress("169.254.169.254")!)
        #expect(reason?.contains("link-local") == true)
        #expect(reason?.contains("169.254.0.0/16") == true)
    }
}
