// interop.report_chromium: the HTML report of an RDB batch (src/rdb/report_html.h) in a real
// browser. report_fixture renders a report of hand-made data (report_fixture.cc); Debian's
// Chromium, driven by playwright-core with every network request refused, opens the file as an
// operator would and this script checks what the page shows against its own copy of the data
// (lib/report_expected.mjs):
//  - the file alone: two <script> elements, a JSON block with no '<', '>', '&' or U+2028/9 in
//    it, and no reference to anything outside the file;
//  - the page loads with no console error or warning, no page error and no request;
//  - title, header, headline figures, the totals tables and all 100 top keys, with the awkward
//    keys (markup, \xNN escapes for binary, U+2028, bidi override, invalid UTF-8, empty, long)
//    shown escaped and nothing injected;
//  - sorting by a column header; the CSV buttons download the exact expected text;
//  - the flame graph: widths proportional to memory, click to zoom in and out, tooltips,
//    zooming from the prefix table;
//  - slots, expiry, a narrow window without sideways scrolling, and an empty report.
// The screenshots go to SCRATCH_DIR/report.png and report-narrow.png.
//
//   node report_in_chromium.mjs REPORT_FIXTURE SCRATCH_DIR
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Checker, runMain } from './lib/check.mjs';
import { launchOffline, watchPage, whyNoBrowser } from './lib/chromium.mjs';
import * as expected from './lib/report_expected.mjs';

const kName = 'interop.report_chromium';
const kPixelSlack = 1.5; // rect widths: rounding, and the 1 px gap between neighbours

// ---- The HTML file itself.
function checkFile(html, checker) {
  const open = '<script type="application/json" id="report-data">';
  checker.equal((html.match(/<script/gi) ?? []).length, 2, 'file: <script elements');
  checker.equal((html.match(/<\/script/gi) ?? []).length, 2, 'file: </script> end tags');
  const start = html.indexOf(open) + open.length;
  const json = html.slice(start, html.indexOf('</script>', start));
  checker.ok(!/[<>&\u2028\u2029]/.test(json), 'file: the JSON block holds a raw <, >, & or U+2028/9');
  checker.ok(/^[\x20-\x7e]*$/.test(json), 'file: the JSON block is not printable ASCII');
  const data = JSON.parse(json);
  checker.equal(data.cluster, expected.kCluster, 'file: JSON cluster');
  expected.kAwkward.forEach(([key], j) => checker.equal(data.top_keys[j].key, key, `file: JSON key ${j}`));

  // Nothing outside the file: no URL but the SVG namespace, no src/href attributes in the
  // markup, no url() or @import in the style sheet.
  const outside = html.slice(0, start) + html.slice(start + json.length);
  const urls = new Set(outside.match(/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"`)<>]*/gi) ?? []);
  urls.delete('http://www.w3.org/2000/svg');
  checker.equal([...urls].join(' '), '', 'file: URLs outside the data');
  checker.ok(!/\s(src|href)\s*=/i.test(outside), 'file: a src or href attribute');
  const style = outside.slice(outside.indexOf('<style>'), outside.indexOf('</style>'));
  checker.ok(style.length > 0 && !/url\(|@import/i.test(style), 'file: url() or @import in the style sheet');
  checker.count('file checks');
}

// ---- Reading the page.
function tableRows(page, id) {
  return page.$$eval(`#${id} tbody tr`, (trs) => trs.map((tr) => [...tr.cells].map((td) => ({
    text: td.textContent, value: td.dataset.value === undefined ? null : Number(td.dataset.value),
  }))));
}

function near(a, b) {
  return Math.abs(a - b) <= kPixelSlack;
}

async function flameState(page) {
  return page.evaluate(() => {
    const chart = document.querySelector('svg.flame');
    const nodes = {};
    for (const g of chart.querySelectorAll('g.node')) {
      const name = g.dataset.prefix ?? `other of ${g.dataset.otherOf}`;
      nodes[name] = {
        x: Number(g.querySelector('svg').getAttribute('x')),
        width: Number(g.querySelector('rect').getAttribute('width')),
        label: g.querySelector('text').textContent,
        classes: g.getAttribute('class'),
      };
    }
    return {
      width: Number(chart.getAttribute('viewBox').split(' ')[2]),
      nodes,
      crumb: document.querySelector('.crumbs [aria-current]').textContent,
    };
  });
}

// Clicks the flame graph node of a prefix (as displayed), whatever characters it holds.
async function clickPrefix(page, prefix) {
  const handle = await page.evaluateHandle((p) =>
    [...document.querySelectorAll('svg.flame g.node')].find((g) => g.dataset.prefix === p), prefix);
  const node = handle.asElement();
  if (!node) throw new Error(`no flame graph node for prefix ${JSON.stringify(prefix)}`);
  await node.click();
}

async function downloadCsv(page, tableId) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click(`#${tableId} button.csv`),
  ]);
  return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
}

