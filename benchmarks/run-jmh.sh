#!/usr/bin/env bash
# Runs the JMH suite and writes JSON results to benchmarks/results/.
#   benchmarks/run-jmh.sh [short|full] [JMH benchmark regex]
# short: 1 fork, 2 warm-up and 3 measured iterations of 1 s (a few minutes for the suite);
# full:  the iterations declared on each benchmark class.
# Also measures the in-Python cost of the worker round-trip calls (timeit) for comparison.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
MODE="${1:-short}"
PATTERN="${2:-.*}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
PYTHON="${ODAHU_PYTHON:-/usr/bin/python3}"
JAR=benchmarks/target/benchmarks.jar

if [ ! -f "$JAR" ] || [ ! -d examples/target/artifacts ]; then
  mvn -B -q package -DskipTests -pl benchmarks -am
fi
mkdir -p benchmarks/results
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="benchmarks/results/jmh-$MODE-$STAMP.json"

ARGS=(-rf json -rff "$OUT" -jvmArgsAppend "-Dodahu.examples.dir=$ROOT/examples/target/artifacts -Dodahu.data.dir=$ROOT/examples/data -Dodahu.python=$PYTHON")
if [ "$MODE" = "short" ]; then
  ARGS+=(-f 1 -wi 2 -i 3 -w 1s -r 1s)
fi
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$JAR" "${ARGS[@]}" "$PATTERN"

if [[ "WorkerRoundTripBenchmark" =~ $PATTERN ]] || [ "$PATTERN" = ".*" ]; then
  COST="benchmarks/results/inpython-$STAMP.jsonl"
  for model in simple wine pure; do
    for rows in 1 64; do
      request=examples/data/wine-request-1000.json
      [ "$model" = pure ] && request=benchmarks/python/pure-request-64.json
      "$PYTHON" benchmarks/python/inpython_cost.py "examples/target/artifacts/$model" "$request" "$rows" 2>/dev/null
    done
  done | tee "$COST"
fi
echo "JMH results: $OUT"
