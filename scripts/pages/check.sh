#!/usr/bin/env bash
# Checks the lessons' pages and notebooks in a real browser.
#
#   scripts/pages/check.sh              # runs `swift run Walkthrough --quick` into a temporary folder, checks it
#   scripts/pages/check.sh FIGURES      # checks the pages a walkthrough already wrote to FIGURES
#
# Installs headless Chromium from Debian's packages if no Chromium is present, and nbformat
# into scripts/pages/.venv (both once). Screenshots land in FIGURES/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v chromium-headless-shell >/dev/null && ! command -v chromium >/dev/null; then
    echo "installing chromium-headless-shell (Debian)"
    if ! (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell) >/tmp/pages-apt.log 2>&1; then
        echo "check.sh: could not install Chromium (see /tmp/pages-apt.log); install chromium or chromium-headless-shell and retry"
        exit 1
    fi
fi

venv=scripts/pages/.venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import nbformat" 2>/dev/null; then
    echo "setting up $venv with nbformat"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q nbformat || { echo "check.sh: pip install nbformat failed"; exit 1; }
fi

if [ $# -ge 1 ]; then
    folder=$1
else
    folder=$(mktemp -d /tmp/simclr-pages.XXXXXX)
    echo "running swift run Walkthrough --quick --figures $folder"
    swift run Walkthrough --quick --figures "$folder" >"$folder/walkthrough.log" 2>&1 \
        || { echo "check.sh: the walkthrough failed"; tail -20 "$folder/walkthrough.log"; exit 1; }
fi
"$venv/bin/python" scripts/pages/check_pages.py "$folder"
