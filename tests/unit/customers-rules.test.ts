import { describe, expect, it } from 'vitest';
import {
  allowedActions,
  allowedEdits,
  editDistance,
  wordMatches,
  assertClosable,
  assertConvertible,
  assertNotFuture,
  CLOSING_CHECKS,
  formatPublicId,
  kycDecision,
  likeEscape,
  nextCustomerStatus,
  nextStage,
  normalizeTelegram,
  parsePublicId,
  runClosingChecks,
  searchPlan,
  type ClosingProbe,
} from '../../main/modules/customers/rules';
import { customerProcedures, PROSPECT_STAGES } from '../../shared/contract/customers';
import { AppError } from '../../shared/errors';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof AppError ? err.code : 'NOT_APP_ERROR';
  }
  return undefined;
}

describe('prospect stages (DOMAIN 2.2)', () => {
  it('allows exactly the documented transitions', () => {
    const table = Object.fromEntries(PROSPECT_STAGES.map((s) => [s, allowedActions(s)]));
    expect(table).toEqual({
      new: ['startKyc', 'convertWithoutKyc', 'close'],
      kyc_started: ['submitKyc', 'recordKyc', 'convert', 'convertWithoutKyc', 'close'],
      kyc_pending: ['recordKyc', 'convert', 'convertWithoutKyc', 'close'],
      kyc_declined: ['startKyc', 'close'],
      converted: [],
      closed: [],
    });
  });

  it('a declined prospect may start a new attempt; terminal stages refuse everything', () => {
    expect(nextStage('kyc_declined', 'startKyc')).toBe('kyc_started');
    expect(nextStage('new', 'convertWithoutKyc')).toBe('converted');
    expect(code(() => nextStage('converted', 'close'))).toBe('PROSPECT_STAGE_INVALID');
    expect(code(() => nextStage('closed', 'startKyc'))).toBe('PROSPECT_STAGE_INVALID');
    expect(code(() => nextStage('kyc_declined', 'convertWithoutKyc'))).toBe('PROSPECT_STAGE_INVALID');
  });

  it('names the stage and the action in the refusal', () => {
    try {
      nextStage('converted', 'convert');
    } catch (err) {
      expect((err as AppError).params).toEqual({ stage: 'converted', action: 'convert' });
    }
  });
});

describe('KYC decision at the desk (DOMAIN 2.3)', () => {
  const base = {
    stage: 'kyc_started' as const,
    kycStatus: 'pending' as const,
    reasons: [],
    activeDocuments: 1,
  };
  it('approval needs an active document and keeps the stage', () => {
    expect(kycDecision({ ...base, outcome: 'approved' })).toEqual({
      stage: 'kyc_started',
      kycStatus: 'verified',
    });
    expect(code(() => kycDecision({ ...base, outcome: 'approved', activeDocuments: 0 }))).toBe(
      'KYC_NO_ACTIVE_DOCUMENT',
    );
  });
  it('a decline needs reasons and moves to kyc_declined', () => {
    expect(code(() => kycDecision({ ...base, outcome: 'declined' }))).toBe('KYC_REASONS_REQUIRED');
    expect(kycDecision({ ...base, outcome: 'declined', reasons: ['other'], activeDocuments: 0 })).toEqual({
      stage: 'kyc_declined',
      kycStatus: 'rejected',
    });
  });
  it('Verified is permanent; a decision needs a stage in verification', () => {
    expect(
      code(() => kycDecision({ ...base, kycStatus: 'verified', outcome: 'declined', reasons: ['x'] })),
    ).toBe('KYC_ALREADY_VERIFIED');
    expect(code(() => kycDecision({ ...base, stage: 'new', outcome: 'approved' }))).toBe(
      'PROSPECT_STAGE_INVALID',
    );
  });
  it('conversion through KYC needs Verified; without KYC it does not', () => {
    expect(code(() => assertConvertible('kyc_pending', 'pending', false))).toBe('KYC_NOT_VERIFIED');
    expect(code(() => assertConvertible('kyc_pending', 'verified', false))).toBeUndefined();
    expect(code(() => assertConvertible('new', 'not_started', true))).toBeUndefined();
    expect(code(() => assertConvertible('new', 'not_started', false))).toBe('PROSPECT_STAGE_INVALID');
  });
});

describe('input rules', () => {
  it('refuses a date after today, accepts today', () => {
    expect(code(() => assertNotFuture('2026-03-03', '2026-03-02'))).toBe('DATE_IN_FUTURE');
    expect(code(() => assertNotFuture('2026-03-02', '2026-03-02'))).toBeUndefined();
  });
  it('normalizes Telegram handles', () => {
    expect(normalizeTelegram('@Some_Handle')).toBe('Some_Handle');
    expect(normalizeTelegram('  ')).toBeNull();
    expect(normalizeTelegram(undefined)).toBeNull();
  });
});

