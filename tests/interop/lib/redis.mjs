// Real redis-server processes and redis-cli for the RDB dump interop tests.
//
//   const why = redisMissing();              // null, or why the tests must skip
//   const server = await startRedis({ dir, config: ['hash-max-listpack-entries 8'] });
//   server.pipe(commands);                   // redis-cli --pipe: binary-safe bulk load
//   const replies = server.query(commands, { db: 5 });  // redis-cli --json, decoded
//   server.raw(['CLUSTER', 'NODES']);        // plain redis-cli output
//
// Every server runs in its own process group (the server and the children it forks for
// BGSAVE and replica syncs) and is killed with SIGKILL to that group by stopAllRedis(), or
// when node exits (lib/server_process.mjs).
//
// Arguments and replies are binary: a command is an array of strings (UTF-8) and Buffers.
// query() sends each argument quoted as "\xHH..." (redis-cli's own argument syntax) and
// decodes each reply from redis-cli's --json rendering (RESP3): strings become Buffers,
// integers numbers, nil null, errors { error: text }, arrays arrays, maps objects.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ServerProcess, spawnServer } from './server_process.mjs';

export const kRedisServer = '/usr/bin/redis-server';
export const kRedisCli = '/usr/bin/redis-cli';
const kHost = '127.0.0.1';
const kMaxOutput = 1 << 30;
const kStartTimeoutMs = 20000;

// --- lifetime: every server started here is killed when node exits.

const live = new Map(); // pid -> RedisServer

export function stopAllRedis() {
  for (const server of live.values()) server.kill();
}

// --- availability.

function runs(binary, args) {
  const r = spawnSync(binary, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout : null;
}

// The server's version as [major, minor, patch], or null when it cannot run.
export function redisVersion() {
  const out = runs(kRedisServer, ['--version']);
  const m = out?.match(/v=(\d+)\.(\d+)\.(\d+)/);
  return m ? m.slice(1, 4).map(Number) : null;
}

// Why the Redis tests cannot run here (a skip message), or null.
export function redisMissing() {
  for (const binary of [kRedisServer, kRedisCli]) {
    if (!fs.existsSync(binary)) return `${binary} is not installed (apt-get install redis-server)`;
  }
  const version = redisVersion();
  if (!version) return `${kRedisServer} --version did not run`;
  if (!runs(kRedisCli, ['--version'])) return `${kRedisCli} --version did not run`;
  // PEXPIRETIME, --json, enable-debug-command and REPLCONF rdb-only are 7.0's.
  if (version[0] < 7) return `redis-server ${version.join('.')} is older than 7.0`;
  return null;
}

// --- ports.

function portFree(port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, kHost, () => probe.close(() => resolve(true)));
  });
}

// A loopback port nobody listens on; with bus, port + 10000 (the cluster bus) is free too.
export async function freePort({ bus = false } = {}) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 35000);
    if ((await portFree(port)) && (!bus || (await portFree(port + 10000)))) return port;
  }
  throw new Error('no free loopback port found');
}

// --- the argument and reply syntax of redis-cli.

// An argument as redis-cli reads it from a line: every byte escaped inside double quotes.
export function quoteArg(arg) {
  const bytes = Buffer.isBuffer(arg) ? arg : Buffer.from(String(arg), 'utf8');
  let out = '"';
  for (const b of bytes) out += `\\x${b.toString(16).padStart(2, '0')}`;
  return `${out}"`;
}

// redis-cli --json writes a string's bytes as they are, except '"', '\\' and bytes below 0x20,
// which it escapes the JSON way; read as Latin-1 text, each character of a decoded string is
// one byte. (--quoted-json would be ASCII, but redis-cli 7.0 leaves its \" escapes unescaped
// in the JSON, so a '"' in a key breaks it.)
function decodeJson(value) {
  if (typeof value === 'string') return Buffer.from(value, 'latin1');
  if (Array.isArray(value)) return value.map(decodeJson);
  if (value !== null && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = decodeJson(v);
    return out;
  }
  return value; // number, boolean, null
}

// One reply line of redis-cli --json (an error is error:"text").
export function parseJsonLine(line) {
  try {
    if (line.startsWith('error:')) return { error: JSON.parse(line.slice(6)) };
    return decodeJson(JSON.parse(line));
  } catch (err) {
    const shown = JSON.stringify(line.slice(0, 2000));
    throw new Error(`cannot read redis-cli's reply ${shown}: ${err.message}`);
  }
}

