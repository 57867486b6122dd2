import NIOCore
import SQLiteNIO
import VaporCSQLite

/// `tern_int64s(?)`: a table-valued function on every SQLite connection that reads a list of integers out
/// of one bound blob (eight bytes each, little-endian), for `column IN (SELECT value FROM tern_int64s(?))`.
///
/// SQLite's own `json_each` did the same from a JSON text, but parsing the text back into numbers was 5 %
/// of a timeline request; this copies the blob once and hands each number out as it is.
enum SQLiteInt64List {
    /// The function's name in SQL.
    static let name = "tern_int64s"

    /// A list bound as this function's argument.
    struct Bind: Encodable, Sendable {
        let values: [Int64]
        /// The blob the function reads, written when the bind is made: copies of the bind share it.
        let blob: ByteBuffer

        init(values: [Int64]) {
            self.values = values
            var buffer = ByteBufferAllocator().buffer(capacity: values.count * 8)
            for value in values { buffer.writeInteger(value, endianness: .little) }
            self.blob = buffer
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(self.values)
        }
    }

    /// Makes the function available on `db`.
    static func register(on db: OpaquePointer) -> Int32 {
        sqlite_nio_sqlite3_create_module(db, Self.name, Self.module, nil)
    }

    /// The callbacks, shared by every connection for the life of the process: written once when first used,
    /// only read after that (by SQLite), hence `nonisolated(unsafe)`.
    nonisolated(unsafe) private static let module: UnsafeMutablePointer<sqlite3_module> = {
        let module = UnsafeMutablePointer<sqlite3_module>.allocate(capacity: 1)
        var callbacks = sqlite3_module()
        // No xCreate: an eponymous table only, used by its name without CREATE VIRTUAL TABLE.
        callbacks.xConnect = { db, _, _, _, table, _ in
            let declared = sqlite_nio_sqlite3_declare_vtab(db, "CREATE TABLE x(value INTEGER, list HIDDEN)")
            guard declared == SQLITE_OK else { return declared }
            guard let memory = sqlite_nio_sqlite3_malloc(Int32(MemoryLayout<sqlite3_vtab>.stride)) else {
                return SQLITE_NOMEM
            }
            let vtab = memory.bindMemory(to: sqlite3_vtab.self, capacity: 1)
            vtab.initialize(to: sqlite3_vtab())
            table?.pointee = vtab
            return SQLITE_OK
        }
        callbacks.xDisconnect = { table in
            sqlite_nio_sqlite3_free(table)
            return SQLITE_OK
        }
        callbacks.xBestIndex = { _, info in
            guard let info else { return SQLITE_ERROR }
            // The plan needs the list: an equality on the hidden column, which is the function's argument.
            for index in 0..<Int(info.pointee.nConstraint) {
                let constraint = info.pointee.aConstraint[index]
                guard constraint.iColumn == 1, constraint.op == SQLITE_INDEX_CONSTRAINT_EQ else { continue }
                guard constraint.usable != 0 else { return SQLITE_CONSTRAINT }
                info.pointee.aConstraintUsage[index].argvIndex = 1
                info.pointee.aConstraintUsage[index].omit = 1
                info.pointee.idxNum = 1
                info.pointee.estimatedCost = 10
                info.pointee.estimatedRows = 20
                return SQLITE_OK
            }
            // Without an argument the list is empty.
            info.pointee.idxNum = 0
            info.pointee.estimatedCost = 1
            info.pointee.estimatedRows = 0
            return SQLITE_OK
        }
        callbacks.xOpen = { _, cursor in
            let size = MemoryLayout<sqlite3_vtab_cursor>.stride + MemoryLayout<Cursor>.stride
            guard let memory = sqlite_nio_sqlite3_malloc(Int32(size)) else { return SQLITE_NOMEM }
            let base = memory.bindMemory(to: sqlite3_vtab_cursor.self, capacity: 1)
            base.initialize(to: sqlite3_vtab_cursor())
            (memory + MemoryLayout<sqlite3_vtab_cursor>.stride).bindMemory(to: Cursor.self, capacity: 1)
                .initialize(to: Cursor())
            cursor?.pointee = base
            return SQLITE_OK
        }
        callbacks.xClose = { cursor in
            guard let cursor else { return SQLITE_OK }
            SQLiteInt64List.state(of: cursor).pointee.release()
            sqlite_nio_sqlite3_free(cursor)
            return SQLITE_OK
        }
        callbacks.xFilter = { cursor, plan, _, count, arguments in
            guard let cursor else { return SQLITE_ERROR }
            let state = SQLiteInt64List.state(of: cursor)
            state.pointee.release()
            // Only a blob is a list: text, numbers and NULL are empty ones.
            guard plan == 1, count >= 1, let argument = arguments?[0],
                sqlite_nio_sqlite3_value_type(argument) == SQLITE_BLOB
            else { return SQLITE_OK }
            let bytes = Int(sqlite_nio_sqlite3_value_bytes(argument))
            guard bytes >= 8, let blob = sqlite_nio_sqlite3_value_blob(argument) else { return SQLITE_OK }
            guard let copy = sqlite_nio_sqlite3_malloc(Int32(bytes)) else { return SQLITE_NOMEM }
            copy.copyMemory(from: blob, byteCount: bytes)
            state.pointee.values = UnsafeRawPointer(copy)
            state.pointee.count = bytes / 8
            return SQLITE_OK
        }
        callbacks.xNext = { cursor in
            guard let cursor else { return SQLITE_ERROR }
            SQLiteInt64List.state(of: cursor).pointee.index += 1
            return SQLITE_OK
        }
        callbacks.xEof = { cursor in
            guard let cursor else { return 1 }
            let state = SQLiteInt64List.state(of: cursor).pointee
            return state.index < state.count ? 0 : 1
        }
        callbacks.xColumn = { cursor, context, column in
            guard let cursor else { return SQLITE_ERROR }
            let state = SQLiteInt64List.state(of: cursor).pointee
            if column == 0, let values = state.values, state.index < state.count {
                let value = values.loadUnaligned(fromByteOffset: state.index * 8, as: Int64.self)
                sqlite_nio_sqlite3_result_int64(context, Int64(littleEndian: value))
            } else {
                sqlite_nio_sqlite3_result_null(context)
            }
            return SQLITE_OK
        }
        callbacks.xRowid = { cursor, rowid in
            guard let cursor else { return SQLITE_ERROR }
            rowid?.pointee = sqlite3_int64(SQLiteInt64List.state(of: cursor).pointee.index)
            return SQLITE_OK
        }
        module.initialize(to: callbacks)
        return module
    }()

    /// What a cursor holds, after SQLite's own cursor fields in the same allocation.
    private struct Cursor {
        /// A copy of the argument's blob (SQLite's memory), or nil for an empty list.
        var values: UnsafeRawPointer?
        var count = 0
        var index = 0

        mutating func release() {
            if let values { sqlite_nio_sqlite3_free(UnsafeMutableRawPointer(mutating: values)) }
            self = Cursor()
        }
    }

    private static func state(of cursor: UnsafeMutablePointer<sqlite3_vtab_cursor>) -> UnsafeMutablePointer<Cursor> {
        (UnsafeMutableRawPointer(cursor) + MemoryLayout<sqlite3_vtab_cursor>.stride).assumingMemoryBound(
            to: Cursor.self
        )
    }
}
