// interop.rdb_dump_standalone: a real redis-server (Debian's 7.0) holds every type in every
// encoding it produces; `strata rdb dump` reads it three ways (from-file on its SAVE,
// from-standalone with a disk-based and with a diskless replica transfer) and each Parquet
// file, read by DuckDB, must hold exactly the server's keys with what redis-cli reports for
// them. Then a dump whose second file is corrupt must fail without publishing a batch.
//
//   node rdb_dump_standalone.mjs STRATA SCRATCH_DIR
//
// Checked per file: the row set is the server's key set (SCAN of every db) with the right
// db; TYPE; member_count = HLEN/SCARD/ZCARD/LLEN/XLEN (1 for strings); expire_at =
// PEXPIRETIME (null for -1); encoding = OBJECT ENCODING mapped to the file's encoding
// (lib/redis_expect.mjs); rdb_size = DEBUG OBJECT serializedlength (the bytes rdbSaveObject
// writes for the value); idle_seconds, freq and both slots null; cluster, instance and batch;
// rows sorted by (db, key) as unsigned bytes; the exact path
// cluster=<c>/batch=<b>/<instance>.parquet (':' made '-'), nothing else left (no
// _tmp_batch=, no run file, though --run-rows 10 makes many runs); schema, ZSTD on every
// chunk and sorting_columns (db, key); the footer's summary (strata.rdb.summary.v1: totals by
// db, type and encoding, expiry histogram, top and big keys) against totals of the rows
// (lib/rdb_summary.mjs). The three files hold the same rows but for instance and batch.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Checker, runMain } from './lib/check.mjs';
import { openDuckDB } from './lib/duckdb.mjs';
import {
  batchId, checkFileMetadata, checkLayout, checkSorted, compareWithServer, dumpOk,
  listTree, readDumpFile, rfc3339Nanos, runDump, runsLogged,
} from './lib/rdb_dump.mjs';
import { checkSummary, readSummary } from './lib/rdb_summary.mjs';
import { expectedRows } from './lib/redis_expect.mjs';
import { redisMissing, redisVersion, startRedis, stopAllRedis } from './lib/redis.mjs';

const kName = 'interop.rdb_dump_standalone';
const kRunRows = 10;
// Sizes that put every encoding within reach of a few keys.
const kServerConfig = [
  'hash-max-listpack-entries 8', 'hash-max-listpack-value 32',
  'set-max-intset-entries 8',
  'zset-max-listpack-entries 8', 'zset-max-listpack-value 32',
  'list-max-listpack-size -2', // 8 KB nodes
  'stream-node-max-entries 10',
  'rdbcompression yes', 'rdbchecksum yes',
];
const kPlainElement = 9 * 1024; // above the 8 KB node limit of list-max-listpack-size -2

// Deterministic bytes (xorshift32), so a failure reproduces with the same data.
function randomBytes(seed, n) {
  let s = seed >>> 0 || 1;
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    out[i] = s & 0xff;
  }
  return out;
}

const range = (n) => Array.from({ length: n }, (_, i) => i);

