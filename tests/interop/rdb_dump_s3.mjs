// interop.rdb_dump_s3: a lake in a bucket, read by DuckDB. A real redis-server (Debian's 7.0)
// saves a small key space of every type; `strata rdb dump` puts two instances of that snapshot
// into s3://<bucket>/lake on a real moto_server, and into a local lake as the reference. The
// published batch is downloaded with `strata obj get -r`, its files are taken from the _SUCCESS
// manifest as docs/formats/rdb-lake.md tells readers to (not from a glob), and DuckDB must read
// from them exactly the rows it reads from the local lake's files.
//
//   node rdb_dump_s3.mjs STRATA SCRATCH_DIR
//
// Checked: the dump's output names the s3:// batch and files; the downloaded batch is exactly
// _SUCCESS and the files it names, each of the size it gives; nothing is left in --tmp-dir;
// the files' columns and DuckDB types, (db, key) order, and every row and column equal to the
// local lake's (SELECT * in canonical form); rows and keys per instance against the server's
// DBSIZE. Skipped (exit 77) without redis-server and redis-cli, or moto_server.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { compareRows } from './lib/canonical.mjs';
import { Checker, runMain } from './lib/check.mjs';
import { openDuckDB, queryCanonical, queryObjects, sqlString } from './lib/duckdb.mjs';
import { motoMissing, startMoto } from './lib/moto.mjs';
import { checkLayout, checkSorted, dumpOk, listTree, readDumpFile } from './lib/rdb_dump.mjs';
import { redisMissing, startRedis, stopAllRedis } from './lib/redis.mjs';
import { killAllServers } from './lib/server_process.mjs';

const kName = 'interop.rdb_dump_s3';
const kBucket = 'strata-interop-lake';
const kCluster = 'interop:s3';
const kClusterDir = 'interop-s3'; // ':' is made '-' in paths and keys
const kBatchText = '2026-11-30T16:05:09.123Z';
const kBatchId = '2026-11-30_16-05-09.123Z';
const kInstances = ['node-1.rdb', 'node-2.rdb']; // two copies of one snapshot
const kRunRows = 10; // run files in the staging directory, which must be gone afterwards

const range = (n) => Array.from({ length: n }, (_, i) => i);

// Every type, a few encodings, binary and empty keys, expiries; in two databases.
function dataSet(now) {
  return [
    [0, [
      ['SET', 'str:embstr', 'alpha'],
      ['SET', 'str:int', '12345'],
      ['SET', 'str:lzf', 'abc'.repeat(100)],
      ['SET', 'ttl:str', 'v'], ['PEXPIREAT', 'ttl:str', String(now + 3600000)],
      ['HSET', 'hash:small', 'f1', 'v1', 'f2', 'v2'],
      ['HSET', 'hash:big', ...range(200).flatMap((i) => [`field${i}`, `value${i}`])],
      ['RPUSH', 'list', 'a', 'b', 'c'],
      ['SADD', 'set:ints', '1', '2', '3'],
      ['SADD', 'set:strings', ...range(200).map((i) => `member${i}`)],
      ['ZADD', 'zset', '1', 'a', '2.5', 'b'],
      ['XADD', 'stream', '1-0', 'f', 'v'],
      ['SET', Buffer.alloc(0), 'the empty key'],
      ['SET', Buffer.from([0x00, 0xff]), 'binary key'],
      ['SET', 'clé €', 'utf-8'],
    ]],
    [7, [
      ['SET', 'str:embstr', 'db7'],
      ['HSET', 'hash:small', 'f', 'v'], ['PEXPIREAT', 'hash:small', String(now + 7200000)],
      ['RPUSH', 'list', ...range(100).map((i) => `element${i}`)],
    ]],
  ];
}

// Saves the data set with a real redis-server; returns the snapshot's path and the number of
// keys the server holds.
async function snapshot(scratch) {
  const server = await startRedis({ dir: path.join(scratch, 'redis') });
  try {
    const commands = [];
    for (const [db, list] of dataSet(Date.now())) commands.push(['SELECT', String(db)], ...list);
    server.pipe(commands);
    let keys = 0;
    for (const [db] of dataSet(0)) keys += server.query([['DBSIZE']], { db })[0];
    server.call('SAVE');
    return { rdb: path.join(server.dir, 'dump.rdb'), keys };
  } finally {
    stopAllRedis();
  }
}

// The environment strata reads S3's endpoint and credentials from; nothing of the machine's.
function useS3(endpoint, scratch) {
  for (const name of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_ENDPOINT_URL_S3']) {
    delete process.env[name];
  }
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: path.join(scratch, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(scratch, 'no-credentials'),
  });
}

function strataOk(strata, args) {
  const r = spawnSync(strata, args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    throw new Error(`strata ${args.join(' ')}: exit ${r.status}\n${r.stderr}${r.stdout}`);
  }
  return r;
}

