/**
 * The report's stylesheet, inlined. System fonts only (nothing to fetch).
 * Roles differ by colour and by line style, so they survive grey-scale print.
 */
export const STYLE = `
:root { --fg: #1c1c1c; --muted: #5a5a5a; --line: #dadada; --soft: #f6f7f8; --therapist: #0072B2; --client: #E69F00; --mark: #ffe17a; --link: #0a58a8; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--fg); background: #fff; font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 28px 32px 56px; }
h1 { font-size: 1.75rem; line-height: 1.2; margin: 0 0 .8rem; }
h2 { font-size: 1.35rem; margin: 2.6rem 0 .8rem; padding-bottom: .3rem; border-bottom: 2px solid var(--fg); }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
p { margin: .5rem 0; max-width: 72ch; }
a { color: var(--link); }
code { font: .92em ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; background: var(--soft); padding: 0 .25em; border-radius: 3px; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: .2rem 1.6rem; margin: 0 0 1rem; }
.facts div { padding: .35rem 0; border-bottom: 1px solid var(--line); }
.facts dt { font-size: .78rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.facts dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
.warning { background: #fff6e0; border-left: 4px solid #b77b00; padding: .5rem .8rem; max-width: none; font-size: .92rem; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; padding: .6rem 0; margin: 0; border-bottom: 1px solid var(--line); }
nav a { text-decoration: none; font-weight: 600; }
nav a:hover, nav a:focus { text-decoration: underline; }
figure { margin: 1rem 0; }
figure.chart figcaption { color: var(--muted); font-size: .85rem; margin-top: .3rem; }
figure.timeline { margin: 1rem 0; padding-top: .3rem; border-top: 1px solid var(--line); }
figure.timeline figcaption h3 { margin: .2rem 0 .3rem; font-size: 1rem; }
svg.chart { display: block; max-width: 100%; height: auto; font: 12px system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif; overflow: visible; }
svg .label { fill: #222; font-size: 12px; }
svg .label.small { font-size: 10.5px; }
svg .label.strong { font-weight: 700; }
svg .legend { fill: #222; font-size: 12px; }
svg .tick { fill: #555; font-size: 11px; }
svg .axis-label { fill: #444; font-size: 11.5px; }
svg .value { fill: #222; font-size: 11px; font-variant-numeric: tabular-nums; }
svg .note { fill: #6a6a6a; font-size: 11px; font-style: italic; }
svg .cell { font-size: 11px; font-variant-numeric: tabular-nums; }
svg .cell.small { font-size: 9.5px; }
svg .grid { stroke: #e3e3e3; stroke-width: 1; }
svg .axis { stroke: #333; stroke-width: 1; }
svg .zero { stroke: #222; stroke-width: 1.5; }
svg .rule { stroke: #bbb; stroke-dasharray: 3 3; }
svg .ci { stroke: #1c1c1c; stroke-width: 1.6; }
svg circle.mark { fill: #1c1c1c; }
svg path.mark.pooled { fill: #fff; stroke: #1c1c1c; stroke-width: 1.8; }
svg .lane { fill: #f1f2f3; }
svg .lane-label { fill: #777; font-size: 8px; }
svg rect.mark:hover, svg circle.mark:hover { stroke: #000; stroke-width: 1.5; }
details { margin: .4rem 0 1rem; }
figure.timeline details { margin: .1rem 0 0; }
summary { cursor: pointer; color: var(--link); font-size: .92rem; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; margin: .5rem 0; }
caption { text-align: left; color: var(--muted); font-size: .85rem; padding: .2rem 0 .4rem; caption-side: top; }
th, td { padding: 3px 9px; border-bottom: 1px solid var(--line); text-align: right; vertical-align: top; }
thead th { border-bottom: 2px solid #999; font-weight: 600; white-space: nowrap; }
thead th:first-child { text-align: left; }
tbody th { text-align: left; font-weight: 600; white-space: nowrap; }
table.list td { text-align: left; max-width: 42ch; }
.definition { color: var(--muted); font-size: .92rem; }
.muted { color: var(--muted); }
ol.excerpts { padding-left: 1.6rem; margin: .4rem 0 1rem; }
ol.excerpts li { margin: .2rem 0 .9rem; }
.who { margin: 0; font-size: .82rem; color: var(--muted); }
blockquote { margin: .15rem 0 0; padding: .45rem .8rem; background: var(--soft); border-left: 4px solid var(--therapist); max-width: 80ch; overflow-wrap: anywhere; white-space: pre-line; }
blockquote.client { border-left: 4px dashed var(--client); }
blockquote.other { border-left: 4px dotted #6f6f6f; }
mark { background: var(--mark); color: inherit; padding: 0 .12em; border-radius: 2px; box-shadow: inset 0 -2px 0 #b58900; }
.dim { margin: 0 0 .15rem; font-weight: 600; }
.badge { display: inline-block; font-size: .75rem; font-weight: 600; padding: 0 .45em; border-radius: 3px; margin-left: .3rem; border: 1px solid #888; }
.badge.yes { background: #1c1c1c; color: #fff; border-color: #1c1c1c; }
.badge.no { background: #fff; color: #1c1c1c; }
ul.notes { padding-left: 1.2rem; font-size: .92rem; }
footer { margin-top: 3rem; padding-top: .8rem; border-top: 1px solid var(--line); color: var(--muted); font-size: .85rem; }
@page { margin: 14mm 12mm; }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  section { break-before: page; }
  h2, h3 { break-after: avoid; }
  figure, tr, li, blockquote, .facts div { break-inside: avoid; }
  details > summary { list-style: none; color: var(--muted); }
  details::details-content { content-visibility: visible; display: block; }
  a { color: inherit; text-decoration: none; }
  .table-wrap { overflow: visible; }
  table { font-size: 7.5pt; }
  th, td { padding: 2px 5px; }
  thead th { white-space: normal; }
  svg .grid { stroke: #cfcfcf; }
}
`;
