import { randomUUID } from 'node:crypto';
import { procedures } from '../../shared/contract';
import { runCommand } from '../ipc/command';
import { SYSTEM_ACTOR } from '../ipc/context';
import type { Services } from '../services';

/** Seals the audit log once, as the system identity: a command like any other, audited. */
export function sealAuditLog(services: Services, workstation: string) {
  return runCommand(
    services.database.knex,
    services.audit,
    { actor: SYSTEM_ACTOR, workstation, clock: services.clock },
    {
      procedure: 'audit.seal',
      commandId: randomUUID(),
      payload: {},
      output: procedures['audit.seal'].output,
    },
    (scope) => services.audit.seal(scope),
  );
}

/**
 * Seals every interval while the process runs. Seals are cheap and serialized by an advisory lock,
 * so several workstations sealing is harmless; a failed seal (database away) is simply tried again.
 */
export function startAuditSealer(
  services: Services,
  workstation: string,
  intervalMs = 15 * 60_000,
): () => void {
  const timer = setInterval(() => {
    void sealAuditLog(services, workstation).catch(() => undefined);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
