#!/usr/bin/env bash
# Benchmarks this project's t-SNE against scikit-learn's on the same inputs.
# Usage: scripts/tsne-compare/run.sh [compare.py options, e.g. --sizes 1000 2000 --datasets mixture]
# Environment: TSNE_VENV (default /tmp/venv-tsne) for the Python virtual environment,
#              TSNE_WORK (default /tmp/tsne-compare) for .npy files and the extracted CIFAR-10.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="${TSNE_VENV:-/tmp/venv-tsne}"
work="${TSNE_WORK:-/tmp/tsne-compare}"

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import sklearn, numpy, PIL" 2>/dev/null; then
    echo "creating the virtual environment $venv (scikit-learn, numpy, pillow) ..."
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet scikit-learn numpy pillow
fi

echo "building TSNECompare (release) ..."
(cd "$root" && swift build -c release --product TSNECompare >/dev/null)
binary="$(cd "$root" && swift build -c release --show-bin-path)/TSNECompare"

# Two cores on this machine: give scikit-learn's OpenMP and BLAS the same two threads
# that Swift's Parallel uses.
export OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 MKL_NUM_THREADS=2
"$venv/bin/python" "$root/scripts/tsne-compare/compare.py" --swift "$binary" --work "$work" \
    "$@"
