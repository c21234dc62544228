"""Checks Lesson 6's explorer page (lesson6-explorer.html) in headless Chromium.

A temporary copy of the page gets a probe script that acts as a reader would, through the
page's own event handlers: it hovers over the first point of the first map, clicks it, moves
the k slider, picks a class in the filter and presses the right arrow key, and writes what
the page then shows (tooltip text, the neighbour panel's image numbers per representation,
which circles are selected, dimmed) into the DOM, which Chromium dumps. The numbers are
compared with what Lesson 6 wrote in its JSON report and with the page's own data. Then the
page is screenshotted, with that selection made, at 1280x800 and on a 390x844 phone screen.
"""
import html
import json
import os
import re
import tempfile

PROBE = """<script>
window.addEventListener('load', function () {
  var out = {};
  try {
    var panel = document.getElementById('panel');
    var first = document.querySelector('svg.map circle[data-point="0"]');
    first.dispatchEvent(new MouseEvent('mouseover', {bubbles: true, clientX: 200, clientY: 200}));
    var tip = document.getElementById('tooltip');
    out.tooltip = tip.textContent;
    out.tooltipShown = getComputedStyle(tip).display !== 'none' && tip.querySelectorAll('.thumb').length === 1;
    first.dispatchEvent(new MouseEvent('click', {bubbles: true}));
    out.selected = panel.getAttribute('data-selected');
    out.rows = Array.prototype.map.call(document.querySelectorAll('#panel .row'), function (r) {
      return {map: r.getAttribute('data-map'), neighbours: r.getAttribute('data-neighbours'),
              same: Number(r.getAttribute('data-same')), thumbs: r.querySelectorAll('.thumb').length,
              marked: r.querySelectorAll('.thumb.same').length};
    });
    out.selectedCircles = document.querySelectorAll('svg.map circle.selected').length;
    out.maps = document.querySelectorAll('svg.map').length;
    var k = document.getElementById('k');
    k.value = '5';
    k.dispatchEvent(new Event('input', {bubbles: true}));
    out.afterK5 = document.querySelector('#panel .row').querySelectorAll('.thumb').length;
    k.value = String(DEFAULT_K);
    k.dispatchEvent(new Event('input', {bubbles: true}));
    var filter = document.getElementById('class-filter');
    filter.value = String(FILTER_CLASS);
    filter.dispatchEvent(new Event('change', {bubbles: true}));
    out.dimmed = document.querySelectorAll('svg.map circle.dimmed').length;
    document.body.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true}));
    out.afterArrow = panel.getAttribute('data-selected');
    filter.value = '-1';
    filter.dispatchEvent(new Event('change', {bubbles: true}));
    var search = document.getElementById('search');
    search.value = String(SEARCH_INDEX);
    document.getElementById('search-button').dispatchEvent(new MouseEvent('click', {bubbles: true}));
    out.afterSearch = panel.getAttribute('data-selected');
    search.value = '-7';
    document.getElementById('search-button').dispatchEvent(new MouseEvent('click', {bubbles: true}));
    out.searchMessage = document.getElementById('search-message').textContent;
    out.scrollWidth = document.documentElement.scrollWidth;
    out.viewport = window.innerWidth;
    // Leave the first point selected, and the tooltip closed, for the screenshots.
    first.dispatchEvent(new MouseEvent('click', {bubbles: true}));
    first.dispatchEvent(new MouseEvent('mouseout', {bubbles: true}));
    out.tooltipClosed = getComputedStyle(tip).display === 'none';
  } catch (error) {
    out.error = String(error);
  }
  var probe = document.createElement('div');
  probe.id = 'explorer-check';
  probe.setAttribute('data-result', JSON.stringify(out));
  document.body.appendChild(probe);
});
</script>"""


