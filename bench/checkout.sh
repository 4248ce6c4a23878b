#!/usr/bin/env bash
# Checkout benchmark: starts the app jar as its own JVM on embedded defaults (embedded redis-server and MongoDB-protocol
# store in a fresh DATA_DIR, sandbox registrar), creates BENCH_CLIENTS clients (default 20) and credits them, then sends
# new single-domain checkouts open loop (each request at its due time, whatever the answers; latency from that due time)
# for BENCH_SECONDS (default 30) at each rate of BENCH_RATES (default "100 200 400" req/s), after a warm-up of
# BENCH_WARMUP_SECONDS (default 180: on 2 cores the JIT compilers still take a fifth of the CPU a minute in and settle
# after about three, and the store file reaches the size its 45 s of retained chunks keep only after a while) at the lowest rate,
# not measured. The store holds BENCH_DOMAINS domains
# beforehand (default 0; built once into target/bench-checkout/seed-<domains>/ and copied for every run). BENCH_HEAP is
# the app's -Xmx (default 384m; empty = the JVM's default); BENCH_SETTLE_SECONDS (default 30) is the pause before the
# store file is measured again, as the store compacts in the background. BENCH_APP_OPTS adds JVM options to the app
# (e.g. -XX:StartFlightRecording=filename=app.jfr).
# Prints one "name value unit" line per figure on stdout (comments on stderr start with #; the app's log is in
# target/bench-checkout/run/app.log):
#   store_domains_before <n> count               domains in the store before the app starts
#   store_file_mb_before <v> MB                  DATA_DIR/mongo.mv right before the measured load (after the warm-up)
#   checkout_<rate>rps_p50_ms, _p99_ms, _max_ms  latency per rate: every request, from its due time to its answer
#   checkout_errors <n> count                    measured requests not answered 202 (any status, transport error, no answer in 30 s)
#   store_bytes_per_checkout_immediate <v> bytes growth of mongo.mv per 202 checkout, right after the load
#   store_bytes_per_checkout <v> bytes           the same, BENCH_SETTLE_SECONDS later
#   rss_mb <v> MB                                the app JVM's peak resident memory (VmHWM), at the end
#   rss_sampled_max_mb <v> MB                    the most resident memory (VmRSS) seen every 500 ms
#   checkout_max_rate_p99_under_50ms <r> req/s   the highest rate tested whose p99 was under 50 ms (0 if none)
set -euo pipefail
cd "$(dirname "$0")/.."
domains="${BENCH_DOMAINS:-0}"
jar=target/domain-automation.jar
if [ ! -f "$jar" ] || [ -n "$(find src/main pom.xml -newer "$jar" -type f | head -n 1)" ]; then
  echo "# building $jar" >&2
  mvn -q -B -DskipTests package >&2
fi
mvn -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
run="target/bench-checkout/run"
rm -rf "$run" && mkdir -p "$run/data"
if [ "$domains" -gt 0 ]; then
  seed="target/bench-checkout/seed-${domains}"
  # built again when the store code (or this benchmark) changed since, so the file is what the current store writes
  if [ ! -f "$seed/seeded" ] || [ -n "$(find src/main/java/com/domainautomation/store src/test/java/com/domainautomation/bench/CheckoutBenchmark.java pom.xml -newer "$seed/seeded" -type f | head -n 1)" ]; then
    rm -rf "$seed"
    echo "# building a store of $domains domains in $seed (once; minutes per 100,000 domains)" >&2
    java -Xmx1g -cp "$cp" com.domainautomation.bench.CheckoutBenchmark seed "$seed" "$domains"
  fi
  cp "$seed/mongo.mv" "$run/data/"
fi
# the load generator shares the CPUs with the app: C1 only and the serial collector keep its own CPU use low
exec java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$cp" -Dbench.rates="${BENCH_RATES:-100 200 400}" -Dbench.seconds="${BENCH_SECONDS:-30}" \
  -Dbench.warmup-seconds="${BENCH_WARMUP_SECONDS:-180}" -Dbench.settle-seconds="${BENCH_SETTLE_SECONDS:-30}" \
  -Dbench.clients="${BENCH_CLIENTS:-20}" -Dbench.heap="${BENCH_HEAP-384m}" -Dbench.app-opts="${BENCH_APP_OPTS:-}" \
  com.domainautomation.bench.CheckoutBenchmark run "$run" "$jar"
