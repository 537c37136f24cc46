import { describe, expect, it } from 'vitest';
import {
  ZERO_HASH,
  assertWritable,
  canonicalJson,
  decodePayload,
  encodePayload,
  firstAnchorProblem,
  firstChainProblem,
  maskAccount,
  payloadMismatches,
  receiptContent,
  receiptDigestInput,
  receiptPayload,
  type JournalLineContent,
  type StoredLine,
} from '../../main/modules/teller-journal/rules';
import { counterDetails, lineHash, sha256 } from '../../main/modules/teller-journal/service';
import type { CounterStep } from '../../main/modules/deposits/counter';

const line: JournalLineContent = {
  id: '11111111-1111-4111-8111-111111111111',
  tellerId: '22222222-2222-4222-8222-222222222222',
  businessDate: '2026-03-02',
  sequence: 1,
  kind: 'deposit',
  tillId: null,
  amount: 150075n,
  currency: 'USD',
  subjectId: '33333333-3333-4333-8333-333333333333',
  ledgerTransactionId: '44444444-4444-4444-8444-444444444444',
  workstation: 'WS-1',
  details: {
    accountPublicId: 'DA-000123',
    customerPublicId: 'C-000045',
    customerName: 'Rosa Recibo',
    method: 'cash',
    reference: null,
    tellerUsername: 'tina',
  },
  at: new Date('2026-03-02T10:15:00.250Z'),
};

describe('canonical form', () => {
  it.each([
    ['keys sorted at every depth', { b: 1, a: { d: 2, c: 3 } }, '{"a":{"c":3,"d":2},"b":1}'],
    ['money as minor-unit strings', { amount: 150075n }, '{"amount":"150075"}'],
    [
      'timestamps as ISO text',
      { at: new Date('2026-03-02T10:15:00.250Z') },
      '{"at":"2026-03-02T10:15:00.250Z"}',
    ],
    ['absent members dropped, nulls kept', { a: undefined, b: null }, '{"b":null}'],
    ['arrays keep their order', { list: [3, 1, 2] }, '{"list":[3,1,2]}'],
  ])('%s', (_name, value, json) => {
    expect(canonicalJson(value)).toBe(json);
  });

  it('refuses numbers whose text jsonb and JavaScript may not agree on', () => {
    expect(() => canonicalJson({ rate: 0.1 })).toThrow(/canonical/);
    expect(() => canonicalJson({ big: 2 ** 60 })).toThrow(/canonical/);
  });

  it('hashes the same line the same way whatever order its details were written in', () => {
    const reordered = { ...line, details: Object.fromEntries(Object.entries(line.details).reverse()) };
    expect(lineHash(ZERO_HASH, reordered)).toBe(lineHash(ZERO_HASH, line));
    expect(lineHash(ZERO_HASH, { ...line, amount: 150076n })).not.toBe(lineHash(ZERO_HASH, line));
    expect(lineHash('a'.repeat(64), line)).not.toBe(lineHash(ZERO_HASH, line));
  });
});

describe('what may be written', () => {
  const ok = { kind: 'deposit', businessDate: '2026-03-02', amount: 1n, currency: 'USD', details: {} };
  it.each([
    ['a kind outside the vocabulary', { ...ok, kind: 'Deposit!' }, /kind/],
    ['an amount without currency', { ...ok, currency: null }, /currency/],
    ['a currency without amount', { ...ok, amount: null }, /currency/],
    ['a password, however deep', { ...ok, details: { override: { password: 'x' } } }, /secrets/],
    ['a malformed date', { ...ok, businessDate: '2.3.2026' }, /date/],
  ])('refuses %s', (_name, entry, message) => {
    expect(() => assertWritable(entry)).toThrow(message);
  });
  it('accepts a line without money', () => {
    expect(() => assertWritable({ ...ok, amount: null, currency: null })).not.toThrow();
  });
});

describe('chain rules', () => {
  /** An intact chain of n lines, as verification reads them. */
  function chain(n: number): StoredLine[] {
    const out: StoredLine[] = [];
    let prev = ZERO_HASH;
    for (let i = 1; i <= n; i++) {
      const hash = sha256(`${prev}:${i}`);
      out.push({ id: `l${i}`, sequence: i, prevHash: prev, hash, recomputed: hash });
      prev = hash;
    }
    return out;
  }
  const headOf = (lines: StoredLine[]) => ({ sequence: lines.length, hash: lines.at(-1)?.hash ?? ZERO_HASH });

  it.each<[string, (l: StoredLine[]) => StoredLine[], ReturnType<typeof firstChainProblem>]>([
    ['an intact day', (l) => l, null],
    [
      'an edited line',
      (l) => l.map((x) => (x.sequence === 2 ? { ...x, recomputed: 'edited' } : x)),
      { kind: 'lineAltered', sequence: 2, lineId: 'l2' },
    ],
    [
      'a line deleted in the middle',
      (l) => l.filter((x) => x.sequence !== 2),
      { kind: 'sequenceGap', sequence: 2, lineId: 'l3' },
    ],
    [
      'two lines swapped and renumbered',
      (l) => [l[0]!, { ...l[2]!, sequence: 2 }, { ...l[1]!, sequence: 3 }, l[3]!],
      { kind: 'chainBroken', sequence: 2, lineId: 'l3' },
    ],
  ])('%s', (_name, change, problem) => {
    const lines = chain(4);
    expect(firstChainProblem(change(lines), headOf(lines))).toEqual(problem);
  });

  it('holds a day against the digests the audit log recorded', () => {
    const lines = chain(3);
    const anchors = lines.map((l) => ({ sequence: l.sequence, digest: l.hash }));
    expect(firstAnchorProblem(lines, anchors)).toBeNull();
    expect(firstAnchorProblem(lines.slice(0, 2), anchors)).toEqual({
      kind: 'anchorMismatch',
      sequence: 3,
      lineId: null,
    });
    const rewritten = lines.map((l) => (l.sequence === 2 ? { ...l, hash: 'other' } : l));
    expect(firstAnchorProblem(rewritten, anchors)).toEqual({
      kind: 'anchorMismatch',
      sequence: 2,
      lineId: 'l2',
    });
  });

  it('finds a deleted tail through the head, and an empty day is intact', () => {
    const lines = chain(3);
    expect(firstChainProblem(lines.slice(0, 2), headOf(lines))).toEqual({
      kind: 'headMismatch',
      sequence: 3,
      lineId: null,
    });
    expect(firstChainProblem([], null)).toBeNull();
  });
});

