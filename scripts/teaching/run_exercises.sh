#!/usr/bin/env bash
# Runs every exercise of docs/teaching.md once, each into its own figures folder, and prints
# the numbers the guide quotes (from each run's JSON report). Took 45 minutes on a
# 2-core machine with the full CIFAR-10 under data/ and a training job beside it.
#
#   scripts/teaching/run_exercises.sh [OUT]     # OUT defaults to /tmp/simclr-exercises
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${1:-/tmp/simclr-exercises}
mkdir -p "$out" checkpoints
swift build >/dev/null 2>&1 || { echo "swift build failed"; exit 1; }
bin=$(swift build --show-bin-path)

run() {  # name, lesson, flags...
    local name=$1 lesson=$2; shift 2
    local started=$(date +%s)
    "$bin/$lesson" "$@" --figures "$out/$name" >"$out/$name.log" 2>&1
    local status=$?
    echo "== $name: $lesson $* (exit $status, $(( $(date +%s) - started )) s)"
    python3 - "$out/$name" <<'PY'
import glob, json, sys
for path in glob.glob(sys.argv[1] + "/*-report.json"):
    r = json.load(open(path))
    keys = [k for k in r["values"] if any(w in k for w in ("kNN", "accuracy", "top-1", "std", "spread", "loss", "5-NN", "trust"))]
    for k in sorted(keys):
        print(f"   {k}: {r['values'][k]:.4g}")
    for c in r["checks"]:
        if c["verdict"] != "agrees":
            print(f"   check {c['name']}: {c['document']} | {c['ours']} | {c['verdict']}")
PY
}

# Lesson 1: the bundled sample against the full set.
run l1-sample Lesson1-Dataset --data data/cifar10-sample
# Lesson 2: another seed, another random network.
run l2-seed1 Lesson2-Model --seed 1
# Lesson 3: other draws, other views; the ablation's noise under another seed.
run l3-seed1 Lesson3-Augmentation --seed 1
# Lesson 4: one knob at a time, against the same short baseline (5,000 images, 4 epochs).
run l4-base Lesson4-Training --images-per-class 500 --epochs 4 --checkpoint checkpoints/ex-base.safetensors
run l4-tau01 Lesson4-Training --images-per-class 500 --epochs 4 --temperature 0.1 --checkpoint checkpoints/ex-tau01.safetensors
run l4-batch64 Lesson4-Training --images-per-class 500 --epochs 4 --batch-size 64 --checkpoint checkpoints/ex-batch64.safetensors
run l4-nojitter Lesson4-Training --images-per-class 500 --epochs 4 --augmentations crop,flip,grey,blur --checkpoint checkpoints/ex-nojitter.safetensors
# Lesson 5: fewer labels; a supervised baseline trained longer.
run l5-labels50 Lesson5-LinearProbe --labels-per-class 50 --no-label-fraction
run l5-sup60 Lesson5-LinearProbe --supervised-epochs 60 --no-label-fraction
# Lesson 6: another seed for t-SNE.
run l6-seed1 Lesson6-TSNE --seed 1
