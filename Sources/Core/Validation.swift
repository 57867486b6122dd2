import Foundation

/// Input rules shared by the API, the web forms and the admin CLI.
package enum Validation {
    /// A local username: ASCII letters, digits and underscores, 1 to 30 characters (Mastodon's rule).
    package static func isValidLocalUsername(_ name: String) -> Bool {
        guard (1...30).contains(name.count) else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            scalar == "_" || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || ("0"..."9").contains(scalar)
        }
    }

    /// A plausible email address: one `@`, a non-empty local part, a dotted domain, no spaces, ≤ 254.
    /// `host` or `host:port` with a DNS name or an IP literal: what a remote handle's domain may be.
    package static func isPlausibleHost(_ text: String) -> Bool {
        guard !text.isEmpty, text.count <= 253 else { return false }
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")
        guard text.unicodeScalars.allSatisfy(allowed.contains) else { return false }
        if text.hasPrefix("[") { return text.contains("]") }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, !parts[0].isEmpty, !parts[0].hasPrefix("."), !parts[0].hasPrefix("-") else {
            return false
        }
        if parts.count == 2 {
            guard let port = Int(parts[1]), (1...65535).contains(port) else { return false }
        }
        return true
    }

    package static func isPlausibleEmail(_ email: String) -> Bool {
        guard email.count <= 254, !email.contains(where: { $0.isWhitespace || $0.isNewline }) else { return false }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].count >= 3 else { return false }
        let domain = parts[1]
        return domain.contains(".") && !domain.hasPrefix(".") && !domain.hasSuffix(".") && !domain.contains("..")
    }

    /// Password length bounds: bcrypt reads at most 72 bytes.
    package static let passwordLength = 8...72

    /// What is wrong with a new password, in Mastodon's words, or nil when it is acceptable.
    package static func passwordProblem(_ password: String) -> DomainError.FieldError? {
        if password.isEmpty { return .init("ERR_BLANK", "can't be blank") }
        if password.count < Self.passwordLength.lowerBound {
            return .init("ERR_TOO_SHORT", "is too short (minimum is \(Self.passwordLength.lowerBound) characters)")
        }
        if password.utf8.count > Self.passwordLength.upperBound {
            return .init("ERR_TOO_LONG", "is too long (maximum is \(Self.passwordLength.upperBound) characters)")
        }
        return nil
    }

    /// Names that may never be registered locally (they collide with routes or roles).
    package static let reservedUsernames: Set<String> = [
        "admin", "administrator", "root", "support", "help", "webmaster", "postmaster", "hostmaster", "abuse",
        "security", "www", "mail", "api", "oauth", "auth", "settings", "about", "tags", "users", "inbox",
        "outbox", "actor", "instance", "well_known", "nodeinfo", "public", "explore", "search",
    ]

    /// Limits of profile fields, as Mastodon sets them.
    package static let maxFields = 4
    /// Longest display name.
    package static let maxDisplayName = 30
    /// Longest bio.
    package static let maxNote = 500
    /// Longest field name or value.
    package static let maxFieldLength = 255
}
