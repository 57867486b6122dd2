/// Decides which addresses outbound requests may reach.
///
/// Loopback, private, link-local, shared, multicast, documentation and otherwise reserved IPv4 and IPv6 ranges are
/// refused, and so is every IPv6 address outside global unicast (`2000::/3`). IPv6 addresses that embed an IPv4
/// address (IPv4-mapped, NAT64, 6to4) are judged by the embedded address. An address inside one of the `allowed`
/// ranges is permitted regardless, and only such addresses may be reached over plain http.
package struct AddressGuard: Sendable {
    package let allowed: [AddressRange]

    package init(allowed: [AddressRange]) {
        self.allowed = allowed
    }

    /// Why `address` is refused, or nil when it may be contacted.
    package func refusal(for address: IPAddress) -> String? {
        if isAllowed(address) { return nil }
        switch address {
        case .v4:
            return Self.builtinV4Refusal(address)
        case .v6(let high, let low):
            if let mapped = address.ipv4Mapped {
                return refusal(for: mapped).map { "IPv4-mapped \(mapped), which is \($0)" }
            }
            if Self.nat64.contains(address) {
                let embedded = IPAddress.v4(UInt32(truncatingIfNeeded: low))
                return Self.builtinV4Refusal(embedded).map { "NAT64 of \(embedded), which is \($0)" }
            }
            if Self.sixToFour.contains(address) {
                let embedded = IPAddress.v4(UInt32(truncatingIfNeeded: high >> 16))
                return Self.builtinV4Refusal(embedded).map { "6to4 of \(embedded), which is \($0)" }
            }
            if let match = Self.v6Reserved.first(where: { $0.range.contains(address) }) {
                return "\(match.reason) (\(match.range))"
            }
            if !Self.globalUnicast.contains(address) {
                return "outside IPv6 global unicast (\(Self.globalUnicast))"
            }
            return nil
        }
    }

    /// Whether plain http may be used for `address`: only for addresses inside an `allowed` range.
    package func allowsPlainHTTP(_ address: IPAddress) -> Bool {
        isAllowed(address)
    }

    private func isAllowed(_ address: IPAddress) -> Bool {
        allowed.contains { $0.contains(address) || $0.contains(address.unmapped) }
    }

    private static func builtinV4Refusal(_ address: IPAddress) -> String? {
        v4Reserved.first { $0.range.contains(address) }.map { "\($0.reason) (\($0.range))" }
    }

    private static func range(_ text: String) -> AddressRange {
        // The tables below are constant; a typo in them is a programming error.
        try! AddressRange(text)
    }

    private static let v4Reserved: [(range: AddressRange, reason: String)] = [
        (range("0.0.0.0/8"), "'this' network"),
        (range("10.0.0.0/8"), "private"),
        (range("100.64.0.0/10"), "shared address space"),
        (range("127.0.0.0/8"), "loopback"),
        (range("169.254.0.0/16"), "link-local"),
        (range("172.16.0.0/12"), "private"),
        (range("192.0.0.0/24"), "IETF protocol assignments"),
        (range("192.0.2.0/24"), "documentation"),
        (range("192.88.99.0/24"), "6to4 relay anycast"),
        (range("192.168.0.0/16"), "private"),
        (range("198.18.0.0/15"), "benchmarking"),
        (range("198.51.100.0/24"), "documentation"),
        (range("203.0.113.0/24"), "documentation"),
        (range("224.0.0.0/4"), "multicast"),
        (range("255.255.255.255/32"), "limited broadcast"),
        (range("240.0.0.0/4"), "reserved"),
    ]

    private static let nat64 = range("64:ff9b::/96")
    private static let sixToFour = range("2002::/16")
    private static let globalUnicast = range("2000::/3")

    private static let v6Reserved: [(range: AddressRange, reason: String)] = [
        (range("::/128"), "unspecified"),
        (range("::1/128"), "loopback"),
        (range("::/96"), "IPv4-compatible (deprecated)"),
        (range("64:ff9b:1::/48"), "local-use NAT64"),
        (range("100::/64"), "discard-only"),
        (range("2001:db8::/32"), "documentation"),
        (range("2001::/23"), "IETF protocol assignments"),
        (range("3fff::/20"), "documentation"),
        (range("fc00::/7"), "unique local"),
        (range("fe80::/10"), "link-local"),
        (range("fec0::/10"), "site-local (deprecated)"),
        (range("ff00::/8"), "multicast"),
    ]
}
