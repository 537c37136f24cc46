import { describe, expect, it } from 'vitest';
import { loadDemoBank, DEMO } from '../../main/host/demo';
import { dbLabel, signIn, startTestBank } from './harness';

describe(`the demo bank's customers and prospects (${dbLabel})`, async () => {
  const bank = await startTestBank({ setup: false });
  await loadDemoBank(bank.services, 'WS-DEMO');
  const tina = await signIn(bank, 'tina', DEMO.password);

  it('loads verified customers of several types and prospects at their stages', async () => {
    const prospects = await tina.call('prospect.list', {});
    expect(prospects.length).toBe(DEMO.customers.length + DEMO.prospects.length);
    const stages = prospects.map((p) => p.stage).sort();
    expect(stages.filter((s) => s === 'converted').length).toBe(DEMO.customers.length);
    expect(stages.filter((s) => s !== 'converted')).toEqual(['kyc_declined', 'kyc_started', 'new']);

    const [hit] = await tina.call('customer.search', { query: 'Okafr' });
    expect(hit).toMatchObject({ fullName: 'James Okafor', status: 'active', kycStatus: 'verified' });
    const customer = await tina.call('customer.get', { id: hit!.id });
    expect(customer).toMatchObject({ kycLevel: 'basic', convertedWith: 'kyc' });
    expect(customer.history.map((h) => h.action)).toEqual(['demo.load']);
    expect(customer.reviews[0]).toMatchObject({ source: 'provider', outcome: 'approved' });

    // Conversion opened every demo customer's USD deposit account (the demo posts no money).
    const accounts = await tina.call('deposits.accounts.list', {});
    expect(accounts.total).toBe(DEMO.customers.length);
    expect(accounts.items.every((a) => a.status === 'active' && a.settled === '0')).toBe(true);
    expect(accounts.items.map((a) => a.holderName).sort()).toEqual(
      DEMO.customers.map((c) => c.fullName).sort(),
    );
  });
});
