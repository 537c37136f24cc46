import { describe, expect, it } from 'vitest';
import { ADMIN, cmd, dbLabel, signIn, startTestBank } from './harness';

describe(`foundation smoke (${dbLabel})`, async () => {
  const bank = await startTestBank();
  it('sets up, logs in and verifies the audit log', async () => {
    const admin = await signIn(bank, ADMIN.username, ADMIN.password);
    const info = await admin.call('system.info', {});
    expect(info.bankName).toBe('First Test Bank');
    const u = await admin.call('staff.create', {
      commandId: cmd(),
      username: 'tina',
      fullName: 'Tina Teller',
      roles: ['teller'],
      temporaryPassword: 'Temp-pass-2026!x',
    });
    expect(u.roles).toEqual(['teller']);
    const v = await admin.call('audit.verify', {});
    expect(v.intact).toBe(true);
    expect(v.recordsChecked).toBeGreaterThan(2);
  });
});
