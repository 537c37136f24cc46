import { randomUUID } from 'node:crypto';
import type { Services } from '../services';
import { runCommand } from '../ipc/command';
import { SYSTEM_ACTOR, type CommandScope } from '../ipc/context';
import type { ProspectInput } from '../modules/customers';
import { ok } from '../../shared/contract';
import type { Role } from '../../shared/permissions';
import demo from '../../resources/demo/demo-bank.json';

export const DEMO = demo as {
  bankName: string;
  businessDate: string;
  password: string;
  staff: { username: string; fullName: string; roles: Role[] }[];
  customers: ProspectInput[];
  prospects: (ProspectInput & { stage: 'new' | 'kyc_started' | 'kyc_declined' })[];
};

/**
 * Demo customers and prospects, through the customers service in the demo's command: customers are
 * verified by a (recorded) provider approval and converted; prospects wait at their stage.
 */
async function loadDemoCustomers(services: Services, scope: CommandScope): Promise<string[]> {
  const ids: string[] = [];
  const c = services.customers;
  let n = 0;
  for (const input of DEMO.customers) {
    const p = await c.createProspect(scope, input);
    ids.push(p.id);
    await c.startKyc(scope, p.id);
    n += 1;
    await c.applyKycCallback(scope, {
      applicantId: `demo-applicant-${n}`,
      correlationId: `demo-${p.id}`,
      externalUserId: p.id,
      levelName: 'basic-kyc-level',
      type: 'applicantReviewed',
      reviewResult: { reviewAnswer: 'GREEN' },
      reviewStatus: 'completed',
      createdAtMs: scope.clock.now().toISOString(),
    });
    await c.convert(scope, p.id);
  }
  for (const { stage, ...input } of DEMO.prospects) {
    const p = await c.createProspect(scope, input);
    ids.push(p.id);
    if (stage === 'new') continue;
    await c.startKyc(scope, p.id);
    if (stage === 'kyc_declined') {
      await c.recordKyc(scope, {
        id: p.id,
        outcome: 'declined',
        reasons: ['incomplete_information'],
        comment: 'Beneficial owners not documented.',
      });
    }
  }
  return ids;
}

/** The demo branch's vault: $21,675.00 in notes and coins (minor units). */
const DEMO_VAULT = [
  { value: '10000', count: 100 },
  { value: '5000', count: 80 },
  { value: '2000', count: 200 },
  { value: '1000', count: 200 },
  { value: '500', count: 200 },
  { value: '100', count: 500 },
  { value: '25', count: 400 },
  { value: '10', count: 500 },
  { value: '5', count: 400 },
  { value: '1', count: 500 },
];

/**
 * A branch with a vault holding cash and two tills, so that a teller can open the day at once. The
 * vault's cash comes from the bank's central cash, which needs an open fiscal year to post.
 */
async function loadDemoTills(services: Services, scope: CommandScope): Promise<void> {
  const { fiscalYears } = await services.ledger.calendar(scope.trx);
  if (!fiscalYears.length)
    await services.ledger.openFirstFiscalYear(
      scope.trx,
      `${DEMO.businessDate.slice(0, 4)}-01-01`,
      scope.clock.now(),
    );
  const t = services.tills;
  const branch = await t.createBranch(scope, {
    code: 'MAIN',
    name: 'Main Street',
    currency: 'USD',
    closeTolerance: '500',
  });
  await t.createTill(scope, { branchId: branch.id, code: 'T1', name: 'Window 1' });
  await t.createTill(scope, { branchId: branch.id, code: 'T2', name: 'Window 2' });
  const amount = DEMO_VAULT.reduce((sum, d) => sum + BigInt(d.value) * BigInt(d.count), 0n);
  await t.receiveIntoVault(scope, { branchId: branch.id, amount: String(amount), denominations: DEMO_VAULT });
}

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
      const holders = await loadDemoCustomers(services, scope);
      await loadDemoTills(services, scope);
      scope.target.objectType = 'bank';
      // The demo's customers and prospects name this record in their history.
      scope.target.objectIds = ['1', ...holders];
      scope.target.metadata = {
        demo: true,
        staff: DEMO.staff.map((u) => u.username),
        customers: DEMO.customers.length,
        prospects: DEMO.prospects.length,
      };
      return { ok: true as const };
    },
  );
  return true;
}
