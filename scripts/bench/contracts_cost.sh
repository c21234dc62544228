#!/usr/bin/env bash
# What the library's contract checks (`contract(…)` in Sources/Core/Contract.swift) cost a
# training step: the benchmark's `step` section built twice from the same sources, once as
# shipped (.build/) and once with SIMCLR_CONTRACTS=off (.build-nocontracts/, checks compiled
# out), run alternately ROUNDS times so a drift in the machine's load hits both alike.
#   scripts/bench/contracts_cost.sh [ROUNDS]      (default 3; take it on a quiet machine)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-3}"
swift build -c release --product Benchmark
SIMCLR_CONTRACTS=off swift build -c release --product Benchmark --scratch-path .build-nocontracts
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$rounds"); do
  for build in .build .build-nocontracts; do
    label=$([ "$build" = .build ] && echo "with contracts   " || echo "without contracts")
    # The step table's rows start with the batch, e.g. "64 (128)": images/s is the next column.
    "$build/release/Benchmark" step --no-python --images 64 256 --repeats 5 \
      | awk -v label="$label" -v round="$round" '$2 ~ /^\([0-9]+\)$/ { printf "round %s  %s  %s images: %s images/s\n", round, label, $1, $3 }'
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
