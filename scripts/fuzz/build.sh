#!/usr/bin/env bash
# Builds the fuzz targets: the library modules as a plain debug build (every bounds check
# and precondition kept; SIMCLR_FUZZ=1 drops -Ounchecked in Package.swift) instrumented for
# libFuzzer and AddressSanitizer in their own scratch path, then each target in
# scripts/fuzz/targets/ linked against them with libFuzzer's main.
#
#   scripts/fuzz/build.sh [TARGET ...]     default: all targets
#
# Output: .build-fuzz/fuzz/<target>. Needs only the Swift toolchain (its clang runtime
# provides libFuzzer), libpng-dev and libjpeg-dev.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
scratch="$root/.build-fuzz"
targets_dir="$root/scripts/fuzz/targets"
out="$scratch/fuzz"
mkdir -p "$out"

all=(png jpeg cifar10 stl10 food101 imagefolder safetensors npy http checkpoint)
targets=("${@:-${all[@]}}")

# The modules the targets import, and the libraries they need at link time: the library, and
# the NPY reader that only Tools/TSNECompare uses (a module of its own, outside the library).
for module in SimCLR NPYFormat; do
    SIMCLR_FUZZ=1 swift build --scratch-path "$scratch" --sanitize address --sanitize fuzzer --target "$module" \
        2>&1 | grep -E "error|warning: unre|Compiling|Build" | grep -v "^\[" | tail -3 || true
done
debug="$scratch/debug"
for module in SimCLR NPYFormat; do
    [ -f "$debug/Modules/$module.swiftmodule" ] || { echo "fuzz build: module $module did not build" >&2; exit 1; }
done

objects=()
for module in Core Imaging Datasets NeuralNet Evaluation Augmentation Plotting SimCLR NPYFormat CJPEGShim CAllocatorShim \
              CSIMDShuffle; do
    objects+=("$debug/$module.build/"*.o)
done
maps=()
for map in "$debug/CJPEGShim.build/module.modulemap" "$root/Sources/CLibPNG/module.modulemap" \
           "$debug/CAllocatorShim.build/module.modulemap" "$debug/CSIMDShuffle.build/module.modulemap"; do
    [ -f "$map" ] && maps+=(-Xcc "-fmodule-map-file=$map")
done
includes=(-I "$debug/Modules" -Xcc -I"$root/Sources/CJPEGShim/include" -Xcc -I"$root/Sources/CAllocatorShim/include"
          -Xcc -I"$root/Sources/CSIMDShuffle/include")

for target in "${targets[@]}"; do
    source="$targets_dir/$target.swift"
    [ -f "$source" ] || { echo "fuzz build: no target $target (have: ${all[*]})" >&2; exit 1; }
    swiftc -sanitize=fuzzer,address -parse-as-library -g -enable-testing "${includes[@]}" "${maps[@]}" \
        "$targets_dir/FuzzSupport.swift" "$source" "${objects[@]}" -lpng -ljpeg -o "$out/$target" \
        2>&1 | grep -v "Cannot export local symbol" || true
    [ -x "$out/$target" ] || { echo "fuzz build: $target did not link" >&2; exit 1; }
    echo "built $out/$target"
done
