// A local Redis Cluster for the RDB dump interop tests: masters and replicas, each a
// redis-server in its own directory (lib/redis.mjs), assembled by
// `redis-cli --cluster create ... --cluster-replicas N --cluster-yes`, and the topology as
// CLUSTER NODES reports it.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { kRedisCli, startRedis, waitUntil } from './redis.mjs';

const kReadyTimeoutMs = 30000;

// Starts masters * (1 + replicasPerMaster) cluster-enabled servers under dir and creates the
// cluster; resolves once every node reports cluster_state:ok, knows every other node, every
// replica's link to its master is up, and every node's CLUSTER NODES agrees on the roles.
// Returns the servers (in creation order).
export async function startCluster({ dir, masters = 3, replicasPerMaster = 1, config = [] }) {
  const count = masters * (1 + replicasPerMaster);
  const servers = await Promise.all(Array.from({ length: count }, (_, i) => startRedis({
    dir: path.join(dir, `node-${i}`),
    bus: true,
    config: ['cluster-enabled yes', 'cluster-config-file nodes.conf',
             'cluster-node-timeout 5000', ...config],
  })));
  const create = spawnSync(kRedisCli, [
    '--cluster', 'create', ...servers.map((s) => s.address),
    '--cluster-replicas', String(replicasPerMaster), '--cluster-yes',
  ], { encoding: 'utf8', timeout: kReadyTimeoutMs });
  if (create.status !== 0) {
    throw new Error(`redis-cli --cluster create: exit ${create.status}\n` +
                    `${create.stdout}${create.stderr}`);
  }
  await waitUntil('cluster_state:ok on every node', kReadyTimeoutMs, () => servers.every((s) => {
    const info = s.raw(['CLUSTER', 'INFO']);
    return /cluster_state:ok/.test(info) && info.includes(`cluster_known_nodes:${count}`);
  }));
  await waitUntil('every replica linked to its master', kReadyTimeoutMs, () => {
    const roles = servers.map((s) => s.info('replication'));
    return roles.filter((r) => r.role === 'slave').length === count - masters &&
           roles.every((r) => r.role === 'master' || r.master_link_status === 'up');
  });
  // Gossip spreads the replicas' roles after their links are up: wait until every node's
  // CLUSTER NODES shows the masters with slots and the replicas with their master.
  await waitUntil('every node seeing every role', kReadyTimeoutMs, () => servers.every((s) => {
    const view = clusterNodes(s);
    return view.filter((n) => n.master && n.slots.length > 0).length === masters &&
           view.filter((n) => !n.master && n.masterId).length === count - masters;
  }));
  return servers;
}

// CLUSTER NODES of one node as [{ id, address, port, master (bool), masterId, slots:
// [[first, last], ...] }].
export function clusterNodes(server) {
  return server.raw(['CLUSTER', 'NODES']).split('\n').filter((l) => l.trim()).map((line) => {
    const [id, addr, flags, masterId, , , , , ...slots] = line.trim().split(' ');
    const address = addr.split('@')[0];
    return {
      id,
      address,
      port: Number(address.split(':').pop()),
      master: flags.split(',').includes('master'),
      masterId: masterId === '-' ? null : masterId,
      slots: slots.filter((s) => !s.startsWith('[')).map((s) => {
        const [a, b] = s.split('-').map(Number);
        return [a, b ?? a];
      }),
    };
  });
}

// Resolves when every replica has applied its master's whole replication stream: the
// master's INFO replication lists each replica as online at master_repl_offset, and the
// replica's DBSIZE equals the master's.
export async function waitForReplicas(servers, timeoutMs = kReadyTimeoutMs) {
  const byPort = new Map(servers.map((s) => [s.port, s]));
  await waitUntil('replicas at their master\'s offset', timeoutMs, () => servers.every((s) => {
    const info = s.info('replication');
    if (info.role !== 'master') return true;
    const offset = info.master_repl_offset;
    for (let i = 0; i < Number(info.connected_slaves); i++) {
      const fields = Object.fromEntries(info[`slave${i}`].split(',').map((kv) => kv.split('=')));
      if (fields.state !== 'online' || fields.offset !== offset) return false;
      const replica = byPort.get(Number(fields.port));
      if (!replica || replica.call('DBSIZE') !== s.call('DBSIZE')) return false;
    }
    return true;
  }));
}