// The data set: commands per db. `now` anchors the expiries (an hour and more ahead).
function dataSet(now, setListpack) {
  const ttl = (k, plus = 0) => ['PEXPIREAT', k, String(now + 3600000 + plus)];
  const db0 = [
    // Hashes: listpack (few, short), hashtable (many fields; one long value).
    ['HSET', 'hash:listpack', 'f1', 'v1', 'f2', '2', 'f3', 'v3'],
    ['HSET', 'hash:many', ...range(20).flatMap((i) => [`field${i}`, `value${i}`])],
    ['HSET', 'hash:long-value', 'f', 'v'.repeat(100)],
    // Sets: intset, hashtable (too many integers; strings on 7.0; many strings).
    ['SADD', 'set:intset', '1', '2', '3', '-7', '100000'],
    ['SADD', 'set:ints-many', ...range(20).map(String)],
    ['SADD', 'set:strings', 'a', 'b', 'c'],
    ['SADD', 'set:strings-many', ...range(20).map((i) => `member${i}`)],
    ['SADD', 'set:long-member', 'm'.repeat(100), 'x'],
    // One member past the summary's big-key threshold (10,000 members).
    ['SADD', 'set:big', ...range(10001).map((i) => `big${i}`)],
    // Sorted sets: listpack, skiplist (many members; one long member).
    ['ZADD', 'zset:listpack', '1', 'a', '2.5', 'b', '-3', 'c'],
    ['ZADD', 'zset:many', ...range(20).flatMap((i) => [String(i * 1.5), `member${i}`])],
    ['ZADD', 'zset:long-member', '1', 'z'.repeat(100)],
    // Lists: one node; many 8 KB nodes; compressed inner nodes (list-compress-depth 1 while
    // it is created); PLAIN nodes for elements above the node limit, one compressible, one
    // not (Redis 7.0 makes PLAIN nodes only above quicklist's packed threshold, 1 GB unless
    // DEBUG QUICKLIST-PACKED-THRESHOLD lowers it; 7.2+ also for elements above the limit).
    ['RPUSH', 'list:small', 'a', 'b', '3'],
    ['RPUSH', 'list:nodes', ...range(2000).map((i) => `element-${String(i).padStart(8, '0')}`)],
    ['CONFIG', 'SET', 'list-compress-depth', '1'],
    ['RPUSH', 'list:compressed', ...range(3000).map((i) => `compressible-${i % 50}`)],
    ['CONFIG', 'SET', 'list-compress-depth', '0'],
    ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', String(8 * 1024)],
    ['RPUSH', 'list:plain', 'small1', 'p'.repeat(kPlainElement), 'small2',
      randomBytes(7, kPlainElement), 'small3'],
    ['RPUSH', 'list:plain-only', randomBytes(8, kPlainElement + 100)],
    // Strings: int (small, negative, beyond 32 bits), embstr, embstr LZF-compressible, raw
    // random, raw compressible, 1 MiB random, 1.5 MB compressible, a raw "123" made by
    // APPEND, "007" (not canonical), empty, a HyperLogLog, a bitmap.
    ['SET', 'str:int', '12345'],
    ['SET', 'str:int-negative', '-42'],
    ['SET', 'str:int-64bit', '12345678901'],
    ['SET', 'str:embstr', 'hello'],
    ['SET', 'str:embstr-lzf', 'a'.repeat(40)],
    ['SET', 'str:raw-random', randomBytes(1, 100)],
    ['SET', 'str:raw-lzf', 'abc'.repeat(300)],
    ['SET', 'str:big-random', randomBytes(2, 1 << 20)],
    ['SET', 'str:big-lzf',
      range(150000).map((i) => `line ${i % 1000};`).join('').slice(0, 1500000)],
    ['SET', 'str:append-int', '12'],
    ['APPEND', 'str:append-int', '3'],
    ['SET', 'str:zero-padded', '007'],
    ['SET', 'str:empty', ''],
    ['PFADD', 'str:hll', ...range(50).map((i) => `visitor${i}`)],
    ['SETBIT', 'str:bitmap', '1000', '1'],
    // Streams: several listpack nodes, a deleted entry, two groups with consumers and
    // pending entries; an emptied stream; a stream made by XGROUP CREATE ... MKSTREAM.
    ...range(35).map((i) => ['XADD', 'stream:groups', `${i + 1}-0`, 'field', `value${i}`,
                             'n', String(i)]),
    ['XDEL', 'stream:groups', '5-0'],
    ['XGROUP', 'CREATE', 'stream:groups', 'g1', '0'],
    ['XGROUP', 'CREATE', 'stream:groups', 'g2', '$'],
    ['XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '5', 'STREAMS', 'stream:groups', '>'],
    ['XREADGROUP', 'GROUP', 'g1', 'bob', 'COUNT', '3', 'STREAMS', 'stream:groups', '>'],
    ['XACK', 'stream:groups', 'g1', '1-0', '2-0'],
    ['XGROUP', 'CREATECONSUMER', 'stream:groups', 'g2', 'carol'],
    ['XADD', 'stream:emptied', '1-0', 'a', '1'],
    ['XDEL', 'stream:emptied', '1-0'],
    ['XGROUP', 'CREATE', 'stream:mkstream', 'g', '$', 'MKSTREAM'],
    // Expiries, in the future.
    ['SET', 'ttl:string', 'v'], ttl('ttl:string'),
    ['HSET', 'ttl:hash', 'f', 'v'], ttl('ttl:hash', 1),
    ['RPUSH', 'ttl:list', 'a'], ttl('ttl:list', 2),
    ['XADD', 'ttl:stream', '1-1', 'f', 'v'], ttl('ttl:stream', 3),
    ['SET', 'ttl:far', 'v'], ['PEXPIREAT', 'ttl:far', '4102444800123'], // 2100-01-01
    // Binary keys (sorted as unsigned bytes: the empty key first, 0x80 and 0xff last) and
    // hash tags.
    ['SET', Buffer.alloc(0), 'the empty key'],
    ['SET', Buffer.from([0x00]), 'nul'],
    ['SET', Buffer.from([0x00, 0x00]), 'nul nul'],
    ['SET', Buffer.from([0x00, 0x01]), 'nul one'],
    ['SET', Buffer.from([0x7f]), 'del'],
    ['SET', Buffer.from([0x80]), 'high'],
    ['HSET', Buffer.from([0xff]), 'f', 'v'],
    ['SET', Buffer.from([0xff, 0xff, 0x00]), 'high high nul'],
    ['SET', 'key\nwith newline', '1'],
    ['SET', 'key\r\n"quoted"\\', '2'],
    ['SET', 'clé €', 'utf-8'],
    ['SET', '{user1}:name', 'ann'],
    ['RPUSH', '{user1}:cart', 'apple', 'pear'],
    ['SET', 'a{}b', 'empty tag'],
    ['SET', '{}', 'only an empty tag'],
    ['SET', '{a}{b}', 'two tags'],
    ['SET', 'x{y', 'unclosed'],
    ['SET', '}{z}', 'close first'],
  ];
  if (setListpack) db0.push(['SADD', 'set:listpack', 'a', 'b']);
  const db1 = [
    ['SET', 'shared-name', 'db1'],
    ['HSET', 'hash', 'f', 'v'],
    ['RPUSH', 'list', 'x', 'y'], ttl('list', 4),
    ['SADD', 'set', '1', '2'],
    ['ZADD', 'zset', '1', 'm'],
    ['XADD', 'stream', '1-0', 'f', 'v'],
  ];
  const db5 = [
    ['SET', 'shared-name', 'db5'], ttl('shared-name', 5),
    ['SET', 'counter', '99'], ttl('counter', 6),
    ['HSET', 'h', 'f', 'v'], ttl('h', 7),
  ];
  const db15 = [
    ['SET', 'shared-name', 'db15'],
    ['SET', Buffer.alloc(0), 'empty key in db 15'],
    ['HSET', 'hash', ...range(30).flatMap((i) => [`f${i}`, `v${i}`])],
    ['SADD', 'set', ...range(30).map((i) => `s${i}`)],
    ['ZADD', 'zset', ...range(30).flatMap((i) => [String(i), `z${i}`])],
  ];
  return [[0, db0], [1, db1], [5, db5], [15, db15]];
}

function load(server, data) {
  const commands = [];
  for (const [db, list] of data) commands.push(['SELECT', String(db)], ...list);
  server.pipe(commands);
}

// Quicklist node kinds of a list, from DEBUG QUICKLIST (printed on the server's stdout,
// which is its log; DEBUG LOG makes it flush).
function quicklistContainers(server, key) {
  const before = server.log().length;
  server.call('DEBUG', 'QUICKLIST', key);
  server.call('DEBUG', 'LOG', 'flush');
  const printed = server.log().slice(before);
  return [...printed.matchAll(/container : (\w+)/g)].map((m) => m[1]);
}

// The server's state that the data set must reach for the test to cover what it claims.
function checkCoverage(checker, server, expected, version) {
  const seen = new Map();
  for (const e of expected) {
    const k = `${e.type} ${e.objectEncoding} -> ${e.encoding}`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  const newer = version[0] > 7 || (version[0] === 7 && version[1] >= 2);
  const required = [
    'hash listpack -> listpack', 'hash hashtable -> hashtable',
    'set intset -> intset', 'set hashtable -> hashtable',
    'zset listpack -> listpack', 'zset skiplist -> skiplist',
    newer ? 'list listpack -> quicklist2' : 'list quicklist -> quicklist2',
    newer ? 'stream stream -> listpacks3' : 'stream stream -> listpacks2',
    'string int -> int', 'string int -> raw', 'string embstr -> raw', 'string embstr -> lzf',
    'string raw -> raw', 'string raw -> lzf', 'string raw -> int',
    ...(newer ? ['set listpack -> listpack'] : []),
  ];
  for (const r of required) checker.ok(seen.has(r), `coverage: no key is ${r}`);
  const plain = quicklistContainers(server, 'list:plain');
  checker.equal(plain.join(','), 'PACKED,PLAIN,PACKED,PLAIN,PACKED', 'coverage: list:plain nodes');
  const nodes = server.call('DEBUG', 'OBJECT', 'list:nodes').toString();
  checker.ok(Number(nodes.match(/ql_nodes:(\d+)/)?.[1]) > 3, `coverage: list:nodes ${nodes}`);
  const compressed = server.call('DEBUG', 'OBJECT', 'list:compressed').toString();
  checker.ok(/ql_compressed:1/.test(compressed) &&
             Number(compressed.match(/ql_nodes:(\d+)/)?.[1]) > 2,
             `coverage: list:compressed ${compressed}`);
  const groups = server.call('XINFO', 'STREAM', 'stream:groups');
  checker.equal(groups.groups, 2, 'coverage: stream:groups groups');
  const pending = server.call('XPENDING', 'stream:groups', 'g1');
  checker.equal(pending[0], 6, 'coverage: stream:groups pending entries of g1');
  checker.ok(expected.some((e) => e.expire_at !== null), 'coverage: keys with expiries');
  checker.equal([...new Set(expected.map((e) => e.db))].join(','), '0,1,5,15',
                'coverage: databases');
  return [...seen.entries()].sort();
}

// Checks one dump's file: layout, metadata, order, constant columns, and the server's view.
async function checkDump(checker, duckdb, dump, expected) {
  const [file] = checkLayout(checker, dump.what, dump.dir, dump.clusterDir, dump.batchId,
                             [dump.fileName]);
  await checkFileMetadata(duckdb, file, checker);
  const rows = await readDumpFile(duckdb, file, checker);
  checkSorted(checker, dump.what, rows);
  for (const [i, r] of rows.entries()) {
    if (r.cluster !== dump.cluster || r.instance !== dump.instance ||
        !dump.batchOk(BigInt(r.batch))) {
      checker.fail(`${dump.what}: row ${i}: cluster ${r.cluster}, instance ${r.instance}, ` +
                   `batch ${r.batch}; expected ${dump.cluster}, ${dump.instance}, ` +
                   `${dump.batchText}`);
      break;
    }
  }
  // The batch directory names the batch column's time.
  if (rows.length > 0) {
    checker.equal(batchId(rows[0].batch), dump.batchId, `${dump.what}: batch dir`);
  }
  compareWithServer(checker, dump.what, rows, expected,
                    () => ({ codis_slot: null, redis_slot: null }));
  // The footer's summary against totals of these rows; string lengths from the server.
  const summaryCounts = checkSummary(checker, dump.what, await readSummary(duckdb, file), rows, {
    instance: dump.instance,
    batchMs: rows.length > 0 ? Number(BigInt(rows[0].batch) / 1000000n) : null,
    expected,
  });
  // The data set has a 1.5 MB string and a 10,001-member set, and a string of exactly 1 MiB
  // that is not big: a summary without big keys would not pass unnoticed.
  checker.equal(summaryCounts.big, 2, `${dump.what}: big keys in the data set`);
  checker.ok(dump.stdout.includes(`: ${expected.length} keys, RDB v`),
             `${dump.what}: summary line names ${expected.length} keys: ${dump.stdout}`);
  const runs = runsLogged(dump.stderr);
  checker.ok(runs >= Math.floor(expected.length / kRunRows),
             `${dump.what}: ${runs} runs logged for ${expected.length} keys at ` +
             `--run-rows ${kRunRows}`);
  checker.count('files checked');
  return { rows, runs };
}

// The rows without the columns that name the source (instance, batch).
function contentOf(rows) {
  return rows.map((r) => JSON.stringify({ ...r, instance: undefined, batch: undefined,
                                          key: r.key.toString('hex') }));
}

// A dump of a good and a truncated copy of the RDB: exits non-zero naming the bad instance,
// publishes no batch= and keeps _tmp_batch= for inspection.
function checkAtomicity(checker, strata, scratch, rdbPath) {
  const dir = path.join(scratch, 'atomicity');
  fs.mkdirSync(dir, { recursive: true });
  const good = path.join(dir, 'good.rdb');
  const bad = path.join(dir, 'bad.rdb');
  fs.copyFileSync(rdbPath, good);
  const bytes = fs.readFileSync(rdbPath);
  fs.writeFileSync(bad, bytes.subarray(0, Math.floor(bytes.length / 2)));
  const lake = path.join(dir, 'lake');
  const r = runDump(strata, ['from-file', '--path', good, '--path', bad, '--cluster', 'atomic',
                             'into-parquet', '--dir', lake, '--run-rows', String(kRunRows)]);
  checker.ok(r.status !== 0 && r.status !== null, `atomicity: exit status ${r.status}`);
  checker.ok(/instance bad\.rdb/.test(r.stderr),
             `atomicity: the message names the instance bad.rdb: ${r.stderr.trim()}`);
  const tree = fs.existsSync(lake) ? listTree(lake) : [];
  checker.ok(!tree.some((p) => /(^|\/)batch=/.test(p)), `atomicity: a batch= exists: ${tree}`);
  checker.ok(tree.some((p) => /^cluster=atomic\/_tmp_batch=[^/]+\/$/.test(p)),
             `atomicity: no _tmp_batch= kept: ${tree}`);
  checker.ok(!/^batch /m.test(r.stdout), `atomicity: a batch was announced: ${r.stdout}`);
  checker.count('failed dumps checked');
  return r;
}

await runMain(kName, async () => {
  const [strata, scratch] = process.argv.slice(2);
  if (!strata || !scratch) throw new Error('usage: rdb_dump_standalone.mjs STRATA SCRATCH');
  const missing = redisMissing();
  if (missing) {
    console.log(`SKIP: ${missing}`);
    process.exitCode = 77;
    return;
  }
  const checker = new Checker(kName);
  const times = [];
  const timed = async (what, fn) => {
    const start = Date.now();
    const result = await fn();
    times.push(`${what} ${((Date.now() - start) / 1000).toFixed(2)} s`);
    return result;
  };
  const version = redisVersion();
  try {
    const server = await timed('start', () => startRedis({ dir: path.join(scratch, 'redis'),
                                                          config: kServerConfig }));
    // Redis 7.2+ keeps small sets of strings in a listpack.
    const setListpack =
      'set-max-listpack-entries' in server.call('CONFIG', 'GET', 'set-max-listpack-entries');
    if (setListpack) server.call('CONFIG', 'SET', 'set-max-listpack-entries', '8');
    await timed('load', () => load(server, dataSet(Date.now(), setListpack)));
    const expected = await timed('expected (redis-cli)',
                                 () => expectedRows(server, { redisVersion: version }));
    const coverage = checkCoverage(checker, server, expected, version);
    server.call('SAVE');
    const rdbPath = path.join(server.dir, 'dump.rdb');
    const rdbCopy = path.join(scratch, 'saved.rdb');
    fs.copyFileSync(rdbPath, rdbCopy); // a disk-based sync rewrites dump.rdb

    const duckdb = await openDuckDB();
    const cluster = server.address;
    const clusterDir = cluster.replaceAll(':', '-');
    const dumps = [];

    // from-file, at a given batch time.
    {
      const batchText = '2026-11-30T16:05:09.123456789Z';
      const dir = path.join(scratch, 'lake-file');
      const r = await timed('dump from-file', () => dumpOk(strata, [
        '--batch-timestamp', batchText, 'from-file', '--path', rdbCopy, '--cluster', cluster,
        'into-parquet', '--dir', dir, '--run-rows', String(kRunRows)]));
      const ns = rfc3339Nanos(batchText);
      dumps.push({ ...r, what: 'from-file', dir, cluster, clusterDir, batchText,
                   batchId: '2026-11-30_16-05-09.123Z', batchOk: (b) => b === (ns / 1000n) * 1000n,
                   instance: 'saved.rdb', fileName: 'saved.rdb.parquet' });
    }
    // from-standalone, disk-based: the batch is "now"; cluster and instance default to the
    // address; --fan-in 4 makes intermediate merge passes.
    {
      server.call('CONFIG', 'SET', 'repl-diskless-sync', 'no');
      const before = BigInt(Date.now()) * 1000000n;
      const dir = path.join(scratch, 'lake-disk');
      const r = await timed('dump from-standalone (disk)', () => dumpOk(strata, [
        'from-standalone', '--addr', server.address,
        'into-parquet', '--dir', dir, '--run-rows', String(kRunRows), '--fan-in', '4']));
      const after = BigInt(Date.now()) * 1000000n;
      const [batchDir] = fs.readdirSync(path.join(dir, `cluster=${clusterDir}`));
      dumps.push({ ...r, what: 'from-standalone disk-based', dir, cluster, clusterDir,
                   batchText: `between ${before} and ${after}`,
                   batchId: (batchDir ?? '').replace(/^batch=/, ''),
                   batchOk: (b) => b >= (before / 1000n - 1000n) * 1000n && b <= after,
                   instance: server.address, fileName: `${clusterDir}.parquet`,
                   transfer: 'disk' });
    }
    // from-standalone, diskless.
    {
      server.call('CONFIG', 'SET', 'repl-diskless-sync', 'yes');
      server.call('CONFIG', 'SET', 'repl-diskless-sync-delay', '0');
      const batchText = '2026-11-30T16:05:10Z';
      const dir = path.join(scratch, 'lake-diskless');
      const r = await timed('dump from-standalone (diskless)', () => dumpOk(strata, [
        '--batch-timestamp', batchText, 'from-standalone', '--addr', server.address,
        '--cluster', cluster, 'into-parquet', '--dir', dir, '--run-rows', String(kRunRows)]));
      dumps.push({ ...r, what: 'from-standalone diskless', dir, cluster, clusterDir, batchText,
                   batchId: '2026-11-30_16-05-10.000Z',
                   batchOk: (b) => b === rfc3339Nanos(batchText),
                   instance: server.address, fileName: `${clusterDir}.parquet`,
                   transfer: 'replicas sockets' });
    }
    // The server's log says which transfer each sync used.
    const targets = [...server.log().matchAll(/Starting BGSAVE for SYNC with target: ([a-z ]+)/g)]
      .map((m) => m[1]);
    checker.equal(targets.join(','), 'disk,replicas sockets', 'transfers the server made');

    const contents = [];
    for (const dump of dumps) {
      const { rows, runs } = await timed(`check ${dump.what}`,
                                         () => checkDump(checker, duckdb, dump, expected));
      contents.push(contentOf(rows));
      times.push(`  (${dump.what}: strata ${dump.seconds.toFixed(2)} s, ${runs} runs)`);
    }
    for (let i = 1; i < dumps.length; i++) {
      checker.equal(JSON.stringify(contents[i]), JSON.stringify(contents[0]),
                    `rows of ${dumps[i].what} and ${dumps[0].what} (but instance and batch)`);
    }

    await timed('atomicity', () => checkAtomicity(checker, strata, scratch, rdbCopy));

    console.log('encodings (TYPE OBJECT-ENCODING -> file encoding: keys):');
    for (const [k, n] of coverage) console.log(`  ${k}: ${n}`);
    console.log(`redis-server ${version.join('.')}, ${expected.length} keys; ` +
                `times: ${times.join('; ')}`);
  } finally {
    stopAllRedis();
  }
  checker.finish();
});
