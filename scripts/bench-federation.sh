#!/usr/bin/env bash
#
# Federation benchmark of the release `tern serve` on loopback, against scripts/lib/inbox_sink.py: one
# Python process listening on BENCH_HOSTS ports (127.0.0.1:BENCH_BASE_PORT…), one "remote host" each,
# that verifies every delivery (Host, Digest, Date, the draft-cavage signature with the sender's key) and
# counts accepted, duplicate and rejected deliveries per activity.
#   - fan-out: `bench` has BENCH_FOLLOWERS remote followers on BENCH_HOSTS hosts (tern admin seed-followers);
#     one POST /api/v1/statuses; seconds until every host accepted it, Tern's CPU seconds, peak RSS
#   - crash: a second post; the sink SIGKILLs Tern the moment BENCH_KILL_AT hosts have it; Tern restarts on
#     the same data and every host must still get the post (duplicates counted, missing hosts must be 0);
#     `tern admin jobs retry` is run only if some host still lacks the post BENCH_RETRY_AFTER s after restart
#   - inbound: one signed Create (from an actor the sink serves) replayed by wrk to POST /inbox for
#     BENCH_INBOUND_DURATION: accepted/s, latency, non-2xx; then how long the inbox jobs take to drain
#
#   scripts/bench-federation.sh             SQLite in a temp data dir
#   scripts/bench-federation.sh postgres    a throwaway PostgreSQL cluster (scripts/lib/postgres.sh, --durable)
#
# Environment: BENCH_FOLLOWERS (30000), BENCH_HOSTS (3000), BENCH_BASE_PORT (20000), BENCH_KILL_AT (1000),
#              BENCH_RETRY_AFTER (30), BENCH_INBOUND_DURATION (15s), BENCH_CONNECTIONS (50),
#              BENCH_THREADS (2), BENCH_TIMEOUT (600: seconds allowed for each wait),
#              BENCH_VENV (${TMPDIR:-/tmp}/tern-bench-venv: a venv with `cryptography`, made if missing),
#              TERN_JOB_CONCURRENCY (the server's default when unset),
#              BENCH_PERF_DIR=DIR to record `perf record -g` profiles of the server (fanout, inbound and
#              drain phases) into DIR (read them with `perf report -i DIR/fanout.data --no-children`),
#              BENCH_SKIP_BUILD=1 to reuse an existing release build,
#              TERN_BIN=PATH to benchmark that binary instead (no build).
# Needs wrk, curl and python3 (with venv). Sends traffic to 127.0.0.1 only.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
# shellcheck source=scripts/lib/bench.sh
source "$ROOT/scripts/lib/bench.sh"
FOLLOWERS="${BENCH_FOLLOWERS:-30000}"
HOSTS="${BENCH_HOSTS:-3000}"
BASE_PORT="${BENCH_BASE_PORT:-20000}"
KILL_AT="${BENCH_KILL_AT:-1000}"
RETRY_AFTER="${BENCH_RETRY_AFTER:-30}"
INBOUND_DURATION="${BENCH_INBOUND_DURATION:-15s}"
TIMEOUT="${BENCH_TIMEOUT:-600}"
VENV="${BENCH_VENV:-${TMPDIR:-/tmp}/tern-bench-venv}"
SINK="$ROOT/scripts/lib/inbox_sink.py"
((KILL_AT < HOSTS)) || die "BENCH_KILL_AT ($KILL_AT) must be below BENCH_HOSTS ($HOSTS)"

export TERN_LOG_LEVEL=warning
export TERN_AUTH_RATE_LIMIT=0
# Lets Tern deliver to, and fetch from, loopback over plain http (the guard refuses it otherwise).
export TERN_FEDERATION_ALLOWED_ADDRESSES=127.0.0.1/32
JOB_CONCURRENCY="${TERN_JOB_CONCURRENCY:-default}"
unset TERN_DATABASE
mkdir -p "$TERN_DATA_DIR"

# --- Sink process and clean-up ----------------------------------------------------------------
SINK_PID=""
PERF_PID=""
PERF_DIR="${BENCH_PERF_DIR:-}"
bench_cleanup_hook() {
    perf_stop
    if [[ -n "$SINK_PID" ]] && kill -0 "$SINK_PID" 2>/dev/null; then
        kill -TERM "$SINK_PID" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$SINK_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$SINK_PID" 2>/dev/null || true
    fi
}

