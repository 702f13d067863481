#!/usr/bin/env bash
# Issue 10 point 5: the Polygon source's cost per request on top of a server's fixed latency, at concurrency 1, this
# checkout side by side with an older commit in one JVM (dev.tickeretl.bench.SideBySide). Prints one Markdown table.
#
#   bench/overhead.sh                 # this checkout against BASE (default: the commit before the transport change)
#   BASE=<rev> ROUNDS=60 LATENCY_MS=20 bench/overhead.sh
#   BASE=none bench/overhead.sh       # this checkout only (with the bare-client and sleep baselines)
#
# The older commit is built from `git archive` in a temp directory with this checkout's RequestOverheadBenchmark
# copied in, so both measure the same thing. Needs git, java 17+, maven. Takes a few minutes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base="${BASE:-b9fd864}"
rounds="${ROUNDS:-60}"
latency="${LATENCY_MS:-20}"
bench_src="ticker-etl-bench/src/main/java/dev/tickeretl/polygon/RequestOverheadBenchmark.java"

work="$(mktemp -d "${TMPDIR:-/tmp}/ticker-etl-overhead.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "overhead: building ${base} and this checkout..." >&2
jars=("HEAD=$root/ticker-etl-bench/target/benchmarks.jar")
if [ "$base" != none ]; then
  mkdir "$work/base"
  git -C "$root" archive "$base" | tar -x -C "$work/base"
  cp "$work/base/$bench_src" "$work/base-benchmark.java" 2>/dev/null || true
  cp "$root/$bench_src" "$work/base/$bench_src"
  if ! (cd "$work/base" && mvn -B -q -Dmaven.test.skip=true package -pl ticker-etl-bench -am >"$work/base.log" 2>&1); then
    # This checkout's benchmark uses APIs the old commit lacks: measure the old commit with its own copy of it.
    if [ -f "$work/base-benchmark.java" ]; then
      echo "overhead: this benchmark does not compile against $base; using $base's own RequestOverheadBenchmark" >&2
      cp "$work/base-benchmark.java" "$work/base/$bench_src"
      (cd "$work/base" && mvn -B -q -Dmaven.test.skip=true package -pl ticker-etl-bench -am >&2)
      jars+=("$base=$work/base/ticker-etl-bench/target/benchmarks.jar")
    else
      echo "overhead: this benchmark does not compile against $base, which has none of its own: HEAD only" >&2
    fi
  else
    jars+=("$base=$work/base/ticker-etl-bench/target/benchmarks.jar")
  fi
fi
(cd "$root" && mvn -B -q -Dmaven.test.skip=true package -pl ticker-etl-bench -am >&2)

echo "overhead: $rounds rounds..." >&2
java -cp "$root/ticker-etl-bench/target/benchmarks.jar" dev.tickeretl.bench.SideBySide "$rounds" "$latency" "${jars[@]}"
