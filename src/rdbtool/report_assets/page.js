// The report page's script, part 3 of 3 (see report_html.h): the page itself, built from the
// JSON data block: header and headline figures, totals, top keys, prefixes, big keys, slot
// skew, expiry; then the footer that says how to read it.
// ---- Header.
function statCard(stat, label, value, exact, sub) {
  return h('div', { class: 'card-stat', 'data-stat': stat, 'data-value': exact },
    h('div', { class: 'label' }, label), h('div', { class: 'value' }, value),
    sub ? h('div', { class: 'sub' }, sub) : null);
}

function headerSection(data) {
  const t = data.total;
  const meta = [
    ['Batch', data.batch], ['Generated', data.generated_at], ['Strata', data.strata_version],
  ];
  const dbs = data.by_db.length;
  return h('header', { class: 'top' }, h('div', { class: 'wrap' },
    h('div', { class: 'brand' }, 'Redis RDB report'),
    h('h1', { id: 'cluster' }, data.cluster === '' ? '(unnamed cluster)' : data.cluster),
    h('dl', { class: 'meta' }, meta.map(([k, v]) =>
      h('div', {}, h('dt', {}, k), h('dd', { 'data-meta': k.toLowerCase() }, v)))),
    h('div', { class: 'cards' },
      statCard('keys', 'Keys', fmtInt(t.keys), t.keys),
      statCard('memory', 'Memory (estimated)', fmtBytes(t.memory_bytes), t.memory_bytes,
               exactBytes(t.memory_bytes)),
      statCard('rdb', 'RDB size of values', fmtBytes(t.rdb_bytes), t.rdb_bytes,
               exactBytes(t.rdb_bytes)),
      statCard('expiring', 'Keys with expiry', fmtInt(t.expiring_keys), t.expiring_keys,
               `${fmtPct(share(t.expiring_keys, t.keys))} of keys`),
      statCard('instances', 'Instances', fmtInt(data.by_instance.length),
               data.by_instance.length, `${fmtInt(dbs)} ${dbs === 1 ? 'db' : 'dbs'}`))));
}

function section(id, title, lead, ...content) {
  return h('section', { class: 'block', id }, h('div', { class: 'wrap' },
    h('h2', {}, title), lead ? h('p', { class: 'lead' }, lead) : null, content));
}

// ---- Totals.
function groupTable(data, id, title, nameLabel, nameCsv, rows) {
  const t = data.total;
  return dataTable({
    id, title, rows, context: data.context, csvName: `${data.filePrefix}_${nameCsv}.csv`,
    columns: [
      { label: nameLabel, csv: nameCsv, kind: 'text', value: (r) => r.name },
      { label: 'keys', csv: 'keys', kind: 'int', value: (r) => r.keys },
      { label: 'keys %', csv: 'keys_pct', kind: 'share', value: (r) => share(r.keys, t.keys) },
      { label: 'memory', csv: 'memory_bytes', kind: 'bytes', value: (r) => r.memory_bytes },
      { label: 'memory %', csv: 'memory_pct', kind: 'share',
        value: (r) => share(r.memory_bytes, t.memory_bytes) },
      { label: 'RDB size', csv: 'rdb_bytes', kind: 'bytes', value: (r) => r.rdb_bytes },
      { label: 'with expiry', csv: 'expiring_keys', kind: 'int', value: (r) => r.expiring_keys },
      { label: 'memory / key', csv: 'memory_per_key', kind: 'bytes', title: 'mean memory per key',
        value: (r) => (r.keys > 0 ? Math.round(r.memory_bytes / r.keys) : null) },
    ],
  });
}

function totalsSection(data) {
  return section('totals', 'Totals',
    'Keys, estimated memory and RDB size by database, type, encoding and instance. ' +
    'Click a column to sort.',
    h('div', { class: 'grid2' },
      groupTable(data, 'table-by-db', 'By database', 'db', 'db', data.by_db),
      groupTable(data, 'table-by-type', 'By type', 'type', 'type', data.by_type),
      groupTable(data, 'table-by-encoding', 'By encoding', 'encoding', 'encoding',
                 data.by_encoding),
      groupTable(data, 'table-by-instance', 'By instance', 'instance', 'instance',
                 data.by_instance)));
}

