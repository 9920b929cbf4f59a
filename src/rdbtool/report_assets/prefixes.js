// The report page's script, part 2 of 3 (see report_html.h): the prefix tree as a zoomable
// flame graph (an icicle: the root on top, each prefix under its parent, widths proportional to
// memory) in inline SVG.
//
// Zooming: clicking a prefix makes it span the full width, with its ancestors drawn above it at
// full width; clicking an ancestor, a breadcrumb, or the zoomed prefix again zooms out. The
// part of a prefix's memory that no shown child holds is drawn as a grey "other" block.
// ---- Prefix tree layout: x0..x1 in [0, 1] of the root's weight, children largest first.
const kFlameRow = 24;    // px per level
const kFlameLevels = 12;  // levels shown under the zoomed prefix; deeper ones appear on zoom
const kFlamePalette = [
  [215, 62, 62], [28, 70, 55], [160, 45, 48], [265, 45, 62], [340, 55, 62], [45, 75, 52],
  [190, 55, 48], [110, 35, 50],
];

function layoutPrefixes(root) {
  // Widths follow memory; a report whose estimate is all zero falls back to key counts.
  const weightOf = root.memory_bytes > 0 ? (p) => p.memory_bytes : (p) => p.keys;
  const total = weightOf(root);
  const nodes = [];
  function visit(p, parent, x0, x1, branch) {
    const node = {
      p, parent, x0, x1, branch, other: false, children: [],
      depth: parent ? parent.depth + 1 : 0, index: nodes.length,
    };
    nodes.push(node);
    const kids = [...(p.children || [])].sort((a, b) => weightOf(b) - weightOf(a));
    const scale = total > 0 ? 1 / total : 0;
    let x = x0;
    kids.forEach((c, i) => {
      const end = Math.min(x1, x + weightOf(c) * scale);  // never past the parent
      node.children.push(visit(c, node, x, end, parent ? branch : i));
      x = end;
    });
    if (kids.length > 0 && x1 - x > 1e-9) {
      const sum = (field) => Math.max(0, p[field] - kids.reduce((s, c) => s + c[field], 0));
      nodes.push({
        p: { prefix: p.prefix, keys: sum('keys'), memory_bytes: sum('memory_bytes'),
             rdb_bytes: sum('rdb_bytes'), children: [] },
        parent: node, x0: x, x1, branch, other: true, children: [], depth: node.depth + 1,
        index: nodes.length,
      });
    }
    return node;
  }
  visit(root, null, 0, total > 0 ? 1 : 0, 0);
  return nodes;
}

// The part of a prefix after its parent's: "session:" under "user:".
function prefixLabel(node) {
  if (!node.parent) return 'all keys';
  if (node.other) return 'other';
  const parent = node.parent.p.prefix;
  const own = node.p.prefix;
  return own.startsWith(parent) && own.length > parent.length ? own.slice(parent.length) : own;
}

function prefixColor(node) {
  const [hue, sat, light] = kFlamePalette[node.branch % kFlamePalette.length];
  if (!node.parent) return 'hsl(220, 14%, 72%)';
  return `hsl(${hue}, ${sat}%, ${Math.min(86, light + (node.depth - 1) * 7)}%)`;
}

function isWithin(node, ancestor) {
  for (let n = node; n; n = n.parent) if (n === ancestor) return true;
  return false;
}

// Cuts a label to about the characters that fit in `width` px (12px sans: ~6.6px a char).
function fitLabel(text, width) {
  const room = Math.floor((width - 8) / 6.6);
  if (room < 2) return '';
  return text.length <= room ? text : `${text.slice(0, Math.max(1, room - 1))}\u2026`;
}

