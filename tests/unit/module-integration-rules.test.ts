import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseChartCsv } from '../../main/modules/accounting';
import { DEFAULT_BASE_CONFIG } from '../../main/modules/accounting/service';
import {
  CUSTOMER_TYPES,
  INTEGRATION_POINTS,
  integrationProblems,
  validateChart,
  type ChartNode,
} from '../../main/modules/accounting/rules';

const { rows } = validateChart(parseChartCsv(readFileSync('resources/default-chart.csv', 'utf8')), new Map());
const chart = new Map<string, ChartNode>(rows.map((r) => [r.code, r]));

describe('module integration rules', () => {
  it('every module set has one entry, with a set per customer type for deposits and frozen deposits', () => {
    const codes = INTEGRATION_POINTS.map((p) => p.setCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const t of CUSTOMER_TYPES) {
      expect(codes).toContain(`deposit-${t}-account-set`);
      expect(codes).toContain(`frozen-deposit-${t}-account-set`);
    }
  });

  it('the defaults fit the default chart, so a new bank starts fully mapped', () => {
    const defaults = INTEGRATION_POINTS.map((p) => ({ setCode: p.setCode, parentCode: p.defaultParent }));
    expect(integrationProblems(defaults, chart, DEFAULT_BASE_CONFIG)).toEqual([]);
  });

  it('a set must sit below the root of its category', () => {
    const check = (setCode: string, parentCode: string) =>
      integrationProblems([{ setCode, parentCode }], chart, DEFAULT_BASE_CONFIG);
    expect(check('deposit-omnibus-account-set', '12')).toEqual([]);
    expect(check('deposit-omnibus-account-set', '1')).toEqual([]); // the root itself is below itself
    expect(check('deposit-omnibus-account-set', '21')).toEqual([
      'deposit-omnibus-account-set:wrongCategory:21',
    ]);
    expect(check('cash-short-account-set', '61')).toEqual([]);
    expect(check('cash-short-account-set', '51')).toEqual(['cash-short-account-set:wrongCategory:51']);
    expect(check('credit-facility-omnibus-account-set', '9')).toEqual([]);
    expect(check('credit-facility-omnibus-account-set', '31.01')).toEqual([
      'credit-facility-omnibus-account-set:wrongCategory:31.01',
    ]);
    expect(check('credit-fee-income-account-set', 'nope')).toEqual([
      'credit-fee-income-account-set:unknownCode:nope',
    ]);
  });
});
