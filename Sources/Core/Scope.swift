/// An OAuth scope set as Mastodon defines it: top-level scopes (`read`, `write`, `follow`, `push`,
/// `profile`, `admin:read`, `admin:write`) and granular ones (`read:accounts`, `write:statuses`, ...).
///
/// A top-level scope grants every granular scope below it; `follow` is the legacy alias for the
/// block, follow and mute scopes.
package struct ScopeSet: Sendable, Equatable, CustomStringConvertible {
    package let scopes: [String]

    /// Every scope a client may ask for.
    package static let known: Set<String> = {
        var all: Set<String> = ["read", "write", "follow", "push", "profile", "admin:read", "admin:write"]
        for name in [
            "accounts", "blocks", "bookmarks", "favourites", "filters", "follows", "lists", "mutes",
            "notifications", "search", "statuses",
        ] {
            all.insert("read:\(name)")
        }
        for name in [
            "accounts", "blocks", "bookmarks", "conversations", "favourites", "filters", "follows", "lists",
            "media", "mutes", "notifications", "reports", "statuses",
        ] {
            all.insert("write:\(name)")
        }
        for name in ["accounts", "reports", "domain_allows", "domain_blocks", "ip_blocks", "email_domain_blocks"] {
            all.insert("admin:read:\(name)")
            all.insert("admin:write:\(name)")
        }
        all.insert("admin:read:canonical_email_blocks")
        all.insert("admin:write:canonical_email_blocks")
        return all
    }()

    private static let followAlias: Set<String> = [
        "read:blocks", "write:blocks", "read:follows", "write:follows", "read:mutes", "write:mutes",
    ]

    /// Parses a space- (or `+`-) separated list; `nil` when it names an unknown scope.
    package init?(parsing string: String) {
        let parts = string.split(whereSeparator: { $0 == " " || $0 == "+" || $0 == "," }).map(String.init)
        var seen: [String] = []
        for part in parts where !seen.contains(part) {
            guard Self.known.contains(part) else { return nil }
            seen.append(part)
        }
        self.scopes = seen
    }

    /// A set made of scopes already known to be valid.
    package init(_ scopes: [String]) {
        self.scopes = scopes
    }

    package var description: String { self.scopes.joined(separator: " ") }

    package var isEmpty: Bool { self.scopes.isEmpty }

    /// Whether a token with these scopes may do what `required` allows.
    package func allows(_ required: String) -> Bool {
        for scope in self.scopes {
            if scope == required { return true }
            if required.hasPrefix(scope + ":") { return true }  // `read` grants `read:accounts`
            if scope == "follow" && Self.followAlias.contains(required) { return true }
        }
        return false
    }

    /// Whether every scope in `other` is granted by this set (an app may only hand out what it registered).
    package func covers(_ other: ScopeSet) -> Bool {
        other.scopes.allSatisfy { self.allows($0) }
    }
}
