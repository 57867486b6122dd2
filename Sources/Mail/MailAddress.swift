import Foundation

/// A validated mailbox: an address and an optional display name.
///
/// Validation happens once, in `init`, so both properties are read-only afterwards. The local part must be an
/// ASCII dot-atom (quoted local parts are refused); the domain may be internationalised and is sent as IDNA
/// (`xn--`) labels. CR, LF and other control characters are refused everywhere, which rules out header injection.
package struct MailAddress: Sendable, Hashable {
    /// The address as given, e.g. `alice@example.org`.
    package private(set) var address: String
    /// The display name, e.g. `Alice`; `nil` when absent or empty.
    package private(set) var name: String?

    /// Validates and stores an address; throws `MailError.invalidAddress` naming the bad input.
    package init(_ address: String, name: String? = nil) throws {
        try Self.validate(address: address)
        if let name {
            guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw MailError.invalidAddress("control character in display name of \(address)")
            }
        }
        self.address = address
        self.name = name?.isEmpty == true ? nil : name
    }

    /// The part before the `@`.
    package var localPart: String {
        String(self.address[..<(self.address.lastIndex(of: "@") ?? self.address.endIndex)])
    }

    /// The part after the `@`, as given (possibly non-ASCII).
    package var domain: String {
        guard let at = self.address.lastIndex(of: "@") else { return "" }
        return String(self.address[self.address.index(after: at)...])
    }

    /// The address with its domain in ASCII (IDNA labels), as used in SMTP commands and headers.
    package var asciiAddress: String {
        "\(self.localPart)@\(Self.asciiDomain(self.domain))"
    }

    static let atextSymbols = Set("!#$%&'*+-/=?^_`{|}~".unicodeScalars)

    static func isAtext(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": true
        default: Self.atextSymbols.contains(scalar)
        }
    }

    private static func validate(address: String) throws {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw MailError.invalidAddress("expected exactly one @ in \(address.debugDescription)")
        }
        let local = parts[0]
        let domain = parts[1]
        guard !local.isEmpty, local.utf8.count <= 64 else {
            throw MailError.invalidAddress("local part must have 1 to 64 characters in \(address.debugDescription)")
        }
        guard local.unicodeScalars.allSatisfy({ Self.isAtext($0) || $0 == "." }),
            local.first != ".", local.last != ".", !local.contains("..")
        else {
            throw MailError.invalidAddress("local part is not an ASCII dot-atom in \(address.debugDescription)")
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard !domain.isEmpty,
            labels.allSatisfy({ label in
                !label.isEmpty && label.first != "-" && label.last != "-"
                    && label.unicodeScalars.allSatisfy { scalar in
                        switch scalar {
                        case "a"..."z", "A"..."Z", "0"..."9", "-", "_": true
                        default: !scalar.isASCII && Self.isDomainLetter(scalar)
                        }
                    }
            })
        else {
            throw MailError.invalidAddress("invalid domain in \(address.debugDescription)")
        }
        let ascii = Self.asciiDomain(String(domain))
        guard ascii.utf8.count <= 253, ascii.split(separator: ".").allSatisfy({ $0.utf8.count <= 63 }) else {
            throw MailError.invalidAddress("domain too long in \(address.debugDescription)")
        }
    }

    private static func isDomainLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: true
        case .nonspacingMark, .spacingMark, .decimalNumber: true
        default: false
        }
    }

    /// Converts each non-ASCII label to its `xn--` form (lower-cased and NFC-normalised first, a practical subset
    /// of IDNA's mapping).
    static func asciiDomain(_ domain: String) -> String {
        guard !domain.allSatisfy(\.isASCII) else { return domain }
        return domain.split(separator: ".", omittingEmptySubsequences: false)
            .map { label -> String in
                guard !label.allSatisfy(\.isASCII) else { return String(label) }
                let mapped = label.lowercased().precomposedStringWithCanonicalMapping
                return "xn--" + Punycode.encode(mapped)
            }
            .joined(separator: ".")
    }
}
