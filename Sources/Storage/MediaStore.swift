import Core
import Foundation

/// Where media files live. The local folder is the default; the protocol leaves room for an
/// S3-compatible store.
package protocol MediaStore: Sendable {
    /// Stores `data` under `key` (a relative path such as `ab/cd/<random>.jpg`).
    func put(_ data: Data, key: String) async throws
    /// The bytes stored under `key`.
    func get(_ key: String) async throws -> Data
    /// Removes `key`; no error when it is missing.
    func delete(_ key: String) async throws
    /// How many bytes are stored under `key`; nil when it is missing.
    func size(_ key: String) async throws -> Int?
    /// The public URL of `key`.
    func url(_ key: String) -> String
}

/// Media files in a folder, served by the web front under `/system/`.
package struct LocalMediaStore: MediaStore {
    package let root: URL
    /// Where the files are served (`URLBuilder.mediaFile`, the same URLs accounts' pictures use).
    package let urls: URLBuilder

    package init(root: String, urls: URLBuilder) {
        self.root = URL(fileURLWithPath: root, isDirectory: true)
        self.urls = urls
    }

    /// A new unguessable key: two levels of folders and 128 random bits.
    package static func newKey(extension ext: String) -> String {
        let bytes = (0..<16).map { _ in UInt8.random(in: 0...255) }
        let hex = bytes.lowercaseHex
        return "\(hex.prefix(2))/\(hex.dropFirst(2).prefix(2))/\(hex).\(ext)"
    }

    /// Only keys made by `newKey`: no `..`, no absolute paths.
    static func isSafe(_ key: String) -> Bool {
        !key.isEmpty && !key.hasPrefix("/") && !key.contains("..") && !key.contains("\\")
            && key.unicodeScalars.allSatisfy {
                $0.isASCII
                    && ($0 == "/" || $0 == "." || $0 == "_" || $0 == "-" || CharacterSet.alphanumerics.contains($0))
            }
    }

    func path(_ key: String) throws -> URL {
        guard Self.isSafe(key) else { throw StorageError.corruptRow("unsafe media key \(key)") }
        return self.root.appendingPathComponent(key)
    }

    package func put(_ data: Data, key: String) async throws {
        let path = try self.path(key)
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: path, options: .atomic)
    }

    package func get(_ key: String) async throws -> Data {
        try Data(contentsOf: try self.path(key))
    }

    package func delete(_ key: String) async throws {
        let path = try self.path(key)
        if FileManager.default.fileExists(atPath: path.path) { try FileManager.default.removeItem(at: path) }
    }

    package func size(_ key: String) async throws -> Int? {
        let attributes = try? FileManager.default.attributesOfItem(atPath: try self.path(key).path)
        return (attributes?[.size] as? NSNumber)?.intValue
    }

    package func url(_ key: String) -> String { self.urls.mediaFile(key) }
}