// ---- Checks of the full report.
async function checkHeader(page, checker) {
  checker.equal(await page.title(), expected.kTitle, 'document title');
  checker.equal(await page.textContent('h1'), expected.kCluster, 'cluster heading');
  checker.equal(await page.textContent('[data-meta="batch"]'), expected.kBatch, 'batch');
  checker.equal(await page.textContent('[data-meta="generated"]'), '2026-11-30T16:07:41Z', 'generated at');
  checker.equal(await page.textContent('[data-meta="strata"]'), '0.1.0', 'strata version');
  for (const [stat, [text, value]] of Object.entries(expected.kStats)) {
    const card = `[data-stat="${stat}"]`;
    checker.equal(await page.textContent(`${card} .value`), text, `headline ${stat}`);
    checker.equal(Number(await page.getAttribute(card, 'data-value')), value, `headline ${stat} value`);
  }
}

async function checkTotals(page, checker) {
  for (const [id, groups] of Object.entries(expected.kGroups)) {
    const rows = await tableRows(page, id);
    checker.equal(rows.length, groups.length, `${id}: rows`);
    groups.forEach(([name, keys, memory, rdb, expiring], r) => {
      const cells = rows[r] ?? [];
      checker.equal(cells[0]?.text, name, `${id} row ${r}: name`);
      checker.equal(cells[1]?.value, keys, `${id} row ${r}: keys`);
      checker.equal(cells[3]?.value, memory, `${id} row ${r}: memory`);
      checker.equal(cells[5]?.value, rdb, `${id} row ${r}: rdb`);
      checker.equal(cells[6]?.value, expiring, `${id} row ${r}: expiring`);
    });
  }
  const byType = await tableRows(page, 'table-by-type');
  expected.kByTypeText.forEach((row, r) => checker.equal(JSON.stringify(byType[r]?.map((c) => c.text)),
    JSON.stringify(row), `table-by-type row ${r} as shown`));
}

