#!/usr/bin/env bash
# The Kafka sink's targets, end to end: the pipeline, the file store on disk and a real single-node broker (KRaft,
# its own JVM, started and removed by the tool). Prints one Markdown table (about 2-3 minutes on 2 cores).
#
#   bench/kafka.sh            # both scenarios
#   bench/kafka.sh day        # 500 tickers x 1 year of day bars: every bar on the topic within 3 s of being stored
#   bench/kafka.sh minute     # a 10,000-bar minute burst: p99 durable -> acknowledged <= 500 ms
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
echo "kafka: building ticker-etl-bench/target/benchmarks.jar..." >&2
(cd "$root" && mvn -B -q -DskipTests package -pl ticker-etl-bench -am >&2)
exec java -Xmx1g -cp "$root/ticker-etl-bench/target/benchmarks.jar" dev.tickeretl.bench.KafkaSinkBench "$@"
