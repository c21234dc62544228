#!/usr/bin/env python3
"""Checks the lesson pages and notebooks of one walkthrough run in a real browser.

    python3 scripts/pages/check_pages.py FIGURES_FOLDER [--shots DIR] [--browser PATH]

For every page (index.html and lessonN.html) in FIGURES_FOLDER it
  - renders screenshots at 1280x800 and 1920x1080 into --shots (default FIGURES/screenshots),
  - loads a copy of the page with a small probe script in headless Chromium and reads back,
    from the DOM it dumps, how many images there are, how many failed to load, and whether
    the page scrolls sideways at 1280 px,
  - for a lesson page, checks that its check tables hold exactly the checks of the lesson's
    JSON report, row by row (name, document, ours, verdict), and that every step shows its
    code: one code block per step, in a monospace font on a background of its own, with no
    line running out of its box at 1280 px or on a 390 px phone screen;
checks Lesson 6's explorer page by clicking through it (check_explorer.py), and validates
every lessonN.ipynb with nbformat. Prints one OK / NOT OK line per item and
exits 1 if anything failed. The pages themselves carry no script: the probe is added to a
temporary copy only.
"""
import argparse
import html.parser
import json
import os
import re
import subprocess
import sys
import tempfile

from check_explorer import check_explorer

PROBE = """<script>
window.addEventListener('load', function () {
  var images = Array.prototype.slice.call(document.images);
  var broken = images.filter(function (i) { return !(i.complete && i.naturalWidth > 0); }).length;
  var root = document.documentElement;
  var probe = document.createElement('div');
  probe.id = 'page-check';
  probe.setAttribute('data-images', images.length);
  probe.setAttribute('data-broken', broken);
  probe.setAttribute('data-scroll-width', root.scrollWidth);
  probe.setAttribute('data-viewport-width', window.innerWidth);
  var code = Array.prototype.slice.call(document.querySelectorAll('pre.code'));
  probe.setAttribute('data-code-blocks', code.length);
  probe.setAttribute('data-code-overflow', code.filter(function (c) { return c.scrollWidth > c.clientWidth + 1; }).length);
  probe.setAttribute('data-code-font', code.length ? getComputedStyle(code[0]).fontFamily : '');
  probe.setAttribute('data-code-background', code.length ? getComputedStyle(code[0]).backgroundColor : '');
  document.body.appendChild(probe);
});
</script>"""

VERDICTS = {"agrees": "✓ agrees", "differs": "✗ differs",
            "document-inconsistent": "⚠ document inconsistent", "different-setup": "≠ different setup"}
SOURCES = {"implementation": "bhtsne/sklearn"}


def browser_path(explicit):
    for candidate in [explicit, "chromium-headless-shell", "chromium", "chromium-browser", "google-chrome"]:
        if candidate and subprocess.run(["sh", "-c", f"command -v {candidate}"], capture_output=True).returncode == 0:
            return candidate
    sys.exit("check_pages: no Chromium found; install it with: apt-get install chromium-headless-shell")


def chromium(browser, *args):
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               "--virtual-time-budget=10000", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


class CheckRows(html.parser.HTMLParser):
    """The cells of every <tr class="check ..."> in a page, as text."""

    def __init__(self):
        super().__init__()
        self.rows, self.row, self.cell, self.depth = [], None, None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "check" in (attrs.get("class") or "").split():
            self.row = {"class": attrs["class"], "cells": []}
        elif tag == "td" and self.row is not None:
            self.cell = []
        elif tag == "span" and self.cell is not None and attrs.get("class") == "reason":
            self.cell.append("\n")

    def handle_endtag(self, tag):
        if tag == "td" and self.row is not None and self.cell is not None:
            self.row["cells"].append("".join(self.cell))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def measured(printed):
    plain = printed.strip().lower()
    return "NaN (could not be measured)" if plain.startswith("nan") or plain.startswith("-nan") else printed


