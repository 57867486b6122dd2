import Core
import Foundation

/// Accounts and statuses as last decoded, with the row version they were decoded from: a row whose version
/// is the one kept is the same model, and is not decoded again.
///
/// Every timeline page reads the same few dozen rows again and again; decoding one makes a string per
/// text column (an allocation and a UTF-8 check each, a JSON parse for profile fields), and everything
/// downstream then compares those fresh strings with the ones it kept (`RenderedFragments`). A kept model
/// is the very same allocation as last time, so those comparisons end at identity.
///
/// The database changes a row's `row_version` whenever anything in the row changes (`M0033_AddRowVersions`),
/// so comparing it is the whole check: nothing is invalidated, and a row changed by anyone (this process,
/// the admin tool, another process sharing PostgreSQL) reads with a new version and is decoded afresh. Before
/// versions, the check compared every column's bytes with a copy kept beside the model: a tenth of a home
/// page's CPU for its forty-odd rows.
enum KeptRows {
    /// Rows of each kind kept in each generation.
    static let capacity = 256

    static let accounts = RecentCache<KeptRow<Account>>(capacity: Self.capacity)
    static let statuses = RecentCache<KeptRow<Status>>(capacity: Self.capacity)
}

/// A model and the version of the row it was decoded from.
final class KeptRow<Model: Sendable>: Sendable {
    let version: Int64
    let model: Model

    init(version: Int64, model: Model) {
        self.version = version
        self.model = model
    }
}

extension RecentCache {
    /// The model of the row with `id` at `version`: the kept one when it was read at that version, else the
    /// one `decode` makes, kept in its place.
    func model<Model>(id: Int64, version: Int64, decode: () throws -> Model) rethrows -> Model
    where Value == KeptRow<Model> {
        try self.value(
            for: id,
            where: { $0.version == version },
            else: { KeptRow(version: version, model: try decode()) }
        ).model
    }
}

extension AccountRow {
    /// The account in the columns of `row` from `start` on: the kept one when its version is the same.
    static func account(_ row: ColumnReader, at start: Int = 0) throws -> Account {
        let version = try row.int64(start + Self.columnNames.count - 1)
        return try KeptRows.accounts.model(id: try row.int64(start), version: version) {
            try AccountRow(row, at: start).account()
        }
    }
}

extension StatusRow {
    /// The status in the columns of `row` from `start` on: the kept one when its version is the same.
    static func status(_ row: ColumnReader, at start: Int = 0) throws -> Status {
        let version = try row.int64(start + Self.columnNames.count - 1)
        return try KeptRows.statuses.model(id: try row.int64(start), version: version) {
            try StatusRow(row, at: start).status()
        }
    }
}

extension DBSession {
    /// The rows of `table` with `ids` as models, in no particular order: the versions first, then the whole rows
    /// of those not kept at their version (`read`, which keeps what it decodes). A page's rows are mostly kept,
    /// and reading two columns of each instead of all of them spares SQLite the rest.
    func keptModels<Model>(
        _ ids: [Int64],
        table: String,
        in kept: RecentCache<KeptRow<Model>>,
        read: ([Int64]) async throws -> [Model]
    ) async throws -> [Model] {
        guard !ids.isEmpty else { return [] }
        var models: [Model] = []
        var missing: [Int64] = []
        let versions = try await self.rows(
            "SELECT t.id, t.row_version FROM \(idTable: ids, as: "ids") CROSS JOIN \(unsafeRaw: table) t WHERE t.id = ids.value"
        ) { (try $0.int64(0), try $0.int64(1)) }
        models.reserveCapacity(versions.count)
        for (id, version) in versions {
            if let row = kept.value(for: id), row.version == version {
                models.append(row.model)
            } else {
                missing.append(id)
            }
        }
        guard !missing.isEmpty else { return models }
        return models + (try await read(missing))
    }
}
