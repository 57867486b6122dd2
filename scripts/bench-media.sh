#!/usr/bin/env bash
# Media benchmark against a release `tern serve` on 127.0.0.1 (SQLite by default):
#   - processing: a 12-megapixel JPEG uploaded through POST /api/v1/media (processed before the answer), five
#     times: the answer time, and the server's peak RSS (VmHWM) growth over the idle process
#   - the serving spike: one freshly posted ~300 KB picture fetched by many clients at once, with
#     wrk -t$BENCH_THREADS -c$BENCH_MEDIA_CONNECTIONS (200) -d$BENCH_DURATION: req/s, p50, p99 and the server's CPU
#
#   scripts/bench-media.sh            SQLite
#   scripts/bench-media.sh postgres   a throwaway PostgreSQL cluster (the files are on disk either way)
#
# Needs wrk, curl and libvips's `vips` command (libvips-tools; the pictures are drawn here). Sends traffic to
# 127.0.0.1 only.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
# shellcheck source=scripts/lib/bench.sh
source "$ROOT/scripts/lib/bench.sh"
command -v vips >/dev/null 2>&1 || die "vips not found (apt-get install libvips-tools)"
MEDIA_CONNECTIONS="${BENCH_MEDIA_CONNECTIONS:-200}"
unset TERN_DATABASE
mkdir -p "$TERN_DATA_DIR"
bench_use_backend

# draw WIDTH HEIGHT BLUR QUALITY FILE: blurred noise beside a zone plate, as a JPEG (detail that compresses
# about as badly as a photo).
draw() {
    local w="$1" h="$2" blur="$3" quality="$4" out="$5" d="$WORK/draw"
    mkdir -p "$d"
    vips gaussnoise "$d/n.v" "$w" "$h" --sigma 30 --mean 128
    vips gaussblur "$d/n.v" "$d/b.v" "$blur"
    vips cast "$d/b.v" "$d/b8.v" uchar
    vips zone "$d/z.v" "$w" "$h"
    vips linear "$d/z.v" "$d/z2.v" 60 128
    vips cast "$d/z2.v" "$d/z8.v" uchar
    vips bandjoin "$d/b8.v $d/z8.v $d/b8.v" "$d/rgb.v"
    vips copy "$d/rgb.v" "$out[Q=$quality]"
    rm -rf "$d"
}
say "drawing the pictures"
draw 4000 3000 1.2 90 "$WORK/big.jpg"
draw 1280 960 0.7 85 "$WORK/post.jpg"
BIG_KB=$(($(stat -c %s "$WORK/big.jpg") / 1024))
POST_KB=$(($(stat -c %s "$WORK/post.jpg") / 1024))

say "starting $TERN_BIN serve on $BASE ($BACKEND)"
"$TERN_BIN" serve >"$WORK/server.log" 2>&1 </dev/null &
SERVER_PID=$!
for _ in $(seq 600); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$BASE/api/v1/instance" || true)" == 200 ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { show_log; die "tern serve exited during start"; }
    sleep 0.1
done
"$TERN_BIN" admin account create bench --email bench@example.org --password "$PASSWORD" >"$WORK/admin.log" 2>&1 || {
    cat "$WORK/admin.log" >&2
    die "tern admin account create failed"
}
TOKEN="$(bench_token bench@example.org "$PASSWORD" "read write")" || die "could not get a token"
sleep 1

hwm_mib() { awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$SERVER_PID/status"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }

# --- Processing -----------------------------------------------------------------------------------
IDLE_HWM="$(hwm_mib)"
TIMES=()
for i in 1 2 3 4 5; do
    # `Expect:` off: curl would otherwise wait a second for a `100 Continue` the server does not send.
    answer="$(curl -sS -o "$WORK/upload.json" -w '%{http_code} %{time_total}' -H 'Expect:' -H "Authorization: Bearer $TOKEN" \
        -F "file=@$WORK/big.jpg;type=image/jpeg" "$BASE/api/v1/media")"
    [[ "${answer%% *}" == 200 ]] || { cat "$WORK/upload.json" >&2; die "upload $i answered ${answer%% *}"; }
    TIMES+=("${answer##* }")
    say "12 MP upload $i: ${answer##* } s, peak RSS $(hwm_mib) MiB"
done
PEAK_HWM="$(hwm_mib)"
MEDIAN_S="$(printf '%s\n' "${TIMES[@]}" | sort -n | sed -n 3p)"

# --- Serving --------------------------------------------------------------------------------------
answer="$(curl -sS -H 'Expect:' -H "Authorization: Bearer $TOKEN" -F "file=@$WORK/post.jpg;type=image/jpeg" "$BASE/api/v1/media")"
MEDIA_ID="$(json_field id <<<"$answer")"
URL="$(json_field url <<<"$answer")"
curl -sS -o /dev/null -H "Authorization: Bearer $TOKEN" --data-urlencode "status=fresh picture" \
    --data-urlencode "media_ids[]=$MEDIA_ID" "$BASE/api/v1/statuses"
SERVED_KB=$(($(curl -sS "$URL" | wc -c) / 1024))
say "wrk -t$THREADS -c$MEDIA_CONNECTIONS -d$DURATION --latency $URL (${SERVED_KB} KB)"
ticks_before="$(cpu_ticks)"
wrk -t"$THREADS" -c"$MEDIA_CONNECTIONS" -d"$DURATION" --latency "$URL" >"$WORK/wrk-media.txt"
ticks_after="$(cpu_ticks)"
seconds="${DURATION%s}"
CPU_PCT=$(((ticks_after - ticks_before) * 100 / ($(getconf CLK_TCK) * seconds)))
RPS="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$WORK/wrk-media.txt")"
P50="$(awk '$1 == "50%" { print $2 }' "$WORK/wrk-media.txt")"
P99="$(awk '$1 == "99%" { print $2 }' "$WORK/wrk-media.txt")"
ERRORS="$(awk '/Non-2xx|Socket errors/ { print }' "$WORK/wrk-media.txt" | tr '\n' ' ')"
MBPS="$(awk '/^Transfer\/sec:/ { print $2 }' "$WORK/wrk-media.txt")"

cat <<TABLE

## Tern media benchmark ($BACKEND, $(date -u +%Y-%m-%d), $(nproc) cores)

| measure | value |
| --- | --- |
| 12 MP JPEG (${BIG_KB} KB) through POST /api/v1/media, median of 5 | ${MEDIAN_S} s (all: ${TIMES[*]}) |
| server peak RSS, idle → after the uploads | ${IDLE_HWM} → ${PEAK_HWM} MiB |
| one ${SERVED_KB} KB picture (from a ${POST_KB} KB upload), wrk -t$THREADS -c$MEDIA_CONNECTIONS -d$DURATION | ${RPS} req/s, ${MBPS}/s, p50 ${P50}, p99 ${P99} ${ERRORS}|
| server CPU during the serving run | ${CPU_PCT} % of one core |
TABLE
