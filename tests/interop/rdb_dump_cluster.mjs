// interop.rdb_dump_cluster: a local Redis Cluster (3 masters, 3 replicas) holds keys written
// through it with redis-cli -c (hash-tagged ones among them); `strata rdb dump from-cluster
// --nodes <one seed> --require-replica` must write one Parquet file per shard, named after
// the replica it read, holding that replica's keys with what redis-cli reports for them.
//
//   node rdb_dump_cluster.mjs STRATA SCRATCH_DIR
//
// Checked: exactly three files under cluster=<seed>/batch=<b>/, one per shard, each named
// after a replica (':' made '-') and nothing else left; every key of the cluster in exactly
// one file; per file the replica's keys with TYPE, member counts, PEXPIRETIME, OBJECT
// ENCODING (mapped) and DEBUG OBJECT serializedlength (lib/redis_expect.mjs); redis_slot =
// CLUSTER KEYSLOT for every row, and that slot served by the shard the file came from (CLUSTER
// NODES); codis_slot null. A second dump with --slots codis: codis_slot = CRC32 of the Codis
// hash tag (or the key) mod 1024, computed here, and redis_slot null. Schema, ZSTD and
// sorting_columns (db, key) as in the standalone test; the footer's summary against totals
// of the rows, with the slots seen (lib/rdb_summary.mjs).
import path from 'node:path';
import { Checker, runMain } from './lib/check.mjs';
import { openDuckDB } from './lib/duckdb.mjs';
import {
  checkFileMetadata, checkLayout, checkSorted, compareWithServer, dumpOk, readDumpFile,
  rfc3339Nanos, rowId,
} from './lib/rdb_dump.mjs';
import { checkSummary, readSummary } from './lib/rdb_summary.mjs';
import { expectedRows } from './lib/redis_expect.mjs';
import { clusterNodes, startCluster, waitForReplicas } from './lib/redis_cluster.mjs';
import { redisMissing, redisVersion, stopAllRedis } from './lib/redis.mjs';

const kName = 'interop.rdb_dump_cluster';
const kRunRows = 10;
const kCodisSlots = 1024;

// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320: zlib's crc32 and Go's
// crc32.ChecksumIEEE, which Codis uses).
const kCrcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
export function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = kCrcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// The bytes Codis hashes: between the first '{' and the first '}' after it, even when that
// is empty (Codis differs from Redis Cluster there, which hashes the whole key then);
// the whole key without such a pair.
function codisHashKey(key) {
  const open = key.indexOf(0x7b);
  if (open >= 0) {
    const close = key.indexOf(0x7d, open + 1);
    if (close >= 0) return key.subarray(open + 1, close);
  }
  return key;
}

export function codisSlot(key) {
  return crc32(codisHashKey(key)) % kCodisSlots;
}

const range = (n) => Array.from({ length: n }, (_, i) => i);

// Commands written through the cluster: plain keys of every type, hash-tagged groups, keys
// whose tags Redis and Codis read differently, binary keys, expiries.
function dataSet(now) {
  const commands = [];
  for (const i of range(60)) {
    const k = `key:${i}`;
    switch (i % 6) {
      case 0: commands.push(['SET', k, `value ${i}`]); break;
      case 1:
        commands.push(['HSET', k, ...range(i % 12).flatMap((j) => [`f${j}`, `v${j}`]), 'f', 'v']);
        break;
      case 2: commands.push(['RPUSH', k, ...range(1 + (i % 7)).map(String)]); break;
      case 3:
        commands.push(['SADD', k, ...range(1 + (i % 11)).map((j) => (i % 2 ? `m${j}` : `${j}`))]);
        break;
      case 4:
        commands.push(['ZADD', k, ...range(1 + (i % 10)).flatMap((j) => [String(j), `m${j}`])]);
        break;
      default: commands.push(['XADD', k, '1-1', 'f', 'v'], ['XADD', k, '1-2', 'f', 'w']); break;
    }
    if (i % 5 === 0) commands.push(['PEXPIREAT', k, String(now + 3600000 + i)]);
  }
  for (const u of range(12)) {
    commands.push(['SET', `{user:${u}}:name`, `user ${u}`],
                  ['RPUSH', `{user:${u}}:cart`, 'apple', 'pear'],
                  ['HSET', `{user:${u}}:profile`, 'age', String(20 + u)]);
  }
  for (const k of ['a{}b', '{}x', '{}', '{{nested}}', 'x}{y}', 'open{only', '{a}{b}', '{b}{a}']) {
    commands.push(['SET', k, 'tag rules']);
  }
  for (const b of range(8)) {
    commands.push(['SET', Buffer.from([0x00, b]), 'binary'],
                  ['SET', Buffer.from([0xff, b, 0x80]), 'binary']);
  }
  commands.push(['SET', Buffer.from([0x7b, 0xff, 0x00, 0x7d, 0x01]), 'binary hash tag']);
  commands.push(['SET', Buffer.alloc(0), 'the empty key']);
  return commands;
}

