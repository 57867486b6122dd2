/// Storage failures that callers may want to tell apart. Everything else propagates as the driver's error.
package enum StorageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A unique constraint refused the row.
    case duplicate(String)
    /// The database URL in the configuration could not be understood.
    case invalidURL(String)
    /// A stored value could not be read back (a corrupt row or a newer schema).
    case corruptRow(String)

    package var description: String {
        switch self {
        case .duplicate(let what): "duplicate \(what)"
        case .invalidURL(let why): "invalid database URL: \(why)"
        case .corruptRow(let why): "corrupt row: \(why)"
        }
    }
}
