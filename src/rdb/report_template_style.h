// The report page's style sheet (see report_html.h). System fonts only; light and dark themes
// follow the reader's setting; tables scroll sideways inside their card on a narrow window
// instead of widening the page.
#pragma once

#include <string_view>

namespace strata::rdb {

inline constexpr std::string_view kReportStyle = R"css(
:root {
  --bg: #f5f6f8; --panel: #ffffff; --text: #1c2230; --muted: #606a7b; --border: #dfe3e9;
  --accent: #2b66d9; --accent-soft: rgba(43, 102, 217, 0.14); --second: #e07b24;
  --row-hover: #f1f5fc; --esc: #a3341f; --esc-bg: rgba(163, 52, 31, 0.08);
  --warn: #8a4b00; --warn-bg: #fff4df; --warn-border: #f0c36d; --tip-bg: #1c2230; --tip: #f5f6f8;
  --other: #c9ced6; --flame-text: #14171f;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --mono: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #14171d; --panel: #1c2029; --text: #e3e7ee; --muted: #9aa3b2; --border: #2e3441;
    --accent: #6b9bf2; --accent-soft: rgba(107, 155, 242, 0.2); --second: #f0a058;
    --row-hover: #232937; --esc: #f29b85; --esc-bg: rgba(242, 155, 133, 0.12);
    --warn: #ffd08a; --warn-bg: #33270f; --warn-border: #6b5220; --tip-bg: #e3e7ee;
    --tip: #14171d; --other: #4a5161;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--text); font: 14px/1.45 var(--sans);
  font-variant-numeric: tabular-nums;
}
.wrap { max-width: 1360px; margin: 0 auto; padding: 0 24px; }
.noscript, .fatal {
  margin: 24px; padding: 16px; border: 1px solid var(--warn-border); background: var(--warn-bg);
  color: var(--warn); border-radius: 8px;
}

/* Header: what was dumped, when, and the headline figures. */
header.top {
  background: var(--panel); border-bottom: 1px solid var(--border); padding: 20px 0 18px;
}
.brand { color: var(--muted); font-size: 12px; letter-spacing: 0.06em; text-transform: uppercase; }
h1 { margin: 2px 0 8px; font-size: 24px; line-height: 1.25; overflow-wrap: anywhere; }
.meta { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 0 0 16px; color: var(--muted); }
.meta div { display: flex; gap: 6px; min-width: 0; }
.meta dt::after { content: ":"; }
.meta dd { margin: 0; color: var(--text); overflow-wrap: anywhere; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; }
.card-stat {
  border: 1px solid var(--border); border-radius: 8px; padding: 10px 14px; background: var(--bg);
}
.card-stat .label { color: var(--muted); font-size: 12px; }
.card-stat .value { font-size: 22px; font-weight: 600; line-height: 1.3; }
.card-stat .sub { color: var(--muted); font-size: 12px; }

nav.sections {
  position: sticky; top: 0; z-index: 5; background: color-mix(in srgb, var(--bg) 88%, transparent);
  backdrop-filter: blur(6px); border-bottom: 1px solid var(--border);
}
nav.sections .wrap {
  display: flex; flex-wrap: wrap; gap: 2px 18px; padding-top: 8px; padding-bottom: 8px;
}
nav.sections a { color: var(--muted); text-decoration: none; font-size: 13px; }
nav.sections a:hover { color: var(--accent); }

section.block { padding: 22px 0 6px; scroll-margin-top: 44px; }
h2 { font-size: 18px; margin: 0 0 4px; }
.lead { color: var(--muted); margin: 0 0 14px; max-width: 90ch; }
.grid2 {
  display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 660px), 1fr));
  gap: 16px; align-items: start;
}
.card {
  background: var(--panel); border: 1px solid var(--border); border-radius: 8px;
  margin-bottom: 16px; min-width: 0;
}
.card-head {
  display: flex; align-items: center; justify-content: space-between; gap: 12px;
  padding: 10px 14px;
}
h3 { font-size: 15px; margin: 0; }
.btn {
  font: inherit; font-size: 12px; color: var(--text); background: var(--panel);
  border: 1px solid var(--border); border-radius: 6px; padding: 3px 10px; cursor: pointer;
  white-space: nowrap;
}
.btn:hover { border-color: var(--accent); color: var(--accent); }
.warn {
  border: 1px solid var(--warn-border); background: var(--warn-bg); color: var(--warn);
  border-radius: 8px; padding: 8px 12px; margin: 0 0 14px;
}
.muted { color: var(--muted); }
h3.scheme { margin: 6px 0 10px; }
.slot-cards { margin-bottom: 14px; }

