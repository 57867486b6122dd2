/// A version on every account and status row that changes whenever anything in the row does: what `KeptRows`
/// compares to tell whether a row still reads as the model it kept.
///
/// The database sets it, so no write path can forget it: triggers on SQLite (which cannot give a new column
/// a computed default), a default and a trigger on PostgreSQL. The hot writes (a post, a favourite, a follow)
/// also set it themselves, which on SQLite spares the trigger's second write of the row. A version is a random 53-bit number, not a
/// counter: a row deleted and inserted again with its old id, or the same id in another database, never
/// takes up a version a kept model was read with.
struct M0033_AddRowVersions: Migration {
    static let tables = ["accounts", "statuses"]

    func prepare(on session: DBSession) async throws {
        switch session.dialect {
        case .sqlite:
            for table in Self.tables {
                try await session.execute([
                    "ALTER TABLE \(table) ADD COLUMN row_version BIGINT NOT NULL DEFAULT 0",
                    "UPDATE \(table) SET row_version = random() >> 11",
                    """
                    CREATE TRIGGER \(table)_row_version_insert AFTER INSERT ON \(table) WHEN new.row_version = 0 BEGIN
                        UPDATE \(table) SET row_version = random() >> 11 WHERE rowid = new.rowid;
                    END
                    """,
                    // The WHENs skip writes that set a new version themselves (`DBSession.newRowVersion`, and
                    // these triggers' own updates): each trigger is a second write of the row.
                    """
                    CREATE TRIGGER \(table)_row_version_update AFTER UPDATE ON \(table)
                    WHEN new.row_version = old.row_version BEGIN
                        UPDATE \(table) SET row_version = random() >> 11 WHERE rowid = new.rowid;
                    END
                    """,
                ])
            }
        case .postgres:
            try await session.execute([
                """
                CREATE OR REPLACE FUNCTION tern_new_row_version() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.row_version := floor(random() * 9007199254740992)::bigint;
                    RETURN NEW;
                END
                $$
                """
            ])
            for table in Self.tables {
                try await session.execute([
                    """
                    ALTER TABLE \(table) ADD COLUMN row_version BIGINT NOT NULL
                    DEFAULT floor(random() * 9007199254740992)::bigint
                    """,
                    """
                    CREATE TRIGGER \(table)_row_version BEFORE UPDATE ON \(table)
                    FOR EACH ROW EXECUTE FUNCTION tern_new_row_version()
                    """,
                ])
            }
        }
    }
}
