// The workstation's app as its own process, for tests/integration/offline-proxy.test.ts: the real
// services (with the local store) and router, driven over the fork IPC channel so the test can kill
// it with SIGKILL and start it again. Not a test file itself.
import { startServices } from '../../main/services';
import { internalConnection, Router } from '../../main/ipc/router';
import type { Connection } from '../../main/ipc/connection';

const [url, localStore, workstation] = process.argv.slice(2) as [string, string, string];

async function main() {
  const services = await startServices({
    database: { url },
    localStore,
    scryptCost: { N: 2 ** 12, r: 8, p: 1 },
    monitorIntervalMs: 300,
  });
  const router = new Router(services, { log: () => undefined });
  const conns = new Map<string, Connection>();
  const send = (m: unknown) => process.send?.(m);
  const connOf = (name: string) => {
    let c = conns.get(name);
    if (!c) {
      c = internalConnection(workstation, (event, payload) => send({ event, payload, conn: name }));
      conns.set(name, c);
    }
    return c;
  };
  services.offline?.onChange((e) => send({ event: 'outbox.changed', payload: e }));
  services.monitor.onChange((e) => send({ event: 'connectivity.changed', payload: e }));
  process.on('message', (m: { id: number; conn: string; name: string; input: unknown }) => {
    void router.handle(connOf(m.conn), m.name, m.input).then((reply) => send({ id: m.id, ...reply }));
  });
  send({ ready: true, state: services.monitor.snapshot().state });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
