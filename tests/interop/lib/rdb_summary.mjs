// The per-instance summary a dump stores in its Parquet footer (key/value metadata
// "strata.rdb.summary.v1", JSON; src/rdb/key_summary.h), read through DuckDB's
// parquet_kv_metadata() and checked against totals computed here, independently, from the
// same file's rows (as DuckDB reads them) and from the server's string lengths (STRLEN).
import { sqlString } from './duckdb.mjs';

export const kSummaryKey = 'strata.rdb.summary.v1';
const kTopKeys = 100;
const kHourMs = 3600 * 1000;
// Big keys (the issue's definition): strings over 1 MiB, containers over 10,000 members or
// over 64 MiB of memory.
const kBigStringBytes = 1 << 20;
const kBigMembers = 10000;
const kBigContainerBytes = 64 * 1024 * 1024;

// The summary JSON of a file, parsed; throws when it is absent.
export async function readSummary(connection, file) {
  const kv = await connection.runAndReadAll(
    `SELECT key, value FROM parquet_kv_metadata(${sqlString(file)})`);
  const text = (blob) => (blob === null ? null : Buffer.from(blob.bytes).toString('utf8'));
  const found = kv.getRows().map(([k, v]) => [text(k), text(v)]).filter(([k]) => k === kSummaryKey);
  if (found.length !== 1) throw new Error(`${file}: ${found.length} ${kSummaryKey} entries`);
  return JSON.parse(found[0][1]);
}

const rowId = (db, keyBuffer) => `${db}/${keyBuffer.toString('hex')}`;

function totalsOf(rows) {
  return {
    keys: rows.length,
    rdb_bytes: rows.reduce((s, r) => s + r.rdb_size, 0),
    memory_bytes: rows.reduce((s, r) => s + r.memory_estimate, 0),
    expiring_keys: rows.filter((r) => r.expire_at !== null).length,
  };
}

function groupTotals(rows, keyOf) {
  const groups = new Map();
  for (const r of rows) {
    const k = keyOf(r);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(r);
  }
  return Object.fromEntries([...groups].sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, rs]) => [k, totalsOf(rs)]));
}

function expiryBucket(r, batchMs) {
  if (r.expire_at === null) return 'none';
  const left = r.expire_at - batchMs;
  if (left <= 0) return 'expired';
  if (left < kHourMs) return 'lt_1h';
  if (left < 24 * kHourMs) return 'lt_1d';
  if (left < 168 * kHourMs) return 'lt_7d';
  return 'later';
}

// Sorted JSON of an object, so key order does not matter in comparisons.
function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

// rows: the file's rows (readDumpFile, with memory_estimate); expected: the server's rows
// for the same keys (expectedRows, with stringLength = STRLEN for strings); batchMs: the
// batch column's time in ms.
export function checkSummary(checker, what, summary, rows, { instance, batchMs, expected }) {
  const lengths = new Map(expected.map((e) => [rowId(e.db, e.key), e.stringLength]));
  const stringLength = (r) => lengths.get(rowId(r.db, r.key));
  const same = (actual, expected, label) =>
    checker.equal(canonical(actual), canonical(expected), `${what}: summary ${label}`);
  same(summary.version, 1, 'version');
  same(summary.instance, instance, 'instance');
  same(summary.batch_ms, batchMs, 'batch_ms');

  const totals = totalsOf(rows);
  for (const field of Object.keys(totals)) same(summary[field], totals[field], field);
  same(summary.by_db ?? {}, groupTotals(rows, (r) => String(r.db)), 'by_db');
  same(summary.by_type ?? {}, groupTotals(rows, (r) => r.type), 'by_type');
  same(summary.by_encoding ?? {}, groupTotals(rows, (r) => r.encoding), 'by_encoding');

  const expiry = Object.fromEntries(
    ['expired', 'lt_1h', 'lt_1d', 'lt_7d', 'later', 'none'].map((b) => [b, [0, 0]]));
  for (const r of rows) {
    const e = expiry[expiryBucket(r, batchMs)];
    e[0] += 1;
    e[1] += r.memory_estimate;
  }
  same(summary.expiry, expiry, 'expiry histogram');

  // Top keys: the largest memory estimates, in descending order; each entry as in its row.
  // Keys tied at the cut may be either, so the memory sequence is compared, then each entry.
  const byId = new Map(rows.map((r) => [rowId(r.db, r.key), r]));
  const memories = rows.map((r) => r.memory_estimate).sort((a, b) => b - a)
    .slice(0, kTopKeys);
  same(summary.top_keys.map((k) => k.memory), memories, 'top key memory sequence');
  const entryMatches = (k, label) => {
    const r = byId.get(rowId(k.db, Buffer.from(k.key_b64, 'base64')));
    if (!r) {
      checker.fail(`${what}: summary ${label} names a key not in the file: db ${k.db} ${k.key_b64}`);
      return;
    }
    same({ type: k.type, encoding: k.encoding, members: k.members, rdb_size: k.rdb_size,
           memory: k.memory, expire_at_ms: k.expire_at_ms ?? null },
         { type: r.type, encoding: r.encoding, members: r.member_count, rdb_size: r.rdb_size,
           memory: r.memory_estimate, expire_at_ms: r.expire_at },
         `${label} db ${k.db} key 0x${r.key.toString('hex')}`);
  };
  for (const k of summary.top_keys) entryMatches(k, 'top key');

  const big = rows.filter((r) => (r.type === 'string'
    ? stringLength(r) > kBigStringBytes
    : r.member_count > kBigMembers || r.memory_estimate > kBigContainerBytes));
  same(summary.big_keys.map((k) => rowId(k.db, Buffer.from(k.key_b64, 'base64'))).sort(),
       big.map((r) => rowId(r.db, r.key)).sort(), 'big keys');
  for (const k of summary.big_keys) entryMatches(k, 'big key');
  same(summary.big_keys_truncated, false, 'big_keys_truncated');

  // Slots seen: [slot, keys, memory] in slot order, for the slot columns the file fills.
  for (const [column, field] of [['redis_slot', 'redis_slots'], ['codis_slot', 'codis_slots']]) {
    const filled = rows.filter((r) => r[column] !== null);
    if (filled.length === 0) {
      same(summary[field] ?? null, null, field);
      continue;
    }
    const slots = new Map();
    for (const r of filled) {
      const s = slots.get(r[column]) ?? [0, 0];
      slots.set(r[column], [s[0] + 1, s[1] + r.memory_estimate]);
    }
    same(summary[field], [...slots].sort(([a], [b]) => a - b).map(([s, [n, m]]) => [s, n, m]),
         field);
  }
  checker.count('summaries checked');
  return { big: big.length, top: summary.top_keys.length };
}
