#!/usr/bin/env bash
# The benchmark as an AVX2-only laptop (Intel Haswell and later, AMD Zen 1-3) compiles it:
# the numeric targets built for `-target-cpu haswell` (narrow register tiles, see
# RegisterTile in Sources/Core) in their own scratch path, so the native build in .build/
# is left alone, and PyTorch limited to AVX2 for the side-by-side columns.
#   scripts/bench/avx2_build.sh step --repeats 8
set -euo pipefail
cd "$(dirname "$0")/../.."
SIMCLR_TARGET_CPU=haswell swift build -c release --product Benchmark --scratch-path .build-avx2
ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 exec .build-avx2/release/Benchmark "$@"
