#!/usr/bin/env bash
# Checks the PyTorch path on this machine's CPU: torchrun with 2 processes on gloo.
#
#   scripts/torch/test_distributed.sh
#
# 1. Lesson 4 exports a recipe: ResNet-18 width 4, one epoch, the bundled sample.
# 2. NT-Xent over embeddings split across 2 processes and gathered equals the one-process
#    loss on the same 2N embeddings (to 1e-6), and so do the gradients that reach each
#    process's embeddings and, through DDP, a layer's weights.
# 3. train_simclr.py trains the recipe with torchrun --nproc_per_node 2 (gloo).
# 4. The checkpoint loads in Swift, which computes the same h as PyTorch (to 1e-5).
# 5. A run stopped after epoch 1 and resumed ends with exactly the weights of one that was not.
#
# Needs Swift and PyTorch; it is not part of `swift test` or CI. PyTorch comes from
# $SIMCLR_TORCH_VENV (default .venv/, created here with pip on first use).
# $SWIFT_SCRATCH_PATH, if set, is passed to swift as --scratch-path. About 5 minutes on
# 2 cores once Swift is built. KEEP=1 keeps the work folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$SECONDS

venv=${SIMCLR_TORCH_VENV:-.venv}
if [ ! -x "$venv/bin/torchrun" ] || ! "$venv/bin/python" -c "import torch, torchvision, safetensors" 2>/dev/null; then
    echo "== setting up $venv (torch torchvision numpy safetensors; once, a few minutes)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet torch torchvision numpy safetensors
fi
python=$venv/bin/python
torchrun=("$venv/bin/torchrun" --nproc_per_node 2)
export SIMCLR_TORCH_VENV=$venv
export OMP_NUM_THREADS=1   # one thread per process: two processes share two cores

swift_flags=()
if [ -n "${SWIFT_SCRATCH_PATH:-}" ]; then swift_flags=(--scratch-path "$SWIFT_SCRATCH_PATH"); fi
work=$(mktemp -d)
if [ "${KEEP:-0}" != 1 ]; then trap 'rm -rf "$work"' EXIT; fi
sample=data/cifar10-sample

echo "== 1/5 building the lessons and exporting the recipe"
swift build "${swift_flags[@]}" --product Lesson4-Training >"$work/build.log" 2>&1 || { tail -20 "$work/build.log"; exit 1; }
lesson4="$(swift build "${swift_flags[@]}" --show-bin-path)/Lesson4-Training"
"$lesson4" --width 4 --epochs 1 --images-per-class 500 --export-config "$work/w4.json" | sed -n 1,2p
# For the resume check: two epochs of 100 images per class, batch 128 (7 steps per epoch).
"$lesson4" --width 4 --epochs 2 --images-per-class 100 --batch-size 128 --export-config "$work/w4-two.json" >/dev/null

echo "== 2/5 NT-Xent split across 2 processes against one process"
"${torchrun[@]}" scripts/torch/check_distributed.py loss 2>"$work/loss.err" || { cat "$work/loss.err"; exit 1; }

echo "== 3/5 training with torchrun --nproc_per_node 2 (gloo)"
"${torchrun[@]}" scripts/torch/train_simclr.py "$work/w4.json" --data "$sample" --checkpoint "$work/w4.safetensors" \
    2>"$work/train.err" | grep -v "^  epoch" || { cat "$work/train.err"; exit 1; }

echo "== 4/5 the checkpoint in Swift: the same h as PyTorch"
"$python" scripts/torch/check_distributed.py sample "$work/w4.safetensors" "$work/sample.safetensors" --data "$sample"
SIMCLR_TORCH_CHECKPOINT="$work/w4.safetensors" SIMCLR_TORCH_SAMPLE="$work/sample.safetensors" \
    swift test "${swift_flags[@]}" --filter ConfigExportTests.testPyTorchCheckpointGivesTheSameFeatures \
    >"$work/swift-test.log" 2>&1 || { tail -30 "$work/swift-test.log"; exit 1; }
grep -E "^  (trained by|hardware|batch norm|precision|recipe):|max \|h_swift" "$work/swift-test.log" \
    || { echo "NOT OK: the Swift check did not run"; tail -30 "$work/swift-test.log"; exit 1; }
echo "OK: Swift loads the checkpoint and computes PyTorch's h"

echo "== 5/5 resume: 2 epochs straight against 1 epoch, stop, resume"
"${torchrun[@]}" scripts/torch/train_simclr.py "$work/w4-two.json" --data "$sample" --no-monitor \
    --checkpoint "$work/straight.safetensors" 2>"$work/straight.err" | grep "^epoch" || { cat "$work/straight.err"; exit 1; }
"${torchrun[@]}" scripts/torch/train_simclr.py "$work/w4-two.json" --data "$sample" --no-monitor --stop-after 1 \
    --checkpoint "$work/resumed.safetensors" 2>"$work/first.err" | grep "^epoch" || { cat "$work/first.err"; exit 1; }
"${torchrun[@]}" scripts/torch/train_simclr.py "$work/w4-two.json" --data "$sample" --no-monitor --resume \
    --checkpoint "$work/resumed.safetensors" 2>"$work/resume.err" | grep -E "^(epoch|resumed)" \
    || { cat "$work/resume.err"; exit 1; }
"$python" scripts/torch/check_distributed.py same "$work/straight.safetensors" "$work/resumed.safetensors"

echo "== all checks passed in $((SECONDS - started)) s"
