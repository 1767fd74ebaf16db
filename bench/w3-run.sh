#!/usr/bin/env bash
# W3 "startup" of shared/bench/WORKLOADS.md for the distribution: `bin/piopiy run` with every
# first-party plugin in plugins/, from process spawn to "ready for calls" (plugins loaded, the
# manifest's services created, the agent joined a local Socket.IO signaling server), and "prewarmed"
# (what the services load once the agent is ready, before the first call: the VAD model). One discarded
# warm-up run, then 10; each run gets its spawn time (CLOCK_REALTIME, ns) in BENCH_T0_NS and prints
# its marks as a JSON line, then gets SIGTERM. Prints median [min-max] of every mark.
#   bench/w3-run.sh                 the shipped example manifest (cloud providers + silero VAD)
#   bench/w3-run.sh MANIFEST.json   another manifest (its agent section is pointed at the local server)
#   SKIP_BUILD=1 bench/w3-run.sh    reuse what the last run built
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
. .ci/find-jdk.sh
piopiy_find_jdk
if [ -z "${SKIP_BUILD:-}" ]; then
  ./mvnw -B -ntp -q -DskipTests package
fi
work="$root/bench/target/w3-run"
rm -rf "$work" && mkdir -p "$work"
tar xzf distribution/target/piopiy-runtime-*.tar.gz -C "$work"
home=$(echo "$work"/piopiy-runtime-*)
cp plugins/*/target/*-plugin.zip "$home/plugins/"

# the stand-in signaling server of the Agent tests (npm socket.io)
mkdir -p "$work/signaling"
cp runtime/src/test/node/{package.json,package-lock.json,signaling-server.js} "$work/signaling/"
(cd "$work/signaling" && npm ci --silent --no-audit --no-fund >/dev/null)
# its stdin stays open (it reads commands from there) and its reports go to a file
(cd "$work/signaling" && sleep 100000 | AGENT_ID=w3-agent AGENT_TOKEN=w3-token node signaling-server.js >"$work/signaling.out" 2>&1) &
signaling=$!
trap 'pkill -P "$signaling" 2>/dev/null; true' EXIT
for _ in $(seq 1 250); do grep -q '"listening"' "$work/signaling.out" 2>/dev/null && break; sleep 0.02; done
port=$(sed -n -E 's/.*"listening".*"port":([0-9]+).*/\1/p' "$work/signaling.out" | head -1)
[ -n "$port" ] || { echo "the signaling server did not start:" >&2; cat "$work/signaling.out" >&2; exit 1; }

manifest_in="${1:-$home/conf/manifest.example.json}"
manifest="$work/manifest.json"
# the agent joins the local server; until the LiveKit transport ships, a manifest naming it uses the simulated caller
python3 - "$manifest_in" "$manifest" "$port" "$home/plugins" <<'PY'
import json, sys, os, glob
m = json.load(open(sys.argv[1]))
m.pop("$schema", None)
m["agent"] = {"id": "w3-agent", "token": "w3-token", "signaling_url": "http://127.0.0.1:" + sys.argv[3]}
if m["transport"]["provider"] == "livekit" and not glob.glob(os.path.join(sys.argv[4], "*livekit*")):
    m["transport"] = {"provider": "simulated-caller", "lines": [{"say": "hello", "when": "bot_quiet", "after_ms": 500}]}
json.dump(m, open(sys.argv[2], "w"), indent=1)
PY
# keys the example's providers ask for (never used: no call is made)
export DEEPGRAM_API_KEY=w3 OPENAI_API_KEY=w3 CARTESIA_API_KEY=w3 ELEVENLABS_API_KEY=w3 ANTHROPIC_API_KEY=w3 \
  GOOGLE_API_KEY=w3 ASSEMBLYAI_API_KEY=w3 GROQ_API_KEY=w3

marks=()
for i in $(seq 0 10); do
  out="$work/run-$i.out"
  t0=$(date +%s%N)
  BENCH_T0_NS=$t0 "$home/bin/piopiy" run "$manifest" >"$out" 2>"$work/run-$i.log" &
  pid=$!
  for _ in $(seq 1 600); do
    grep -q '"ready_ms"' "$out" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/run-$i.log" >&2; exit 1; }
    sleep 0.02
  done
  # then the services' prewarming (the VAD model), which runs once the agent is ready for calls
  for _ in $(seq 1 600); do
    grep -q '"prewarmed_ms"' "$out" 2>/dev/null && break
    sleep 0.02
  done
  kill -TERM "$pid"
  wait "$pid" || true
  [ "$i" = 0 ] && continue
  marks+=("$(grep -h '"ready_ms"\|"prewarmed_ms"' "$out" | python3 -c 'import json,sys; m={}; [m.update(json.loads(l)) for l in sys.stdin]; print(json.dumps(m))')")
done

echo "# W3 piopiy run: $(ls "$home/plugins"/*.zip | wc -l) plugins, manifest $(basename "$manifest_in"); JVM: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
echo "# flags: bin/piopiy's (AOT cache $( [ -f "$home/lib/piopiy.aot" ] && echo "lib/piopiy.aot" || echo none)); 10 runs after 1 warm-up"
printf '%s\n' "${marks[@]}" > "$work/marks.jsonl"
python3 - "$work/marks.jsonl" <<'PY'
import json, sys, statistics
runs = [json.loads(l) for l in open(sys.argv[1])]
for key in [k for k in runs[0] if k.endswith("_ms")]:
    v = sorted(r[key] for r in runs)
    print(f"{key:28s} median {statistics.median(v):7.1f}  [{v[0]:.1f}-{v[-1]:.1f}]")
PY