// ---- Keys: the top keys and the big keys.
function keyTable(data, id, title, csvName, rows, empty) {
  const t = data.total;
  return dataTable({
    id, title, rows: rows.map((r, i) => ({ ...r, rank: i + 1 })), context: data.context, empty,
    csvName: `${data.filePrefix}_${csvName}.csv`,
    columns: [
      { label: '#', csv: 'rank', kind: 'rank', value: (r) => r.rank },
      { label: 'instance', csv: 'instance', kind: 'text', value: (r) => r.instance },
      { label: 'db', csv: 'db', kind: 'int', value: (r) => r.db },
      { label: 'key', csv: 'key', kind: 'key', value: (r) => r.key },
      { label: 'type', csv: 'type', kind: 'text', value: (r) => r.type },
      { label: 'encoding', csv: 'encoding', kind: 'text', value: (r) => r.encoding },
      { label: 'members', csv: 'members', kind: 'int', value: (r) => r.members },
      { label: 'memory', csv: 'memory_bytes', kind: 'bytes', value: (r) => r.memory_bytes },
      { label: 'memory %', csv: 'memory_pct', kind: 'share', title: 'share of all memory',
        value: (r) => share(r.memory_bytes, t.memory_bytes) },
      { label: 'RDB size', csv: 'rdb_bytes', kind: 'bytes', value: (r) => r.rdb_bytes },
      { label: 'expires (UTC)', csv: 'expire_at', kind: 'expiry', value: (r) => r.expire_at_ms },
    ],
  });
}

// ---- Prefixes: the flame graph, and the same tree as a table.
function prefixSection(data) {
  const t = data.total;
  const graph = flameGraph(data.prefixes, t);
  const flameCard = h('div', { class: 'card', id: 'flame' },
    h('div', { class: 'card-head' }, h('h3', {}, 'Memory by prefix'),
      h('span', { class: 'muted' }, 'click a prefix to zoom in; click above it to zoom out')),
    graph.element);
  const table = dataTable({
    id: 'table-prefixes', title: 'Prefixes', rows: graph.nodes, context: data.context,
    csvName: `${data.filePrefix}_prefixes.csv`,
    columns: [
      { label: 'prefix', csv: 'prefix', kind: 'key', emptyLabel: '(all keys)',
        value: (n) => n.p.prefix, indent: (n) => n.depth,
        onClick: (n) => {
          graph.zoomTo(n);
          flameCard.scrollIntoView({ block: 'nearest' });
        } },
      { label: 'keys', csv: 'keys', kind: 'int', value: (n) => n.p.keys },
      { label: 'keys %', csv: 'keys_pct', kind: 'share', value: (n) => share(n.p.keys, t.keys) },
      { label: 'memory', csv: 'memory_bytes', kind: 'bytes', value: (n) => n.p.memory_bytes },
      { label: 'memory %', csv: 'memory_pct', kind: 'share',
        value: (n) => share(n.p.memory_bytes, t.memory_bytes) },
      { label: 'RDB size', csv: 'rdb_bytes', kind: 'bytes', value: (n) => n.p.rdb_bytes },
      { label: 'memory / key', csv: 'memory_per_key', kind: 'bytes', title: 'mean memory per key',
        value: (n) => (n.p.keys > 0 ? Math.round(n.p.memory_bytes / n.p.keys) : null) },
    ],
  });
  return section('prefixes', 'Key prefixes',
    'Keys grouped by prefix (cut after a separator) over every instance and db. A prefix is ' +
    `shown when it holds at least ${fmtPct(data.min_prefix_share)} of the memory; the rest of ` +
    'a prefix\'s keys are its "other" block.',
    flameCard, table);
}

