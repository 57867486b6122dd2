import Foundation

/// Where the data lives, parsed from the `database` setting.
///
/// - `sqlite:PATH` (a relative path is resolved against the data folder), `sqlite:///abs/path`,
///   `sqlite::memory:` (tests);
/// - `postgres://user:password@host:port/database` (also `postgresql://`).
package enum DatabaseLocation: Sendable, Equatable {
    case sqliteFile(String)
    case sqliteMemory
    case postgres(host: String, port: Int, username: String, password: String?, database: String, tls: Bool)

    /// Parses a database URL; `dataDirectory` anchors relative SQLite paths.
    package init(parsing string: String, dataDirectory: String) throws {
        if string == "sqlite::memory:" || string == "sqlite://:memory:" {
            self = .sqliteMemory
            return
        }
        if string.hasPrefix("sqlite:") {
            var path = String(string.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            if path.isEmpty { path = "tern.sqlite" }
            if !path.hasPrefix("/") {
                path = (dataDirectory as NSString).appendingPathComponent(path)
            }
            self = .sqliteFile(path)
            return
        }
        guard string.hasPrefix("postgres://") || string.hasPrefix("postgresql://"),
            let components = URLComponents(string: string)
        else {
            throw StorageError.invalidURL("expected sqlite:PATH or postgres://user@host:port/database")
        }
        guard let host = components.host, !host.isEmpty else { throw StorageError.invalidURL("no host") }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !database.isEmpty else { throw StorageError.invalidURL("no database name") }
        let sslmode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value
        self = .postgres(
            host: host, port: components.port ?? 5432, username: components.user ?? "postgres",
            password: components.password, database: database, tls: sslmode == "require"
        )
    }

    /// A description safe for logs: no password.
    package var redacted: String {
        switch self {
        case .sqliteFile(let path): "sqlite:\(path)"
        case .sqliteMemory: "sqlite::memory:"
        case .postgres(let host, let port, let username, _, let database, _):
            "postgres://\(username)@\(host):\(port)/\(database)"
        }
    }
}
