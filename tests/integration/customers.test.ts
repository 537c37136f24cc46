import { describe, expect, it } from 'vitest';
import type { InputOf } from '../../shared/contract';
import { insertActiveDocument } from '../fixtures/customers';
import { RESOURCES } from '../../renderer/src/i18n/resources';
import {
  ADMIN,
  cmd,
  dbLabel,
  onServer,
  signIn,
  startTestBank,
  userWithRoles,
  type TestClient,
} from './harness';
import { changesSince, snapshot, untilBlockedOnLocks } from './support';

type NewProspect = Omit<InputOf<'prospect.create'>, 'commandId'>;

let counter = 0;
function person(over: Partial<NewProspect> = {}): NewProspect {
  counter += 1;
  return {
    customerType: 'individual',
    email: `person${counter}@example.com`,
    fullName: `Person Number${counter}`,
    bornOrRegisteredOn: '1985-04-12',
    phone: `+1 555 01${String(counter).padStart(2, '0')}`,
    address: `${counter} Main Street, Springfield`,
    idDocumentType: 'passport',
    idDocumentNumber: `PA-${1000 + counter}`,
    ...over,
  };
}

describe(`customers: prospects, KYC at the desk, conversion, search, closing (${dbLabel})`, async () => {
  const bank = await startTestBank();
  const db = bank.services.database.knex;
  const admin = await signIn(bank, ADMIN.username, ADMIN.password);
  const { client: bea } = await userWithRoles(bank, admin, 'bea', ['back_office']);
  const { client: sofia } = await userWithRoles(bank, admin, 'sofia', ['supervisor']);
  const { client: tina } = await userWithRoles(bank, admin, 'tina', ['teller']);
  const beaId = (await bea.call('session.current', {}))!.userId;

  const create = (client: TestClient, p: NewProspect) =>
    client.call('prospect.create', { commandId: cmd(), ...p });

  /** The text of a message key in a language, as the renderer finds it. */
  const text = (lang: 'en' | 'es', key: string) =>
    key
      .split('.')
      .reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], RESOURCES[lang]);

  /** A refusal that writes nothing but its own audit record, with a message in both languages. */
  async function refusedCleanly(client: TestClient, name: string, input: unknown) {
    const before = await snapshot(bank);
    const error = await client.fail(name, input);
    const { changedTables, audit } = await changesSince(bank, before);
    expect(changedTables).toEqual([]);
    expect(audit.every((a) => a.outcome !== 'Success')).toBe(true);
    expect(typeof text('en', error.messageKey), error.messageKey).toBe('string');
    expect(typeof text('es', error.messageKey), error.messageKey).toBe('string');
    return error;
  }

  it('creates a prospect: stage New, verification Not Started, a public id; listed newest first', async () => {
    const first = await create(bea, person({ fullName: 'Alba Older' }));
    bank.clock.advance(60_000);
    const p = await create(bea, person({ email: 'Maria.Lopez@Example.com', fullName: 'María López' }));
    expect(p).toMatchObject({
      stage: 'new',
      kycStatus: 'not_started',
      kycLevel: 'none',
      email: 'Maria.Lopez@Example.com',
      customerPublicId: null,
      activeDocuments: 0,
    });
    expect(p.publicId).toMatch(/^P-\d{6}$/);
    // The record of a command is appended as it commits: the next read shows it.
    expect(p.history).toEqual([]);
    expect((await tina.call('prospect.get', { id: p.id })).history.map((h) => h.action)).toEqual([
      'prospect.create',
    ]);

    const list = await tina.call('prospect.list', {});
    expect(list.map((x) => x.id).slice(0, 2)).toEqual([p.id, first.id]);
    expect((await bea.call('prospect.list', { search: 'maria.l' })).map((x) => x.id)).toEqual([p.id]);
    expect((await bea.call('prospect.list', { search: 'lópez' })).map((x) => x.id)).toEqual([p.id]);
    expect((await bea.call('prospect.list', { search: p.publicId.toLowerCase() })).map((x) => x.id)).toEqual([
      p.id,
    ]);
    expect((await bea.call('prospect.list', { stage: 'kyc_started' })).length).toBe(0);
  });

  it('refuses bad input with a translated error and writes nothing', async () => {
    await create(bea, person({ email: 'dup@example.com', telegramId: '@dup_handle' }));
    const dupEmail = await refusedCleanly(bea, 'prospect.create', {
      commandId: cmd(),
      ...person({ email: 'DUP@Example.COM' }),
    });
    expect(dupEmail).toMatchObject({ code: 'EMAIL_TAKEN', messageKey: 'errors.EMAIL_TAKEN' });
    const dupTelegram = await refusedCleanly(bea, 'prospect.create', {
      commandId: cmd(),
      ...person({ telegramId: 'DUP_handle' }),
    });
    expect(dupTelegram.code).toBe('TELEGRAM_TAKEN');
    const badEmail = await refusedCleanly(bea, 'prospect.create', {
      commandId: cmd(),
      ...person({ email: 'not-an-email' }),
    });
    expect(badEmail).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(JSON.stringify(badEmail.params)).toContain('email');
    const future = await refusedCleanly(bea, 'prospect.create', {
      commandId: cmd(),
      ...person({ bornOrRegisteredOn: '2026-03-03' }), // the test clock says 2026-03-02
    });
    expect(future).toMatchObject({ code: 'DATE_IN_FUTURE', messageKey: 'errors.DATE_IN_FUTURE' });
    // Today is fine.
    await create(bea, person({ bornOrRegisteredOn: '2026-03-02', customerType: 'private-company' }));
    expect((await tina.fail('prospect.create', { commandId: cmd(), ...person() })).code).toBe('FORBIDDEN');
  });

  it('KYC at the desk: documents first, reasons for a decline, a new attempt, then approval and conversion', async () => {
    const p = await create(bea, person({ fullName: 'Kim Verified' }));
    const id = p.id;
    // Not verified: conversion through KYC is refused.
    expect((await bea.fail('prospect.convert', { commandId: cmd(), id })).code).toBe(
      'PROSPECT_STAGE_INVALID',
    );
    const started = await bea.call('prospect.startKyc', { commandId: cmd(), id });
    expect(started).toMatchObject({ stage: 'kyc_started', kycStatus: 'pending' });
    expect((await bea.fail('prospect.convert', { commandId: cmd(), id })).code).toBe('KYC_NOT_VERIFIED');

    const noDocs = await refusedCleanly(bea, 'prospect.recordKyc', {
      commandId: cmd(),
      id,
      outcome: 'approved',
    });
    expect(noDocs.code).toBe('KYC_NO_ACTIVE_DOCUMENT');
    const noReasons = await refusedCleanly(bea, 'prospect.recordKyc', {
      commandId: cmd(),
      id,
      outcome: 'declined',
      reasons: [],
    });
    expect(noReasons.code).toBe('KYC_REASONS_REQUIRED');
    // A teller may not decide a verification.
    expect((await tina.fail('prospect.recordKyc', { commandId: cmd(), id, outcome: 'declined' })).code).toBe(
      'FORBIDDEN',
    );

    const declined = await bea.call('prospect.recordKyc', {
      commandId: cmd(),
      id,
      outcome: 'declined',
      reasons: ['document_expired'],
      comment: 'Passport expired in 2024',
    });
    expect(declined).toMatchObject({ stage: 'kyc_declined', kycStatus: 'rejected' });
    expect(declined.reviews[0]).toMatchObject({
      source: 'desk',
      outcome: 'declined',
      reasons: ['document_expired'],
      comment: 'Passport expired in 2024',
      decidedBy: 'bea',
    });
    // A declined prospect cannot be converted, not even manually: a new attempt first.
    expect(
      (await sofia.fail('prospect.convertWithoutKyc', { commandId: cmd(), id, reason: 'Known to us' })).code,
    ).toBe('PROSPECT_STAGE_INVALID');
    const retry = await bea.call('prospect.startKyc', { commandId: cmd(), id });
    expect(retry).toMatchObject({ stage: 'kyc_started', kycStatus: 'pending' });
    expect((await bea.call('prospect.submitKyc', { commandId: cmd(), id })).stage).toBe('kyc_pending');

    await insertActiveDocument(db, id, beaId);
    const approved = await bea.call('prospect.recordKyc', { commandId: cmd(), id, outcome: 'approved' });
    expect(approved).toMatchObject({ stage: 'kyc_pending', kycStatus: 'verified', kycLevel: 'basic' });
    expect(approved.activeDocuments).toBe(1);
    expect(
      (
        await bea.fail('prospect.recordKyc', {
          commandId: cmd(),
          id,
          outcome: 'declined',
          reasons: ['other'],
        })
      ).code,
    ).toBe('KYC_ALREADY_VERIFIED');

    const convertId = cmd();
    const customer = await bea.call('prospect.convert', { commandId: convertId, id });
    expect(customer).toMatchObject({
      id,
      status: 'active',
      convertedWith: 'kyc',
      stage: 'converted',
      kycStatus: 'verified',
    });
    expect(customer.customerPublicId).toMatch(/^C-\d{6}$/);
    expect(customer.depositAccountRequestedAt).not.toBeNull();
    // The same command again: the first answer, nothing twice.
    expect(await bea.call('prospect.convert', { commandId: convertId, id })).toEqual(customer);
    expect((await bea.fail('prospect.convert', { commandId: cmd(), id })).code).toBe(
      'PROSPECT_STAGE_INVALID',
    );

    const page = await tina.call('customer.get', { id });
    expect(page.history.map((h) => h.action)).toEqual([
      'prospect.convert',
      'prospect.recordKyc',
      'prospect.submitKyc',
      'prospect.startKyc',
      'prospect.recordKyc',
      'prospect.startKyc',
      'prospect.create',
    ]);
    // The deposit account requested at conversion was opened in the same transaction.
    const accounts = await tina.call('deposits.accounts.ofCustomer', { customerId: id });
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).toMatchObject({ status: 'active', settled: '0', holderId: id, currency: 'USD' });
    const audit = await db('audit_log')
      .where({ action: 'prospect.convert', outcome: 'Success' })
      .orderBy('seq', 'desc')
      .first();
    expect(audit.metadata).toMatchObject({
      depositAccountRequested: true,
      depositAccountOpened: accounts[0]!.publicId,
    });
    expect(page.closingChecks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['depositAccounts']);
    expect((await tina.call('prospect.get', { id })).customerPublicId).toBe(customer.customerPublicId);
  });

  it('converts without KYC only with the separate permission, and records the reason', async () => {
    const p = await create(bea, person({ fullName: 'Noor Manual' }));
    // back_office lacks customer.convertWithoutKyc.
    const refused = await refusedCleanly(bea, 'prospect.convertWithoutKyc', {
      commandId: cmd(),
      id: p.id,
      reason: 'Long-standing relationship',
    });
    expect(refused).toMatchObject({ code: 'FORBIDDEN', messageKey: 'errors.FORBIDDEN' });
    const c = await sofia.call('prospect.convertWithoutKyc', {
      commandId: cmd(),
      id: p.id,
      reason: 'Long-standing relationship',
    });
    expect(c).toMatchObject({
      convertedWith: 'manual',
      conversionReason: 'Long-standing relationship',
      kycStatus: 'not_started',
      stage: 'converted',
    });
    expect((await tina.call('customer.get', { id: c.id })).history[0]).toMatchObject({
      action: 'prospect.convertWithoutKyc',
      actorUsername: 'sofia',
      metadata: { withoutKyc: true, reason: 'Long-standing relationship' },
    });
  });

  it("a customer's history includes the documents module's records about its documents", async () => {
    const p = await create(bea, person({ fullName: 'Hedda History' }));
    const documentId = '00000000-0000-4000-8000-00000000d0c5';
    await bank.services.audit.appendStandalone(
      {
        actor: { type: 'User', userId: beaId, username: 'bea', roles: ['back_office'] },
        workstation: 'WS-TEST-1',
        clock: bank.clock,
      },
      {
        action: 'documents.upload.commit',
        outcome: 'Success',
        objectType: 'customer_document',
        objectIds: [documentId],
        metadata: { event: 'FileUploaded', holderId: p.id, fileName: 'passport.pdf' },
      },
    );
    const history = (await tina.call('prospect.get', { id: p.id })).history;
    expect(history.map((h) => [h.action, h.metadata.event ?? null])).toEqual([
      ['documents.upload.commit', 'FileUploaded'],
      ['prospect.create', null],
    ]);
  });

  it('closes a prospect with a reason; a closed prospect is terminal', async () => {
    const p = await create(bea, person());
    const closed = await bea.call('prospect.close', { commandId: cmd(), id: p.id, reason: 'Abandoned' });
    expect(closed).toMatchObject({ stage: 'closed', closeReason: 'Abandoned' });
    expect((await bea.fail('prospect.startKyc', { commandId: cmd(), id: p.id })).code).toBe(
      'PROSPECT_STAGE_INVALID',
    );
    expect((await bea.fail('customer.get', { id: p.id })).code).toBe('NOT_FOUND');
  });

  it('searches customers by name with a typo, email prefix, phone, public id and document number', async () => {
    const made = [];
    for (const [name, email, phone, doc] of [
      ['Johnson Whitaker', 'j.whitaker@mail.example', '+44 20 7946 0958', 'GB-554433'],
      ['Margarethe Johannsen', 'margarethe@firm.example', '+49 30 901820', 'DE-L01X00T47'],
      ['Acme Holdings Ltd', 'treasury@acme.example', '+1 212 555 0199', 'REG-99887766'],
    ] as const) {
      const p = await create(bea, person({ fullName: name, email, phone, idDocumentNumber: doc }));
      made.push(
        await sofia.call('prospect.convertWithoutKyc', { commandId: cmd(), id: p.id, reason: 'Test' }),
      );
    }
    const [whitaker, johannsen, acme] = made as [(typeof made)[0], (typeof made)[0], (typeof made)[0]];
    const ids = async (query: string) => (await tina.call('customer.search', { query })).map((h) => h.id);

    expect(await ids('Whitakr')).toContain(whitaker.id); // a letter missing
    expect(await ids('Johansen')).toContain(johannsen.id); // a letter missing
    expect((await ids('acme hodlings'))[0]).toBe(acme.id); // two letters swapped
    expect(await ids('treasury@ac')).toEqual([acme.id]);
    expect(await ids('J.WHIT')).toEqual([whitaker.id]);
    expect(await ids(johannsen.customerPublicId.toLowerCase())).toEqual([johannsen.id]);
    expect(await ids(johannsen.customerPublicId.replace(/^C-0*/, 'c'))).toEqual([johannsen.id]);
    // The prospect record's id finds the customer too.
    expect(await ids(johannsen.publicId)).toEqual([johannsen.id]);
    expect(await ids('de l01x00t47')).toEqual([]); // a space is not part of a document number
    expect(await ids('DE-L01X00T47')).toEqual([johannsen.id]);
    expect(await ids('reg99887766')).toEqual([acme.id]);
    expect(await ids('7946 0958')).toEqual([whitaker.id]);
    const hit = (await tina.call('customer.search', { query: 'REG-99887766' }))[0]!;
    expect(hit).toMatchObject({ matched: 'idDocument', publicId: acme.customerPublicId, status: 'active' });
    // Prospects that were never converted are not customers.
    await create(bea, person({ fullName: 'Prospero Onlyprospect' }));
    expect(await ids('Onlyprospect')).toEqual([]);
    expect((await tina.fail('customer.search', { query: 'a' })).code).toBe('VALIDATION_FAILED');
    // Wildcards in the text are text.
    expect(await ids('%%')).toEqual([]);
  });

  it('freezes, unfreezes and closes under DOMAIN 2.4; an open deposit account blocks closing', async () => {
    const p = await create(bea, person({ fullName: 'Frida Frozen' }));
    const c = await sofia.call('prospect.convertWithoutKyc', { commandId: cmd(), id: p.id, reason: 'Test' });
    const id = c.id;
    const frozen = await bea.call('customer.freeze', { commandId: cmd(), id, reason: 'Court order 12/2026' });
    expect(frozen).toMatchObject({ status: 'frozen', statusReason: 'Court order 12/2026' });
    expect((await bea.fail('customer.freeze', { commandId: cmd(), id, reason: 'Again' })).code).toBe(
      'CUSTOMER_STATUS_INVALID',
    );
    expect((await tina.fail('customer.unfreeze', { commandId: cmd(), id })).code).toBe('FORBIDDEN');
    expect((await bea.call('customer.unfreeze', { commandId: cmd(), id })).status).toBe('active');

    // The account opened at conversion blocks closing until it is closed itself.
    const [account] = await bea.call('deposits.accounts.ofCustomer', { customerId: id });
    expect((await bea.fail('deposits.accounts.open', { commandId: cmd(), customerId: id })).code).toBe(
      'DEPOSIT_ACCOUNT_EXISTS',
    );
    const blocked = await refusedCleanly(bea, 'customer.close', {
      commandId: cmd(),
      id,
      reason: 'Moved abroad',
    });
    expect(blocked).toMatchObject({
      code: 'CUSTOMER_CLOSE_BLOCKED',
      messageKey: 'errors.CUSTOMER_CLOSE_BLOCKED',
      params: { checks: ['depositAccounts'] },
    });
    const page = await bea.call('customer.get', { id });
    expect(page.closingChecks.find((x) => x.name === 'depositAccounts')).toEqual({
      name: 'depositAccounts',
      ok: false,
      blocking: 1,
    });

    await bea.call('deposits.accounts.close', {
      commandId: cmd(),
      id: account!.id,
      reason: 'Customer leaves',
    });
    const closed = await bea.call('customer.close', { commandId: cmd(), id, reason: 'Moved abroad' });
    expect(closed).toMatchObject({ status: 'closed', statusReason: 'Moved abroad' });
    expect((await bea.fail('customer.unfreeze', { commandId: cmd(), id })).code).toBe(
      'CUSTOMER_STATUS_INVALID',
    );
    expect((await bea.fail('customer.close', { commandId: cmd(), id, reason: 'x' })).code).toBe(
      'CUSTOMER_STATUS_INVALID',
    );
  });

  it('two workstations converting the same prospect at once: the first wins, the second gets a typed error', async () => {
    const p = await create(bea, person({ fullName: 'Race Convert' }));
    await bea.call('prospect.startKyc', { commandId: cmd(), id: p.id });
    await insertActiveDocument(db, p.id, beaId);
    await bea.call('prospect.recordKyc', { commandId: cmd(), id: p.id, outcome: 'approved' });
    const bea2 = await signIn(bank, 'bea', 'Personal-Pass-2026!', 'WS-TEST-2');

    let release: () => void = () => undefined;
    let holder: Promise<void> | undefined;
    if (onServer) {
      // Hold the prospect's row lock so both conversions queue behind it, then let them go.
      const held = new Promise<void>((r) => (release = r));
      let locked: () => void = () => undefined;
      const isLocked = new Promise<void>((r) => (locked = r));
      holder = db.transaction(async (trx) => {
        await trx('prospects').where({ id: p.id }).forUpdate().first();
        locked();
        await held;
      });
      await isLocked;
    }
    const both = Promise.all([
      bea.raw('prospect.convert', { commandId: cmd(), id: p.id }),
      bea2.raw('prospect.convert', { commandId: cmd(), id: p.id }),
    ]);
    if (onServer) {
      await untilBlockedOnLocks(bank, 2);
      release();
      await holder;
    }
    const answers = await both;
    const ok = answers.filter((a) => a.ok);
    const refused = answers.filter((a) => !a.ok);
    expect(ok.length).toBe(1);
    expect(refused.map((a) => (a.ok ? null : a.error))).toEqual([
      expect.objectContaining({
        code: 'PROSPECT_STAGE_INVALID',
        params: { stage: 'converted', action: 'convert' },
      }),
    ]);
    const [row] = await db('customers').where({ id: p.id }).count<{ count: string }[]>({ count: '*' });
    expect(Number(row!.count)).toBe(1);
  });

  it('two workstations registering the same email at once: one prospect, the other told the email is taken', async () => {
    const bea2 = await signIn(bank, 'bea', 'Personal-Pass-2026!', 'WS-TEST-4');
    const answers = await Promise.all([
      bea.raw('prospect.create', { commandId: cmd(), ...person({ email: 'twice@example.com' }) }),
      bea2.raw('prospect.create', { commandId: cmd(), ...person({ email: 'Twice@Example.com' }) }),
    ]);
    expect(answers.filter((a) => a.ok).length).toBe(1);
    expect(answers.filter((a) => !a.ok).map((a) => (a.ok ? null : a.error.code))).toEqual(['EMAIL_TAKEN']);
  });

  it('two workstations closing the same customer at once: one closes, the other is told it is closed', async () => {
    const p = await create(bea, person({ fullName: 'Race Close' }));
    const c = await sofia.call('prospect.convertWithoutKyc', { commandId: cmd(), id: p.id, reason: 'Test' });
    const [account] = await bea.call('deposits.accounts.ofCustomer', { customerId: c.id });
    await bea.call('deposits.accounts.close', { commandId: cmd(), id: account!.id, reason: 'Race' });
    const bea2 = await signIn(bank, 'bea', 'Personal-Pass-2026!', 'WS-TEST-3');
    const answers = await Promise.all([
      bea.raw('customer.close', { commandId: cmd(), id: c.id, reason: 'First' }),
      bea2.raw('customer.close', { commandId: cmd(), id: c.id, reason: 'Second' }),
    ]);
    expect(answers.filter((a) => a.ok).length).toBe(1);
    expect(answers.filter((a) => !a.ok).map((a) => (a.ok ? null : a.error.code))).toEqual([
      'CUSTOMER_STATUS_INVALID',
    ]);
  });
});
