#!/usr/bin/env bash
# Trains the distribution's JDK AOT cache (lib/piopiy.aot) with the start-up of `piopiy run`:
# plugin loading, the manifest, the providers' services, the signaling client joining a stand-in
# signaling server (SignalingStandIn.java), up to ready for calls and the services' prewarming; then
# the run is stopped with SIGTERM, as an operator would.
#   train.sh <runtime home> <plugins dir> <training manifest> <archive timestamp, ISO-8601>
set -euo pipefail
home="$1" plugins="$2" manifest="$3" timestamp="$4"
here="$(cd "$(dirname "$0")" && pwd)"
work="$home/.."

# The JVM takes a cached class only while its jar keeps the size and modification time it had at
# training; the archives record every file with the build's fixed timestamp, so the jars get it now.
touch -d "$timestamp" "$home"/lib/*.jar

# the stand-in signaling server; it stops when its standard input closes
coproc STANDIN { "$JAVA_HOME/bin/java" "$here/SignalingStandIn.java"; }
standin_in=${STANDIN[1]}
read -r -t 60 _ port <&"${STANDIN[0]}" || { echo "the training's signaling stand-in did not start" >&2; exit 1; }
sed "s#http://127.0.0.1:9#http://127.0.0.1:$port#" "$manifest" >"$work/aot-training-manifest.json"

cache="$home/lib/piopiy.aot"
# no output of an earlier training may be taken for this one's
rm -f "$cache" "$work/aot-training.log"
# No method profiles in the cache (JEP 515): they would be the start-up's own, and replaying them makes
# the JIT compile start-up code early, on the two cores the start-up itself needs. Logging off:
# Log4j is configured only after start-up (piopiy-logging), so its classes would only make the cache
# bigger, and the JVM loads all of a cache's classes as it starts.
BENCH_T0_NS=$(date +%s%N) PIOPIY_JAVA_OPTS="-XX:AOTCacheOutput=$cache -Dpiopiy.logging.off=true -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining -Xlog:aot*=warning" \
  "$home/bin/piopiy" --plugins-dir "$plugins" run "$work/aot-training-manifest.json" >"$work/aot-training.log" 2>&1 &
run=$!
for _ in $(seq 1 600); do
  grep -q '"prewarmed_ms"' "$work/aot-training.log" 2>/dev/null && break
  kill -0 "$run" 2>/dev/null || break
  sleep 0.1
done
kill -TERM "$run" 2>/dev/null || true
set +e
wait "$run"
code=$?
set -e
# a JVM ended by a signal does not wait for the child process that assembles the cache from what it
# recorded: wait for that child's last word
for _ in $(seq 1 1200); do
  grep -q "AOTCache creation is complete" "$work/aot-training.log" && break
  grep -q "Error\|error:" "$work/aot-training.log" && break
  sleep 0.1
done
exec {standin_in}>&-
wait "$STANDIN_PID" 2>/dev/null || true
# 143: the JVM's own status after SIGTERM, once the shutdown hooks (the agent's drain) have run
if { [ "$code" != 0 ] && [ "$code" != 143 ]; } || [ ! -s "$cache" ] || ! grep -q '"prewarmed_ms"' "$work/aot-training.log"; then
  echo "AOT training failed (exit $code); its output:" >&2
  cat "$work/aot-training.log" >&2
  exit 1
fi
touch -d "$timestamp" "$cache"
echo "AOT cache: $cache ($(du -h "$cache" | cut -f1))"
