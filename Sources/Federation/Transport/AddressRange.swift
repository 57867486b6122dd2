import Core

/// Why an address range or allow list could not be parsed.
package enum AddressGuardError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidRange(String)

    package var description: String {
        switch self {
        case .invalidRange(let text):
            return "invalid address range '\(text)' (expected an address or CIDR range such as 127.0.0.1/32 or ::1/128)"
        }
    }
}

/// A CIDR range of IPv4 or IPv6 addresses, such as `127.0.0.1/32` or `fd00::/8`.
///
/// A bare address means a single host (`/32` or `/128`). Host bits below the prefix are cleared, so
/// `10.1.2.3/8` is the range `10.0.0.0/8`.
package struct AddressRange: Sendable, Equatable, CustomStringConvertible {
    /// The first address of the range.
    package let network: IPAddress
    /// The number of leading bits that every address in the range shares with `network`.
    package let prefixLength: Int

    /// Parses `address` or `address/prefix`; throws ``AddressGuardError/invalidRange(_:)`` for anything else.
    package init(_ text: String) throws {
        let trimmed = text.trimmingWhitespace()
        let parts = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let address = IPAddress(String(first)) else {
            throw AddressGuardError.invalidRange(text)
        }
        var prefix = address.bitWidth
        if parts.count == 2 {
            let digits = parts[1]
            guard !digits.isEmpty, digits.count <= 3, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int(digits), value <= address.bitWidth
            else {
                throw AddressGuardError.invalidRange(text)
            }
            prefix = value
        }
        self.init(network: address, prefixLength: prefix)
    }

    /// The range of addresses that share the first `prefixLength` bits with `network`.
    package init(network: IPAddress, prefixLength: Int) {
        let length = max(0, min(prefixLength, network.bitWidth))
        self.network = Self.masked(network, prefixLength: length)
        self.prefixLength = length
    }

    /// Parses a comma-separated list such as `"127.0.0.1/32, ::1/128"`; whitespace around entries and empty
    /// entries are ignored, so an empty or blank text gives an empty list.
    package static func parseList(_ text: String) throws -> [AddressRange] {
        try text.split(separator: ",", omittingEmptySubsequences: false)
            .map { String($0.trimmingWhitespace()) }
            .filter { !$0.isEmpty }
            .map { try AddressRange($0) }
    }

    /// Whether `address` lies inside this range. Addresses of the other family never do.
    package func contains(_ address: IPAddress) -> Bool {
        guard address.isIPv4 == network.isIPv4 else { return false }
        return Self.masked(address, prefixLength: prefixLength) == network
    }

    package var description: String {
        "\(network)/\(prefixLength)"
    }

    private static func masked(_ address: IPAddress, prefixLength: Int) -> IPAddress {
        switch address {
        case .v4(let value):
            let mask: UInt32 = prefixLength == 0 ? 0 : ~UInt32(0) << (32 - prefixLength)
            return .v4(value & mask)
        case .v6(let high, let low):
            let highMask: UInt64 = prefixLength == 0 ? 0 : prefixLength >= 64 ? ~0 : ~UInt64(0) << (64 - prefixLength)
            let lowMask: UInt64 = prefixLength <= 64 ? 0 : prefixLength == 128 ? ~0 : ~UInt64(0) << (128 - prefixLength)
            return .v6(high & highMask, low & lowMask)
        }
    }
}
