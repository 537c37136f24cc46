import { randomUUID } from 'node:crypto';
import { procedures } from '../../shared/contract';
import { runCommand } from '../ipc/command';
import { SYSTEM_ACTOR } from '../ipc/context';
import type { Services } from '../services';

/** Classifies every deposit account's activity for the business date, as the system identity. */
export function classifyDepositActivity(services: Services, workstation: string) {
  return runCommand(
    services.database.knex,
    services.audit,
    { actor: SYSTEM_ACTOR, workstation, clock: services.clock },
    {
      procedure: 'deposits.activity.classify',
      commandId: randomUUID(),
      payload: {},
      output: procedures['deposits.activity.classify'].output,
    },
    (scope) => services.deposits.classifyActivity(scope),
  );
}

/**
 * The dormancy job (DOMAIN 2.5): once per business date, whichever workstation gets there first.
 * It looks before it runs, so the hourly tick writes nothing (not even an audit record) once the
 * date is done; two workstations racing are serialized by the classification's advisory lock and
 * give the same result. Nothing is classified before the bank is set up.
 */
export async function classifyDepositActivityIfDue(
  services: Services,
  workstation: string,
): Promise<boolean> {
  if (!(await services.bank.profile())) return false;
  if (await services.deposits.activityClassifiedToday()) return false;
  await classifyDepositActivity(services, workstation);
  return true;
}

export function startDepositActivityJob(
  services: Services,
  workstation: string,
  intervalMs = 60 * 60_000,
): () => void {
  const tick = () => void classifyDepositActivityIfDue(services, workstation).catch(() => undefined);
  const first = setTimeout(tick, 30_000);
  const timer = setInterval(tick, intervalMs);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