describe('public ids and search plans', () => {
  it('formats and parses public ids', () => {
    expect(formatPublicId('C', 123)).toBe('C-000123');
    expect(formatPublicId('C', '1234567')).toBe('C-1234567');
    expect(parsePublicId(' c123 ')).toBe('C-000123');
    expect(parsePublicId('C-000123')).toBe('C-000123');
    expect(parsePublicId('p-7')).toBe('P-000007');
    expect(parsePublicId('CX-1')).toBeNull();
  });
  it('plans one probe per plausible meaning of the text', () => {
    expect(searchPlan('Jonhson')).toEqual({
      publicId: null,
      emailPrefix: 'jonhson',
      documentKey: null,
      phoneDigits: null,
      name: 'Jonhson',
      nameTokens: ['Jonhson'],
    });
    expect(searchPlan('maria@ex')).toMatchObject({ emailPrefix: 'maria@ex', name: null });
    expect(searchPlan('maria.lo')).toMatchObject({ emailPrefix: 'maria.lo', name: null, nameTokens: [] });
    expect(searchPlan('C-000042')).toMatchObject({ publicId: 'C-000042', documentKey: 'C000042' });
    expect(searchPlan('+1 555 0100')).toMatchObject({
      phoneDigits: '15550100',
      documentKey: null,
      name: null,
    });
    expect(searchPlan('AB 123')).toMatchObject({ documentKey: null, emailPrefix: null });
    expect(searchPlan('Anna  Maria')).toMatchObject({
      name: 'Anna Maria',
      nameTokens: ['Anna', 'Maria'],
      emailPrefix: null,
    });
    expect(searchPlan("O'Brien, J")).toMatchObject({ nameTokens: ['Brien'] });
  });
  it('measures typos with transpositions as one edit', () => {
    expect(editDistance('garica', 'garcia')).toBe(1);
    expect(editDistance('jonhson', 'johnson')).toBe(1);
    expect(editDistance('whitakr', 'whitaker')).toBe(1);
    expect(editDistance('smith', 'smith')).toBe(0);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('a', 'abcdefgh')).toBe(7);
    expect([allowedEdits('kim'), allowedEdits('garcia'), allowedEdits('hollingsworth')]).toEqual([1, 2, 3]);
  });
  it('a stored name word answers a query word by prefix, close spelling or trigram similarity', () => {
    expect(wordMatches('Whit', 'whitaker', 0.3)).toBe(true);
    expect(wordMatches('Garica', 'garcia', 0.27)).toBe(true);
    expect(wordMatches('kim', 'kai', 0.1)).toBe(false);
    expect(wordMatches('tom', 'thomas', 0.5)).toBe(true);
  });
  it('escapes LIKE wildcards', () => {
    expect(likeEscape('50%_off\\')).toBe('50\\%\\_off\\\\');
  });
});

describe('customer status and closing (DOMAIN 2.4)', () => {
  it('moves active ⇄ frozen, and either to closed; closed is terminal', () => {
    expect(nextCustomerStatus('active', 'freeze')).toBe('frozen');
    expect(nextCustomerStatus('frozen', 'unfreeze')).toBe('active');
    expect(nextCustomerStatus('frozen', 'close')).toBe('closed');
    expect(code(() => nextCustomerStatus('active', 'unfreeze'))).toBe('CUSTOMER_STATUS_INVALID');
    expect(code(() => nextCustomerStatus('closed', 'freeze'))).toBe('CUSTOMER_STATUS_INVALID');
  });

  it('runs every named check; a missing table blocks nothing; every failing check is named', async () => {
    expect(CLOSING_CHECKS.map((c) => c.name)).toEqual([
      'creditFacilities',
      'proposals',
      'pendingFacilities',
      'depositAccounts',
      'withdrawals',
    ]);
    const asked: string[] = [];
    const probe: ClosingProbe = {
      async countIfExists(table) {
        asked.push(table);
        if (table === 'deposit_accounts') return 2;
        if (table === 'withdrawals') return 1;
        return null;
      },
    };
    const results = await runClosingChecks(probe, 'c1');
    expect(asked).toEqual([
      'credit_facilities',
      'credit_facility_proposals',
      'pending_credit_facilities',
      'deposit_accounts',
      'withdrawals',
    ]);
    expect(results.filter((r) => !r.ok)).toEqual([
      { name: 'depositAccounts', ok: false, blocking: 2 },
      { name: 'withdrawals', ok: false, blocking: 1 },
    ]);
    try {
      assertClosable(results);
      expect.unreachable();
    } catch (err) {
      expect((err as AppError).code).toBe('CUSTOMER_CLOSE_BLOCKED');
      expect((err as AppError).params).toEqual({ checks: ['depositAccounts', 'withdrawals'] });
    }
    expect(code(() => assertClosable(results.map((r) => ({ ...r, ok: true }))))).toBeUndefined();
  });
});

describe('the prospect input schema', () => {
  const schema = customerProcedures['prospect.create'].input;
  const valid = {
    commandId: '00000000-0000-4000-8000-000000000001',
    customerType: 'individual',
    email: 'ana@example.com',
    fullName: 'Ana',
    bornOrRegisteredOn: '1990-01-31',
    phone: '+34 600 111 222',
    address: 'Calle Mayor 1',
    idDocumentType: 'passport',
    idDocumentNumber: 'X1',
  };
  const fails = (over: Record<string, unknown>) =>
    schema
      .safeParse({ ...valid, ...over })
      .error?.issues.map((i) => i.path.join('.'))
      .sort();
  it('accepts a complete prospect, with or without a Telegram id', () => {
    expect(schema.safeParse(valid).success).toBe(true);
    expect(schema.safeParse({ ...valid, telegramId: '@ana_g' }).success).toBe(true);
    expect(schema.safeParse({ ...valid, telegramId: '123456789' }).success).toBe(true);
  });
  it('refuses a bad email, type, date, phone, handle, an empty name and unknown fields', () => {
    expect(fails({ email: 'not-an-email' })).toEqual(['email']);
    expect(fails({ customerType: 'trust' })).toEqual(['customerType']);
    expect(fails({ bornOrRegisteredOn: '1990-02-30' })).toEqual(['bornOrRegisteredOn']);
    expect(fails({ phone: 'call me' })).toEqual(['phone']);
    expect(fails({ telegramId: 'a b' })).toEqual(['telegramId']);
    expect(fails({ fullName: '   ' })).toEqual(['fullName']);
    expect(fails({ fullName: 'x'.repeat(201) })).toEqual(['fullName']);
    expect(fails({ isAdmin: true })).toEqual(['']);
  });
});
