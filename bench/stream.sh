#!/usr/bin/env bash
# Real-time benchmarks of issue 11: the streaming pipeline (a JVM of its own, -Xmx256m, the file store on the real
# disk) against the Polygon simulator's WebSocket (the bench's JVM, 127.0.0.1). Prints one Markdown section each:
#   burst   10,000 tickers, the market clock stopped and moved a minute at a time: receive -> durable per burst
#   day     3,000 tickers, a trading day replayed at 60x: heap after GC over time, lost minutes, duplicates
#   outage  3,000 tickers on a real-time clock, the WebSocket down for 60 s: reconnect -> missed minutes durable
#
#   bench/stream.sh                         # all three (about 15 minutes on 2 cores)
#   bench/stream.sh burst                   # one of them
#   bench/stream.sh burst bursts=20 flush-interval=PT0.2S   # settings and pipeline knobs (StreamBench's Javadoc)
#   KEEP=1 bench/stream.sh                  # keep stores, logs and the client's event lines (the path is printed)
#
# Exit status 0 when every target was met, 1 when one was missed. Needs bash, java 17+ and maven (first build).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_jar="$root/ticker-etl-bench/target/benchmarks.jar"
scenario="${1:-all}"
[ $# -gt 0 ] && shift

echo "stream: building the bench tool..." >&2
(cd "$root" && mvn -B -q -Dmaven.test.skip=true package -pl ticker-etl-bench -am >&2)

work="$(mktemp -d "${TMPDIR:-/tmp}/ticker-etl-stream.XXXXXX")"
cleanup() {
  if [ "${KEEP:-0}" = 1 ]; then echo "stream: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

echo "stream: $scenario in $work (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
rc=0
java -Xmx2g -cp "$bench_jar" dev.tickeretl.bench.StreamBench "$scenario" work="$work/run" keep=true "$@" || rc=$?
echo
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); $(lscpu | sed -n 's/^Model name: *//p' | head -n 1)," \
  "$(free -g | awk '/^Mem:/ { print $2 }') GiB"
exit "$rc"