// ---- Slots: one block per hashing scheme.
function slotsBlock(data, slots, name) {
  const id = `slots-${slots.scheme === 'codis' ? 'codis' : 'redis'}`;
  const file = `${data.filePrefix}_${slots.scheme}`;
  const mean = slots.mean_memory;
  const hasMean = isNumber(mean) && mean > 0;
  const slotMemory = hasMean ? mean * slots.slots_seen : 0;
  const several = slots.on_several_instances;
  const missing = slots.total_slots - slots.slots_seen;
  const instances = {
    label: 'instances', csv: 'instances', kind: 'list', value: (s) => s.instances,
  };
  const stddev = slots.stddev_memory;
  return h('div', { id },
    h('h3', { class: 'scheme' }, `${name} (${fmtInt(slots.total_slots)} slots)`),
    h('div', { class: 'cards slot-cards' },
      statCard('slots-seen', 'Slots with keys', fmtInt(slots.slots_seen), slots.slots_seen,
               `of ${fmtInt(slots.total_slots)}: ` +
               (missing > 0 ? `${fmtInt(missing)} without keys` : 'all slots hold keys')),
      statCard('slot-min', 'Smallest slot', fmtBytes(slots.min_memory), slots.min_memory),
      statCard('slot-max', 'Largest slot', fmtBytes(slots.max_memory), slots.max_memory,
               hasMean ? `${fmtRatio(slots.max_memory / mean)} the mean` : null),
      statCard('slot-mean', 'Mean', fmtBytes(mean), isNumber(mean) ? mean : undefined),
      statCard('slot-stddev', 'Standard deviation', fmtBytes(stddev),
               isNumber(stddev) ? stddev : undefined,
               hasMean && isNumber(stddev) ? `${fmtPct(stddev / mean)} of the mean` : null)),
    several.length > 0
      ? h('p', { class: 'warn', role: 'alert' },
          `${fmtInt(several.length)} ${several.length === 1 ? 'slot was' : 'slots were'} found ` +
          'on more than one instance: a migration in progress, or a mistake.')
      : null,
    h('div', { class: 'grid2' },
      dataTable({
        id: `table-${id}-several`, title: 'Slots on several instances', rows: several,
        context: data.context, csvName: `${file}_slots_on_several_instances.csv`,
        empty: 'none: every slot was found on one instance',
        columns: [
          { label: 'slot', csv: 'slot', kind: 'int', value: (s) => s.slot },
          instances,
          { label: 'keys', csv: 'keys', kind: 'int', value: (s) => s.keys },
          { label: 'memory', csv: 'memory_bytes', kind: 'bytes', value: (s) => s.memory_bytes },
        ],
      }),
      dataTable({
        id: `table-${id}-largest`, title: 'Largest slots', rows: slots.largest,
        context: data.context, csvName: `${file}_largest_slots.csv`,
        columns: [
          { label: 'slot', csv: 'slot', kind: 'int', value: (s) => s.slot },
          { label: 'keys', csv: 'keys', kind: 'int', value: (s) => s.keys },
          { label: 'memory', csv: 'memory_bytes', kind: 'bytes', value: (s) => s.memory_bytes },
          { label: 'memory %', csv: 'memory_pct', kind: 'share',
            title: 'share of the memory of all slots',
            value: (s) => share(s.memory_bytes, slotMemory) },
          { label: '\u00d7 mean', csv: 'times_mean', kind: 'ratio',
            title: 'memory over the mean slot',
            value: (s) => (hasMean ? s.memory_bytes / mean : null) },
          instances,
        ],
      })));
}

function slotsSection(data) {
  const blocks = [];
  if (data.redis_slots) blocks.push(slotsBlock(data, data.redis_slots, 'Redis Cluster'));
  if (data.codis_slots) blocks.push(slotsBlock(data, data.codis_slots, 'Codis'));
  return section('slots', 'Slot skew',
    'How evenly keys and memory spread over the hash slots, and slots found on more than one ' +
    'instance.',
    blocks);
}

// ---- Expiry: horizontal bars, per bucket its share of the keys and of the memory of all
// buckets, then the table.
function expiryChart(buckets) {
  const keys = buckets.reduce((s, b) => s + b.keys, 0);
  const memory = buckets.reduce((s, b) => s + b.memory_bytes, 0);
  const chart = svg('svg', {
    class: 'bars', role: 'img', 'aria-label': 'Keys and memory by time to expiry',
  });
  const rowHeight = 34;
  const height = buckets.length * rowHeight;
  function render() {
    const width = Math.max(260, Math.floor(chart.getBoundingClientRect().width) || 800);
    const labelWidth = Math.min(150, Math.max(80, width * 0.18));
    const valueWidth = 150;
    const barWidth = Math.max(40, width - labelWidth - valueWidth);
    setProps(chart, { viewBox: `0 0 ${width} ${height}`, height });
    chart.replaceChildren(...buckets.map((b, i) => {
      const y = i * rowHeight;
      const k = share(b.keys, keys);
      const m = share(b.memory_bytes, memory);
      const bar = (cls, f, dy, text) => [
        svg('rect', { class: cls, x: labelWidth, y: y + dy, height: 11, rx: 2,
                      width: Math.max(f > 0 ? 1 : 0, f * barWidth).toFixed(2) }),
        svg('text', { class: 'value', x: labelWidth + f * barWidth + 6, y: y + dy + 10 }, text),
      ];
      const tip = [
        h('strong', {}, b.label),
        `${fmtInt(b.keys)} keys \u00b7 ${fmtPct(k)}`,
        `memory ${fmtBytes(b.memory_bytes)} \u00b7 ${fmtPct(m)}`,
      ];
      return svg('g', {
        class: 'bucket', 'data-bucket': b.label,
        onmouseenter: (e) => showTooltip(e, tip), onmousemove: moveTooltip,
        onmouseleave: hideTooltip,
      },
      svg('rect', { x: 0, y, width, height: rowHeight, fill: 'transparent' }),
      svg('text', { x: 0, y: y + 21 }, fitLabel(b.label, labelWidth)),
      bar('keys', k, 5, `${fmtPct(k)} \u00b7 ${fmtInt(b.keys)} keys`),
      bar('memory', m, 18, `${fmtPct(m)} \u00b7 ${fmtBytes(b.memory_bytes)}`));
    }));
  }
  new ResizeObserver(render).observe(chart);
  return chart;
}

