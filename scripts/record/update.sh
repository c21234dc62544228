#!/usr/bin/env bash
# Runs the full-data walkthrough and keeps its reports as the record every run number in
# README.md and docs/teaching.md is checked against (Tests/LessonTests/QuotedNumbersTests.swift).
#
#   scripts/record/update.sh            # needs the full CIFAR-10 under data/ and a quiet machine
#
# Writes docs/record/lessonN-report.json (the six reports the lessons wrote) and
# docs/record/README.md's header (command, commit, machine, date). Then update the numbers the
# docs quote until `swift test --filter QuotedNumbersTests` passes.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -d data/cifar10/train ] && [ ! -d data/cifar-10-batches-bin ]; then
    echo "update.sh: the record is of the full CIFAR-10; put it under data/ first (Lesson1-Dataset --download)" >&2
    exit 1
fi
if [ -n "$(git status --porcelain -- Sources Lessons Package.swift)" ]; then
    echo "update.sh: commit the code first, so the record names the commit that produced it" >&2
    exit 1
fi
figures=$(mktemp -d /tmp/simclr-record.XXXXXX)
load=$(cut -d' ' -f1 /proc/loadavg)
started=$(date -u +%Y-%m-%dT%H:%MZ)
swift run Walkthrough --figures "$figures" | tee "$figures/walkthrough.log"
mkdir -p docs/record
python3 - "$figures" docs/record <<'PY'
import json, pathlib, sys
source, target = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
for n in range(1, 7):
    report = json.loads((source / f"lesson{n}-report.json").read_text())
    (target / f"lesson{n}-report.json").write_text(json.dumps(report, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
PY
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
cat > docs/record/run.json <<JSON
{
 "command": "swift run Walkthrough",
 "data": "the full CIFAR-10 under data/ (50,000 train / 10,000 test images)",
 "commit": "$(git rev-parse --short HEAD)",
 "machine": "$cpu, $(nproc) cores",
 "load average at the start": "$load",
 "started": "$started"
}
JSON
echo "record written to docs/record/ from commit $(git rev-parse --short HEAD)"