// { root, total } -> { element, zoom(prefixText) }. `total` is the report's totals.
function flameGraph(root, total) {
  const nodes = layoutPrefixes(root);
  const rootNode = nodes[0];
  const maxDepth = nodes.reduce((m, n) => Math.max(m, n.depth), 0);
  let focus = rootNode;

  const crumbs = h('nav', { class: 'crumbs', 'aria-label': 'Zoomed prefix' });
  const chart = svg('svg', {
    class: 'flame', role: 'img', 'aria-label': 'Flame graph of key prefixes by memory',
  });
  const wrap = h('div', { class: 'flame-wrap' }, crumbs, chart);

  function tooltipLines(node) {
    const p = node.p;
    const memoryShare = (of) => fmtPct(share(p.memory_bytes, of.memory_bytes));
    const name = keyNode(p.prefix, '(all keys)');
    const lines = [
      node.other ? h('div', {}, 'other keys under ', name) : name,
      `${fmtInt(p.keys)} keys \u00b7 ${fmtPct(share(p.keys, total.keys))} of all keys`,
      `memory ${fmtBytes(p.memory_bytes)} \u00b7 ${memoryShare(total)} of all` +
        (node.parent ? ` \u00b7 ${memoryShare(node.parent.p)} of parent` : ''),
      `RDB ${fmtBytes(p.rdb_bytes)}`,
    ];
    let hint = 'click to zoom in';
    if (node === focus) hint = node.parent ? 'click to zoom out' : '';
    else if (isWithin(focus, node)) hint = 'click to zoom out to here';
    if (!node.other && hint) lines.push(h('div', { class: 'muted' }, hint));
    return lines;
  }

  function activate(node) {
    if (node.other) return;
    zoomTo(node === focus && node.parent ? node.parent : node);
  }

  function renderCrumbs() {
    const path = [];
    for (let n = focus; n; n = n.parent) path.unshift(n);
    crumbs.replaceChildren(...path.flatMap((n, i) => [
      ...(i > 0 ? [h('span', { class: 'sep' }, '\u203a')] : []),
      h('button', { type: 'button', 'aria-current': n === focus ? 'true' : null,
                    onclick: () => zoomTo(n) },
        n.parent ? n.p.prefix : 'all keys'),
    ]));
  }

  function render() {
    const width = Math.max(200, Math.floor(chart.getBoundingClientRect().width) || 960);
    const lastDepth = Math.min(maxDepth, focus.depth + kFlameLevels);
    const height = (lastDepth + 1) * kFlameRow;
    setProps(chart, { viewBox: `0 0 ${width} ${height}`, height });
    const span = focus.x1 - focus.x0;
    const shapes = [];
    for (const node of nodes) {
      let x0;
      let x1;
      const above = node.depth <= focus.depth && isWithin(focus, node);
      if (above) {
        [x0, x1] = [0, width];
      } else if (node.depth <= lastDepth && span > 0 && isWithin(node, focus)) {
        x0 = ((node.x0 - focus.x0) / span) * width;
        x1 = ((node.x1 - focus.x0) / span) * width;
      } else {
        continue;
      }
      if (x1 - x0 < 0.5) continue;  // too thin to see or click
      const w = x1 - x0;
      // The name, then its size when there is room for both.
      const name = above && node !== focus ? `\u25b4 ${prefixLabel(node)}` : prefixLabel(node);
      let size = `  ${fmtBytes(node.p.memory_bytes)}`;
      if (above && node !== focus) size += '  \u00b7  click to zoom out';
      if (fitLabel(name + size, w) !== name + size) size = '';
      const who = node.parent ? node.p.prefix : 'all keys';
      const classes = ['node'];
      if (node.other) classes.push('other');
      if (above && node !== focus) classes.push('ancestor');
      if (node === focus) classes.push('focus');
      const g = svg('g', {
        class: classes.join(' '),
        'data-prefix': node.other ? null : node.p.prefix,
        'data-other-of': node.other ? node.p.prefix : null,
        tabindex: node.other ? null : 0,
        role: node.other ? null : 'button',
        'aria-label': `${node.other ? 'other under ' : ''}${who}: ${fmtBytes(node.p.memory_bytes)}`,
        onclick: () => activate(node),
        onkeydown: (e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            activate(node);
          }
        },
        onmouseenter: (e) => showTooltip(e, tooltipLines(node)),
        onmousemove: moveTooltip,
        onmouseleave: hideTooltip,
      },
      // A nested <svg> clips its label to the node's box.
      svg('svg', {
        x: x0.toFixed(2), y: node.depth * kFlameRow, width: w.toFixed(2), height: kFlameRow - 1,
      },
        svg('rect', {
          x: 0, y: 0, width: Math.max(0, w - 1).toFixed(2), height: kFlameRow - 1, rx: 2,
          fill: node.other ? null : prefixColor(node),
        }),
        svg('text', { x: 5, y: 16 }, fitLabel(name, w),
            size ? svg('tspan', { class: 'size' }, size) : null)));
      shapes.push(g);
    }
    chart.replaceChildren(...shapes);
  }

  function zoomTo(node) {
    focus = node;
    hideTooltip();
    renderCrumbs();
    render();
  }

  renderCrumbs();
  // The width is known once the element is in the page, and changes with the window.
  let lastWidth = 0;
  new ResizeObserver(() => {
    const w = Math.floor(chart.getBoundingClientRect().width);
    if (w !== lastWidth) {
      lastWidth = w;
      render();
    }
  }).observe(chart);
  return {
    element: wrap,
    nodes: nodes.filter((n) => !n.other),
    zoomTo,
  };
}
