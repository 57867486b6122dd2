#!/usr/bin/env bash
#
# Timeline benchmark of the release `tern serve` on loopback, on a seeded database:
#   - seed: `tern admin seed-benchmark` (200 accounts, 200,000 statuses, bench0 follows 200 others)
#   - wrk load on GET /api/v1/timelines/home?limit=20 (as bench0), GET /api/v1/timelines/public?local=true,
#     and POST /api/v1/statuses (as bench0)
#   - req/s, p50, p99 and non-2xx for each, the seed time, RSS after the run, and RSS 31 s later (the
#     server gives back its file pages and its heap's free pages every 10 s)
#
#   scripts/bench-timelines.sh             SQLite in a temp data dir
#   scripts/bench-timelines.sh postgres    a throwaway PostgreSQL cluster (scripts/lib/postgres.sh, --durable)
#
# Environment: BENCH_STATUSES (200000), BENCH_ACCOUNTS (200), BENCH_FOLLOW (200),
#              BENCH_DURATION (10s), BENCH_CONNECTIONS (50), BENCH_THREADS (2),
#              BENCH_SKIP_BUILD=1 to reuse an existing release build,
#              TERN_BIN=PATH to benchmark that binary instead (no build).
# Needs wrk, curl and python3. Sends traffic to 127.0.0.1 only.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
# shellcheck source=scripts/lib/bench.sh
source "$ROOT/scripts/lib/bench.sh"
ACCOUNTS="${BENCH_ACCOUNTS:-200}"
STATUSES="${BENCH_STATUSES:-200000}"
FOLLOW="${BENCH_FOLLOW:-200}"

export TERN_LOG_LEVEL=warning
# The sign-in limiter counts per address per 5 minutes; every request here comes from 127.0.0.1.
export TERN_AUTH_RATE_LIMIT=0
unset TERN_DATABASE
mkdir -p "$TERN_DATA_DIR"
bench_use_backend

# --- Seed -------------------------------------------------------------------------------------
say "seeding $ACCOUNTS accounts, $STATUSES statuses, bench0 follows $FOLLOW ($BACKEND)"
t0=$(date +%s%N)
"$TERN_BIN" admin seed-benchmark --accounts "$ACCOUNTS" --statuses "$STATUSES" --follow "$FOLLOW" \
    --password "$PASSWORD" 2>&1 | tee "$WORK/seed.log" >&2 || die "tern admin seed-benchmark failed"
t1=$(date +%s%N)
SEED_S="$(awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.1f", ns / 1e9 }')"
SEED_SUMMARY="$(grep '^Seeded' "$WORK/seed.log" || true)"
[[ -n "$SEED_SUMMARY" ]] || die "seed-benchmark printed no summary"
say "seeded in ${SEED_S} s"
if [[ "$BACKEND" == sqlite ]]; then
    DB_SIZE="$(du -sm "$TERN_DATA_DIR" | awk '{ print $1 " MiB" }')"
else
    DB_SIZE="$(_pg_psql tern_bench -At -c "SELECT pg_database_size('tern_bench') / 1048576 || ' MiB'")" || DB_SIZE="?"
fi

# --- Start ------------------------------------------------------------------------------------
say "starting $TERN_BIN serve on $BASE ($BACKEND)"
"$TERN_BIN" serve >"$WORK/server.log" 2>&1 </dev/null &
SERVER_PID=$!
deadline=$(($(date +%s) + 60))
while :; do
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$BASE/api/v1/instance" || true)"
    if [[ "$code" == 200 ]]; then break; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        show_log
        die "tern serve exited during start"
    fi
    if (($(date +%s) > deadline)); then
        show_log
        die "no 200 from /api/v1/instance within 60 s"
    fi
    sleep 0.05
done
sleep 1
IDLE_RSS="$(rss_mib)"
IDLE_ANON="$(anon_mib)"
say "idle RSS ${IDLE_RSS} MiB (anonymous ${IDLE_ANON} MiB)"

# --- Token for bench0 -------------------------------------------------------------------------
TOKEN="$(bench_token bench0@example.com "$PASSWORD" "read write")" || die "could not get a token for bench0"
AUTH="Authorization: Bearer $TOKEN"