async function checkTopKeys(page, checker) {
  const rows = await tableRows(page, 'table-top-keys');
  const keys = expected.topKeys();
  checker.equal(rows.length, 100, 'top keys: rows');
  keys.forEach((k, r) => {
    const c = rows[r] ?? [];
    const what = `top key ${r + 1}`;
    checker.equal(c[0]?.text, String(r + 1), `${what}: rank`);
    checker.equal(c[1]?.text, k.instance, `${what}: instance`);
    checker.equal(c[2]?.value, k.db, `${what}: db`);
    checker.equal(c[3]?.text, k.key === '' ? '(empty key)' : k.key, `${what}: key`);
    checker.equal(c[4]?.text, k.type, `${what}: type`);
    checker.equal(c[5]?.text, k.encoding, `${what}: encoding`);
    checker.equal(c[6]?.value, k.members, `${what}: members`);
    checker.equal(c[7]?.value, k.memory, `${what}: memory`);
    checker.equal(c[9]?.value, k.rdb, `${what}: rdb size`);
    if (k.expiresText !== undefined) checker.equal(c[10]?.text, k.expiresText, `${what}: expires`);
    else if (k.expire === null) checker.equal(c[10]?.text, 'none', `${what}: expires`);
    else checker.equal(c[10]?.value, k.expire, `${what}: expires`);
  });
  expected.kTopMemoryText.forEach((text, r) =>
    checker.equal(rows[r]?.[7]?.text, text, `top key ${r + 1}: memory as shown`));

  // Escapes stand out; the empty key is a placeholder, not an empty cell.
  const escapes = await page.$$eval('#table-top-keys tbody tr:nth-child(2) .esc',
                                    (e) => e.map((x) => x.textContent));
  checker.equal(escapes.join(' '), '\\x00 \\x01 \\xff \\xfe \\x1b', 'top key 2: highlighted escapes');
  checker.equal(await page.$$eval('#table-top-keys tbody tr:nth-child(11) .placeholder', (e) => e.length), 1,
                'top key 11: empty-key placeholder');

  // Nothing from the data became markup or ran.
  const injected = await page.evaluate(() => ({
    pwned: typeof window.pwned,
    scripts: document.scripts.length,
    elements: document.querySelectorAll('img, iframe, object, embed, #app b, #app script').length,
  }));
  checker.equal(injected.pwned, 'undefined', 'window.pwned (script injected by a key)');
  checker.equal(injected.scripts, 2, 'script elements in the page');
  checker.equal(injected.elements, 0, 'elements injected by keys (img, iframe, b, script...)');
}

async function checkCsv(page, checker) {
  const byType = await downloadCsv(page, 'table-by-type');
  checker.equal(byType.name, 'eu-west_orders_b_amp_b_2026-11-30_16-05-09.123Z_type.csv', 'by-type CSV: file name');
  checker.equal(byType.text, expected.kByTypeCsv, 'by-type CSV: text');
  const top = await downloadCsv(page, 'table-top-keys');
  const lines = top.text.split('\r\n');
  checker.equal(lines.length, 102, 'top keys CSV: lines (header, 100 rows, final CRLF)');
  checker.equal(lines[101], '', 'top keys CSV: ends with CRLF');
  for (const [n, line] of Object.entries(expected.kTopKeysCsv)) {
    checker.equal(lines[Number(n)], line, `top keys CSV: line ${n}`);
  }
  checker.count('CSV downloads', 2);
}

async function checkSorting(page, checker) {
  const names = async () => (await tableRows(page, 'table-by-instance')).map((r) => r[0].text).join(' ');
  const memoryHeader = '#table-by-instance th:nth-child(4)';
  await page.click(`${memoryHeader} button`);
  checker.equal(await names(), '10.0.1.11:6379 10.0.1.12:6379 10.0.1.13:6379', 'by instance, memory descending');
  checker.equal(await page.getAttribute(memoryHeader, 'aria-sort'), 'descending', 'aria-sort after one click');
  await page.click(`${memoryHeader} button`);
  checker.equal(await names(), '10.0.1.13:6379 10.0.1.12:6379 10.0.1.11:6379', 'by instance, memory ascending');
  checker.equal(await page.getAttribute(memoryHeader, 'aria-sort'), 'ascending', 'aria-sort after two clicks');

  await page.click('#table-top-keys th:nth-child(7) button'); // members
  const first = (await tableRows(page, 'table-top-keys'))[0];
  checker.equal(first[0].text, '6', 'top keys by members: the long key (rank 6) first');
  checker.equal(first[6].value, 70000, 'top keys by members: its member count');
  await page.click('#table-top-keys th:nth-child(1) button'); // back to rank order
  await page.click('#table-top-keys th:nth-child(1) button');
  checker.equal((await tableRows(page, 'table-top-keys'))[0][0].text, '1', 'top keys by rank again');
}