const readAll = (files) =>
  `SELECT * FROM read_parquet([${files.map(sqlString).join(', ')}], hive_partitioning = false) ` +
  'ORDER BY instance, db, key';

await runMain(kName, async () => {
  const [strata, scratch] = process.argv.slice(2);
  if (!strata || !scratch) throw new Error('usage: rdb_dump_s3.mjs STRATA SCRATCH');
  const missing = redisMissing() ?? motoMissing();
  if (missing) {
    console.log(`SKIP: ${missing}`);
    process.exitCode = 77;
    return;
  }
  const checker = new Checker(kName);
  try {
    const { rdb, keys } = await snapshot(scratch);
    const paths = kInstances.map((name) => path.join(scratch, name));
    for (const p of paths) fs.copyFileSync(rdb, p);
    const moto = await startMoto({ dir: path.join(scratch, 'moto') });
    await moto.createBucket(kBucket);
    useS3(moto.endpoint, scratch);

    // The same dump into the local lake and into the bucket.
    const dumpArgs = (dir, ...more) => [
      '--batch-timestamp', kBatchText, 'from-file', ...paths.flatMap((p) => ['--path', p]),
      '--cluster', kCluster, 'into-parquet', '--dir', dir, '--run-rows', String(kRunRows),
      ...more];
    const localLake = path.join(scratch, 'lake');
    dumpOk(strata, dumpArgs(localLake));
    const staging = path.join(scratch, 'staging');
    const lakeUrl = `s3://${kBucket}/lake`;
    const batchUrl = `${lakeUrl}/cluster=${kClusterDir}/batch=${kBatchId}`;
    const dumped = dumpOk(strata, dumpArgs(lakeUrl, '--tmp-dir', staging));
    checker.ok(dumped.stdout.includes(`\nbatch ${kBatchId}: ${batchUrl}\n`),
               `the dump names the batch ${batchUrl}: ${dumped.stdout}`);
    for (const name of kInstances) {
      checker.ok(dumped.stdout.includes(`: ${keys} keys, RDB v`) &&
                 dumped.stdout.includes(` -> ${batchUrl}/${name}.parquet (`),
                 `the dump names ${batchUrl}/${name}.parquet with ${keys} keys: ${dumped.stdout}`);
    }
    const leftovers = fs.existsSync(staging)
      ? listTree(staging).filter((p) => !p.endsWith('/') || p.includes('_tmp_batch=')) : [];
    checker.equal(JSON.stringify(leftovers), '[]', 'left in --tmp-dir');

    // The batch as a reader gets it: the manifest first, then the files it names.
    const down = path.join(scratch, 'downloaded');
    strataOk(strata, ['obj', 'get', '-r', `${batchUrl}/`, down]);
    const manifest = JSON.parse(fs.readFileSync(path.join(down, '_SUCCESS'), 'utf8'));
    const names = manifest.files.map((f) => f.name);
    checker.equal(JSON.stringify(names), JSON.stringify(kInstances.map((n) => `${n}.parquet`)),
                  'files in the manifest');
    checker.equal(JSON.stringify(listTree(down)), JSON.stringify(['_SUCCESS', ...names].sort()),
                  'the downloaded batch');
    for (const f of manifest.files) {
      checker.equal(fs.statSync(path.join(down, f.name)).size, f.bytes, `${f.name}: bytes`);
      checker.equal(f.keys, keys, `${f.name}: keys in the manifest`);
    }
    const s3Files = names.map((n) => path.join(down, n));
    const localFiles = checkLayout(checker, 'local lake', localLake, kClusterDir, kBatchId, names);

    const duckdb = await openDuckDB();
    for (const file of s3Files) {
      checkSorted(checker, file, await readDumpFile(duckdb, file, checker)); // types too
    }
    const fromS3 = await queryCanonical(duckdb, readAll(s3Files));
    const reference = await queryCanonical(duckdb, readAll(localFiles));
    checker.equal(JSON.stringify(fromS3.names), JSON.stringify(reference.names), 'columns');
    checker.equal(fromS3.rows.length, kInstances.length * keys, 'rows: the server\'s keys twice');
    compareRows(checker, 'the batch from S3 against the local lake', reference.names,
                reference.kinds, fromS3.rows, reference.rows);
    const perInstance = await queryObjects(duckdb,
      'SELECT instance, count(*) AS n FROM read_parquet(' +
      `[${s3Files.map(sqlString).join(', ')}], hive_partitioning = false) ` +
      'GROUP BY instance ORDER BY instance');
    checker.equal(JSON.stringify(perInstance),
                  JSON.stringify(kInstances.map((instance) => ({ instance, n: String(keys) }))),
                  'keys per instance');
    console.log(`${keys} keys per instance; moto at ${moto.endpoint}`);
  } finally {
    killAllServers();
  }
  checker.finish();
});