/* Tables: numbers right-aligned in tabular figures; headers sort. */
.table-scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td {
  padding: 6px 10px; border-top: 1px solid var(--border); text-align: left; vertical-align: top;
  white-space: nowrap;
}
thead th {
  border-top: none; background: var(--panel); color: var(--muted); font-weight: 600;
  font-size: 12px;
}
th.num, td.num { text-align: right; }
tbody tr:hover { background: var(--row-hover); }
th button { all: unset; cursor: pointer; }
th button:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
th button::after { content: "\2195"; opacity: 0.3; margin-left: 4px; font-size: 11px; }
th[aria-sort="ascending"] button::after { content: "\25B2"; opacity: 0.9; }
th[aria-sort="descending"] button::after { content: "\25BC"; opacity: 0.9; }
td.empty { color: var(--muted); text-align: center; padding: 14px; }
td.rank { color: var(--muted); }
.share { display: flex; align-items: center; justify-content: flex-end; gap: 6px; }
.share .track {
  width: 40px; height: 6px; border-radius: 3px; background: var(--border); overflow: hidden;
  flex: none;
}
.share .track i { display: block; height: 100%; background: var(--accent); }
td.key { white-space: normal; min-width: 18ch; }
.key-text {
  font-family: var(--mono); font-size: 12px; white-space: pre-wrap; overflow-wrap: anywhere;
  max-width: 56ch; display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 3;
  overflow: hidden; cursor: text;
}
.key-text.expanded { -webkit-line-clamp: unset; display: block; }
.key-text.plain { font-family: var(--sans); font-size: inherit; white-space: pre; max-width: none; }
.table-note { padding: 0 14px; margin: 0 0 8px; }
.esc { color: var(--esc); background: var(--esc-bg); border-radius: 2px; }
.placeholder { font-family: var(--sans); color: var(--muted); font-style: italic; }
td .when { color: var(--muted); }
td.expired, td .expired { color: var(--esc); }
.prefix-cell button { all: unset; cursor: pointer; display: block; }
.prefix-cell button:hover .key-text { color: var(--accent); }

/* Flame graph (icicle) of the prefixes. */
.flame-wrap { padding: 0 14px 14px; }
.crumbs {
  display: flex; flex-wrap: wrap; align-items: center; gap: 2px 4px; padding: 0 0 8px;
  font-size: 13px;
}
.crumbs button {
  all: unset; cursor: pointer; color: var(--accent); font-family: var(--mono); font-size: 12px;
  overflow-wrap: anywhere;
}
.crumbs button[aria-current] { color: var(--text); font-weight: 600; cursor: default; }
.crumbs .sep { color: var(--muted); }
svg.flame { display: block; width: 100%; user-select: none; }
svg.flame .node { cursor: pointer; }
svg.flame .node rect { stroke: var(--panel); stroke-width: 1px; }
svg.flame .node:hover rect, svg.flame .node:focus rect { filter: brightness(0.9); }
svg.flame .node:focus { outline: none; }
svg.flame .node:focus rect { stroke: var(--text); }
svg.flame .node.other { cursor: default; }
svg.flame .node.other rect { fill: var(--other); }
svg.flame .node.ancestor rect { opacity: 0.75; }
svg.flame text {
  font: 12px var(--sans); fill: var(--flame-text); pointer-events: none; white-space: pre;
}
svg.flame text .size { opacity: 0.7; }
svg.flame .node.other text { fill: var(--text); }

/* Expiry bars. */
svg.bars { display: block; width: 100%; }
svg.bars text { font: 12px var(--sans); fill: var(--text); }
svg.bars text.value { fill: var(--muted); }
svg.bars .keys { fill: var(--accent); }
svg.bars .memory { fill: var(--second); }
.legend { display: flex; gap: 16px; font-size: 12px; color: var(--muted); padding: 0 14px 8px; }
.legend i {
  display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px;
  vertical-align: -1px;
}
.legend .keys { background: var(--accent); }
.legend .memory { background: var(--second); }
.chart-pad { padding: 4px 14px 12px; }

#tooltip {
  position: fixed; z-index: 20; pointer-events: none; max-width: min(440px, 90vw);
  background: var(--tip-bg); color: var(--tip); border-radius: 6px; padding: 8px 10px;
  font-size: 12px; box-shadow: 0 4px 18px rgba(0, 0, 0, 0.25);
}
#tooltip .key-text { max-width: none; -webkit-line-clamp: 4; color: inherit; }
#tooltip .esc { color: inherit; background: rgba(127, 127, 127, 0.3); }
#tooltip div + div { margin-top: 2px; }

footer {
  color: var(--muted); font-size: 12px; padding: 18px 0 36px; border-top: 1px solid var(--border);
  margin-top: 18px;
}
footer p { margin: 4px 0; max-width: 110ch; }

@media (max-width: 640px) {
  .wrap { padding: 0 12px; }
  h1 { font-size: 20px; }
  .card-stat .value { font-size: 18px; }
  th, td { padding: 5px 8px; }
  .key-text { max-width: 36ch; }
}
)css";

}  // namespace strata::rdb
