#!/usr/bin/env bash
# Start-up bench (issue 10, point 6): the wall time of the CLI process, as a user starts it, for
#   - a 4-request ingest (4 tickers, January 2025, per-ticker plan) into a fresh store, against the Polygon simulator
#     running in ANOTHER JVM on 127.0.0.1 (started once, before any timing);
#   - `runs` on a small store (5 run records).
# Measured with hyperfine, side by side in one run, for these variants:
#   launcher      ./ticker-etl as shipped (AppCDS archive, C1 only)
#   no-cds        ./ticker-etl with TICKER_ETL_CDS=0 (C1 only, no archive)
#   java-jar      java -jar ticker-etl.jar, default JVM flags (no archive, full JIT)
#   baseline      BASELINE=<git rev>: that revision's own ./ticker-etl, built in a temporary worktree
# Prints a Markdown table (mean ± sd, min, user and system CPU) and the verdicts for the targets.
#
#   bench/startup.sh                     # about 2 minutes
#   BASELINE=b9fd864 bench/startup.sh    # also the launcher before issue 10 (adds a build)
#   RUNS=30 WARMUP=3 bench/startup.sh
#   NICE=-10 bench/startup.sh           # time at a raised priority (root): on a machine that other work keeps busy,
#                                        # this approximates the idle machine a user's terminal usually has
#
# Needs java 17+, maven (first build), hyperfine (Debian: apt-get install -y hyperfine) and python3.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${RUNS:-20}"
warmup="${WARMUP:-3}"
jar="$root/ticker-etl-examples/target/ticker-etl.jar"
ingest_target_s=0.7
runs_target_s=0.3

for tool in hyperfine python3 java; do
  command -v "$tool" >/dev/null || { echo "startup: $tool is needed (hyperfine: apt-get install -y hyperfine)" >&2; exit 2; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/ticker-etl-startup.XXXXXX")"
sim_pid=""
cleanup() {
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null || true
  if [ -d "$work/baseline" ]; then git -C "$root" worktree remove --force "$work/baseline" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "startup: building the CLI and its start-up archive..." >&2
(cd "$root" && mvn -B -q -Dstyle.color=never -DskipTests package -pl ticker-etl-examples -am >&2)
"$root/ticker-etl" --version >/dev/null

variants=(launcher no-cds java-jar)
declare -A launch
launch[launcher]="$root/ticker-etl"
launch[no-cds]="env TICKER_ETL_CDS=0 $root/ticker-etl"
launch[java-jar]="java -jar $jar"
if [ -n "${BASELINE:-}" ]; then
  echo "startup: building $BASELINE in a temporary worktree..." >&2
  git -C "$root" worktree add --detach "$work/baseline" "$BASELINE" >/dev/null 2>&1
  (cd "$work/baseline" && mvn -B -q -Dstyle.color=never -DskipTests package -pl ticker-etl-examples -am >&2)
  "$work/baseline/ticker-etl" --version >/dev/null 2>&1
  variants+=(baseline)
  launch[baseline]="$work/baseline/ticker-etl"
fi

# The simulator: its own JVM, started and warmed before any timing.
prio=()
if [ -n "${NICE:-}" ]; then prio=(nice -n "$NICE"); fi
${prio[@]+"${prio[@]}"} java -Xmx256m -cp "$jar" dev.tickeretl.simulator.PolygonSimulatorMain --port 0 >"$work/sim.url" \
  2>"$work/sim.log" &
sim_pid=$!
for _ in $(seq 1 300); do [ -s "$work/sim.url" ] && break; sleep 0.1; done
url="$(head -n 1 "$work/sim.url")"
[ -n "$url" ] || { echo "startup: the simulator did not start; see $work/sim.log" >&2; exit 1; }

export POLYGON_API_KEY=startup-bench-dummy-key
ingest_args="ingest --tickers AAPL,MSFT,NVDA,AMZN --from 2025-01-02 --to 2025-01-31 --source polygon --base-url $url --quiet"
# A small store for `runs`: five run records.
for _ in 1 2 3 4 5; do "$root/ticker-etl" $ingest_args --store "file:$work/small" >/dev/null; done

commands=()
names=()
for v in "${variants[@]}"; do
  names+=("ingest/$v"); commands+=("${launch[$v]} $ingest_args --store file:$work/fresh")
done
for v in "${variants[@]}"; do
  names+=("runs/$v"); commands+=("${launch[$v]} runs --store file:$work/small")
done
hyperfine_args=(-N --warmup "$warmup" --runs "$runs" --export-json "$work/result.json" --style basic)
for i in "${!commands[@]}"; do
  hyperfine_args+=(-n "${names[$i]}")
  # Every ingest starts from an empty store, as a new user's first run does.
  case "${names[$i]}" in ingest/*) hyperfine_args+=(--prepare "rm -rf $work/fresh") ;; *) hyperfine_args+=(--prepare true) ;; esac
  hyperfine_args+=("${commands[$i]}")
done
echo "startup: timing (load average before: $(cut -d' ' -f1-3 /proc/loadavg); nice ${NICE:-0})..." >&2
${prio[@]+"${prio[@]}"} hyperfine "${hyperfine_args[@]}" >&2

python3 - "$work/result.json" "$ingest_target_s" "$runs_target_s" <<'EOF'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
targets = {"ingest": float(sys.argv[2]), "runs": float(sys.argv[3])}
print("| command / variant | mean ± sd s | min s | user s | system s | target |")
print("|---|---|---|---|---|---|")
for r in results:
    command, variant = r["command"].split("/", 1)
    verdict = ""
    if variant == "launcher":
        t = targets[command]
        verdict = f"≤ {t} s: {'met' if r['mean'] <= t else 'missed'}"
    print(f"| {command} / {variant} | {r['mean']:.3f} ± {r['stddev']:.3f} | {r['min']:.3f} | {r['user']:.3f} | "
          f"{r['system']:.3f} | {verdict} |")
EOF
echo
echo "Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -n 1); $(java -version 2>&1 | head -n 1);" \
  "load average after: $(cut -d' ' -f1-3 /proc/loadavg); timed at nice ${NICE:-0}."