async function checkFlameGraph(page, checker) {
  let s = await flameState(page);
  const w = s.width;
  checker.ok(w > 1000, `flame graph: ${w} px wide at 1280 px`);
  checker.ok(near(s.nodes['']?.width, w - 1), `flame graph: root spans the width (${s.nodes['']?.width})`);
  checker.ok(s.nodes['']?.label.startsWith('all keys'), 'flame graph: root label');
  for (const [prefix, mib] of Object.entries(expected.kPrefixMiB)) {
    const want = (mib / expected.kRootMiB) * w - 1;
    checker.ok(near(s.nodes[prefix]?.width, want),
               `flame graph: ${prefix} is ${s.nodes[prefix]?.width} px wide, expected ${want.toFixed(1)}`);
  }
  checker.ok(s.nodes['other of '] !== undefined, 'flame graph: the root has an "other" block');

  // Zoom into user: -- it fills the width, its siblings go, the root becomes the way back.
  await clickPrefix(page, 'user:');
  s = await flameState(page);
  checker.equal(s.crumb, 'user:', 'zoomed: breadcrumb');
  checker.ok(near(s.nodes['user:']?.width, w - 1) && s.nodes['user:']?.x === 0, 'zoomed: user: fills the width');
  checker.ok(near(s.nodes['user:session:']?.width, (2048 / 3072) * w - 1), 'zoomed: user:session: is 2/3 of the width');
  checker.equal(s.nodes['cache:'], undefined, 'zoomed: cache: is gone');
  checker.ok(s.nodes['']?.classes.includes('ancestor') && s.nodes['']?.label.includes('click to zoom out'),
             `zoomed: the root's label says how to zoom out (${s.nodes['']?.label})`);

  // The tooltip of a prefix.
  await page.hover('svg.flame g.node[data-prefix="user:session:"]');
  const tip = await page.textContent('#tooltip');
  checker.ok(tip.includes('400,000 keys \u00b7 32.4% of all keys') &&
             tip.includes('memory 2.00 GiB \u00b7 28.6% of all \u00b7 66.7% of parent'), `tooltip: ${tip}`);

  // Back out through the root, then zoom from the prefix table, then into an escaped prefix.
  await clickPrefix(page, '');
  s = await flameState(page);
  checker.equal(s.crumb, 'all keys', 'zoomed out: breadcrumb');
  checker.ok(near(s.nodes['user:']?.width, (3072 / 7168) * w - 1) && s.nodes['cache:'] !== undefined,
             'zoomed out: proportional widths again');
  const row = await page.evaluateHandle(() => [...document.querySelectorAll('#table-prefixes tbody tr')]
    .find((tr) => tr.cells[0].textContent === 'cache:item:')?.querySelector('button'));
  await row.asElement().click();
  s = await flameState(page);
  checker.equal(s.crumb, 'cache:item:', 'prefix table click: breadcrumb');
  checker.ok(near(s.nodes['cache:item:']?.width, w - 1), 'prefix table click: cache:item: fills the width');
  await clickPrefix(page, '');
  await clickPrefix(page, 'bin:\\x00\\xff:');
  s = await flameState(page);
  checker.equal(s.crumb, 'bin:\\x00\\xff:', 'zoomed into an escaped prefix');
  await clickPrefix(page, 'bin:\\x00\\xff:'); // the zoomed node again: one level out
  checker.equal((await flameState(page)).crumb, 'all keys', 'clicking the zoomed prefix zooms out');
  checker.count('flame graph zooms', 5);
}

