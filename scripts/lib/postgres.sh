# shellcheck shell=bash
#
# Throwaway PostgreSQL cluster for tests and benchmarks. Source this file, then:
#
#   pg_find_bindir || echo "no PostgreSQL server binaries"
#   pg_start_cluster [--durable]     # initdb + start on a free 127.0.0.1 port, create role `tern`
#   pg_create_db NAME                # CREATE DATABASE NAME OWNER tern
#   pg_url NAME                      # prints postgres://tern@127.0.0.1:PORT/NAME
#   pg_stop_cluster                  # stop and delete everything (safe to call twice)
#
# The cluster listens on 127.0.0.1 only (its unix socket lives in the temp dir), uses trust
# authentication, and by default runs with fsync off (it is thrown away anyway); pass --durable
# to keep PostgreSQL's default durability settings (for benchmarks).
#
# After pg_start_cluster these are exported:
#   PG_HOST, PG_PORT              where the cluster listens
#   TERN_TEST_PG_HOST/PORT/USER   the same, for the e2e tests (conftest.py)
#   TERN_TEST_PG_ADMIN_URL        postgres://tern@127.0.0.1:PORT/postgres (to CREATE DATABASE)
#
# initdb refuses to run as root: as root the data dir is owned by the `postgres` system user
# (created by Debian's postgresql package) and the server commands run through runuser.

PG_BINDIR="${PG_BINDIR:-}"
PG_TMPDIR=""
PG_DATA=""
PG_HOST="127.0.0.1"
PG_PORT=""
PG_ROLE="tern"

_pg_log() { printf '[postgres] %s\n' "$*" >&2; }

# Sets PG_BINDIR to the directory holding initdb/pg_ctl: the newest /usr/lib/postgresql/*/bin,
# else `pg_config --bindir`. Returns 1 when no server binaries are found.
pg_find_bindir() {
    if [[ -n "$PG_BINDIR" && -x "$PG_BINDIR/initdb" && -x "$PG_BINDIR/pg_ctl" ]]; then
        return 0
    fi
    PG_BINDIR=""
    local dir best="" best_ver=-1 ver
    for dir in /usr/lib/postgresql/*/bin; do
        [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]] || continue
        ver="$(basename "$(dirname "$dir")")"
        [[ "$ver" =~ ^[0-9]+$ ]] || continue
        if ((ver > best_ver)); then
            best_ver=$ver
            best=$dir
        fi
    done
    if [[ -z "$best" ]] && command -v pg_config >/dev/null 2>&1; then
        dir="$(pg_config --bindir 2>/dev/null || true)"
        if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
            best=$dir
        fi
    fi
    [[ -n "$best" ]] || return 1
    PG_BINDIR=$best
    return 0
}

# Prints a free TCP port on 127.0.0.1.
pg_free_port() {
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# Runs a server-side command (initdb, pg_ctl) as the owner of the data dir.
_pg_as_owner() {
    if [[ "$(id -u)" == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

_pg_psql() {
    # Client commands connect over TCP with trust auth, so they can run as any user.
    local db="$1"
    shift
    local psql="$PG_BINDIR/psql"
    [[ -x "$psql" ]] || psql="psql"
    "$psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U postgres -d "$db" "$@"
}

pg_start_cluster() {
    local durable=0
    if [[ "${1:-}" == "--durable" ]]; then durable=1; fi
    if [[ -n "$PG_TMPDIR" ]]; then
        _pg_log "a cluster is already running in $PG_TMPDIR"
        return 1
    fi
    pg_find_bindir || {
        _pg_log "PostgreSQL server binaries not found"
        return 1
    }
    if [[ "$(id -u)" == 0 ]]; then
        if ! id -u postgres >/dev/null 2>&1; then
            _pg_log "running as root but there is no 'postgres' user to run initdb as (apt-get install postgresql creates it)"
            return 1
        fi
        # The postgres user must be able to reach the data dir: keep it directly under /tmp.
        PG_TMPDIR="$(mktemp -d /tmp/tern-pg.XXXXXX)"
        chown postgres: "$PG_TMPDIR"
    else
        PG_TMPDIR="$(mktemp -d "${TMPDIR:-/tmp}/tern-pg.XXXXXX")"
    fi
    chmod 700 "$PG_TMPDIR"
    PG_DATA="$PG_TMPDIR/data"
    PG_PORT="$(pg_free_port)"

    _pg_log "initdb ($PG_BINDIR) in $PG_DATA"
    if ! _pg_as_owner "$PG_BINDIR/initdb" -D "$PG_DATA" --username=postgres --auth=trust \
        --encoding=UTF8 --locale=C --no-sync >"$PG_TMPDIR/initdb.log" 2>&1; then
        cat "$PG_TMPDIR/initdb.log" >&2
        pg_stop_cluster
        return 1
    fi

    local opts="-c listen_addresses=$PG_HOST -p $PG_PORT -k $PG_TMPDIR -c max_connections=200"
    if ((durable == 0)); then
        opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    _pg_log "starting on $PG_HOST:$PG_PORT"
    if ! _pg_as_owner "$PG_BINDIR/pg_ctl" -D "$PG_DATA" -l "$PG_TMPDIR/server.log" -w -t 60 \
        -o "$opts" start >/dev/null; then
        cat "$PG_TMPDIR/server.log" >&2 || true
        pg_stop_cluster
        return 1
    fi

    if ! _pg_psql postgres -c "CREATE ROLE $PG_ROLE WITH LOGIN SUPERUSER"; then
        pg_stop_cluster
        return 1
    fi

    export PG_HOST PG_PORT
    export TERN_TEST_PG_HOST="$PG_HOST"
    export TERN_TEST_PG_PORT="$PG_PORT"
    export TERN_TEST_PG_USER="$PG_ROLE"
    export TERN_TEST_PG_ADMIN_URL
    TERN_TEST_PG_ADMIN_URL="$(pg_url postgres)"
    return 0
}

# pg_url NAME: connection URL of database NAME for role tern.
pg_url() {
    printf 'postgres://%s@%s:%s/%s\n' "$PG_ROLE" "$PG_HOST" "$PG_PORT" "$1"
}

# pg_create_db NAME: creates an empty database owned by role tern.
pg_create_db() {
    local name="${1:-}"
    if [[ ! "$name" =~ ^[a-z_][a-z0-9_]*$ ]]; then
        _pg_log "pg_create_db: invalid database name '$name'"
        return 1
    fi
    if [[ -z "$PG_PORT" ]]; then
        _pg_log "pg_create_db: no cluster running"
        return 1
    fi
    _pg_psql postgres -c "CREATE DATABASE $name OWNER $PG_ROLE"
}

# pg_stop_cluster: stops the server and deletes its files. Safe to call when nothing runs.
pg_stop_cluster() {
    if [[ -z "$PG_TMPDIR" ]]; then
        return 0
    fi
    if [[ -f "$PG_DATA/postmaster.pid" ]]; then
        _pg_log "stopping ($PG_HOST:$PG_PORT)"
        _pg_as_owner "$PG_BINDIR/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1 ||
            _pg_as_owner "$PG_BINDIR/pg_ctl" -D "$PG_DATA" -m immediate -w -t 30 stop >/dev/null 2>&1 ||
            true
    fi
    rm -rf "$PG_TMPDIR"
    PG_TMPDIR=""
    PG_DATA=""
    PG_PORT=""
    unset TERN_TEST_PG_HOST TERN_TEST_PG_PORT TERN_TEST_PG_USER TERN_TEST_PG_ADMIN_URL
    return 0
}
