#!/usr/bin/env bash
#
# Foundation benchmark of the release `tern serve` on loopback:
#   - cold start: ms from launch (empty data dir, migrations included) to the first 200 of /api/v1/instance
#   - idle RSS after start, and RSS after load
#   - wrk load on GET /api/v1/instance (public) and GET /api/v1/accounts/verify_credentials (token lookup)
#
#   scripts/bench-foundation.sh             SQLite in a temp data dir
#   scripts/bench-foundation.sh postgres    a throwaway PostgreSQL cluster (scripts/lib/postgres.sh)
#
# Environment: BENCH_DURATION (10s), BENCH_CONNECTIONS (50), BENCH_THREADS (2),
#              BENCH_SKIP_BUILD=1 to reuse an existing release build,
#              TERN_BIN=PATH to benchmark that binary instead (no build).
# Needs wrk and curl (apt-get install wrk curl). Sends traffic to 127.0.0.1 only.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
# shellcheck source=scripts/lib/bench.sh
source "$ROOT/scripts/lib/bench.sh"
unset TERN_DATABASE
mkdir -p "$TERN_DATA_DIR"
bench_use_backend

# --- Cold start -------------------------------------------------------------------------------
say "starting $TERN_BIN serve on $BASE ($BACKEND)"
t0=$(date +%s%N)
"$TERN_BIN" serve >"$WORK/server.log" 2>&1 </dev/null &
SERVER_PID=$!
deadline=$((t0 + 60 * 1000000000))
while :; do
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$BASE/api/v1/instance" || true)"
    if [[ "$code" == 200 ]]; then break; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        show_log
        die "tern serve exited during start"
    fi
    if (($(date +%s%N) > deadline)); then
        show_log
        die "no 200 from /api/v1/instance within 60 s"
    fi
    sleep 0.005
done
t1=$(date +%s%N)
COLD_MS=$(((t1 - t0) / 1000000))
say "first 200 after ${COLD_MS} ms"

sleep 1
IDLE_RSS="$(rss_mib)"
say "idle RSS ${IDLE_RSS} MiB"

# --- Account and token ------------------------------------------------------------------------
"$TERN_BIN" admin account create bench --email bench@example.org --password "$PASSWORD" >"$WORK/admin.log" 2>&1 || {
    cat "$WORK/admin.log" >&2
    die "tern admin account create failed"
}

TOKEN="$(bench_token bench@example.org "$PASSWORD" read)" || die "could not get a token for bench"

code="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/accounts/verify_credentials")"
[[ "$code" == 200 ]] || die "verify_credentials with the new token answered $code"

# --- Load -------------------------------------------------------------------------------------
# run_wrk NAME PATH [wrk args...]: prints "req/s p99 non2xx"
run_wrk() {
    local name="$1" path="$2"
    shift 2
    local out="$WORK/wrk-$name.txt"
    say "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency $path"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$BASE$path" >"$out"
    cat "$out" >&2
    local rps p99 errors
    rps="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
    p99="$(awk '$1 == "99%" { print $2 }' "$out")"
    errors="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")"
    echo "${rps:-?} ${p99:-?} ${errors:-0}"
}

run_wrk instance /api/v1/instance >"$WORK/result-instance"
run_wrk verify /api/v1/accounts/verify_credentials -H "Authorization: Bearer $TOKEN" >"$WORK/result-verify"
read -r INSTANCE_RPS INSTANCE_P99 INSTANCE_ERR <"$WORK/result-instance"
read -r VERIFY_RPS VERIFY_P99 VERIFY_ERR <"$WORK/result-verify"

kill -0 "$SERVER_PID" 2>/dev/null || {
    show_log
    die "the server died under load"
}
sleep 1
LOADED_RSS="$(rss_mib)"

# --- Report -----------------------------------------------------------------------------------
cat <<EOF

## Tern foundation benchmark ($BACKEND, $(date -u +%Y-%m-%d), wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $(nproc) cores)

| metric | value |
| --- | --- |
| cold start to first 200 of /api/v1/instance | ${COLD_MS} ms |
| idle RSS after start | ${IDLE_RSS} MiB |
| GET /api/v1/instance | ${INSTANCE_RPS} req/s, p99 ${INSTANCE_P99}, non-2xx ${INSTANCE_ERR} |
| GET /api/v1/accounts/verify_credentials | ${VERIFY_RPS} req/s, p99 ${VERIFY_P99}, non-2xx ${VERIFY_ERR} |
| RSS after load | ${LOADED_RSS} MiB |
EOF

if [[ "$INSTANCE_ERR" != 0 || "$VERIFY_ERR" != 0 ]]; then
    say "WARNING: some responses were not 2xx/3xx; the numbers above include errors"
fi
