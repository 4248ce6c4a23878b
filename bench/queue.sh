#!/usr/bin/env bash
# Queue benchmark: builds what it needs, then prints one "name value unit" line per figure.
# Uses the Redis in REDIS_URL, or an embedded redis-server (no persistence) when it is unset.
# Figures ending in _cold are the first pass (a cold JVM); the others are the second pass (warmed up).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  -Dbench.jobs="${BENCH_JOBS:-20000}" com.domainautomation.bench.QueueBenchmark
