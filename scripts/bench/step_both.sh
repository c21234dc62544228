#!/usr/bin/env bash
# The classroom training step as this machine's native build runs it and as an AVX2-only
# laptop's build runs it, one after the other in one invocation, each beside PyTorch with
# the matching CPU capability (all of PyTorch's kernels, then AVX2 only):
#   scripts/bench/step_both.sh --repeats 8
# Extra arguments go to both `Benchmark step` runs. Take it on a quiet machine: each table
# prints the load average at its start and end.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product Benchmark
echo "═══ native build ($(uname -m), -target-cpu native) ═══"
.build/release/Benchmark step "$@"
echo
echo "═══ AVX2 build (-target-cpu haswell, narrow register tiles; PyTorch limited to AVX2) ═══"
scripts/bench/avx2_build.sh step "$@"