# Every port of the sink, the server's connections and wrk's need a descriptor.
NEED_FDS=$((HOSTS + 4096))
HARD_FDS="$(ulimit -Hn)"
if [[ "$HARD_FDS" == unlimited ]]; then
    ulimit -n 65536
elif ((HARD_FDS >= NEED_FDS)); then
    ulimit -n "$((HARD_FDS < 65536 ? HARD_FDS : 65536))"
else
    die "the open-file hard limit ($HARD_FDS) is below the $NEED_FDS this run needs: lower BENCH_HOSTS"
fi
((BASE_PORT >= 1024 && BASE_PORT + HOSTS <= 32768)) ||
    die "BENCH_BASE_PORT…+BENCH_HOSTS must stay inside 1024…32767 (below the ephemeral port range)"

if ! "$VENV/bin/python" -c 'import cryptography' >/dev/null 2>&1; then
    say "making a Python venv with cryptography in $VENV"
    python3 -m venv "$VENV" || die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check cryptography ||
        die "pip install cryptography failed"
fi
PY="$VENV/bin/python"

bench_use_backend

# --- Helpers ----------------------------------------------------------------------------------
CLK_TCK="$(getconf CLK_TCK)"
now_ns() { date +%s%N; }
seconds_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'; }
# Tern's user + system CPU seconds so far (fields 14 and 15 of /proc/PID/stat).
cpu_seconds() { awk -v hz="$CLK_TCK" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$SERVER_PID/stat"; }
hwm_mib() { awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$SERVER_PID/status"; }
urlencode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
admin() { "$TERN_BIN" admin "$@" 2>&1; }

start_server() {
    say "starting $TERN_BIN serve on $BASE ($BACKEND)"
    "$TERN_BIN" serve >>"$WORK/server.log" 2>&1 </dev/null &
    SERVER_PID=$!
    local deadline=$(($(date +%s) + 60)) code
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
        sleep 0.02
    done
}

# Waiting jobs of one kind (0 when none), from `tern admin jobs list`.
jobs_waiting() {
    admin jobs list | awk -v kind="$1" '$1 == kind { n = $2 } END { print n + 0 }'
}

# wait_jobs_gone KIND TIMEOUT: waits until no job of KIND waits; prints the seconds it took.
wait_jobs_gone() {
    local kind="$1" limit="$2" t0 n
    t0=$(now_ns)
    while :; do
        n="$(jobs_waiting "$kind")"
        ((n == 0)) && break
        (($(now_ns) - t0 < limit * 1000000000)) || {
            say "still $n $kind job(s) after $limit s"
            echo "timeout"
            return 1
        }
        sleep 0.5
    done
    seconds_between "$t0" "$(now_ns)"
}

# perf_start NAME / perf_stop: a profile of the server while a phase runs (only with BENCH_PERF_DIR).
perf_start() {
    [[ -n "$PERF_DIR" ]] || return 0
    command -v perf >/dev/null 2>&1 || die "BENCH_PERF_DIR is set but perf is not installed"
    mkdir -p "$PERF_DIR"
    perf record -F 999 -g -p "$SERVER_PID" -o "$PERF_DIR/$1.data" >"$PERF_DIR/$1.log" 2>&1 &
    PERF_PID=$!
    sleep 0.5
}
perf_stop() {
    [[ -n "$PERF_PID" ]] || return 0
    kill -INT "$PERF_PID" 2>/dev/null || true
    wait "$PERF_PID" 2>/dev/null || true
    PERF_PID=""
}

sink_url() { echo "http://127.0.0.1:$SINK_PORT$1"; }

# wait_ports ID N LIMIT_S: waits (long polls of 5 s) until activity ID reached N ports of the sink, the
# server died, or LIMIT_S passed. Sets PORTS_SEEN, ACCEPTED, DUPLICATES, REJECTED; returns 1 unless reached.
wait_ports() {
    local id="$1" want="$2" limit="$3" t0 line
    t0=$(date +%s)
    while :; do
        line="$(curl -s --max-time 10 "$(sink_url "/wait?id=$(urlencode "$id")&ports=$want&timeout=5")" || true)"
        read -r PORTS_SEEN ACCEPTED DUPLICATES REJECTED <<<"${line:-0 0 0 0}"
        ((PORTS_SEEN >= want)) && return 0
        if [[ -n "${WAIT_NEEDS_SERVER:-}" ]] && ! kill -0 "$SERVER_PID" 2>/dev/null; then return 1; fi
        (($(date +%s) - t0 < limit)) || return 1
        say "  $PORTS_SEEN/$want hosts, $ACCEPTED accepted, $DUPLICATES duplicates, $REJECTED rejected"
    done
}

# activity_stat ID FIELD: one field of the sink's per-activity report.
activity_stat() {
    curl -s --max-time 10 "$(sink_url "/stats?id=$(urlencode "$1")")" |
        python3 -c 'import json, sys; v = json.load(sys.stdin)["activity"][sys.argv[1]]; print("" if v is None else v)' "$2"
}

post_status() {
    local text="$1" response
    response="$(curl -sS --fail-with-body -X POST "$BASE/api/v1/statuses" -H "$AUTH" \
        --data-urlencode "status=$text" --data-urlencode visibility=public)" || die "POST /api/v1/statuses failed: $response"
    echo "$(json_field uri <<<"$response")/activity"
}

# --- Server, account, followers ---------------------------------------------------------------
start_server
"$TERN_BIN" admin account create bench --email bench@example.org --password "$PASSWORD" >"$WORK/admin.log" 2>&1 || {
    cat "$WORK/admin.log" >&2
    die "tern admin account create failed"
}
say "seeding $FOLLOWERS remote followers of bench on $HOSTS hosts"
SEED_LINE="$(admin seed-followers --account bench --followers "$FOLLOWERS" --hosts "$HOSTS" --base-port "$BASE_PORT")" || {
    echo "$SEED_LINE" >&2
    die "tern admin seed-followers failed"
}
say "$SEED_LINE"

TOKEN="$(bench_token bench@example.org "$PASSWORD" "read write")" || die "could not get a token for bench"
AUTH="Authorization: Bearer $TOKEN"

# --- Sink -------------------------------------------------------------------------------------
"$PY" "$SINK" keygen --out "$WORK/sender.pem"
say "starting the inbox sink on 127.0.0.1:$BASE_PORT…$((BASE_PORT + HOSTS - 1))"
"$PY" "$SINK" serve --base-port "$BASE_PORT" --hosts "$HOSTS" --port-file "$WORK/sink.port" \
    --actor-key "$WORK/sender.pem" >"$WORK/sink.log" 2>&1 </dev/null &
SINK_PID=$!
deadline=$(($(date +%s) + 60))
until [[ -s "$WORK/sink.port" ]]; do
    kill -0 "$SINK_PID" 2>/dev/null || {
        cat "$WORK/sink.log" >&2
        die "the sink exited during start"
    }
    (($(date +%s) < deadline)) || die "the sink did not listen within 60 s"
    sleep 0.1
done
SINK_PORT="$(cat "$WORK/sink.port")"

# --- Fan-out ----------------------------------------------------------------------------------
sleep 1
IDLE_RSS="$(rss_mib)"
perf_start fanout
CPU0="$(cpu_seconds)"
say "fan-out: POST /api/v1/statuses as bench (idle RSS $IDLE_RSS MiB)"
T0=$(now_ns)
FAN_ID="$(post_status "fan-out benchmark")"
T_POSTED=$(now_ns)
WAIT_NEEDS_SERVER=1
if ! wait_ports "$FAN_ID" "$HOSTS" "$TIMEOUT"; then
    show_log
    die "fan-out: only $PORTS_SEEN of $HOSTS hosts got the post (server alive: $(kill -0 "$SERVER_PID" 2>/dev/null && echo yes || echo no))"
fi
CPU1="$(cpu_seconds)"
FAN_HWM="$(hwm_mib)"
perf_stop
FAN_FIRST="$(activity_stat "$FAN_ID" first)"
FAN_COMPLETE="$(activity_stat "$FAN_ID" complete)"
FAN_S="$(awk -v a="$T0" -v c="$FAN_COMPLETE" 'BEGIN { printf "%.2f", c - a / 1e9 }')"
FAN_FIRST_S="$(awk -v a="$T0" -v c="$FAN_FIRST" 'BEGIN { printf "%.2f", c - a / 1e9 }')"
FAN_POST_MS="$(awk -v a="$T0" -v b="$T_POSTED" 'BEGIN { printf "%.0f", (b - a) / 1e6 }')"
FAN_RATE="$(awk -v h="$HOSTS" -v f="$FAN_FIRST" -v c="$FAN_COMPLETE" 'BEGIN { printf "%.0f", h / (c - f) }')"
FAN_CPU="$(awk -v a="$CPU0" -v b="$CPU1" 'BEGIN { printf "%.2f", b - a }')"
sleep 1
FAN_LEFT="$(jobs_waiting deliver)"
read -r _ FAN_ACCEPTED FAN_DUP FAN_REJ <<<"$(curl -s "$(sink_url "/wait?id=$(urlencode "$FAN_ID")&ports=0&timeout=0")")"
say "fan-out: $HOSTS hosts in $FAN_S s (first after $FAN_FIRST_S s), Tern CPU $FAN_CPU s, peak RSS $FAN_HWM MiB," \
    "$FAN_ACCEPTED accepted, $FAN_DUP duplicates, $FAN_REJ rejected, $FAN_LEFT deliver jobs left"

# --- Crash and restart ------------------------------------------------------------------------
say "crash: second post; the sink SIGKILLs Tern (pid $SERVER_PID) when $KILL_AT hosts have it"
curl -s --max-time 10 "$(sink_url "/arm?pid=$SERVER_PID&at=$KILL_AT")" >/dev/null || die "could not arm the sink"
C0=$(now_ns)
CRASH_ID="$(post_status "crash benchmark")"
WAIT_NEEDS_SERVER=""
wait_ports "$CRASH_ID" "$KILL_AT" 120 || die "crash: only $PORTS_SEEN hosts got the post before the kill point"
for _ in $(seq 100); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.05
done
kill -0 "$SERVER_PID" 2>/dev/null && die "crash: the sink did not kill Tern"
wait "$SERVER_PID" 2>/dev/null || true
read -r AT_KILL _ <<<"$(curl -s "$(sink_url "/wait?id=$(urlencode "$CRASH_ID")&ports=0&timeout=0")")"
say "crash: Tern killed with $AT_KILL hosts reached; restarting on the same data"
R0=$(now_ns)
start_server
R1=$(now_ns)
RESTART_MS="$(awk -v a="$R0" -v b="$R1" 'BEGIN { printf "%.0f", (b - a) / 1e6 }')"
RETRY_USED=no
WAIT_NEEDS_SERVER=1
if ! wait_ports "$CRASH_ID" "$HOSTS" "$RETRY_AFTER"; then
    kill -0 "$SERVER_PID" 2>/dev/null || {
        show_log
        die "crash: the restarted server died"
    }
    say "crash: $PORTS_SEEN/$HOSTS hosts $RETRY_AFTER s after the restart; jobs: $(admin jobs list | tr '\n' ';')"
    say "crash: running tern admin jobs retry"
    admin jobs retry >&2
    RETRY_USED="yes (at +$RETRY_AFTER s)"
    wait_ports "$CRASH_ID" "$HOSTS" "$TIMEOUT" || true
fi
CRASH_COMPLETE="$(activity_stat "$CRASH_ID" complete)"
CRASH_S="$(awk -v a="$C0" -v c="$CRASH_COMPLETE" 'BEGIN { if (c == "") print "never"; else printf "%.2f", c - a / 1e9 }')"
AFTER_RESTART_S="$(awk -v a="$R1" -v c="$CRASH_COMPLETE" 'BEGIN { if (c == "") print "never"; else printf "%.2f", c - a / 1e9 }')"
# Deliveries still queued (held by the killed process on PostgreSQL until their lease ends) may add duplicates.
say "crash: waiting for the deliver jobs to drain before counting duplicates"
CRASH_DRAIN="$(wait_jobs_gone deliver "$TIMEOUT")" || true
sleep 1
read -r _ CRASH_ACCEPTED CRASH_DUP CRASH_REJ <<<"$(curl -s "$(sink_url "/wait?id=$(urlencode "$CRASH_ID")&ports=0&timeout=0")")"
CRASH_MISSING="$(activity_stat "$CRASH_ID" missing)"
CRASH_DUP_PORTS="$(activity_stat "$CRASH_ID" duplicate_ports)"
say "crash: all hosts after $CRASH_S s ($AFTER_RESTART_S s after the restart), $CRASH_DUP duplicates," \
    "$CRASH_MISSING missing, jobs retry needed: $RETRY_USED"

# --- Inbound ----------------------------------------------------------------------------------
SENDER="http://127.0.0.1:$SINK_PORT/users/sender"
INBOUND_ID="$("$PY" "$SINK" inbound --key "$WORK/sender.pem" --actor "$SENDER" --target "127.0.0.1:$PORT" \
    --out-dir "$WORK/inbound")"
code="$(curl -s -o "$WORK/inbound/first.txt" -w '%{http_code}' --max-time 20 -X POST -H @"$WORK/inbound/curl-headers.txt" \
    --data-binary @"$WORK/inbound/body.json" "$BASE/inbox")"
[[ "$code" == 202 ]] || {
    cat "$WORK/inbound/first.txt" >&2
    show_log
    die "inbound: the first signed POST /inbox answered $code"
}
wait_jobs_gone inbox 60 >/dev/null || die "inbound: the first inbox job did not run"
NOTE_URI="${INBOUND_ID%/activity}"
if curl -s "$BASE/api/v1/timelines/public?remote=true&limit=5" | grep -q "\"uri\":\"$NOTE_URI\""; then
    say "inbound: the first Create was applied (the note is on the federated timeline)"
else
    say "WARNING: the inbound note is not on the federated timeline"
fi
perf_start inbound
ICPU0="$(cpu_seconds)"
say "wrk -t$THREADS -c$CONNECTIONS -d$INBOUND_DURATION --latency -s inbound.lua $BASE/inbox"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$INBOUND_DURATION" --latency -s "$WORK/inbound/inbound.lua" "$BASE/inbox" \
    >"$WORK/wrk-inbound.txt"
ICPU1="$(cpu_seconds)"
perf_stop
cat "$WORK/wrk-inbound.txt" >&2
IN_RPS="$(awk '/^Requests\/sec:/ { print $2 }' "$WORK/wrk-inbound.txt")"
IN_TOTAL="$(awk '/requests in/ { print $1 }' "$WORK/wrk-inbound.txt")"
IN_SECONDS="$(awk '/requests in/ { sub(/s,?$/, "", $4); print $4 }' "$WORK/wrk-inbound.txt")"
IN_P50="$(awk '$1 == "50%" { print $2 }' "$WORK/wrk-inbound.txt")"
IN_P99="$(awk '$1 == "99%" { print $2 }' "$WORK/wrk-inbound.txt")"
IN_ERR="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$WORK/wrk-inbound.txt")"
IN_ERR="${IN_ERR:-0}"
IN_SOCKET="$(awk '/Socket errors:/ { $1 = $2 = ""; print }' "$WORK/wrk-inbound.txt" | xargs)"
IN_CPU="$(awk -v a="$ICPU0" -v b="$ICPU1" 'BEGIN { printf "%.2f", b - a }')"
IN_QUEUED="$(jobs_waiting inbox)"
say "inbound: $IN_QUEUED inbox jobs waiting after wrk; timing the drain"
perf_start drain
DCPU0="$(cpu_seconds)"
IN_DRAIN="$(wait_jobs_gone inbox "$TIMEOUT")" || IN_DRAIN="timeout"
DCPU1="$(cpu_seconds)"
perf_stop
IN_DRAIN_RATE="$(awk -v n="$IN_QUEUED" -v d="$IN_DRAIN" 'BEGIN { if (d == "timeout" || d <= 0) print "?"; else printf "%.0f", n / d }')"
# Accepted and applied: every request wrk got a 202 for, over the load plus the drain that followed.
IN_E2E="$(awk -v n="$IN_TOTAL" -v e="$IN_ERR" -v d="$IN_DRAIN" -v r="$IN_SECONDS" \
    'BEGIN { if (d == "timeout") print "?"; else printf "%.0f", (n - e) / (r + d) }')"
IN_DRAIN_CPU="$(awk -v a="$DCPU0" -v b="$DCPU1" 'BEGIN { printf "%.2f", b - a }')"
kill -0 "$SERVER_PID" 2>/dev/null || {
    show_log
    die "the server died under inbound load"
}
LOADED_RSS="$(rss_mib)"
HWM_AFTER="$(hwm_mib)"
SINK_CPU="$(curl -s "$(sink_url /stats)" | python3 -c 'import json, sys; print(json.load(sys.stdin)["cpu_seconds"])')"

# --- Report -----------------------------------------------------------------------------------
cat <<EOF

## Tern federation benchmark ($BACKEND, $(date -u +%Y-%m-%d), $(nproc) cores, TERN_JOB_CONCURRENCY $JOB_CONCURRENCY)

$SEED_LINE

| fan-out (one post, $FOLLOWERS followers, $HOSTS shared inboxes) | value |
| --- | --- |
| POST /api/v1/statuses answered | ${FAN_POST_MS} ms |
| POST to the first accepted delivery | ${FAN_FIRST_S} s |
| POST to the last host's first accepted delivery | ${FAN_S} s (${FAN_RATE} deliveries/s after the first) |
| Tern CPU time (user + system) for the fan-out | ${FAN_CPU} s |
| Tern peak RSS (VmHWM) after the fan-out / idle RSS before | ${FAN_HWM} / ${IDLE_RSS} MiB |
| accepted / duplicates / rejected | ${FAN_ACCEPTED} / ${FAN_DUP} / ${FAN_REJ} |
| deliver jobs left 1 s after the last delivery | ${FAN_LEFT} |

| crash (SIGKILL at $KILL_AT hosts, restart on the same data) | value |
| --- | --- |
| hosts reached when killed | ${AT_KILL} |
| restart to first 200 | ${RESTART_MS} ms |
| POST to every host reached | ${CRASH_S} s (${AFTER_RESTART_S} s after the restart) |
| \`tern admin jobs retry\` needed | ${RETRY_USED} |
| accepted / duplicates (hosts with more than one copy) / rejected | ${CRASH_ACCEPTED} / ${CRASH_DUP} (${CRASH_DUP_PORTS}) / ${CRASH_REJ} |
| missing hosts | ${CRASH_MISSING} |
| deliver queue drained after the restart | ${CRASH_DRAIN} s |

| inbound (one signed Create replayed, wrk -t$THREADS -c$CONNECTIONS -d$INBOUND_DURATION) | value |
| --- | --- |
| POST /inbox accepted | ${IN_RPS} req/s, p50 ${IN_P50}, p99 ${IN_P99} (${IN_TOTAL} requests) |
| non-2xx | ${IN_ERR}${IN_SOCKET:+ (socket errors: $IN_SOCKET)} |
| Tern CPU time during the load | ${IN_CPU} s |
| inbox jobs waiting when wrk stopped | ${IN_QUEUED} |
| time for them to drain after wrk stopped | ${IN_DRAIN} s (${IN_DRAIN_RATE} jobs/s, Tern CPU ${IN_DRAIN_CPU} s) |
| accepted and applied (202s over load + drain time) | ${IN_E2E} activities/s |
| RSS after the run / peak RSS of the restarted server | ${LOADED_RSS} / ${HWM_AFTER} MiB |
| sink CPU time (whole run; it shares the cores) | ${SINK_CPU} s |
EOF

if [[ "$IN_ERR" != 0 || "$FAN_REJ" != 0 || "$CRASH_REJ" != 0 || "$CRASH_MISSING" != 0 ]]; then
    say "WARNING: rejected deliveries, missing hosts or non-2xx responses; the numbers above include them"
    curl -s "$(sink_url /stats)" | python3 -c 'import json, sys; print(json.load(sys.stdin)["rejected_reasons"])' >&2 || true
    show_log
fi
