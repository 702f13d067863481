#!/usr/bin/env bash
# The JMH suite of ticker-etl-bench (a few minutes on 2 cores). Arguments go to JMH, e.g.
#   bench/jmh.sh                          # every benchmark, settings from the annotations
#   bench/jmh.sh TransformBenchmark       # one class (a regexp)
#   bench/jmh.sh -p storage=disk          # skip the tmpfs variant (no /dev/shm)
#   bench/jmh.sh -prof gc                 # with allocation rates
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
echo "jmh: building ticker-etl-bench/target/benchmarks.jar..." >&2
(cd "$root" && mvn -B -q -DskipTests package -pl ticker-etl-bench -am >&2)
exec java -jar "$root/ticker-etl-bench/target/benchmarks.jar" "$@"
