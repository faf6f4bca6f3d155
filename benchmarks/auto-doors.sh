#!/usr/bin/env bash
# The sample app's throughput under the README's load (HttpLoad: 4 checkout + 4 catalog clients),
# with Knocker's automatic doors on and off, alternating, ROUNDS times each, 20 s a run after 10 s
# of warm-up. Prints one line per run: doors, requests per second.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-3}
jar=$(ls sample-app/target/knocker-sample-app-*.jar | grep -v original | head -1)
run() {
    java -jar "$jar" --server.port=8091 "$@" > /dev/null 2>&1 &
    local pid=$!
    for _ in $(seq 60); do curl -s -o /dev/null 127.0.0.1:8091/catalog && break; sleep 0.5; done
    java -cp benchmarks/target/benchmarks.jar io.knocker.benchmarks.HttpLoad 8091 10 > /dev/null
    java -cp benchmarks/target/benchmarks.jar io.knocker.benchmarks.HttpLoad 8091 20
    kill "$pid"; wait "$pid" 2>/dev/null || true
}
for _ in $(seq "$rounds"); do
    echo "auto-doors-off $(run --knocker.auto-doors.http=false --knocker.auto-doors.task-executors=false)"
    echo "auto-doors-on $(run)"
done
