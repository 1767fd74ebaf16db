#!/usr/bin/env bash
# Trains the distribution's JDK AOT cache (lib/piopiy.aot) with the start-up of `piopiy run`:
# logging, plugin loading, the manifest, the providers' services and the signaling client. The
# agent's signaling URL is a closed local port, so the run ends right after its connection attempt.
#   train.sh <runtime home> <plugins dir> <training manifest> <archive timestamp, ISO-8601>
set -euo pipefail
home="$1" plugins="$2" manifest="$3" timestamp="$4"

# The JVM takes a cached class only while its jar keeps the size and modification time it had at
# training; the archives record every file with the build's fixed timestamp, so the jars get it now.
touch -d "$timestamp" "$home"/lib/*.jar

cache="$home/lib/piopiy.aot"
rm -f "$cache"
set +e
# No method profiles in the cache (JEP 515): they would be the start-up's own, and replaying them makes
# the JIT compile start-up code early, on the two cores the start-up itself needs.
PIOPIY_JAVA_OPTS="-XX:AOTCacheOutput=$cache -Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining -Xlog:aot*=warning" "$home/bin/piopiy" --plugins-dir "$plugins" run "$manifest" \
  >"$home/../aot-training.log" 2>&1
code=$?
set -e
# 1 = the agent could not join the (closed) signaling server: the expected end of the training
if [ "$code" != 1 ] || [ ! -s "$cache" ]; then
  echo "AOT training failed (exit $code); its output:" >&2
  cat "$home/../aot-training.log" >&2
  exit 1
fi
grep -q "could not join" "$home/../aot-training.log" || { cat "$home/../aot-training.log" >&2; exit 1; }
touch -d "$timestamp" "$cache"
echo "AOT cache: $cache ($(du -h "$cache" | cut -f1))"
