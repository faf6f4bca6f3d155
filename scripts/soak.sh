#!/usr/bin/env bash
# Soak: the sample app under load for a while, heap and live threads sampled every 10 s.
# Not part of ./mvnw verify. Usage: scripts/soak.sh [seconds, default 600] > soak.csv
# Needs curl; builds the sample app first. Traffic goes to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-600}
port=${SOAK_PORT:-18080}
base="http://127.0.0.1:$port"

./mvnw -B -q -pl sample-app -am package -DskipTests >&2
java -Xmx512m -jar sample-app/target/knocker-sample-app-0.1.0-SNAPSHOT.jar --server.port="$port" \
    >/tmp/knocker-soak-app.log 2>&1 &
app=$!
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null' EXIT
for _ in $(seq 1 60); do curl -sf "$base/actuator/health" >/dev/null && break; sleep 1; done

end=$((SECONDS + duration))
load() { while [ $SECONDS -lt $end ]; do curl -s -o /dev/null "$@" || true; done; }
for _ in 1 2 3 4; do load -X POST "$base/checkout" & done
for _ in 1 2 3; do load "$base/catalog" & done
load "$base/report?mb=4" &

metric() {  # value of one actuator metric, with an optional tag
    curl -s "$base/actuator/metrics/$1${2:+?tag=$2}" | sed -E 's/.*"value":([0-9.E+-]+).*/\1/'
}
echo "seconds,heap_used_mb,live_threads,checkout_calls,jvm_contention,inventory_lock_contention"
start=$SECONDS
while [ $SECONDS -lt $end ]; do
    heap=$(metric jvm.memory.used area:heap)
    threads=$(metric jvm.threads.live)
    calls=$(curl -s "$base/actuator/contention/checkout" | sed -E 's/.*"calls":([0-9]+).*/\1/')
    jvm=$(metric knocker.contention door:jvm)
    lock=$(metric knocker.contention door:inventory-lock)
    awk -v s=$((SECONDS - start)) -v h="$heap" -v t="$threads" -v c="$calls" -v j="$jvm" -v l="$lock" \
        'BEGIN { printf "%d,%.1f,%d,%d,%.3f,%.3f\n", s, h / 1048576, t, c, j, l }'
    sleep 10
done
wait $(jobs -p | grep -v "^$app$") 2>/dev/null || true
kill "$app"
