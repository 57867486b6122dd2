import Foundation

/// Where the data lives, parsed from the `database` setting.
///
/// - `sqlite:PATH` (a relative path is resolved against the data folder), `sqlite:///abs/path`,
///   `sqlite::memory:` (tests);
/// - `postgres://user:password@host:port/database` (also `postgresql://`).
package enum DatabaseLocation: Sendable, Equatable {
    case sqliteFile(String)
    case sqliteMemory
    case postgres(
        host: String,
        port: Int,
        username: String,
        password: String?,
        database: String,
        tls: Bool,
        searchPath: String?
    )

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
        let searchPath = components.queryItems?.first(where: { $0.name == "search_path" })?.value
        if let searchPath, !searchPath.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
            throw StorageError.invalidURL("search_path may hold letters, digits and underscores only")
        }
        self = .postgres(
            host: host,
            port: components.port ?? 5432,
            username: components.user ?? "postgres",
            password: components.password,
            database: database,
            tls: sslmode == "require",
            searchPath: searchPath
        )
    }

    /// A description safe for logs: no password.
    package var redacted: String {
        switch self {
        case .sqliteFile(let path): "sqlite:\(path)"
        case .sqliteMemory: "sqlite::memory:"
        case .postgres(let host, let port, let username, _, let database, _, let searchPath):
            "postgres://\(username)@\(host):\(port)/\(database)" + (searchPath.map { "?search_path=\($0)" } ?? "")
        }
    }
}
