import Core
import Foundation
import NIOCore
import PostgresNIO
import VaporCSQLite

/// Accounts and statuses as last decoded, with the bytes they were decoded from: a row that reads byte for
/// byte the same as before is the same model, and is not decoded again.
///
/// Every timeline page reads the same few dozen rows again and again; decoding one makes a string per
/// text column (an allocation and a UTF-8 check each, a JSON parse for profile fields), and everything
/// downstream then compares those fresh strings with the ones it kept (`RenderedFragments`). A kept model
/// is the very same allocation as last time, so those comparisons end at identity. Comparing the bytes is
/// the whole check: nothing is invalidated, and a row changed by anyone (this process or another sharing
/// PostgreSQL) reads differently and is decoded afresh.
enum KeptRows {
    /// Rows of each kind kept in each generation: at most about a megabyte of bytes in all.
    static let capacity = 256

    static let accounts = RecentCache<KeptRow<Account>>(capacity: Self.capacity)
    static let statuses = RecentCache<KeptRow<Status>>(capacity: Self.capacity)
}

/// A model and the bytes of the columns it was decoded from (`ColumnReader.image`).
final class KeptRow<Model: Sendable>: Sendable {
    let image: [UInt8]
    let model: Model

    init(image: [UInt8], model: Model) {
        self.image = image
        self.model = model
    }
}

extension RecentCache {
    /// The model of the row with `id` whose columns `columns` `row` holds: the kept one when the columns read
    /// as they did, else the one `decode` makes, kept in its place.
    func model<Model>(
        id: Int64,
        row: ColumnReader,
        columns: Range<Int>,
        decode: () throws -> Model
    ) rethrows -> Model where Value == KeptRow<Model> {
        try self.value(
            for: id,
            where: { row.matches($0.image, columns: columns) },
            else: { KeptRow(image: row.image(columns: columns), model: try decode()) }
        ).model
    }
}

extension ColumnReader {
    /// How a column is stored in an image: a tag byte, then the value (eight bytes for numbers, a four-byte
    /// length and the bytes for text and blobs).
    private enum Tag: UInt8 {
        case null = 0
        case integer = 1
        case float = 2
        case text = 3
        case blob = 4
        /// A PostgreSQL cell in its wire format (the column's type is the query's).
        case cell = 5
    }

    /// The stored bytes of `columns`, to tell later whether a row still reads the same (`matches`).
    func image(columns: Range<Int>) -> [UInt8] {
        var image: [UInt8] = []
        image.reserveCapacity(columns.count * 16)
        for index in columns {
            self.withStored(index) { tag, number, bytes in
                image.append(tag.rawValue)
                switch tag {
                case .null: break
                case .integer, .float: withUnsafeBytes(of: number.littleEndian) { image.append(contentsOf: $0) }
                case .text, .blob, .cell:
                    withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { image.append(contentsOf: $0) }
                    image.append(contentsOf: bytes)
                }
            }
        }
        return image
    }

    /// Whether `columns` hold exactly what `image` was made from.
    func matches(_ image: [UInt8], columns: Range<Int>) -> Bool {
        image.withUnsafeBytes { kept in
            var offset = 0
            for index in columns {
                let same = self.withStored(index) { tag, number, bytes -> Bool in
                    guard offset < kept.count, kept[offset] == tag.rawValue else { return false }
                    offset += 1
                    switch tag {
                    case .null:
                        return true
                    case .integer, .float:
                        guard offset + 8 <= kept.count,
                            kept.loadUnaligned(fromByteOffset: offset, as: UInt64.self) == number.littleEndian
                        else { return false }
                        offset += 8
                        return true
                    case .text, .blob, .cell:
                        guard offset + 4 + bytes.count <= kept.count,
                            UInt32(littleEndian: kept.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
                                == UInt32(bytes.count)
                        else { return false }
                        offset += 4
                        let equal =
                            bytes.isEmpty || memcmp(kept.baseAddress! + offset, bytes.baseAddress!, bytes.count) == 0
                        offset += bytes.count
                        return equal
                    }
                }
                guard same else { return false }
            }
            return offset == kept.count
        }
    }

    /// Calls `body` with a column as stored: its tag, its number (integers and floats) or its bytes.
    private func withStored<R>(_ index: Int, _ body: (Tag, UInt64, UnsafeRawBufferPointer) -> R) -> R {
        let none = UnsafeRawBufferPointer(start: nil, count: 0)
        switch self.cells {
        case .sqlite(let row):
            let statement = row.statement
            let column = Int32(index)
            switch sqlite_nio_sqlite3_column_type(statement, column) {
            case SQLITE_INTEGER:
                return body(.integer, UInt64(bitPattern: sqlite_nio_sqlite3_column_int64(statement, column)), none)
            case SQLITE_FLOAT:
                return body(.float, sqlite_nio_sqlite3_column_double(statement, column).bitPattern, none)
            case SQLITE_TEXT:
                // Text first (SQLite may convert on this call), then its length in bytes.
                let start = sqlite_nio_sqlite3_column_text(statement, column)
                let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
                return body(.text, 0, UnsafeRawBufferPointer(start: start, count: start == nil ? 0 : count))
            case SQLITE_BLOB:
                let start = sqlite_nio_sqlite3_column_blob(statement, column)
                let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
                return body(.blob, 0, UnsafeRawBufferPointer(start: start, count: start == nil ? 0 : count))
            default:
                return body(.null, 0, none)
            }
        case .postgres(let row):
            guard let bytes = row[index].bytes else { return body(.null, 0, none) }
            return bytes.withUnsafeReadableBytes { body(.cell, 0, $0) }
        }
    }
}

extension AccountRow {
    /// The account in the columns of `row` from `start` on: the kept one when they read as before.
    static func account(_ row: ColumnReader, at start: Int = 0) throws -> Account {
        let columns = start..<start + Self.columnNames.count
        return try KeptRows.accounts.model(id: try row.int64(start), row: row, columns: columns) {
            try AccountRow(row, at: start).account()
        }
    }
}

extension StatusRow {
    /// The status in the columns of `row` from `start` on: the kept one when they read as before.
    static func status(_ row: ColumnReader, at start: Int = 0) throws -> Status {
        let columns = start..<start + Self.columnNames.count
        return try KeptRows.statuses.model(id: try row.int64(start), row: row, columns: columns) {
            try StatusRow(row, at: start).status()
        }
    }
}
