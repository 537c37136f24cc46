import { randomUUID } from 'node:crypto';
import type { Services } from '../services';
import { runCommand } from '../ipc/command';
import { SYSTEM_ACTOR } from '../ipc/context';
import { ok } from '../../shared/contract';
import type { Role } from '../../shared/permissions';
import demo from '../../resources/demo/demo-bank.json';

export const DEMO = demo as {
  bankName: string;
  businessDate: string;
  password: string;
  staff: { username: string; fullName: string; roles: Role[] }[];
};

/**
 * Loads the demo bank into an empty database, as the system identity, in one command: the bank,
 * and staff of every role who may sign in at once (no forced password change) for training.
 * A database that already has a bank is left untouched.
 */
export async function loadDemoBank(services: Services, workstation: string): Promise<boolean> {
  if (await services.bank.profile()) return false;
  const ctx = { actor: SYSTEM_ACTOR, workstation, clock: services.clock };
  await runCommand(
    services.database.knex,
    services.audit,
    ctx,
    { procedure: 'demo.load', commandId: randomUUID(), payload: { bank: DEMO.bankName }, output: ok },
    async (scope) => {
      const [first, ...rest] = DEMO.staff;
      await services.bank.setup(scope, {
        bankName: DEMO.bankName,
        businessDate: DEMO.businessDate,
        admin: {
          fullName: first!.fullName,
          username: first!.username,
          password: DEMO.password,
          passwordConfirmation: DEMO.password,
        },
      });
      for (const u of rest) {
        await services.access.createUser(scope, { ...u, password: DEMO.password, mustChangePassword: false });
      }
      scope.target.objectType = 'bank';
      scope.target.objectIds = ['1'];
      scope.target.metadata = { demo: true, staff: DEMO.staff.map((u) => u.username) };
      return { ok: true as const };
    },
  );
  return true;
}
