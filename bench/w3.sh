#!/usr/bin/env bash
# W3 "startup" of shared/bench/WORKLOADS.md: per topology one discarded warm-up run, then 10 runs;
# each run's spawn time (CLOCK_REALTIME, ns) goes to the process in BENCH_T0_NS. Prints median [min-max].
#   bench/w3.sh            agent, chain and a bare JVM, with and without a JDK 25 AOT cache
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/find-jdk.sh
piopiy_find_jdk
./mvnw -B -ntp -q -DskipTests package -pl bench -am
# the AOT cache needs jars with explicit class path entries, not class directories
jar="bench/target/piopiy-bench-0.1.0-SNAPSHOT.jar"
CP="$(cat bench/target/classpath.txt):$jar"
FLAGS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1"
aot="bench/target/w3.aot"
"$JAVA_HOME/bin/java" $FLAGS -XX:AOTCacheOutput="$aot" -cp "$CP" ai.piopiy.bench.W3Startup agent >/dev/null 2>&1 || true
run() { # label, extra flags, topology
  local values=()
  for i in $(seq 0 10); do
    t0=$(date +%s%N)
    line=$(BENCH_T0_NS=$t0 "$JAVA_HOME/bin/java" $FLAGS $2 -cp "$CP" ai.piopiy.bench.W3Startup "$3" 2>/dev/null)
    [ "$i" = 0 ] && continue
    values+=("$(echo "$line" | sed -E 's/.*"ready_ms": ([0-9.]+).*/\1/')")
  done
  printf '%s\n' "${values[@]}" | sort -n | awk -v l="$1 $3" '{v[NR]=$1} END {printf "%-28s median %6.1f ms  [%.1f-%.1f]\n", l, (v[5]+v[6])/2, v[1], v[NR]}'
}
echo "# JVM: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); flags: $FLAGS"
for topo in bare chain agent; do
  run "no AOT cache:" "" "$topo"
  [ -f "$aot" ] && run "AOT cache:" "-XX:AOTCache=$aot" "$topo"
done
