/// The one style sheet of the lesson pages and the index, inlined in each page, and the
/// document frame they share.
///
/// Sized for the back row (20 px type, 24 px on a 1920-wide projector, wide contrast), narrowed for phones, and for print:
/// 11 pt type, no figure or table row split across pages. System fonts only: a page must
/// never fetch anything.
enum PageStyle {
    static let css = """
    :root { color-scheme: light; }
    body { font: 20px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
           color: #1b1b1b; background: #fff; max-width: 68rem; margin: 0 auto; padding: 1.5rem 1.5rem 3rem; }
    h1 { font-size: 2.1em; line-height: 1.2; margin: .5rem 0 .8rem; }
    h2 { font-size: 1.45em; margin: 2.2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid #d6d6d6; }
    p { margin: .5rem 0 .8rem; }
    .summary { font-size: 1.12em; color: #333; }
    .tally { font-weight: 600; }
    .banner { background: #fff3cd; border-left: 6px solid #d9a400; padding: .5rem .9rem; }
    pre, code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .8em; }
    pre { background: #f4f4f4; padding: .6rem .9rem; overflow-x: auto; white-space: pre; line-height: 1.35; }
    pre.command { white-space: pre-wrap; overflow-wrap: anywhere; }
    pre code { font-size: 1em; }
    figure.code { margin: .6rem 0 1.1rem; }
    pre.code { white-space: pre-wrap; overflow-wrap: anywhere; background: #f3f6fa; border-left: 5px solid #3b6fb6;
               font-size: .74em; margin: 0; }
    pre.code .comment { color: #2f6b2f; }
    table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.1rem; }
    th, td { text-align: left; vertical-align: top; padding: .35rem .6rem; border-bottom: 1px solid #e0e0e0;
             overflow-wrap: break-word; }
    table.values td, td.ours, td.document { overflow-wrap: anywhere; }
    th { font-weight: 600; }
    table.checks, table.explanations { table-layout: fixed; }
    table.checks th:nth-child(1) { width: 34%; } table.checks th:nth-child(2) { width: 19%; }
    table.checks th:nth-child(3) { width: 17%; } table.checks th:nth-child(4) { width: 30%; }
    table.explanations th:nth-child(1) { width: 40%; } table.explanations th:nth-child(2) { width: 25%; }
    table.values { width: auto; min-width: 50%; }
    div.data { overflow-x: auto; margin: .5rem 0 1.1rem; }
    table.data { width: auto; margin: 0; font-size: .9em; }
    table.data th { vertical-align: bottom; padding-right: .9rem; }
    table.data td { padding-right: .9rem; white-space: nowrap; }
    table.data .number { text-align: right; font-variant-numeric: tabular-nums; }
    table.values th { font-weight: 500; color: #444; padding-right: 1.5rem; white-space: nowrap; }
    table.values td, td.ours { font-variant-numeric: tabular-nums; }
    tr.check td.verdict { font-weight: 600; white-space: normal; min-width: 9rem; }
    tr.check .reason { display: block; font-weight: 400; font-size: .85em; margin-top: .15rem; }
    tr.agrees { background: #f1f9ef; } tr.agrees td.verdict { background: #d7efd2; color: #16520f; }
    tr.differs { background: #fdf0f0; } tr.differs td.verdict { background: #f6cfcf; color: #7d0c0c; }
    tr.document-inconsistent { background: #fff9e6; } tr.document-inconsistent td.verdict { background: #ffe9a8; color: #5c4200; }
    tr.different-setup { background: #f0f4fc; } tr.different-setup td.verdict { background: #d6e2f7; color: #183a73; }
    table.explanations td { color: #333; }
    figure { margin: 1.2rem 0 1.6rem; }
    figure img { max-width: 100%; height: auto; border: 1px solid #ddd; }
    figcaption { font-size: .9em; color: #444; margin-top: .3rem; }
    .missing { color: #7d0c0c; }
    .lessons { display: grid; gap: 1.4rem; }
    .lesson { border: 1px solid #d6d6d6; border-radius: 6px; padding: .8rem 1.1rem; }
    .lesson h2 { border: 0; margin: .2rem 0 .3rem; }
    .thumbs { display: flex; flex-wrap: wrap; gap: .5rem; margin-top: .5rem; }
    .thumbs img { height: 110px; width: auto; border: 1px solid #ddd; }
    .chip { display: inline-block; padding: 0 .5rem; margin-right: .3rem; border-radius: 4px; font-weight: 600; }
    .chip.agrees { background: #d7efd2; color: #16520f; } .chip.differs { background: #f6cfcf; color: #7d0c0c; }
    .chip.document-inconsistent { background: #ffe9a8; color: #5c4200; }
    .chip.different-setup { background: #d6e2f7; color: #183a73; }
    @media (min-width: 1600px) {
      body { font-size: 24px; max-width: 72rem; }
    }
    @media (max-width: 720px) {
      body { font-size: 17px; padding: .8rem; }
      h1 { font-size: 1.6em; }
      th, td { padding: .3rem .35rem; }
      table.values { min-width: 0; }
      table.values th { white-space: normal; }
    }
    @media print {
      body { font-size: 11pt; max-width: none; padding: 0; }
      h2 { break-after: avoid; }
      figure, tr, pre { break-inside: avoid; }
      figure img { max-height: 22cm; width: auto; }
      .thumbs img { height: 2.5cm; }
      a { color: inherit; text-decoration: none; }
      @page { margin: 1.5cm; }
    }
    """

    /// A whole page: doctype, the head every page shares (charset, viewport, title, this
    /// style sheet inline) and `body`.
    static func document(title: String, body: [HTML]) -> String {
        let head = HTML.el("head", [], [
            .el("meta", [("charset", "utf-8")]),
            .el("meta", [("name", "viewport"), ("content", "width=device-width, initial-scale=1")]),
            .el("title", text: title),
            .el("style", [], [.raw(css)]),
        ])
        return "<!DOCTYPE html>\n" + HTML.el("html", [("lang", "en")], [head, .el("body", [], body)]).rendered
    }
}