function expirySection(data) {
  const buckets = data.expiry;
  const keys = buckets.reduce((s, b) => s + b.keys, 0);
  const memory = buckets.reduce((s, b) => s + b.memory_bytes, 0);
  const chart = buckets.length === 0 ? null : h('div', { class: 'card', id: 'expiry-chart' },
    h('div', { class: 'card-head' }, h('h3', {}, 'Time to expiry')),
    h('div', { class: 'legend' }, h('span', {}, h('i', { class: 'keys' }), 'keys'),
      h('span', {}, h('i', { class: 'memory' }), 'memory')),
    h('div', { class: 'chart-pad' }, expiryChart(buckets)));
  return section('expiry', 'Expiry',
    `Keys by time left before they expire, counted at ${data.generated_at || 'report time'}.`,
    chart,
    dataTable({
      id: 'table-expiry', title: 'Keys by time to expiry', rows: buckets, context: data.context,
      csvName: `${data.filePrefix}_expiry.csv`,
      columns: [
        { label: 'expires', csv: 'expires', kind: 'text', value: (b) => b.label },
        { label: 'keys', csv: 'keys', kind: 'int', value: (b) => b.keys },
        { label: 'keys %', csv: 'keys_pct', kind: 'share', value: (b) => share(b.keys, keys) },
        { label: 'memory', csv: 'memory_bytes', kind: 'bytes', value: (b) => b.memory_bytes },
        { label: 'memory %', csv: 'memory_pct', kind: 'share',
          value: (b) => share(b.memory_bytes, memory) },
      ],
    }));
}

function footer(data) {
  return h('footer', {}, h('div', { class: 'wrap' },
    h('p', {},
      'Sizes are in binary units (1 KiB = 1,024 bytes); hover a size for the exact bytes. ' +
      '"Memory" is Strata\'s estimate of what a key takes in Redis memory, "RDB size" what its ' +
      'value takes in the snapshot. Dates are UTC.'),
    h('p', {},
      'Keys and names show bytes that are not printable UTF-8, invisible characters and the ' +
      'backslash as \\xNN. CSV downloads hold exact values and the keys in that same form; a ' +
      'text cell that starts with = + - or @ gets a leading \' so a spreadsheet does not run ' +
      'it as a formula.'),
    h('p', {}, `Generated by Strata ${data.strata_version} at ${data.generated_at}.`)));
}

// ---- The page.
function buildPage() {
  const app = document.getElementById('app');
  let data;
  try {
    data = JSON.parse(document.getElementById('report-data').textContent);
  } catch (e) {
    app.append(h('p', { class: 'fatal' }, `The report data in this file cannot be read: ${e}`));
    throw e;
  }
  data.context = { now: Date.parse(data.generated_at) };
  data.filePrefix = `${fileSafe(data.cluster)}_${fileSafe(data.batch)}`;
  const hasSlots = Boolean(data.redis_slots || data.codis_slots);
  const nav = [
    ['totals', 'Totals'], ['top-keys', 'Top keys'], ['prefixes', 'Prefixes'],
    ['big-keys', 'Big keys'], ['slots', 'Slots'], ['expiry', 'Expiry'],
  ].filter(([id]) => id !== 'slots' || hasSlots);
  append(app, [
    headerSection(data),
    h('nav', { class: 'sections', 'aria-label': 'Sections' },
      h('div', { class: 'wrap' }, nav.map(([id, label]) => h('a', { href: `#${id}` }, label)))),
    h('main', {},
      totalsSection(data),
      section('top-keys', 'Top keys',
        `The ${fmtInt(data.top_keys.length)} largest keys by estimated memory.`,
        keyTable(data, 'table-top-keys', 'Largest keys by memory', 'top_keys', data.top_keys)),
      prefixSection(data),
      section('big-keys', 'Big keys',
        'Strings over 1 MiB; lists, sets, hashes, sorted sets and streams over 10,000 members ' +
        'or 64 MiB.',
        keyTable(data, 'table-big-keys', 'Big keys', 'big_keys', data.big_keys, 'no big keys')),
      hasSlots ? slotsSection(data) : null,
      expirySection(data)),
    footer(data),
  ]);
  document.body.dataset.ready = 'true';
}

buildPage();
