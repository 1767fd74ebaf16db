#!/usr/bin/env bash
# Runs the W1 and W2 workloads of shared/bench/WORKLOADS.md, each configuration 3 times as its own
# JVM, writes every run's JSON line to bench/results/<timestamp>.jsonl and prints the medians.
#   bench/run.sh            all of W1 (burst, window-1) and W2 (K = 50 100 200 400 1000 2000)
#   bench/run.sh w1|w2      one workload;  REPEAT=1 bench/run.sh w2 400   one W2 size, once
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/find-jdk.sh
piopiy_find_jdk
./mvnw -B -ntp -q -DskipTests package -pl bench -am
CP="$(cat bench/target/classpath.txt):bench/target/classes"
# stated JVM options: one small serial-GC heap, as a 2-core box would run a voice runtime
JVM_FLAGS="-XX:+UseSerialGC -Xms64m -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn"
REPEAT="${REPEAT:-3}"
mkdir -p bench/results
OUT="bench/results/$(date -u +%Y%m%dT%H%M%SZ).jsonl"
what="${1:-all}"
run() { for _ in $(seq "$REPEAT"); do "$JAVA_HOME/bin/java" $JVM_FLAGS -cp "$CP" "$@" | tee -a "$OUT"; done; }
if [ "$what" = all ] || [ "$what" = w1 ]; then
  run ai.piopiy.bench.W1Chain burst 100000
  run ai.piopiy.bench.W1Chain window1 20000
fi
if [ "$what" = all ] || [ "$what" = w2 ]; then
  for k in ${2:-50 100 200 400 1000 2000}; do run ai.piopiy.bench.W2Calls "$k"; done
fi
echo "# JVM: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); flags: $JVM_FLAGS" | tee -a "$OUT"
echo "# medians of $REPEAT runs (all runs in $OUT):"
"$JAVA_HOME/bin/java" -cp "$CP" ai.piopiy.bench.Summarize "$OUT"