async function checkSlotsAndExpiry(page, checker) {
  for (const [id, want] of Object.entries(expected.kSlots)) {
    for (const [stat, text] of Object.entries(want.cards)) {
      checker.equal(await page.textContent(`#${id} [data-stat="${stat}"] .value`), text, `${id}: ${stat}`);
    }
    checker.equal(await page.locator(`#${id} .warn`).count(), want.several > 0 ? 1 : 0, `${id}: warning`);
    const several = await tableRows(page, `table-${id}-several`);
    checker.equal(several.filter((r) => r.length > 1).length, want.several, `${id}: slots on several instances`);
    const largest = await tableRows(page, `table-${id}-largest`);
    checker.equal(JSON.stringify(largest.map((r) => r[2].text)), JSON.stringify(want.largestMemoryText),
                  `${id}: largest slots' memory`);
  }
  const several = await tableRows(page, 'table-slots-redis-several');
  checker.equal(several[0]?.[1]?.text, '10.0.1.11:6379 10.0.1.12:6379', 'slot 5798: its instances');

  const rows = await tableRows(page, 'table-expiry');
  checker.equal(JSON.stringify(rows.map((r) => [r[0].text, r[1].text, r[3].text])),
                JSON.stringify(expected.kExpiry), 'expiry table');
  checker.equal(await page.locator('svg.bars g.bucket').count(), expected.kExpiry.length, 'expiry bars');
}

async function checkNarrow(page, checker, screenshot) {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForFunction(() =>
    Number(document.querySelector('svg.flame').getAttribute('viewBox').split(' ')[2]) <= 390);
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  checker.ok(widths[0] <= widths[1], `narrow window: the page is ${widths[0]} px wide in ${widths[1]} px`);
  await page.screenshot({ path: screenshot });
}

async function checkEmpty(page, checker) {
  checker.equal(await page.textContent('[data-stat="keys"] .value'), '0', 'empty report: keys');
  checker.equal(await page.textContent('[data-stat="memory"] .value'), '0 B', 'empty report: memory');
  checker.equal(await page.textContent('#table-top-keys td.empty'), 'none', 'empty report: top keys');
  checker.equal(await page.textContent('#table-big-keys td.empty'), 'no big keys', 'empty report: big keys');
  checker.equal(await page.locator('#slots').count(), 0, 'empty report: no slot section');
  checker.equal(await page.locator('svg.flame g.node').count(), 1, 'empty report: the flame graph is its root');
}

await runMain(kName, async () => {
  const [fixtureBin, scratch] = process.argv.slice(2);
  if (!fixtureBin || !scratch) throw new Error('usage: report_in_chromium.mjs REPORT_FIXTURE SCRATCH');
  const why = await whyNoBrowser();
  if (why) {
    console.log(`SKIP: ${why}`);
    process.exit(77);
  }
  const started = Date.now();
  const checker = new Checker(kName);
  const report = path.join(scratch, 'report.html');
  const empty = path.join(scratch, 'empty.html');
  execFileSync(fixtureBin, ['full', report], { stdio: 'inherit' });
  execFileSync(fixtureBin, ['empty', empty], { stdio: 'inherit' });
  checkFile(readFileSync(report, 'utf8'), checker);

  const reportUrl = pathToFileURL(report).href;
  const emptyUrl = pathToFileURL(empty).href;
  const browser = await launchOffline(path.join(scratch, 'profile'), new Set([reportUrl, emptyUrl]),
                                      { viewport: { width: 1280, height: 900 } });
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    const problems = watchPage(page);
    await page.goto(reportUrl);
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector('svg.flame g.node');
    await checkHeader(page, checker);
    await checkTotals(page, checker);
    await checkTopKeys(page, checker);
    await checkCsv(page, checker);
    await checkSorting(page, checker);
    await checkFlameGraph(page, checker);
    await checkSlotsAndExpiry(page, checker);
    const screenshot = path.join(scratch, 'report.png');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: screenshot, fullPage: true });
    await checkNarrow(page, checker, path.join(scratch, 'report-narrow.png'));

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(emptyUrl);
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector('svg.flame g.node');
    await checkEmpty(page, checker);

    checker.equal(problems.join('\n'), '', 'console errors, warnings and page errors');
    checker.equal(browser.blocked.join(' '), '', 'requests the pages attempted');
    console.log(`screenshot: ${screenshot}`);
    console.log(`screenshot: ${path.join(scratch, 'report-narrow.png')}`);
  } finally {
    await browser.close();
  }
  console.log(`${kName}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  checker.finish();
});
