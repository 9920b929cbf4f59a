// A real moto_server (an S3 emulator) for the interop tests that put a lake in a bucket.
//
//   const why = motoMissing();                 // null, or why the test must skip
//   const moto = await startMoto({ dir });     // killed when node exits (server_process.mjs)
//   await moto.createBucket('lake');
//   ... AWS_ENDPOINT_URL = moto.endpoint ...
//
// moto binds port 0 and prints the port it got ("Running on http://127.0.0.1:<port>"), so no
// other process can take the port in between; startMoto waits for that line, then for moto's
// own API to answer.
import fs from 'node:fs';
import path from 'node:path';
import { ServerProcess, spawnServer } from './server_process.mjs';
import { sleep } from './redis.mjs';

const kStartTimeoutMs = 30000; // python's imports take a second or two

function executable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

// $STRATA_MOTO_SERVER, else moto_server on PATH, else in ~/.pyenv/shims (where the C++ tests'
// support/moto_server.cc looks too); null when there is none.
export function motoBinary() {
  const given = process.env.STRATA_MOTO_SERVER;
  if (given) return executable(given) ? given : null;
  const dirs = (process.env.PATH ?? '').split(':').filter((d) => d.length > 0);
  if (process.env.HOME) dirs.push(path.join(process.env.HOME, '.pyenv', 'shims'));
  for (const dir of dirs) {
    const file = path.join(dir, 'moto_server');
    if (executable(file)) return file;
  }
  return null;
}

// Why the test cannot run here (a skip message), or null.
export function motoMissing() {
  return motoBinary() ? null
    : "moto_server is not installed (pip install 'moto[server]'), or set STRATA_MOTO_SERVER";
}

class MotoServer extends ServerProcess {
  constructor(child, logPath) {
    super(child, logPath);
    this.endpoint = null; // once it printed its port
  }

  // An unsigned request, with an Authorization header whose scope names S3: moto routes by it
  // and checks no signature.
  request(method, target) {
    return fetch(`${this.endpoint}${target}`, {
      method,
      headers: {
        Authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, ' +
                       'SignedHeaders=host, Signature=0',
      },
    });
  }

  async createBucket(name) {
    const reply = await this.request('PUT', `/${name}`);
    if (reply.status !== 200) {
      throw new Error(`create bucket ${name}: HTTP ${reply.status} ${await reply.text()}`);
    }
  }
}

// Starts moto_server on 127.0.0.1 with its log in dir (created); resolves once it answers.
export async function startMoto({ dir }) {
  fs.mkdirSync(dir, { recursive: true });
  const logPath = path.join(dir, 'moto.log');
  const server = new MotoServer(spawnServer(motoBinary(), ['-H', '127.0.0.1', '-p', '0'], logPath),
                                logPath);
  const deadline = Date.now() + kStartTimeoutMs;
  while (Date.now() < deadline && !server.exited) {
    const port = server.log().match(/Running on http:\/\/127\.0\.0\.1:(\d+)/)?.[1];
    if (port) {
      server.endpoint = `http://127.0.0.1:${port}`;
      try {
        // moto's own API answers without touching any service.
        if ((await fetch(`${server.endpoint}/moto-api/data.json`)).status === 200) return server;
      } catch {
        // not listening yet
      }
    }
    await sleep(50);
  }
  server.kill();
  const why = server.exited ? 'exited' : `did not answer in ${kStartTimeoutMs} ms`;
  throw new Error(`moto_server ${why}; its log:\n${server.log().slice(-2000)}`);
}
