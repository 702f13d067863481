#!/usr/bin/env bash
# End-to-end bench: the real CLI (./ticker-etl, a separate JVM with -Xmx256m) against the Polygon simulator (another
# JVM on 127.0.0.1 with injected latency), scenarios (a)-(f) of issue 5. Prints one Markdown table.
#
#   bench/e2e.sh                  # the whole table (about 2-3 minutes on 2 cores)
#   TICKERS=50 bench/e2e.sh       # a quicker look with fewer tickers
#   KEEP=1 bench/e2e.sh           # keep the stores and logs (the path is printed)
#
# Needs bash, java 17+, maven (first build) and GNU time at /usr/bin/time.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tickers_n="${TICKERS:-500}"
latency="${LATENCY:-PT0.02S}"
limit_requests=5
limit_window=PT1S
limit_window_s=1
year_from=2024-01-01
year_to=2024-12-31
long_from=2005-01-01
cli_jar="$root/ticker-etl-examples/target/ticker-etl.jar"
bench_jar="$root/ticker-etl-bench/target/benchmarks.jar"

[ -x /usr/bin/time ] || { echo "e2e: GNU time (/usr/bin/time) is needed for peak RSS" >&2; exit 2; }

echo "e2e: building the CLI and the bench tool..." >&2
(cd "$root" && mvn -B -q -DskipTests package -pl ticker-etl-examples,ticker-etl-bench -am >&2)

work="$(mktemp -d "${TMPDIR:-/tmp}/ticker-etl-e2e.XXXXXX")"
sim_pids=()
cleanup() {
  for pid in "${sim_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ]; then echo "e2e: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

tool() { java -cp "$bench_jar" dev.tickeretl.bench.E2eTool "$@"; }

# start_simulator NAME ARGS... -> sets $url; the simulator prints its base URL as its first line.
start_simulator() {
  local name="$1"; shift
  java -Xmx512m -cp "$cli_jar" dev.tickeretl.simulator.PolygonSimulatorMain --port 0 --latency "$latency" \
    "$@" >"$work/$name.url" 2>"$work/$name.log" &
  sim_pids+=($!)
  for _ in $(seq 1 300); do
    if [ -s "$work/$name.url" ]; then url="$(head -n 1 "$work/$name.url")"; return; fi
    sleep 0.1
  done
  echo "e2e: simulator $name did not start; see $work/$name.log" >&2
  exit 1
}

# value KEY LINE: the value of KEY in a "k=v k=v" line
value() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"; }

rows=()
# scenario NAME DESCRIPTION STORE CHECK ARGS... : runs the CLI once, measures it, appends a table row. CHECK is a
# function that sees the run's numbers (bash scoping: req, data_req, bytes, run_s, oom, ...) and prints a verdict.
scenario() {
  local name="$1" desc="$2" store="$3" check="$4"; shift 4
  echo "e2e: ($name) $desc" >&2
  local rc=0
  /usr/bin/time -v -o "$work/$name.time" env TICKER_ETL_HEAP=256m POLYGON_API_KEY=bench-dummy-key \
    JAVA_TOOL_OPTIONS="-Xlog:gc:file=$work/$name.gc" \
    "$root/ticker-etl" ingest --tickers "$tickers" --store "file:$store" --source polygon --base-url "$url" \
    --quiet "$@" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
  local wall rss run heap
  wall="$(sed -n 's/.*Elapsed (wall clock) time.*: \(.*\)/\1/p' "$work/$name.time" \
    | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.1f", s }')"
  rss="$(sed -n 's/.*Maximum resident set size (kbytes): \([0-9]*\)/\1/p' "$work/$name.time")"
  run="$(tool run "$store")"
  heap="$(tool heap "$work/$name.gc")"
  local writes write_s; writes="$(tool writes "$store")"; write_s="$(value write_bars_per_s "$writes")"
  if [ "$(value write_files "$writes")" -lt 2 ]; then write_s="-"; fi
  local status req data_req fetched written files bytes run_ms peak oom
  status="$(value status "$run")"; req="$(value requests "$run")"; data_req="$(value data_requests "$run")"
  fetched="$(value fetched "$run")"; written="$(value written "$run")"; files="$(value files "$run")"
  bytes="$(value bytes "$run")"; run_ms="$(value duration_ms "$run")"; peak="$(value peak_heap_mb "$heap")"
  local limited; limited="$(value rate_limited "$run")"
  local run_s bars_s
  run_s="$(awk -v ms="$run_ms" 'BEGIN { printf "%.1f", ms / 1000 }')"
  bars_s="$(awk -v n="$fetched" -v ms="$run_ms" 'BEGIN { printf "%.0f", (ms > 0 ? n * 1000 / ms : 0) }')"
  oom=ok
  if grep -q OutOfMemoryError "$work/$name.err"; then oom="NOT ok (OutOfMemoryError)"; fi
  if [ "$rc" != 0 ]; then status="$status exit=$rc"; fi
  local verdict; verdict="$("$check")"
  rows+=("| ($name) $desc | $status | $wall | $run_s | $req ($data_req) | $limited | $fetched | $written | $bars_s | $write_s | $files | $bytes | $((rss / 1024)) | $peak | $oom | $verdict |")
  last_run_s="$run_s"; last_req="$req"
}

