#!/usr/bin/env bash
# The per-bar CPU paths (JSON line writer, transform + tag + serialize, partition decode, Store.bars) of this
# checkout side by side with an older commit in one JVM (dev.tickeretl.bench.CpuSideBySide). Prints one Markdown
# table of bars per CPU-second and the ratio to BASE.
#
#   bench/cpu-ab.sh                   # BASE (default 1111d4a) against this checkout
#   BASE=<rev> ROUNDS=30 PATHS=serialize,serializeJackson,transformTagSerialize,decode,storeRead bench/cpu-ab.sh
#
# The older commit is built from `git archive` in a temp directory. Needs git, java 17+, maven. Takes a few minutes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base="${BASE:-1111d4a}"
rounds="${ROUNDS:-30}"
paths="${PATHS:-serialize,serializeJackson,transformTagSerialize,decode,storeRead}"

work="$(mktemp -d "${TMPDIR:-/tmp}/ticker-etl-cpu-ab.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "cpu-ab: building ${base} and this checkout..." >&2
mkdir "$work/base"
git -C "$root" archive "$base" | tar -x -C "$work/base"
(cd "$work/base" && mvn -B -q -o -Dmaven.test.skip=true package -pl ticker-etl-bench -am >"$work/base.log" 2>&1) \
  || (cd "$work/base" && mvn -B -q -Dmaven.test.skip=true package -pl ticker-etl-bench -am >&2)
(cd "$root" && mvn -B -q -Dmaven.test.skip=true package -pl ticker-etl-bench -am >&2)
cp "$work/base/ticker-etl-bench/target/benchmarks.jar" "$work/base.jar"
cp "$root/ticker-etl-bench/target/benchmarks.jar" "$work/head.jar"

echo "cpu-ab: $rounds rounds per path..." >&2
java -Xms1g -Xmx1g -cp "$work/head.jar" dev.tickeretl.bench.CpuSideBySide "$rounds" "$paths" \
  "$base=$work/base.jar" "HEAD=$work/head.jar"
