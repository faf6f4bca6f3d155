#!/usr/bin/env bash
# Issue 40's check of the advice: CapacityApp under an open-loop Poisson load at a door's size,
# then at the advised size and one more, same load; prints Markdown tables (results/advice.md).
# Arguments go to AdviceCheck: cases (pool:65 permit:85 work:140 ...) and --warmup= --measure=
# --hold-mean= --seed= --out=. Each run's readings and log: benchmarks/target/advice-check/.
#   OFFLINE=1          build without the network
#   BENCHMARKS_ONLY=1  build the benchmarks alone, against the Knocker already installed
#   KNOCKER_COMMIT=rev run CapacityApp on Knocker as committed at rev (exported with git archive
#                      and built under target/), whatever the working tree holds
#   NICE=-10           run the harness and the application at that niceness (negative: root only):
#                      on a shared machine, their wake-ups on time despite builds beside them; they
#                      use a fifth of a core, so the others lose little
set -euo pipefail
cd "$(dirname "$0")/.."
mvn=(./mvnw -B -q ${OFFLINE:+-o})
out=benchmarks/target/advice-check
also=(-am)
if [[ -n ${BENCHMARKS_ONLY:-}${KNOCKER_COMMIT:-} ]]; then also=(); fi
"${mvn[@]}" -pl benchmarks "${also[@]}" install -DskipTests -Dspring-javaformat.skip=true
mkdir -p "$out"
"${mvn[@]}" -pl benchmarks dependency:build-classpath -Dmdep.outputFile=target/advice-check/classpath.txt
cp=$(cat "$out/classpath.txt")
# The run's own copies of the harness and of Knocker's jars: a build beside it leaves them alone.
rm -rf "$out/classes" "$out/lib" && mkdir -p "$out/lib"
cp -r benchmarks/target/classes "$out/classes"
for module in knocker-core knocker-spring-boot-autoconfigure; do
    jar=$(tr ':' '\n' <<< "$cp" | grep "/io/knocker/$module/" | head -1)
    cp "$jar" "$out/lib/" && cp=$(tr ':' '\n' <<< "$cp" | sed "s|^$jar\$|$PWD/$out/lib/$(basename "$jar")|" | paste -sd:)
done
if [[ -n ${KNOCKER_COMMIT:-} ]]; then
    tree="$out/knocker-$(git rev-parse --short "$KNOCKER_COMMIT")"
    rm -rf "$tree" && mkdir -p "$tree"
    git archive "$KNOCKER_COMMIT" | tar -x -C "$tree"
    (cd "$tree" && "${mvn[@]}" -pl knocker-spring-boot-autoconfigure -am package -DskipTests \
        -Dspring-javaformat.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true)
    for module in knocker-core knocker-spring-boot-autoconfigure; do
        jar=$(ls "$tree/$module"/target/"$module"-*.jar | grep -v -e sources -e javadoc | head -1)
        cp=$(tr ':' '\n' <<< "$cp" | sed "s|.*/$module-[^/]*\.jar$|$PWD/$jar|" | paste -sd:)
    done
    echo "[advice-check] Knocker at $(git log -1 --format='%h %s' "$KNOCKER_COMMIT")" >&2
fi
nice -n "${NICE:-0}" java -cp "$out/classes:$cp" io.knocker.benchmarks.advice.AdviceCheck "$@"