tickers="$(tool universe "$tickers_n")"
days="$(tool trading-days "$year_from..$year_to")"
lookback=1
max_a=$(( (tickers_n < days ? tickers_n : days) + lookback ))

start_simulator sim
a="$work/a" b="$work/b" e="$work/e" f="$work/f"

verdict() { if [ "$1" = 1 ]; then echo "$2: PASS"; else echo "$2: MISS"; fi; }
check_a() {
  echo "$(verdict "$([ "$req" -le "$max_a" ] && echo 1)" "requests <= min($tickers_n, $days) + $lookback = $max_a");" \
    "$(verdict "$([ "$write_s" != - ] && [ "$write_s" -ge 500000 ] && echo 1)" "store writes >= 500k bars/s");" \
    "$(verdict "$([ "$oom" = ok ] && echo 1)" "heap <= 256 MB")"
}
check_b() { verdict "$([ "$oom" = ok ] && echo 1)" "heap <= 256 MB"; }
check_c() { verdict "$([ "$bytes" = 0 ] && echo 1)" "0 bytes written"; }
check_d() { verdict "$([ "$data_req" = 0 ] && echo 1)" "0 data requests"; }
check_e() {
  local bound
  bound="$(awk -v r="$req" -v n="$limit_requests" -v w="$limit_window_s" 'BEGIN { printf "%.1f", 1.05 * r / n * w }')"
  verdict "$(awk -v t="$run_s" -v b="$bound" 'BEGIN { if (t <= b) print 1 }')" \
    "run $run_s s <= 1.05 x $req / ($limit_requests per $limit_window_s s) = $bound s"
}
check_f() { echo "same store as (a): see below"; }

scenario a "$tickers_n tickers x 1 year" "$a" check_a --from "$year_from" --to "$year_to"
a_run_s="$last_run_s"
tickers_all="$tickers"; tickers="$(tool universe 5)"
scenario b "5 tickers x 20 years" "$b" check_b --from "$long_from" --to "$year_to"
tickers="$tickers_all"
scenario c "re-run of (a)" "$a" check_c --from "$year_from" --to "$year_to"
scenario d "--incremental re-run of (a)" "$a" check_d --from "$year_from" --to "$year_to" --incremental
scenario f "(a) with --concurrency 1" "$f" check_f --from "$year_from" --to "$year_to" --concurrency 1
f_run_s="$last_run_s"

start_simulator limited --rate-limit "$limit_requests/$limit_window"
scenario e "(a) at $limit_requests requests/$limit_window (server and client)" "$e" check_e \
  --from "$year_from" --to "$year_to" --rate-limit "$limit_requests/$limit_window"

digest_a="$(tool digest "$a")"; digest_f="$(tool digest "$f")"; digest_e="$(tool digest "$e")"
same=MISS; [ "$digest_a" = "$digest_f" ] && [ "$digest_a" = "$digest_e" ] && same=PASS

cat <<EOF

Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(free -g | awk '/^Mem:/ { print $2 }') GiB;
$(java -version 2>&1 | head -n 1). Simulator: separate JVM on 127.0.0.1, latency $latency per response.
CLI: ./ticker-etl (java -Xmx256m), --source polygon, plan auto, concurrency 4 unless stated.

| scenario | status | wall s | run s | requests (data) | 429s | bars fetched | bars written | bars/s (run) | bars/s (store writes) | files | bytes | peak RSS MB | peak heap MB | heap | target |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
EOF
printf '%s\n' "${rows[@]}"
cat <<EOF

Trading days $year_from..$year_to: $days (+ $lookback lookback day). bars/s (run) = bars fetched / run time;
bars/s (store writes) = bars written / the span from the run's first to its last data file (mtimes; the grouped
plan writes every ticker after the last date, so for (a), (e), (f) that span is the whole store-write phase).
Concurrency 4 vs 1: run $a_run_s s vs $f_run_s s; stores of (a), (e) and (f) byte-identical: $same
  (a) $digest_a
  (f) $digest_f
  (e) $digest_e
EOF
