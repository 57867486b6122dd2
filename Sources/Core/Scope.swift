import Synchronization

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

    /// The scopes a stored token or app was given (`description` of a parsed set); none when the text does
    /// not parse. Every signed-in request reads its token's, and a handful of texts cover every token, so
    /// each text is parsed once.
    package static func stored(_ text: String) -> ScopeSet {
        if let parsed = Self.storedSets.withLock({ $0[text] }) { return parsed }
        let parsed = ScopeSet(parsing: text) ?? ScopeSet([])
        Self.storedSets.withLock { sets in
            if sets.count >= 64 { sets.removeAll(keepingCapacity: true) }
            sets[text] = parsed
        }
        return parsed
    }

    private static let storedSets = Mutex<[String: ScopeSet]>([:])

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
            if Self.isBelow(required, scope) { return true }  // `read` grants `read:accounts`
            if scope == "follow" && Self.followAlias.contains(required) { return true }
        }
        return false
    }

    /// Whether `required` is `scope` followed by a colon and more (`read:accounts` below `read`), compared
    /// in place: a request checks its token's scopes on every call.
    private static func isBelow(_ required: String, _ scope: String) -> Bool {
        let (inner, outer) = (required.utf8, scope.utf8)
        guard inner.count > outer.count, inner.starts(with: outer) else { return false }
        return inner[inner.index(inner.startIndex, offsetBy: outer.count)] == UInt8(ascii: ":")
    }

    /// Whether every scope in `other` is granted by this set (an app may only hand out what it registered).
    package func covers(_ other: ScopeSet) -> Bool {
        other.scopes.allSatisfy { self.allows($0) }
    }
}
