// Server processes the interop tests start (redis-server, moto_server), and their end;
// ServerProcess is what every such server object shares.
//
// Every server runs in its own process group (the server and whatever it forks) and is killed
// with SIGKILL to that group by killServer(), and by killAllServers(), which also runs when the
// node process exits for any reason it can catch (normal end, exception, SIGINT/SIGTERM/SIGHUP).
// Where util-linux's setpriv exists the server also gets PR_SET_PDEATHSIG=SIGKILL, so it dies
// with node even when node is SIGKILLed (a ctest timeout).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

const kSetpriv = '/usr/bin/setpriv';

const live = new Set(); // process group ids (= the servers' pids)

// Starts binary with args in a new process group, its stdout and stderr written to logPath
// (replaced).
// Returns the ChildProcess.
export function spawnServer(binary, args, logPath) {
  const logFd = fs.openSync(logPath, 'w');
  const [program, argv] = fs.existsSync(kSetpriv)
    ? [kSetpriv, ['--pdeathsig', 'KILL', '--', binary, ...args]]
    : [binary, args];
  const child = spawn(program, argv, { detached: true, stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  live.add(child.pid);
  return child;
}

// SIGKILL to the server's process group; nothing if it was killed already.
export function killServer(pid) {
  if (!live.delete(pid)) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

// A started server: its process, whether it exited, its log.
export class ServerProcess {
  constructor(child, logPath) {
    this.child = child;
    this.pid = child.pid;
    this.logPath = logPath;
    this.exited = false;
    child.on('exit', () => {
      this.exited = true;
    });
  }

  // SIGKILL to the server's process group.
  kill() {
    killServer(this.pid);
  }

  // The log so far, one character per byte (empty when it cannot be read).
  log() {
    try {
      return fs.readFileSync(this.logPath, 'latin1');
    } catch {
      return '';
    }
  }
}

export function killAllServers() {
  for (const pid of [...live]) killServer(pid);
}

process.on('exit', killAllServers);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    killAllServers();
    process.exit(128 + os.constants.signals[signal]);
  });
}
