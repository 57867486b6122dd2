#include "CSQLiteShim.h"

// The SQLite that sqlite-nio bundles renames every symbol with this prefix; the process must use that one
// copy only (two copies of SQLite in one process lose track of each other's file locks).
extern int sqlite_nio_sqlite3_db_config(void *db, int op, ...);

// SQLITE_DBCONFIG_ENABLE_QPSG in sqlite3.h.
#define TERN_SQLITE_DBCONFIG_ENABLE_QPSG 1007

int tern_sqlite_enable_qpsg(void *db) {
    int enabled = 0;
    return sqlite_nio_sqlite3_db_config(db, TERN_SQLITE_DBCONFIG_ENABLE_QPSG, 1, &enabled);
}
