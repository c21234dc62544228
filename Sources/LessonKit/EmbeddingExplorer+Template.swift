extension EmbeddingExplorer {
    /// The page: markup, style and script, with `{{TITLE}}` (escaped text), `{{SPRITE}}` (the
    /// thumbnails' data URI) and `{{DATA}}` (the JSON payload) to fill in.
    ///
    /// The script builds the maps as SVG circles (one per point per map; hover and click go
    /// through one listener per map), the neighbour panel and the controls from the payload.
    /// Element ids and `data-` attributes are what `scripts/pages/check_pages.py` reads back.
    static let template = #"""
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{TITLE}}</title>
    <style>
    :root { color-scheme: light; }
    body { font: 18px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1b1b1b;
           margin: 0 auto; padding: 1rem 1.2rem 3rem; max-width: 112rem; }
    h1 { font-size: 1.7em; margin: .3rem 0 .5rem; line-height: 1.2; }
    p { margin: .4rem 0 .7rem; max-width: 60rem; }
    .controls { display: flex; flex-wrap: wrap; gap: .6rem 1.4rem; align-items: center; margin: .6rem 0; }
    .controls label { white-space: nowrap; }
    .controls input, .controls select, .controls button { font: inherit; }
    #search { width: 6.5em; }
    .legend { display: flex; flex-wrap: wrap; gap: .2rem 1rem; margin: .4rem 0 .8rem; }
    .legend span { white-space: nowrap; }
    .swatch { display: inline-block; width: .9em; height: .9em; border-radius: 50%; margin-right: .3em; vertical-align: -.1em; }
    .layout { display: grid; grid-template-columns: minmax(0, 3fr) minmax(18rem, 2fr); gap: 1rem; align-items: start; }
    .maps { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: .8rem; }
    figure.map { margin: 0; border: 1px solid #d8d8d8; border-radius: 6px; padding: .3rem; background: #fff; }
    figure.map figcaption { font-weight: 600; text-align: center; font-size: .95em; }
    svg.map { width: 100%; height: auto; display: block; touch-action: manipulation; }
    svg.map circle { stroke: none; cursor: pointer; }
    svg.map circle.dimmed { opacity: .08; }
    svg.map circle.neighbour { stroke: #000; stroke-width: 3; }
    svg.map circle.selected { stroke: #000; stroke-width: 5; r: 13; }
    #panel { position: sticky; top: .5rem; border: 1px solid #d8d8d8; border-radius: 6px; padding: .6rem .8rem; }
    #panel h2 { font-size: 1.15em; margin: .2rem 0 .5rem; }
    .selected-image { display: flex; gap: .8rem; align-items: center; margin-bottom: .5rem; }
    .thumb { display: inline-block; background-image: url({{SPRITE}}); image-rendering: pixelated; flex: none; }
    .row { margin: .35rem 0 .7rem; }
    .row .name { font-weight: 600; }
    .strip { display: flex; flex-wrap: wrap; gap: 4px; margin-top: .2rem; }
    .strip .thumb { border: 3px solid #e69f00; cursor: pointer; }
    .strip .thumb.same { border-color: #0072b2; }
    #tooltip { position: fixed; pointer-events: none; background: #fff; border: 1px solid #888; border-radius: 5px;
               padding: .3rem .5rem; box-shadow: 0 2px 8px rgba(0,0,0,.25); display: none; z-index: 10; font-size: .9em; }
    #tooltip .thumb { display: block; margin-bottom: .2rem; }
    .hint { color: #555; font-size: .9em; }
    /* One thumbnail in the page from the start, so the sprite sheet is decoded while the page
       loads (the load event waits for it), not when the first thumbnails are drawn. */
    .thumb.preload { position: absolute; width: 1px; height: 1px; opacity: 0; pointer-events: none; }
    @media (max-width: 900px) {
      body { font-size: 16px; padding: .6rem; }
      .layout { grid-template-columns: minmax(0, 1fr); }
      #panel { position: static; }
    }
    @media (max-width: 520px) { .maps { grid-template-columns: minmax(0, 1fr); } }
    </style>
    </head>
    <body>
    <h1 id="title"></h1>
    <p id="introduction"></p>
    <div class="controls">
      <label>class <select id="class-filter"><option value="-1">all classes</option></select></label>
      <label>neighbours k <input id="k" type="range" min="5" max="20" step="1"> <output id="k-value"></output></label>
      <label>image index <input id="search" type="text" inputmode="numeric" autocomplete="off"></label>
      <button id="search-button" type="button">select</button>
      <span id="search-message" class="hint" role="status"></span>
    </div>
    <div class="legend" id="legend"></div>
    <div class="layout">
      <div class="maps" id="maps"></div>
      <aside id="panel" aria-live="polite"></aside>
    </div>
    <div id="tooltip" role="tooltip"></div>
    <span class="thumb preload" aria-hidden="true"></span>
    <script type="application/json" id="data">{{DATA}}</script>
    <script>
    (function () {
      "use strict";
      var data = JSON.parse(document.getElementById("data").textContent);
      var n = data.labels.length, svgNS = "http://www.w3.org/2000/svg";
      var state = { selected: -1, k: Math.min(data.defaultK, data.maps.length ? data.maps[0].neighbours[0].length : 0), filter: -1 };
      var byIndex = {};
      data.imageIndices.forEach(function (image, i) { byIndex[image] = i; });

      function el(tag, cls, text) {
        var e = document.createElement(tag);
        if (cls) { e.className = cls; }
        if (text !== undefined) { e.textContent = text; }
        return e;
      }
      function thumb(i, size) {
        var t = el("span", "thumb"), scale = size / data.thumbWidth, rows = Math.ceil(n / data.columns);
        t.style.width = size + "px";
        t.style.height = Math.round(data.thumbHeight * scale) + "px";
        t.style.backgroundSize = (data.columns * size) + "px " + Math.round(rows * data.thumbHeight * scale) + "px";
        t.style.backgroundPosition = (-(i % data.columns) * size) + "px " + (-Math.floor(i / data.columns) * data.thumbHeight * scale) + "px";
        t.setAttribute("data-index", data.imageIndices[i]);
        t.setAttribute("role", "img");
        t.setAttribute("aria-label", data.classNames[data.labels[i]] + ", image " + data.imageIndices[i]);
        return t;
      }
      function describe(i) { return data.classNames[data.labels[i]] + " · image " + data.imageIndices[i]; }

      document.getElementById("title").textContent = data.title;
      document.title = data.title;
      document.getElementById("introduction").textContent = data.introduction;
      var legend = document.getElementById("legend"), filter = document.getElementById("class-filter");
      data.classNames.forEach(function (name, c) {
        var item = el("span");
        var sw = el("span", "swatch");
        sw.style.background = data.classColors[c];
        item.appendChild(sw);
        item.appendChild(document.createTextNode(name));
        legend.appendChild(item);
        var option = el("option", null, name);
        option.value = String(c);
        filter.appendChild(option);
      });

      var circles = [];
      var maps = document.getElementById("maps");
      data.maps.forEach(function (map, m) {
        var figure = el("figure", "map");
        var svg = document.createElementNS(svgNS, "svg");
        svg.setAttribute("class", "map");
        svg.setAttribute("viewBox", "0 0 1000 1000");
        svg.setAttribute("data-map", String(m));
        var xs = [], ys = [];
        for (var i = 0; i < n; i++) { xs.push(map.points[2 * i]); ys.push(map.points[2 * i + 1]); }
        var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs), y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
        var span = Math.max(x1 - x0, y1 - y0) || 1;
        var mine = [];
        for (var j = 0; j < n; j++) {
          var c = document.createElementNS(svgNS, "circle");
          c.setAttribute("cx", (30 + 940 * (xs[j] - x0) / span + 470 * (1 - (x1 - x0) / span)).toFixed(1));
          c.setAttribute("cy", (30 + 940 * (ys[j] - y0) / span + 470 * (1 - (y1 - y0) / span)).toFixed(1));
          c.setAttribute("r", "7");
          c.setAttribute("fill", data.classColors[data.labels[j]]);
          c.setAttribute("data-point", String(j));
          svg.appendChild(c);
          mine.push(c);
        }
        circles.push(mine);
        svg.addEventListener("click", function (event) {
          var p = event.target.getAttribute && event.target.getAttribute("data-point");
          if (p !== null && p !== undefined) { select(Number(p)); }
        });
        svg.addEventListener("mouseover", function (event) {
          var p = event.target.getAttribute && event.target.getAttribute("data-point");
          if (p !== null && p !== undefined) { showTooltip(Number(p), event); }
        });
        svg.addEventListener("mouseout", function () { tooltip.style.display = "none"; });
        figure.appendChild(el("figcaption", null, map.name));
        figure.appendChild(svg);
        maps.appendChild(figure);
      });

      var tooltip = document.getElementById("tooltip");
      function showTooltip(i, event) {
        tooltip.textContent = "";
        tooltip.appendChild(thumb(i, 96));
        tooltip.appendChild(el("span", null, describe(i)));
        tooltip.setAttribute("data-point", String(i));
        tooltip.style.display = "block";
        var x = (event.clientX || 0) + 14, y = (event.clientY || 0) + 14;
        tooltip.style.left = Math.min(x, window.innerWidth - 160) + "px";
        tooltip.style.top = Math.min(y, window.innerHeight - 150) + "px";
      }

      function applyFilter() {
        circles.forEach(function (mine) {
          mine.forEach(function (c, i) {
            c.classList.toggle("dimmed", state.filter >= 0 && data.labels[i] !== state.filter);
          });
        });
      }

      var panel = document.getElementById("panel");
      function welcome() {
        panel.appendChild(el("h2", null, "What to look for"));
        panel.appendChild(el("p", null, data.lookFor));
        data.suggestions.forEach(function (s) {
          var p = el("p", null, s.text + " ");
          var b = el("button", null, "show image " + s.imageIndex);
          b.type = "button";
          b.className = "suggestion";
          b.addEventListener("click", function () { if (byIndex[s.imageIndex] !== undefined) { select(byIndex[s.imageIndex]); } });
          p.appendChild(b);
          panel.appendChild(p);
        });
        panel.appendChild(el("p", "hint", "Click a point in any map, or press an arrow key, to select an image."));
      }
      welcome();
      function render() {
        circles.forEach(function (mine) { mine.forEach(function (c) { c.classList.remove("selected", "neighbour"); }); });
        if (state.selected < 0) { return; }
        var s = state.selected;
        panel.textContent = "";
        panel.appendChild(el("h2", null, "Selected: " + describe(s)));
        panel.setAttribute("data-selected", String(data.imageIndices[s]));
        var top = el("div", "selected-image");
        top.appendChild(thumb(s, 96));
        top.appendChild(el("span", "hint", "its " + state.k + " nearest neighbours in each representation's full features; blue frame: same class"));
        panel.appendChild(top);
        data.maps.forEach(function (map, m) {
          var list = map.neighbours[s].slice(0, state.k);
          var same = list.filter(function (j) { return data.labels[j] === data.labels[s]; }).length;
          var row = el("div", "row");
          row.setAttribute("data-map", map.name);
          row.setAttribute("data-neighbours", list.map(function (j) { return data.imageIndices[j]; }).join(","));
          row.setAttribute("data-same", String(same));
          row.appendChild(el("span", "name", map.name));
          row.appendChild(el("span", null, ": " + same + " of " + list.length + " in the same class"));
          var strip = el("div", "strip");
          list.forEach(function (j) {
            var t = thumb(j, 48);
            if (data.labels[j] === data.labels[s]) { t.classList.add("same"); }
            t.title = describe(j);
            t.addEventListener("click", function () { select(j); });
            strip.appendChild(t);
            circles[m][j].classList.add("neighbour");
          });
          row.appendChild(strip);
          panel.appendChild(row);
        });
        circles.forEach(function (mine) {
          mine[s].classList.add("selected");
          mine[s].parentNode.appendChild(mine[s]);  // drawn last: on top of its neighbours
        });
      }
      function select(i) {
        if (i < 0 || i >= n) { return; }
        state.selected = i;
        render();
      }

      var k = document.getElementById("k"), kValue = document.getElementById("k-value");
      k.max = String(data.maps.length ? data.maps[0].neighbours[0].length : 5);
      k.value = String(state.k);
      kValue.textContent = String(state.k);
      k.addEventListener("input", function () { state.k = Number(k.value); kValue.textContent = k.value; render(); });
      filter.addEventListener("change", function () { state.filter = Number(filter.value); applyFilter(); });
      var search = document.getElementById("search"), message = document.getElementById("search-message");
      function find() {
        var i = byIndex[Number(search.value.trim())];
        if (i === undefined) {
          message.textContent = "image " + search.value.trim() + " is not among the " + n + " mapped images";
        } else {
          message.textContent = "";
          select(i);
        }
      }
      document.getElementById("search-button").addEventListener("click", find);
      search.addEventListener("keydown", function (event) { if (event.key === "Enter") { find(); } });
      document.addEventListener("keydown", function (event) {
        if (event.target && (event.target.tagName === "INPUT" || event.target.tagName === "SELECT")) { return; }
        var step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
        if (!step) { return; }
        event.preventDefault();
        // The next (or previous) image the class filter shows; the first key selects the first one.
        var i = state.selected;
        for (var tries = 0; tries < n; tries++) {
          i = i < 0 ? (step > 0 ? 0 : n - 1) : (i + step + n) % n;
          if (state.filter < 0 || data.labels[i] === state.filter) { break; }
        }
        select(i);
      });
    })();
    </script>
    </body>
    </html>
    """#
}
