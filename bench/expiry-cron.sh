#!/usr/bin/env bash
# Expiry cron benchmark: the domain-expiry cron over BENCH_DOMAINS domains (default 1,000,000) of which
# BENCH_DUE_PERCENT (default 1) owe a notice, on the embedded store, in a JVM with BENCH_HEAP of heap (default 256m).
# Prints "expiry_run_seconds <value> s", "expiry_peak_heap_mb <value> MB" and "expiry_peak_live_heap_mb <value> MB"
# (comments on stderr start with #; the app's own log lines are on stdout too).
# The data set is built once into target/bench-expiry/seed-<domains>-<percent>/ and copied for every run.
set -euo pipefail
cd "$(dirname "$0")/.."
domains="${BENCH_DOMAINS:-1000000}"
percent="${BENCH_DUE_PERCENT:-1}"
heap="${BENCH_HEAP:-256m}"
mvn -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
seed="target/bench-expiry/seed-${domains}-${percent}"
if [ ! -f "$seed/as-of" ]; then
  rm -rf "$seed"
  java -Xmx1g -cp "$cp" com.domainautomation.bench.ExpiryBenchmark seed "$seed" "$domains" "$percent"
fi
run="target/bench-expiry/run"
rm -rf "$run" && mkdir -p "$run"
cp "$seed/mongo.mv" "$seed/as-of" "$run/"
java "-Xmx$heap" -cp "$cp" com.domainautomation.bench.ExpiryBenchmark run "$run"