await runMain(kName, async () => {
  const [strata, scratch] = process.argv.slice(2);
  if (!strata || !scratch) throw new Error('usage: rdb_dump_cluster.mjs STRATA SCRATCH');
  const missing = redisMissing();
  if (missing) {
    console.log(`SKIP: ${missing}`);
    process.exitCode = 77;
    return;
  }
  const checker = new Checker(kName);
  const version = redisVersion();
  const times = [];
  const timed = async (what, fn) => {
    const start = Date.now();
    const result = await fn();
    times.push(`${what} ${((Date.now() - start) / 1000).toFixed(2)} s`);
    return result;
  };
  try {
    const servers = await timed('cluster start', () => startCluster({
      dir: path.join(scratch, 'cluster'),
      config: ['repl-diskless-sync yes', 'repl-diskless-sync-delay 0'],
    }));
    const seed = servers[0];
    const byPort = new Map(servers.map((s) => [s.port, s]));

    // Write through the cluster, then wait until the replicas hold it all.
    const commands = dataSet(Date.now());
    const replies = await timed('write (redis-cli -c)',
                                () => seed.query(commands, { cluster: true }));
    replies.forEach((r, i) => {
      if (r?.error) checker.fail(`${commands[i][0]} ${commands[i][1]}: ${r.error}`);
    });
    await timed('replication', () => waitForReplicas(servers));

    // The shards: each master's slot ranges and its replica.
    const nodes = clusterNodes(seed);
    const masters = nodes.filter((n) => n.master);
    checker.equal(masters.length, 3, 'masters');
    const shards = masters.map((m) => {
      const replicas = nodes.filter((n) => n.masterId === m.id);
      checker.equal(replicas.length, 1, `replicas of ${m.address}`);
      return { master: m, replica: replicas[0] };
    });

    // What each replica holds, and every key's slot by CLUSTER KEYSLOT.
    const expected = new Map(); // replica address -> rows
    const allKeys = new Map(); // row id -> count over shards
    for (const { replica } of shards) {
      const rows = expectedRows(byPort.get(replica.port), { redisVersion: version, cluster: true,
                                                            readonly: true });
      expected.set(replica.address, rows);
      for (const r of rows) allKeys.set(rowId(r), (allKeys.get(rowId(r)) ?? 0) + 1);
    }
    const slotReplies = seed.query(
      [...expected.values()].flat().map((r) => ['CLUSTER', 'KEYSLOT', r.key]));
    const keySlot = new Map();
    [...expected.values()].flat().forEach((r, i) => keySlot.set(rowId(r), slotReplies[i]));
    const written = new Set(commands.map((c) => rowId({ db: 0, key: Buffer.from(c[1]) })));
    checker.equal([...allKeys.keys()].sort().join(' '), [...written].sort().join(' '),
                  'keys the replicas hold, against the keys written');
    for (const [id, n] of allKeys) checker.equal(n, 1, `replicas holding ${id}`);

    const duckdb = await openDuckDB();
    const clusterName = seed.address;
    const clusterDir = clusterName.replaceAll(':', '-');
    const files = shards.map((s) => `${s.replica.address.replaceAll(':', '-')}.parquet`).sort();

    for (const slots of ['auto', 'codis']) {
      const batchText = slots === 'auto' ? '2026-12-01T08:00:00.5Z' : '2026-12-01T08:00:01Z';
      const batch = slots === 'auto' ? '2026-12-01_08-00-00.500Z' : '2026-12-01_08-00-01.000Z';
      const dir = path.join(scratch, `lake-${slots}`);
      const r = await timed(`dump --slots ${slots}`, () => dumpOk(strata, [
        '--batch-timestamp', batchText, ...(slots === 'auto' ? [] : ['--slots', slots]),
        'from-cluster', '--nodes', seed.address, '--require-replica',
        'into-parquet', '--dir', dir, '--run-rows', String(kRunRows)]));
      times.push(`  (strata ${r.seconds.toFixed(2)} s)`);
      const paths = checkLayout(checker, `--slots ${slots}`, dir, clusterDir, batch, files);
      const seen = new Map();
      for (const file of paths) {
        const what = `--slots ${slots} ${path.basename(file)}`;
        await checkFileMetadata(duckdb, file, checker);
        const rows = await readDumpFile(duckdb, file, checker);
        checkSorted(checker, what, rows);
        const shard = shards.find((s) => `${s.replica.address.replaceAll(':', '-')}.parquet` ===
                                         path.basename(file));
        const instance = shard.replica.address;
        const ns = rfc3339Nanos(batchText);
        for (const [i, row] of rows.entries()) {
          if (row.cluster !== clusterName || row.instance !== instance ||
              BigInt(row.batch) !== ns) {
            checker.fail(`${what}: row ${i}: cluster ${row.cluster}, instance ${row.instance}, ` +
                         `batch ${row.batch}; expected ${clusterName}, ${instance}, ${ns}`);
            break;
          }
          seen.set(rowId(row), (seen.get(rowId(row)) ?? 0) + 1);
          // The row's slot is one its shard serves.
          if (row.redis_slot !== null &&
              !shard.master.slots.some(([a, b]) => row.redis_slot >= a && row.redis_slot <= b)) {
            checker.fail(`${what}: key 0x${row.key.toString('hex')} in slot ${row.redis_slot}, ` +
                         `which ${shard.master.address} does not serve`);
          }
        }
        compareWithServer(checker, what, rows, expected.get(instance), (e) => ({
          redis_slot: slots === 'auto' ? keySlot.get(rowId(e)) : null,
          codis_slot: slots === 'codis' ? codisSlot(e.key) : null,
        }));
        // The footer's summary, slots seen included, against totals of these rows.
        checkSummary(checker, what, await readSummary(duckdb, file), rows, {
          instance, batchMs: Number(ns / 1000000n), expected: expected.get(instance),
        });
        checker.count('files checked');
      }
      checker.equal(seen.size, allKeys.size, `--slots ${slots}: distinct keys over the files`);
      for (const [id, n] of seen) checker.equal(n, 1, `--slots ${slots}: files holding ${id}`);
    }
    console.log(`redis-server ${version.join('.')}, ${allKeys.size} keys over ` +
                `${shards.length} shards (` +
                `${shards.map((s) => expected.get(s.replica.address).length).join(', ')}); ` +
                `times: ${times.join('; ')}`);
  } finally {
    stopAllRedis();
  }
  checker.finish();
});
