import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { classifyDepositActivityIfDue } from '../../main/jobs/deposit-activity';
import { insertProspect } from '../fixtures/customers';
import { ADMIN, cmd, dbLabel, signIn, startTestBank, userWithRoles } from './harness';

describe(`the dormancy job classifies once per business date (${dbLabel})`, async () => {
  const bank = await startTestBank();
  const db = bank.services.database.knex;
  const admin = await signIn(bank, ADMIN.username, ADMIN.password);
  const { client: office } = await userWithRoles(bank, admin, 'otto', ['back_office']);
  const holder = await insertProspect(db, { fullName: 'Quiet Quentin' });
  await db('customers').insert({ id: holder, public_id: `C-${randomUUID().slice(0, 8)}` });
  const account = await office.call('deposits.accounts.open', { commandId: cmd(), customerId: holder });
  const runs = () =>
    db('audit_log').where({ action: 'deposits.activity.classify' }).select('subject_type', 'outcome');
  const activity = async () =>
    (await db('deposit_accounts').where({ id: account.id }).first()).activity_status;
  const businessDate = async () => (await bank.services.bank.profile())!.business_date;

  it('runs for a date not yet classified, as the system, and then leaves that date alone', async () => {
    expect(await classifyDepositActivityIfDue(bank.services, 'WS-JOB')).toBe(true);
    expect(await runs()).toEqual([{ subject_type: 'System', outcome: 'Success' }]);
    expect(await db('deposit_activity_runs').where({ business_date: await businessDate() })).toHaveLength(1);
    expect(await activity()).toBe('active');
    // The next tick, the same day: nothing written, not even an audit record.
    expect(await classifyDepositActivityIfDue(bank.services, 'WS-JOB')).toBe(false);
    expect(await runs()).toHaveLength(1);
  });

  it('a later business date is classified again: a year and a day without movement is dormant', async () => {
    // The end of day moves the business date on (the bank's own day, not the wall clock).
    const opened = await businessDate();
    const later = new Date(Date.parse(`${opened}T00:00:00Z`) + 366 * 86_400_000).toISOString().slice(0, 10);
    await db('bank').update({ business_date: later });
    expect(await classifyDepositActivityIfDue(bank.services, 'WS-JOB')).toBe(true);
    expect(await activity()).toBe('inactive');
    expect(await runs()).toHaveLength(2);
  });
});
