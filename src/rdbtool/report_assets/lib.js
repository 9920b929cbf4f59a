// The report page's script, part 1 of 3 (see report_html.h): number and date formatting, DOM
// building, the sortable table with its CSV download, and the tooltip. The parts are pasted in
// order into one function scope, so each may use what an earlier one defines.
//
// Elements are built with createElement and textContent only, never from HTML text: nothing
// from the data can become markup.
// ---- Formatting: one style everywhere. Binary units (1 KiB = 1,024 bytes), three
// significant digits; counts with thousands separators; dates in UTC.
const kByteUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

function isNumber(v) {
  return typeof v === 'number' && Number.isFinite(v);
}

function fmtInt(n) {
  if (!isNumber(n)) return '\u2014';
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function fmtBytes(n) {
  if (!isNumber(n)) return '\u2014';
  if (Math.abs(n) < 1024) return `${Math.round(n)} B`;
  let v = n;
  let unit = 0;
  while (Math.abs(v) >= 1024 && unit < kByteUnits.length - 1) {
    v /= 1024;
    unit++;
  }
  const digits = (x) => (Math.abs(x) < 10 ? 2 : Math.abs(x) < 100 ? 1 : 0);
  let text = v.toFixed(digits(v));
  if (Math.abs(Number(text)) >= 1024 && unit < kByteUnits.length - 1) {
    v /= 1024;  // 1023.7 KiB rounds to "1024 KiB": say 1.00 MiB instead
    unit++;
    text = v.toFixed(digits(v));
  }
  return `${text} ${kByteUnits[unit]}`;
}

// How many times: "4.46×", "73.1×", "585×".
function fmtRatio(x) {
  if (!isNumber(x)) return '\u2014';
  return `${x.toFixed(Math.abs(x) < 10 ? 2 : Math.abs(x) < 100 ? 1 : 0)}\u00d7`;
}

function exactBytes(n) {
  return isNumber(n) ? `${fmtInt(n)} bytes` : '';
}

// A share (0..1) as a percentage with one decimal; tiny non-zero shares do not read as 0.
function fmtPct(f) {
  if (!isNumber(f)) return '\u2014';
  if (f === 0) return '0%';
  if (f === 1) return '100%';
  const p = f * 100;
  if (p > 0 && p < 0.1) return '<0.1%';
  if (p > 99.9 && p < 100) return '>99.9%';
  return `${p.toFixed(1)}%`;
}

function share(part, whole) {
  return isNumber(part) && isNumber(whole) && whole > 0 ? part / whole : 0;
}

// "YYYY-MM-DD HH:MM:SS" in UTC, or null when the time is beyond what a Date holds.
function fmtDate(ms) {
  if (!isNumber(ms)) return null;
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return null;
  const m = /^([+-]?\d+-\d\d-\d\d)T(\d\d:\d\d:\d\d)/.exec(d.toISOString());
  return m ? `${m[1]} ${m[2]}` : null;
}

// ISO 8601 for a CSV cell; a time no Date holds stays the number of milliseconds it is.
function isoDate(ms) {
  if (typeof ms === 'string') return ms;
  if (!isNumber(ms)) return '';
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

// How long from `now` until `ms`: "in 42 min", "in 5 h", "in 12 d", "in 3 y", or "expired".
function fmtUntil(ms, now) {
  if (!isNumber(ms) || !isNumber(now)) return '';
  const diff = ms - now;
  if (diff <= 0) return 'expired';
  const minute = 60e3;
  const hour = 60 * minute;
  const day = 24 * hour;
  if (diff < hour) return `in ${Math.max(1, Math.round(diff / minute))} min`;
  if (diff < 48 * hour) return `in ${Math.round(diff / hour)} h`;
  if (diff < 730 * day) return `in ${Math.round(diff / day)} d`;
  return `in ${Math.round(diff / (365.25 * day))} y`;
}

// ---- DOM building.
function append(parent, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    parent.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return parent;
}

function setProps(e, props) {
  for (const [k, v] of Object.entries(props || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.setAttribute('class', v);
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  return e;
}

function h(tag, props, ...children) {
  return append(setProps(document.createElement(tag), props), children);
}

function svg(tag, props, ...children) {
  return append(setProps(document.createElementNS('http://www.w3.org/2000/svg', tag), props),
                children);
}

// A key (or prefix, or instance name) as the renderer escaped it: the \xNN escapes stand out
// from the text around them. The element's text is exactly the escaped string.
function keyNode(text, emptyLabel) {
  const e = h('span', { class: 'key-text' });
  if (text === '') {
    e.append(h('span', { class: 'placeholder' }, emptyLabel || '(empty key)'));
    return e;
  }
  for (const part of text.split(/(\\x[0-9a-f]{2})/)) {
    if (part === '') continue;
    e.append(/^\\x[0-9a-f]{2}$/.test(part) ? h('span', { class: 'esc' }, part) : part);
  }
  e.addEventListener('click', () => {
    if (!window.getSelection().toString()) e.classList.toggle('expanded');
  });
  return e;
}

// ---- Tooltip: one element for the page, filled by whoever the pointer is over.
const tooltip = document.getElementById('tooltip');

function showTooltip(event, lines) {
  tooltip.replaceChildren(...lines.map((l) => (l instanceof Node ? l : h('div', {}, l))));
  tooltip.hidden = false;
  moveTooltip(event);
}

function moveTooltip(event) {
  if (tooltip.hidden) return;
  const gap = 14;
  const r = tooltip.getBoundingClientRect();
  let x = event.clientX + gap;
  let y = event.clientY + gap;
  if (x + r.width > window.innerWidth - 4) x = event.clientX - r.width - gap;
  if (y + r.height > window.innerHeight - 4) y = event.clientY - r.height - gap;
  tooltip.style.left = `${Math.max(4, x)}px`;
  tooltip.style.top = `${Math.max(4, y)}px`;
}

function hideTooltip() {
  tooltip.hidden = true;
}

// ---- CSV: RFC 4180 (comma, CRLF, quotes doubled), exact values rather than the formatted
// ones. Text from the data that starts like a spreadsheet formula gets a leading apostrophe,
// so opening the file cannot run a key as a formula.
function csvField(value, isText) {
  let s = value === null || value === undefined ? '' : String(value);
  if (isText && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  if (/[",\r\n]/.test(s) || /^\s|\s$/.test(s)) s = `"${s.replace(/"/g, '""')}"`;
  return s;
}

function toCsv(columns, rows) {
  const lines = [columns.map((c) => csvField(c.csv, false)).join(',')];
  for (const row of rows) {
    lines.push(columns.map((c) => csvField(c.csvValue(row), c.textual)).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

function fileSafe(text) {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 80) || 'report';
}

// Saves text as a file through a Blob URL: no network, works in a page opened from disk.
function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60e3);
}

// ---- Sortable table with a CSV button.
//
// A column: { label, csv (CSV header), kind, value(row) -> raw value, title? (header hint),
// whole?(row) -> denominator for 'share', onClick?(row) }. Kinds: 'text', 'key' (escaped
// bytes), 'int', 'bytes', 'share' (value is a fraction, drawn with a bar), 'ratio' (x times),
// 'expiry' (ms since the epoch or null), 'list' (array of text), 'rank'.
const collator = new Intl.Collator('en', { numeric: true });
const kNumericKinds = new Set(['int', 'bytes', 'share', 'ratio', 'expiry', 'rank']);

function compareValues(a, b) {
  const missing = (v) =>
    v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
  if (missing(a) || missing(b)) return missing(a) - missing(b);  // missing values last
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(Array.isArray(a) ? a.join(' ') : String(a),
                          Array.isArray(b) ? b.join(' ') : String(b));
}

function column(spec) {
  const col = { textual: !kNumericKinds.has(spec.kind), ...spec };
  if (!col.csvValue) {
    col.csvValue = (row) => {
      const v = col.value(row);
      if (v === null || v === undefined) return '';
      switch (col.kind) {
        case 'share': return isNumber(v) ? (v * 100).toFixed(2) : '';
        case 'ratio': return isNumber(v) ? v.toFixed(2) : '';
        case 'expiry': return isoDate(v);
        case 'list': return v.join(' ');
        default: return v;
      }
    };
  }
  return col;
}

function renderCell(col, row, context) {
  const v = col.value(row);
  const numeric = kNumericKinds.has(col.kind);
  const td = h('td', { class: numeric ? 'num' : '' });
  if (numeric && isNumber(v)) td.dataset.value = String(v);
  switch (col.kind) {
    case 'int':
      td.textContent = fmtInt(v);
      break;
    case 'rank':
      td.textContent = fmtInt(v);
      td.classList.add('rank');
      break;
    case 'bytes':
      td.textContent = fmtBytes(v);
      td.title = exactBytes(v);
      break;
    case 'share': {
      const fill = h('i');
      fill.style.width = `${Math.min(100, Math.max(0, (isNumber(v) ? v : 0) * 100))}%`;
      td.append(h('div', { class: 'share' },
        h('span', {}, fmtPct(v)), h('div', { class: 'track' }, fill)));
      break;
    }
    case 'ratio':
      td.textContent = fmtRatio(v);
      break;
    case 'expiry': {
      if (v === null || v === undefined) {
        td.append(h('span', { class: 'muted' }, 'none'));
        break;
      }
      const date = fmtDate(v);  // null for a string: a time beyond what JavaScript holds
      if (date === null) {
        td.append(h('span', { class: 'expired' }, 'out of range'));
        td.title = `${v} ms since 1970-01-01 UTC`;
        break;
      }
      const until = fmtUntil(v, context.now);
      td.append(date);
      const cls = until === 'expired' ? 'when expired' : 'when';
      if (until) td.append(' ', h('span', { class: cls }, until));
      td.title = `${isoDate(v)} (${v} ms since 1970-01-01 UTC)`;
      break;
    }
    case 'key':
      td.classList.add('key');
      td.append(keyNode(v, col.emptyLabel));
      break;
    case 'list':
      td.classList.add('key');
      v.forEach((item, i) => td.append(i > 0 ? ' ' : '', keyNode(item)));
      break;
    default: {
      if (v === null || v === undefined) break;
      const text = keyNode(String(v), '(empty)');
      text.classList.add('plain');
      td.append(text);
    }
  }
  if (col.onClick) {
    const inner = [...td.childNodes];
    td.replaceChildren(h('button', { type: 'button', onclick: () => col.onClick(row) }, inner));
    td.classList.add('prefix-cell');
  }
  if (col.indent) td.style.paddingLeft = `${10 + col.indent(row) * 14}px`;
  return td;
}

// { id, title, note?, columns, rows, csvName, empty, context } -> the table's card.
function dataTable(spec) {
  const columns = spec.columns.map(column);
  const rows = spec.rows;
  let order = rows.map((_, i) => i);
  let sorted = null;  // { col, dir }
  const tbody = h('tbody');
  const heads = columns.map((col) =>
    h('th', { class: kNumericKinds.has(col.kind) ? 'num' : '', scope: 'col', title: col.title },
      h('button', { type: 'button', onclick: () => sortBy(col) }, col.label)));

  function renderBody() {
    if (rows.length === 0) {
      tbody.replaceChildren(h('tr', {}, h('td', { class: 'empty', colspan: columns.length },
                                           spec.empty || 'none')));
      return;
    }
    tbody.replaceChildren(...order.map((i) =>
      h('tr', {}, columns.map((col) => renderCell(col, rows[i], spec.context || {})))));
  }

  // First click: numbers largest first, text A to Z; a second click reverses.
  function sortBy(col) {
    const dir = sorted && sorted.col === col ? -sorted.dir : kNumericKinds.has(col.kind) ? -1 : 1;
    sorted = { col, dir };
    order = rows.map((_, i) => i);
    order.sort((a, b) => dir * compareValues(col.value(rows[a]), col.value(rows[b])) || a - b);
    heads.forEach((th, i) => {
      if (columns[i] === col) th.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    });
    renderBody();
  }

  const csvButton = h('button', {
    type: 'button', class: 'btn csv', title: 'Download this table as CSV (exact values)',
    onclick: () => download(spec.csvName, toCsv(columns, order.map((i) => rows[i]))),
  }, 'CSV');
  renderBody();
  return h('div', { class: 'card table-card', id: spec.id },
    h('div', { class: 'card-head' }, h('h3', {}, spec.title), csvButton),
    spec.note ? h('p', { class: 'lead table-note' }, spec.note) : null,
    h('div', { class: 'table-scroll' }, h('table', {}, h('thead', {}, h('tr', {}, heads)), tbody)));
}
