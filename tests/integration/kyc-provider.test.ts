import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN, cmd, dbLabel, signIn, startTestBank, userWithRoles } from './harness';
import { changesSince, snapshot } from './support';

const DIR = join(__dirname, '../fixtures/kyc-callbacks');

/** A recorded provider callback, addressed to one of our prospects. */
function recorded(name: string, prospectId: string): Record<string, unknown> {
  const payload = JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as Record<string, unknown>;
  return { ...payload, externalUserId: prospectId };
}

describe(`KYC provider callbacks: applied once each, DOMAIN 2.3 (${dbLabel})`, async () => {
  const bank = await startTestBank();
  const db = bank.services.database.knex;
  const admin = await signIn(bank, ADMIN.username, ADMIN.password);
  const { client: bea } = await userWithRoles(bank, admin, 'bea', ['back_office']);
  const customers = bank.services.customers;
  const ctx = { workstation: 'kyc-gateway', clock: bank.clock };

  const prospect = await bea.call('prospect.create', {
    commandId: cmd(),
    customerType: 'individual',
    email: 'applicant@example.com',
    fullName: 'Ana Applicant',
    bornOrRegisteredOn: '1991-07-30',
    phone: '+34 600 111 222',
    address: 'Calle Mayor 1, Madrid',
    idDocumentType: 'national_id',
    idDocumentNumber: '12345678Z',
  });
  const id = prospect.id;
  const deliver = (name: string) => customers.kycCallback(ctx, recorded(name, id));
  const get = () => bea.call('prospect.get', { id });

  it('applicant created: stores the applicant id and starts verification', async () => {
    expect(await deliver('applicant-created')).toEqual({ applied: true, effect: 'applicantStored' });
    expect(await get()).toMatchObject({
      kycApplicantId: '6719f3c2a1b2c3d4e5f60718',
      stage: 'kyc_started',
      kycStatus: 'pending',
    });
  });

  it('the same callback again changes nothing', async () => {
    const before = await snapshot(bank);
    expect(await deliver('applicant-created')).toEqual({ applied: true, effect: 'applicantStored' });
    const { changedTables } = await changesSince(bank, before);
    expect(changedTables).toEqual([]);
    const [row] = await db('kyc_callbacks').where({ prospect_id: id }).count<{ n: string }[]>({ n: '*' });
    expect(Number(row!.n)).toBe(1);
  });

  it('pending moves the stage; personal data changed is only logged', async () => {
    expect(await deliver('applicant-pending')).toEqual({ applied: true, effect: 'pending' });
    expect((await get()).stage).toBe('kyc_pending');
    const before = await get();
    expect(await deliver('applicant-personal-info-changed')).toEqual({ applied: true, effect: 'logged' });
    const after = await get();
    expect({ ...after, history: [] }).toEqual({ ...before, history: [] });
    expect(after.history[0]).toMatchObject({
      action: 'kyc.callback',
      actorUsername: 'kyc-provider',
      metadata: { callback: 'applicantPersonalInfoChanged', effect: 'logged' },
    });
  });

  it('a red review: Rejected with the labels and comments, stage declined', async () => {
    expect(await deliver('applicant-reviewed-red')).toEqual({ applied: true, effect: 'rejected' });
    const p = await get();
    expect(p).toMatchObject({ stage: 'kyc_declined', kycStatus: 'rejected', kycLevel: 'none' });
    expect(p.reviews[0]).toMatchObject({
      source: 'provider',
      outcome: 'declined',
      reasons: ['UNSATISFACTORY_PHOTOS', 'DOCUMENT_PAGE_MISSING'],
      decidedBy: null,
    });
    expect(p.reviews[0]!.comment).toContain('blurred');
    expect(p.reviews[0]!.comment).toContain('ask the applicant for a new photo');
  });

  it('after a new attempt, a green review: Verified, level Basic; then a regular conversion', async () => {
    await bea.call('prospect.startKyc', { commandId: cmd(), id });
    expect(await deliver('applicant-reviewed-green')).toEqual({ applied: true, effect: 'verified' });
    expect(await get()).toMatchObject({ kycStatus: 'verified', kycLevel: 'basic', stage: 'kyc_started' });
    // Verified is permanent: a later red review is only logged.
    expect(await deliver('applicant-reviewed-red-late')).toEqual({ applied: true, effect: 'logged' });
    expect((await get()).kycStatus).toBe('verified');
    const customer = await bea.call('prospect.convert', { commandId: cmd(), id });
    expect(customer).toMatchObject({ status: 'active', kycStatus: 'verified', convertedWith: 'kyc' });
  });

  it('refuses malformed callbacks and unknown prospects, recording nothing', async () => {
    const before = await snapshot(bank);
    await expect(customers.kycCallback(ctx, { type: 'applicantReviewed' })).rejects.toMatchObject({
      code: 'KYC_CALLBACK_INVALID',
    });
    await expect(
      customers.kycCallback(ctx, {
        ...recorded('applicant-reviewed-green', id),
        reviewResult: { reviewAnswer: 'YELLOW' },
      }),
    ).rejects.toMatchObject({
      code: 'KYC_CALLBACK_INVALID',
      params: { fields: ['reviewResult.reviewAnswer'] },
    });
    await expect(
      customers.kycCallback(ctx, {
        ...recorded('applicant-created', '00000000-0000-4000-8000-000000000000'),
        correlationId: 'req-unknown',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const { changedTables } = await changesSince(bank, before);
    expect(changedTables).toEqual([]);
  });

  it('stores every applied callback with its payload', async () => {
    const rows = await db('kyc_callbacks')
      .where({ prospect_id: id })
      .orderBy('callback_at')
      .select('type', 'effect');
    expect(rows).toEqual([
      { type: 'applicantCreated', effect: 'applicantStored' },
      { type: 'applicantPending', effect: 'pending' },
      { type: 'applicantPersonalInfoChanged', effect: 'logged' },
      { type: 'applicantReviewed', effect: 'rejected' },
      { type: 'applicantReviewed', effect: 'verified' },
      { type: 'applicantReviewed', effect: 'logged' },
    ]);
  });
});
