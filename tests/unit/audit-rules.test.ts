import { describe, expect, it } from 'vitest';
import {
  assertNoSecrets,
  orderProblems,
  parseEntityFilter,
  type AuditProblem,
} from '../../main/modules/audit/rules';

const record = (kind: AuditProblem['kind'], recordId: string): AuditProblem => ({
  kind,
  workstation: 'WS-A',
  seq: recordId,
  recordId,
  sealId: null,
});
const head = (seq: string): AuditProblem => ({
  kind: 'headMismatch',
  workstation: 'WS-B',
  seq,
  recordId: null,
  sealId: null,
});
const seal = (sealId: string): AuditProblem => ({
  kind: 'sealMismatch',
  workstation: null,
  seq: null,
  recordId: null,
  sealId,
});

describe('audit metadata never carries secrets', () => {
  it.each([
    'password',
    'newPassword',
    'temporaryPassword',
    'passwd',
    'secret',
    'token',
    'passwordHash',
    'salt',
  ])('refuses a metadata key named %s', (key) => {
    expect(() => assertNoSecrets({ username: 'tina', [key]: 'x' })).toThrow(/secrets/);
  });

  it('accepts ordinary evidence', () => {
    expect(() =>
      assertNoSecrets({
        username: 'tina',
        roles: ['teller'],
        reason: 'Left',
        error: 'LAST_ADMIN',
        from: 5,
        to: 15,
      }),
    ).not.toThrow();
    expect(() => assertNoSecrets({})).not.toThrow();
  });
});

describe('the verifier lists problems in reading order', () => {
  it('puts records first by id (numerically), then chain heads, then seals', () => {
    const ordered = orderProblems([
      seal('2'),
      head('7'),
      record('chainBroken', '10'),
      seal('1'),
      record('recordAltered', '9'),
    ]);
    expect(ordered).toEqual([
      record('recordAltered', '9'),
      record('chainBroken', '10'),
      head('7'),
      seal('1'),
      seal('2'),
    ]);
  });

  it('compares ids beyond the safe integer range exactly', () => {
    const big = ['9007199254740993', '9007199254740992', '9223372036854775807'];
    expect(orderProblems(big.map((id) => record('recordAltered', id))).map((p) => p.recordId)).toEqual([
      '9007199254740992',
      '9007199254740993',
      '9223372036854775807',
    ]);
  });

  it('does not reorder the list it was given', () => {
    const input = [seal('2'), seal('1')];
    orderProblems(input);
    expect(input.map((p) => p.sealId)).toEqual(['2', '1']);
  });
});

describe('the entity filter of the audit list', () => {
  it('reads type:id', () => {
    expect(parseEntityFilter('staff_user:0b9e6c52-1111-4444-8888-000000000001')).toEqual({
      type: 'staff_user',
      id: '0b9e6c52-1111-4444-8888-000000000001',
    });
    expect(parseEntityFilter(' customer:123 ')).toEqual({ type: 'customer', id: '123' });
  });

  it('reads a bare type with a trailing colon', () => {
    expect(parseEntityFilter('staff_user:')).toEqual({ type: 'staff_user' });
  });

  it('matches a bare word against type or id', () => {
    expect(parseEntityFilter('123')).toEqual({ any: '123' });
    expect(parseEntityFilter(':123')).toEqual({ any: ':123' });
  });

  it('filters nothing when empty', () => {
    expect(parseEntityFilter(undefined)).toEqual({});
    expect(parseEntityFilter('   ')).toEqual({});
  });
});
