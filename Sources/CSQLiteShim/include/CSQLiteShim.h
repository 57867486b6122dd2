#ifndef TERN_CSQLITESHIM_H
#define TERN_CSQLITESHIM_H

/// Turns on SQLite's query planner stability guarantee for a connection (`sqlite3*`): a statement keeps
/// the plan it was prepared with whatever values are bound, instead of being prepared again when a bound
/// value changes. Returns SQLite's result code.
///
/// `sqlite3_db_config` takes C varargs, which Swift cannot call; this is the one call Tern needs.
int tern_sqlite_enable_qpsg(void *db);

#endif
