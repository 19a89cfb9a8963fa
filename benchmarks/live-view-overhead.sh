#!/usr/bin/env bash
# Cost of the live view: lab throughput (--quiet, 6000 steps of 20 on full MNIST) without it, with it and
# no viewer, and with it and 20 connected viewers (curl SSE clients), alternating, 4 rounds.
# Usage: MNIST_DIR=... benchmarks/live-view-overhead.sh   (after ./mvnw -DskipTests package)
#        STEPS (default 6000), ROUNDS (default 4), SKIP_IDLE=1 to leave out the idle-view runs
: "${MNIST_DIR:?set MNIST_DIR to the MNIST files}"
JAR="$(cd "$(dirname "$0")/.." && pwd)/nn-examples/target/mnist-lab.jar"
ui() { # $1 = viewers
  rm -f "${TMPDIR:-/tmp}/ov.log"
  (sleep 100000 | java -jar "$JAR" --steps "${STEPS:-6000}" --quiet --port 8799 --out "${TMPDIR:-/tmp}/ov-b" > "${TMPDIR:-/tmp}/ov.log" 2>&1) &
  until grep -q "live view" "${TMPDIR:-/tmp}/ov.log" 2>/dev/null; do sleep 0.2; done
  for i in $(seq $1); do (timeout 1000 curl -s -N http://127.0.0.1:8799/events > /dev/null &) ; done
  until grep -q "train_examples_per_s" "${TMPDIR:-/tmp}/ov.log" 2>/dev/null; do sleep 0.5; done
  grep -o '"train_examples_per_s": [0-9.]*' "${TMPDIR:-/tmp}/ov.log" | sed "s/^/ui, $1 viewers, round $round: /"
  pkill -f "curl -s -N http://127.0.0.1:8799" ; pkill -f "port 8799"; sleep 1
}
for round in $(seq "${ROUNDS:-4}"); do
  java -jar "$JAR" --steps "${STEPS:-6000}" --no-ui --quiet --out "${TMPDIR:-/tmp}/ov-a" | grep -o '"train_examples_per_s": [0-9.]*' | sed "s/^/no-ui, round $round: /"
  [ -n "${SKIP_IDLE:-}" ] || ui 0
  ui 20
done