# Sanity: a full first page of the home feed, and of the local timeline.
count_items() { python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'; }
HOME_N="$(curl -sS --fail-with-body -H "$AUTH" "$BASE/api/v1/timelines/home?limit=20" | count_items)" ||
    die "GET /api/v1/timelines/home failed"
PUBLIC_N="$(curl -sS --fail-with-body "$BASE/api/v1/timelines/public?local=true" | count_items)" ||
    die "GET /api/v1/timelines/public?local=true failed"
say "first pages: home $HOME_N statuses, local $PUBLIC_N statuses"
if ((STATUSES >= 20)) && [[ "$HOME_N" != 20 ]]; then die "home timeline returned $HOME_N statuses, expected 20"; fi

# wrk script for posting: a form body with a per-thread counter, the token in a header.
cat >"$WORK/post.lua" <<LUA
local threads = 0
function setup(thread)
    threads = threads + 1
    thread:set("tid", threads)
end
function init(args)
    counter = 0
end
function request()
    counter = counter + 1
    local body = "status=bench+post+" .. tid .. "-" .. counter
    return wrk.format("POST", "/api/v1/statuses", {
        ["Authorization"] = "Bearer $TOKEN",
        ["Content-Type"] = "application/x-www-form-urlencoded",
    }, body)
end
LUA

# --- Load -------------------------------------------------------------------------------------
# run_wrk NAME PATH [wrk args...]: prints "req/s p50 p99 non2xx timeouts kinsn/request" (wrk gives up on a
# request after 2 s)
run_wrk() {
    local name="$1" path="$2"
    shift 2
    local out="$WORK/wrk-$name.txt"
    say "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency $* $path"
    perf_start "$WORK/perf-$name.txt"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$BASE$path" >"$out"
    perf_stop
    cat "$out" >&2
    local rps p50 p99 errors requests kinsn
    requests="$(awk '/requests in/ { print $1 }' "$out")"
    kinsn="$(kinsn_per_request "$WORK/perf-$name.txt" "${requests:-0}")"
    rps="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
    p50="$(awk '$1 == "50%" { print $2 }' "$out")"
    p99="$(awk '$1 == "99%" { print $2 }' "$out")"
    errors="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")"
    local socket timeouts
    socket="$(awk '/Socket errors:/ { $1 = $2 = ""; print }' "$out" | xargs)"
    [[ -z "$socket" ]] || say "$name: socket errors: $socket"
    timeouts="$(awk '/Socket errors:/ { print $NF }' "$out")"
    echo "${rps:-?} ${p50:-?} ${p99:-?} ${errors:-0} ${timeouts:-0} ${kinsn}"
}

run_wrk home "/api/v1/timelines/home?limit=20" -H "$AUTH" >"$WORK/result-home"
run_wrk public "/api/v1/timelines/public?local=true" >"$WORK/result-public"
run_wrk post /api/v1/statuses -s "$WORK/post.lua" >"$WORK/result-post"
read -r HOME_RPS HOME_P50 HOME_P99 HOME_ERR HOME_TO HOME_KI <"$WORK/result-home"
read -r PUBLIC_RPS PUBLIC_P50 PUBLIC_P99 PUBLIC_ERR PUBLIC_TO PUBLIC_KI <"$WORK/result-public"
read -r POST_RPS POST_P50 POST_P99 POST_ERR POST_TO POST_KI <"$WORK/result-post"

kill -0 "$SERVER_PID" 2>/dev/null || {
    show_log
    die "the server died under load"
}
sleep 1
LOADED_RSS="$(rss_mib)"
LOADED_ANON="$(anon_mib)"
# `tern serve` gives back its file pages and its heap's free pages every 10 s: the RSS it settles at.
say "waiting 31 s for the server to settle"
sleep 31
SETTLED_RSS="$(rss_mib)"
SETTLED_ANON="$(anon_mib)"

# --- Report -----------------------------------------------------------------------------------
cat <<EOF

## Tern timeline benchmark ($BACKEND, $(date -u +%Y-%m-%d), wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $(nproc) cores)

Seed: $ACCOUNTS accounts, $STATUSES statuses, bench0 follows $FOLLOW. ${SEED_SUMMARY}

| metric | req/s | p50 | p99 | non-2xx | timeouts (> 2 s) | server instructions (k) or CPU time (us) per request |
| --- | --- | --- | --- | --- | --- | --- |
| GET /api/v1/timelines/home?limit=20 (bench0) | ${HOME_RPS} | ${HOME_P50} | ${HOME_P99} | ${HOME_ERR} | ${HOME_TO} | ${HOME_KI} |
| GET /api/v1/timelines/public?local=true | ${PUBLIC_RPS} | ${PUBLIC_P50} | ${PUBLIC_P99} | ${PUBLIC_ERR} | ${PUBLIC_TO} | ${PUBLIC_KI} |
| POST /api/v1/statuses (bench0) | ${POST_RPS} | ${POST_P50} | ${POST_P99} | ${POST_ERR} | ${POST_TO} | ${POST_KI} |

| metric | value |
| --- | --- |
| seed time (tern admin seed-benchmark, wall clock) | ${SEED_S} s |
| database size after seeding | ${DB_SIZE} |
| idle RSS after start (of it anonymous: heap and stacks) | ${IDLE_RSS} MiB (${IDLE_ANON} MiB) |
| RSS after the run (of it anonymous) | ${LOADED_RSS} MiB (${LOADED_ANON} MiB) |
| RSS 31 s after the run (of it anonymous) | ${SETTLED_RSS} MiB (${SETTLED_ANON} MiB) |
EOF

if [[ "$HOME_ERR$PUBLIC_ERR$POST_ERR$HOME_TO$PUBLIC_TO$POST_TO" != 000000 ]]; then
    say "WARNING: some responses were not 2xx/3xx or timed out; the numbers above include them"
    show_log
fi