def compare_checks(page, report):
    parser = CheckRows()
    with open(page, encoding="utf-8") as f:
        parser.feed(f.read())
    rows, checks = parser.rows, report["checks"]
    problems = []
    if len(rows) != len(checks):
        problems.append(f"{len(rows)} check rows on the page, {len(checks)} checks in the report")
    for row, check in zip(rows, checks):
        source = SOURCES.get(check["source"], check["source"])
        want = [check["name"], f"{source}: {measured(check['document'])}", measured(check["ours"]),
                VERDICTS[check["verdict"]] + ("\n" + check["note"] if check.get("note") else "")]
        if row["cells"] != want or check["verdict"] not in row["class"].split():
            problems.append(f"row {check['name']!r}: page {row['cells']} vs report {want}")
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--shots")
    parser.add_argument("--browser")
    args = parser.parse_args()
    folder = os.path.abspath(args.folder)
    shots = os.path.abspath(args.shots or os.path.join(folder, "screenshots"))
    os.makedirs(shots, exist_ok=True)
    browser = browser_path(args.browser)
    pages = sorted(p for p in os.listdir(folder) if re.fullmatch(r"(index|lesson\d)\.html", p))
    failures = 0

    def report(ok, what):
        nonlocal failures
        failures += 0 if ok else 1
        print(("OK      " if ok else "NOT OK  ") + what)

    if "index.html" not in pages:
        report(False, "index.html missing")
    for page in pages:
        path = os.path.join(folder, page)
        name = page[:-5]
        for width, height in [(1280, 800), (1920, 1080)]:
            shot = os.path.join(shots, f"{name}-{width}x{height}.png")
            result = chromium(browser, f"--window-size={width},{height}", f"--screenshot={shot}", "file://" + path)
            report(result.returncode == 0 and os.path.getsize(shot) > 10_000 if os.path.exists(shot) else False,
                   f"{page}: screenshot {width}x{height} -> {shot}")
        # The probe copy sits beside the page so relative image links resolve the same way.
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with tempfile.NamedTemporaryFile("w", suffix=".html", dir=folder, delete=False, encoding="utf-8") as probe:
            probe.write(text.replace("</body>", PROBE + "</body>"))
        try:
            dom = chromium(browser, "--window-size=1280,800", "--dump-dom", "file://" + probe.name).stdout
            phone = chromium(browser, "--window-size=390,844", "--dump-dom", "file://" + probe.name).stdout
        finally:
            os.unlink(probe.name)
        pattern = (r'id="page-check" data-images="(\d+)" data-broken="(\d+)" data-scroll-width="(\d+)" '
                   r'data-viewport-width="(\d+)" data-code-blocks="(\d+)" data-code-overflow="(\d+)" '
                   r'data-code-font="([^"]*)" data-code-background="([^"]*)"')
        found, on_phone = re.search(pattern, dom), re.search(pattern, phone)
        if not found or not on_phone:
            report(False, f"{page}: the probe did not run (no DOM read back)")
            continue
        images, broken, scroll, viewport = map(int, found.groups()[:4])
        blocks, overflow, font, background = int(found.group(5)), int(found.group(6)), found.group(7), found.group(8)
        if name != "index":
            json_path = os.path.join(folder, f"{name}-report.json")
            steps = 0
            if os.path.exists(json_path):
                with open(json_path, encoding="utf-8") as f:
                    steps = sum(1 for e in json.load(f)["entries"] if e["kind"] == "step")
            report(blocks == steps and steps > 0, f"{page}: {blocks} code blocks for {steps} steps")
            report(blocks == 0 or ("mono" in font.lower() and background not in ("", "rgba(0, 0, 0, 0)")),
                   f"{page}: code set in {font.split(',')[0]} on {background}")
            report(overflow == 0 and int(on_phone.group(6)) == 0,
                   f"{page}: code lines wrap inside their boxes at 1280 px ({overflow} overflow) and 390 px "
                   f"({on_phone.group(6)} overflow)")
        report(broken == 0 and images > 0, f"{page}: {images} images, {broken} broken")
        report(scroll <= viewport, f"{page}: width {scroll} px in a {viewport} px window (no sideways scrolling)")
        if name != "index":
            json_path = os.path.join(folder, f"{name}-report.json")
            if not os.path.exists(json_path):
                report(False, f"{page}: no {name}-report.json beside it")
                continue
            with open(json_path, encoding="utf-8") as f:
                problems = compare_checks(path, json.load(f))
            report(not problems, f"{page}: check table = the JSON report's checks"
                   + ("" if not problems else ": " + "; ".join(problems[:3])))

    if os.path.exists(os.path.join(folder, "lesson6.html")):
        for page in ["lesson6.html", "index.html"]:
            with open(os.path.join(folder, page), encoding="utf-8") as f:
                linked = 'href="lesson6-explorer.html"' in f.read()
            report(linked, f"{page} links to the explorer page")
        check_explorer(folder, browser, chromium, shots, report)

    try:
        import nbformat
    except ImportError:
        report(False, "nbformat is not installed (pip install nbformat)")
    else:
        notebooks = sorted(p for p in os.listdir(folder) if re.fullmatch(r"lesson\d\.ipynb", p))
        report(len(notebooks) == len(pages) - 1, f"{len(notebooks)} notebooks for {len(pages) - 1} lesson pages")
        for notebook in notebooks:
            try:
                nb = nbformat.read(os.path.join(folder, notebook), as_version=4)
                nbformat.validate(nb)
                images = sum(1 for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {}))
                code = [c for c in nb.cells if c.cell_type == "code" and c.get("execution_count") and c.source.strip()]
                swift = nb.metadata.get("kernelspec", {}).get("language") == "swift"
                report(images > 0 and code and swift, f"{notebook}: valid nbformat {nb.nbformat}.{nb.nbformat_minor}, "
                       f"{len(nb.cells)} cells, {len(code)} Swift code cells with their outputs, {images} figures")
            except Exception as error:  # noqa: BLE001 — any failure to read or validate is the finding
                report(False, f"{notebook}: {error}")
    print(f"check_pages: {failures} failed" if failures else "check_pages: all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
