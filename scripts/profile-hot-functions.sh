#!/usr/bin/env bash
#
# Makes scripts/hot-functions.txt, the link order of scripts/build-release.sh: the functions of the
# `tern` binary that serving runs, most used first, sampled with `perf record` while wrk drives the
# home timeline, the local timeline and posting (as scripts/bench-timelines.sh does) on a small
# seeded SQLite database. Start-up is left out: `tern serve` gives its start-up pages back.
#
#   scripts/profile-hot-functions.sh
#
# Needs perf, wrk, curl, python3 and nm. Sends traffic to 127.0.0.1 only.

set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
command -v perf >/dev/null 2>&1 || {
    echo "perf not found (apt-get install linux-perf)" >&2
    exit 1
}
TERN_BIN="$(TERN_ORDER_FILE=none scripts/build-release.sh)"
export TERN_BIN
# shellcheck source=scripts/lib/bench.sh
source "$ROOT/scripts/lib/bench.sh" sqlite

export TERN_LOG_LEVEL=warning
export TERN_AUTH_RATE_LIMIT=0
unset TERN_DATABASE
mkdir -p "$TERN_DATA_DIR"

say "seeding 50 accounts and 20,000 statuses"
"$TERN_BIN" admin seed-benchmark --accounts 50 --statuses 20000 --follow 50 --password "$PASSWORD" >&2 ||
    die "tern admin seed-benchmark failed"

"$TERN_BIN" serve >"$WORK/server.log" 2>&1 </dev/null &
SERVER_PID=$!
for _ in $(seq 600); do
    curl -s -o /dev/null --max-time 1 "$BASE/api/v1/instance" && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "tern serve exited during start"
    sleep 0.05
done
TOKEN="$(bench_token bench0@example.com "$PASSWORD" "read write")" || die "could not get a token for bench0"
cat >"$WORK/post.lua" <<LUA
counter = 0
function request()
    counter = counter + 1
    return wrk.format("POST", "/api/v1/statuses", {
        ["Authorization"] = "Bearer $TOKEN",
        ["Content-Type"] = "application/x-www-form-urlencoded",
    }, "status=profile+" .. counter)
end
LUA

say "recording while wrk runs home, local public and posting (5 s each)"
# Sampled every 3,000 instructions where the CPU counts them; a machine without a PMU samples by time.
if [[ "$(perf_counter)" == instructions:u ]]; then sampling=(-e instructions:u -c 3000); else sampling=(-e cpu-clock -F 20000); fi
perf record "${sampling[@]}" -p "$SERVER_PID" -o "$WORK/perf.data" >/dev/null 2>&1 &
PERF=$!
sleep 0.5
wrk -t2 -c50 -d5s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/timelines/home?limit=20" >/dev/null
wrk -t2 -c50 -d5s "$BASE/api/v1/timelines/public?local=true" >/dev/null
wrk -t2 -c50 -d5s -s "$WORK/post.lua" "$BASE/api/v1/statuses" >/dev/null
kill -INT "$PERF"
wait "$PERF" || true

# The binary's sampled symbols, most samples first, as the sections `-function-sections` made.
perf report -i "$WORK/perf.data" --no-children --sort dso,symbol -g none --no-demangle 2>/dev/null |
    awk -v dso="$(basename "$TERN_BIN")" '$2 == dso && $3 == "[.]" { print $4 }' >"$WORK/hot.txt"
nm --defined-only "$TERN_BIN" | awk '$2 ~ /^[tTwW]$/ { print $3 }' | sort -u >"$WORK/defined.txt"
awk 'NR == FNR { defined[$1] = 1; next } defined[$1] && !seen[$1]++ { print ".text." $1 }' \
    "$WORK/defined.txt" "$WORK/hot.txt" >scripts/hot-functions.txt
say "scripts/hot-functions.txt: $(wc -l <scripts/hot-functions.txt) functions"