def check_explorer(folder, browser, chromium, shots, report):
    """Runs the checks; `report(ok, what)` prints each result."""
    path = os.path.join(folder, "lesson6-explorer.html")
    if not os.path.exists(path):
        report(False, "lesson6-explorer.html missing")
        return
    size = os.path.getsize(path)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    report(size < 5_000_000, f"lesson6-explorer.html: {size / 1e6:.1f} MB (under 5 MB)")
    addresses = set(re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s\"')]*", text)) - {"http://www.w3.org/2000/svg"}
    report(not addresses and "fetch(" not in text and "XMLHttpRequest" not in text,
           "lesson6-explorer.html: fetches nothing" + (f" (found {sorted(addresses)[:3]})" if addresses else ""))
    data = json.loads(re.search(r'<script type="application/json" id="data">(.*?)</script>', text, re.S).group(1))
    with open(os.path.join(folder, "lesson6-report.json"), encoding="utf-8") as f:
        lesson = json.load(f)
    labels, indices, k = data["labels"], data["imageIndices"], data["defaultK"]
    n, maps = len(labels), data["maps"]
    filter_class = labels[1] if labels[1] != labels[0] else (labels[0] + 1) % len(data["classNames"])
    search_index = indices[n // 2]
    probe_text = (PROBE.replace("DEFAULT_K", str(k)).replace("FILTER_CLASS", str(filter_class))
                  .replace("SEARCH_INDEX", str(search_index)))
    with tempfile.NamedTemporaryFile("w", suffix=".html", dir=folder, delete=False, encoding="utf-8") as probe:
        probe.write(text.replace("</body>", probe_text + "</body>"))
    try:
        results = {}
        for width, height in [(1280, 800), (390, 844)]:
            dom = chromium(browser, f"--window-size={width},{height}", "--dump-dom", "file://" + probe.name).stdout
            found = re.search(r'id="explorer-check" data-result="([^"]*)"', dom)
            results[width] = json.loads(html.unescape(found.group(1))) if found else None
            shot = os.path.join(shots, f"lesson6-explorer-{width}x{height}.png")
            done = chromium(browser, f"--window-size={width},{height}", f"--screenshot={shot}", "file://" + probe.name)
            report(done.returncode == 0 and os.path.exists(shot) and os.path.getsize(shot) > 10_000,
                   f"lesson6-explorer.html: screenshot {width}x{height} with an image selected -> {shot}")
    finally:
        os.unlink(probe.name)
    out = results[1280]
    if not out or "error" in out:
        report(False, "lesson6-explorer.html: the probe did not run" + (f": {out['error']}" if out else ""))
        return
    first, name = indices[0], data["classNames"][labels[0]]
    report(out["tooltipShown"] and name in out["tooltip"] and f"image {first}" in out["tooltip"] and out["tooltipClosed"],
           f"hovering the first point shows its picture and '{out['tooltip']}' (gone when the pointer leaves)")
    report(out["selected"] == str(first) and out["selectedCircles"] == len(maps) == out["maps"],
           f"clicking it selects image {out['selected']} in all {out['selectedCircles']} of {out['maps']} maps")
    for row in out["rows"]:
        expected = lesson["texts"].get(f"explorer: the {k} nearest of image {first} in {row['map']}")
        shown = row["neighbours"]
        same = sum(1 for i in shown.split(",") if labels[indices.index(int(i))] == labels[0])
        report(expected is not None and shown == expected.replace(" ", "") and row["thumbs"] == k
               and row["same"] == same == row["marked"],
               f"panel, {row['map']}: neighbours {shown} = Lesson 6's report, {row['same']} of {k} marked same class")
    report(len(out["rows"]) == len(maps), f"the panel has a row for each of the {len(maps)} representations")
    report(out["afterK5"] == 5, f"the k slider at 5 shows {out['afterK5']} neighbours")
    expected_dimmed = len(maps) * sum(1 for c in labels if c != filter_class)
    report(out["dimmed"] == expected_dimmed,
           f"class filter '{data['classNames'][filter_class]}': {out['dimmed']} points dimmed ({expected_dimmed} expected)")
    following = next(indices[i] for i in range(1, n) if labels[i] == filter_class)
    report(out["afterArrow"] == str(following),
           f"right arrow with the filter on selects the next image of the class: {out['afterArrow']} ({following} expected)")
    report(out["afterSearch"] == str(search_index), f"the search box selects image {out['afterSearch']} ({search_index} asked)")
    report("not among" in out["searchMessage"], f"an unknown number is answered: '{out['searchMessage']}'")
    phone = results[390]
    report(bool(phone) and "error" not in phone and phone["scrollWidth"] <= phone["viewport"],
           f"on a 390 px phone: width {phone and phone.get('scrollWidth')} px, no sideways scrolling")
