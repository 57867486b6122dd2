# Shared by the benchmark scripts (sourced, after `set -euo pipefail`): argument parsing, logging,
# tools, clean-up of the server and the PostgreSQL cluster, the release build, a temporary data
# folder and a free loopback port. Sets BACKEND, DURATION, CONNECTIONS, THREADS, PASSWORD, WORK,
# PORT, BASE, TERN_BIN and the TERN_* variables; the caller sets SERVER_PID when it starts a server.

# shellcheck source=scripts/lib/postgres.sh
source "$ROOT/scripts/lib/postgres.sh"

BACKEND="${1:-sqlite}"
case "$BACKEND" in
    sqlite | postgres) ;;
    -h | --help)
        # The calling script's header comment is its help.
        awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
        exit 0
        ;;
    *)
        echo "usage: $0 [sqlite|postgres]" >&2
        exit 2
        ;;
esac
DURATION="${BENCH_DURATION:-10s}"
CONNECTIONS="${BENCH_CONNECTIONS:-50}"
THREADS="${BENCH_THREADS:-2}"
PASSWORD="bench-password-123456"

say() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
    say "ERROR: $*"
    exit 1
}

for tool in wrk curl python3; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found (apt-get install wrk curl python3)"
done

WORK=""
SERVER_PID=""
cleanup() {
    local status=$?
    # A script that starts more processes defines bench_cleanup_hook to stop them first.
    if declare -F bench_cleanup_hook >/dev/null; then bench_cleanup_hook || true; fi
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 100); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    pg_stop_cluster || true
    if [[ -n "$WORK" ]]; then rm -rf "$WORK"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- Build ------------------------------------------------------------------------------------
# The release build with hot functions laid out together (scripts/build-release.sh), as it is deployed.
if [[ -z "${TERN_BIN:-}" ]]; then
    if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
        say "scripts/build-release.sh"
        TERN_BIN="$("$ROOT/scripts/build-release.sh")"
    else
        TERN_BIN="$ROOT/.build/ordered/release/tern"
    fi
fi
[[ -x "$TERN_BIN" ]] || die "no release binary at $TERN_BIN"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/tern-bench.XXXXXX")"
PORT="$(pg_free_port)"
BASE="http://127.0.0.1:$PORT"

export TERN_DOMAIN="127.0.0.1:$PORT"
export TERN_LISTEN="127.0.0.1:$PORT"
export TERN_PROTOCOL=http
export TERN_DATA_DIR="$WORK/data"
export TERN_REGISTRATIONS=open

# The caller's `unset TERN_DATABASE` runs first; PostgreSQL, when asked for, sets it again.
bench_use_backend() {
    if [[ "$BACKEND" == postgres ]]; then
        pg_find_bindir || die "PostgreSQL server binaries not found (apt-get install postgresql)"
        say "starting a throwaway PostgreSQL cluster (default durability settings)"
        pg_start_cluster --durable || die "could not start PostgreSQL"
        pg_create_db tern_bench
        TERN_DATABASE="$(pg_url tern_bench)"
        export TERN_DATABASE
    fi
}

show_log() {
    say "server log (last 40 lines):"
    tail -n 40 "$WORK/server.log" >&2 || true
}

rss_mib() {
    awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$SERVER_PID/status"
}

# anon_mib: the server's anonymous memory (heap and stacks): RSS without the pages of the binary and the
# libraries it maps, which are clean file pages the kernel can drop and read again.
anon_mib() {
    awk '/^RssAnon:/ { printf "%.1f", $2 / 1024 }' "/proc/$SERVER_PID/status"
}

# perf_start FILE: counts the server's user-space instructions into FILE until perf_stop (when `perf stat`
# works here; FILE stays empty otherwise). Instructions per request barely move from run to run, where
# req/s on a shared machine moves by a quarter: the measure to judge a change by. A machine without a
# PMU (most virtual machines) has no instruction counter: there the server's CPU time (task-clock) is
# counted instead, which moves with the machine's load like req/s does.
perf_start() {
    : >"$1"
    PERF_PID=""
    command -v perf >/dev/null 2>&1 || return 0
    perf stat -x, -e "$(perf_counter)" -p "$SERVER_PID" -o "$1" >/dev/null 2>&1 &
    PERF_PID=$!
}

# perf_counter: instructions:u where the CPU counts them, else task-clock.
perf_counter() {
    if [[ -z "${PERF_COUNTER:-}" ]]; then
        if perf stat -x, -e instructions:u true 2>&1 >/dev/null | grep -q '^[0-9]'; then
            PERF_COUNTER=instructions:u
        else
            PERF_COUNTER=task-clock
        fi
    fi
    echo "$PERF_COUNTER"
}

perf_stop() {
    [[ -n "$PERF_PID" ]] || return 0
    kill -INT "$PERF_PID" 2>/dev/null || true
    wait "$PERF_PID" 2>/dev/null || true
}

# kinsn_per_request FILE REQUESTS: the server's cost per request from perf_start's FILE: thousands of
# instructions ("4038k"), or where only task-clock was counted, microseconds of CPU ("312us"); "n/a"
# without perf.
kinsn_per_request() {
    awk -F, -v n="$2" '
        /instructions/ && $1 ~ /^[0-9]+$/ && n > 0 { printf "%dk", $1 / n / 1000; found = 1 }
        /task-clock/ && $1 ~ /^[0-9.]+$/ && n > 0 { printf "%dus", $1 * 1000 / n; found = 1 }
        END { if (!found) print "n/a" }' "$1"
}

# json_field KEY: prints one member of the JSON object on standard input.
json_field() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# bench_token LOGIN PASSWORD SCOPES: registers an app on $BASE and prints an access token from the
# password grant. Fails (with the server's answer on standard error) when either step does.
bench_token() {
    local login="$1" password="$2" scopes="$3" app token_json
    app="$(curl -sS --fail-with-body -X POST "$BASE/api/v1/apps" \
        --data-urlencode client_name=bench \
        --data-urlencode redirect_uris=urn:ietf:wg:oauth:2.0:oob \
        --data-urlencode "scopes=$scopes")" || { echo "POST /api/v1/apps failed: $app" >&2; return 1; }
    token_json="$(curl -sS --fail-with-body -X POST "$BASE/oauth/token" \
        --data-urlencode grant_type=password \
        --data-urlencode "username=$login" \
        --data-urlencode "password=$password" \
        --data-urlencode "client_id=$(json_field client_id <<<"$app")" \
        --data-urlencode "client_secret=$(json_field client_secret <<<"$app")" \
        --data-urlencode "scope=$scopes")" || { echo "POST /oauth/token failed: $token_json" >&2; return 1; }
    json_field access_token <<<"$token_json"
}