// A command in the Redis protocol (what redis-cli --pipe sends).
export function resp(command) {
  const parts = [Buffer.from(`*${command.length}\r\n`)];
  for (const arg of command) {
    const bytes = Buffer.isBuffer(arg) ? arg : Buffer.from(String(arg), 'utf8');
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

// --- servers.

export class RedisServer extends ServerProcess {
  constructor(child, port, dir, logPath) {
    super(child, logPath);
    this.port = port;
    this.host = kHost;
    this.address = `${kHost}:${port}`;
    this.dir = dir;
  }

  // SIGKILL to the server's process group (the server and its BGSAVE children).
  kill() {
    live.delete(this.pid);
    super.kill();
  }

  // redis-cli -p port [options] args...: its plain output. Throws when redis-cli fails.
  raw(args, { db, cluster = false, input } = {}) {
    const r = spawnSync(kRedisCli, [...this.#connectArgs(db, cluster), ...args.map(String)], {
      input, maxBuffer: kMaxOutput, encoding: 'latin1', env: cliEnv(),
    });
    if (r.status !== 0) {
      throw new Error(`redis-cli ${args.join(' ')} on ${this.address}: exit ${r.status} ` +
                      `${r.stderr}${r.stdout}`);
    }
    return r.stdout;
  }

  // Loads commands with redis-cli --pipe (binary-safe, one connection, db 0 first: include
  // SELECT commands). Throws unless every reply was a success.
  pipe(commands) {
    const input = Buffer.concat(commands.map(resp));
    const out = this.raw(['--pipe'], { input });
    const m = out.match(/errors: (\d+), replies: (\d+)/);
    if (!m || Number(m[1]) !== 0 || Number(m[2]) !== commands.length) {
      throw new Error(`redis-cli --pipe on ${this.address}: ${out.trim()}`);
    }
  }

  // Runs commands through one redis-cli --json session (in db, following cluster
  // redirections when cluster is set) and returns one decoded reply per command.
  query(commands, { db, cluster = false } = {}) {
    if (commands.length === 0) return [];
    const input = commands.map((c) => c.map(quoteArg).join(' ')).join('\n') + '\n';
    const out = this.raw(['--json'], { db, cluster, input });
    // In cluster mode redis-cli reports each redirection it follows on a line of its own.
    const lines = out.split('\n').filter((l) => l.length > 0 && !l.startsWith('-> Redirected'));
    if (lines.length !== commands.length) {
      throw new Error(`redis-cli on ${this.address}: ${lines.length} replies to ` +
                      `${commands.length} commands:\n${out.slice(0, 2000)}`);
    }
    return lines.map(parseJsonLine);
  }

  // One command; throws on an error reply.
  call(...command) {
    const [reply] = this.query([command]);
    if (reply?.error) throw new Error(`${command.join(' ')} on ${this.address}: ${reply.error}`);
    return reply;
  }

  // INFO section as a map of its fields (text values).
  info(section) {
    const fields = {};
    for (const line of this.raw(['INFO', section]).split('\r\n')) {
      const at = line.indexOf(':');
      if (at > 0 && !line.startsWith('#')) fields[line.slice(0, at)] = line.slice(at + 1);
    }
    return fields;
  }

  #connectArgs(db, cluster) {
    const args = ['-h', kHost, '-p', String(this.port)];
    if (db !== undefined) args.push('-n', String(db));
    if (cluster) args.push('-c');
    return args;
  }
}

function cliEnv() {
  return { ...process.env, REDISCLI_HISTFILE: '/dev/null' };
}

// Resolves when the server answers PING (+PONG) on its port; rejects when it exits first or
// the time is up, quoting the end of its log.
async function waitForPing(server, deadline) {
  for (;;) {
    if (server.exited) break;
    if (await pingOnce(server.port)) return;
    if (Date.now() > deadline) break;
    await sleep(10);
  }
  const why = server.exited ? 'exited' : `did not answer PING in ${kStartTimeoutMs} ms`;
  throw new Error(`redis-server on port ${server.port} ${why}; log:\n${server.log().slice(-2000)}`);
}

function pingOnce(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: kHost, port });
    let got = '';
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      got += d.toString('latin1');
      if (got.includes('\r\n')) done(got.startsWith('+PONG'));
    });
  });
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Starts redis-server in dir (created) on a free loopback port and waits for it to answer
// PING. The generated redis.conf binds 127.0.0.1, logs to dir/redis.log (with the server's
// stdout, where DEBUG QUICKLIST prints), keeps persistence off (save "", appendonly no) and
// enables DEBUG; `config` lines follow and may override any of it. With bus, port + 10000
// must be free too (cluster-enabled servers). A port taken in between is retried.
export async function startRedis({ dir, config = [], bus = false }) {
  fs.mkdirSync(dir, { recursive: true });
  for (let attempt = 0; ; attempt++) {
    const port = await freePort({ bus });
    const conf = [
      `port ${port}`, `bind ${kHost}`, 'daemonize no', `dir ${dir}`, 'logfile ""',
      'save ""', 'appendonly no', 'enable-debug-command yes', ...config,
    ];
    const confPath = path.join(dir, 'redis.conf');
    fs.writeFileSync(confPath, conf.join('\n') + '\n');
    const logPath = path.join(dir, 'redis.log');
    const child = spawnServer(kRedisServer, [confPath], logPath);
    const server = new RedisServer(child, port, dir, logPath);
    live.set(child.pid, server);
    try {
      await waitForPing(server, Date.now() + kStartTimeoutMs);
      return server;
    } catch (err) {
      server.kill();
      if (attempt < 3 && /Address already in use/.test(server.log())) continue;
      throw err;
    }
  }
}

// Polls check() (sync or async; truthy when done) every few milliseconds until it holds;
// throws what(), with the last state it returned, when timeoutMs pass first.
export async function waitUntil(what, timeoutMs, check) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await sleep(20);
  }
}