describe('receipts', () => {
  const lineHashValue = lineHash(ZERO_HASH, line);
  const content = receiptContent(line);
  const hash = sha256(receiptDigestInput(lineHashValue, content));

  it('states what the journal line says', () => {
    expect(content).toMatchObject({
      receiptId: line.id,
      amount: 150075n,
      accountPublicId: 'DA-000123',
      customerName: 'Rosa Recibo',
      teller: 'tina',
    });
  });

  it('has a digest that changes with any stated fact and with the journal line', () => {
    const digest = (c: typeof content, h = lineHashValue) => sha256(receiptDigestInput(h, c));
    expect(digest(content)).toBe(hash);
    expect(digest({ ...content, amount: 150076n })).not.toBe(hash);
    expect(digest({ ...content, accountPublicId: 'DA-000124' })).not.toBe(hash);
    expect(digest({ ...content, at: new Date('2026-03-03T10:15:00.250Z') })).not.toBe(hash);
    expect(digest(content, 'b'.repeat(64))).not.toBe(hash);
  });

  it('round-trips its QR payload and names the fields an edit changed', () => {
    const payload = receiptPayload(content, hash);
    const text = encodePayload(payload);
    expect(text.startsWith('RCPT1?')).toBe(true);
    expect(decodePayload(` ${text}\n`)).toEqual(payload);
    const edited = decodePayload(text.replace('a=150075', 'a=950075'))!;
    expect(payloadMismatches(edited, payload)).toEqual(['amount']);
  });

  it.each(['', 'hello', 'RCPT1?r=x', 'RCPT1?r=not-a-uuid&t=&k=&a=&c=&acct=&at=&h=00'])(
    'reads %j as no receipt code',
    (text) => {
      expect(decodePayload(text)).toBeNull();
    },
  );

  it.each([
    ['DA-000123', 'DA-**0123'],
    ['DA-1234', 'DA-1234'],
    ['0123', '0123'],
    ['ACC123456789', '********6789'],
  ])('masks %s as %s', (publicId, masked) => {
    expect(maskAccount(publicId)).toBe(masked);
  });
});

describe('what the journal keeps of a counter step', () => {
  const step: CounterStep = {
    kind: 'deposit',
    movementId: line.subjectId!,
    accountId: 'acc',
    accountPublicId: 'DA-000123',
    holderId: 'holder',
    holderPublicId: 'C-000045',
    holderName: 'Rosa Recibo',
    amount: 150075n,
    method: 'cash',
    reference: null,
    businessDate: '2026-03-02',
    counter: {
      tillId: '55555555-5555-4555-8555-555555555555',
      denominations: [{ value: '10000', count: 15 }],
      override: { username: 'sam', password: 'Secret-Pass-1!', reason: 'Known customer' },
      conductor: { name: 'Pat Porter', relationship: 'employee' },
    },
  };

  it('names the branch and till the step was made at, for the receipt', () => {
    const till = { till_code: 'T01', branch_code: 'BR01', branch_name: 'Main branch' };
    const details = counterDetails(step, { public_id: 'C-000045', full_name: 'Rosa Recibo' }, 'tina', till);
    const content = receiptContent({ ...line, tillId: step.counter!.tillId!, details });
    expect(content).toMatchObject({ branch: 'BR01 Main branch', tillCode: 'T01' });
  });

  it('keeps who overrode and why, never the password', () => {
    const details = counterDetails(step, { public_id: 'C-000045', full_name: 'Rosa Recibo' }, 'tina');
    expect(details.override).toEqual({ overrideId: undefined, username: 'sam', reason: 'Known customer' });
    expect(JSON.stringify(details)).not.toContain('Secret-Pass');
    expect(details).toMatchObject({
      denominations: [{ value: '10000', count: 15 }],
      conductor: { name: 'Pat Porter' },
      accountPublicId: 'DA-000123',
      customerPublicId: 'C-000045',
    });
    expect(() =>
      assertWritable({ kind: 'deposit', businessDate: '2026-03-02', amount: 1n, currency: 'USD', details }),
    ).not.toThrow();
  });
});
