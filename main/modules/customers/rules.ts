import { AppError } from '../../../shared/errors';
import type { CustomerStatus, KycStatus, ProspectStage } from '../../../shared/contract/customers';

// ---- Prospect stages (DOMAIN 2.2, settling open point 8) ----
//
// | from          | to            | by                                                              |
// | ------------- | ------------- | --------------------------------------------------------------- |
// | new           | kyc_started   | startKyc (operator) or the provider's "applicant created"      |
// | new           | converted     | convertWithoutKyc only (privileged, reason)                     |
// | kyc_started   | kyc_pending   | submitKyc (documents collected) or the provider's "pending"    |
// | kyc_started   | kyc_declined  | recordKyc declined, or the provider's red review                |
// | kyc_pending   | kyc_declined  | idem                                                            |
// | kyc_started   | converted     | convert (verification Verified) or convertWithoutKyc            |
// | kyc_pending   | converted     | idem                                                            |
// | kyc_declined  | kyc_started   | startKyc: a new attempt (verification back to Pending)          |
// | any open one  | closed        | close (reason)                                                  |
// | converted     | —             | terminal                                                        |
// | closed        | —             | terminal                                                        |
//
// A declined prospect cannot be converted, not even manually: an operator starts a new attempt first.
// Approval does not move the stage: the prospect waits, Verified, for its conversion.

export type ProspectAction =
  'startKyc' | 'submitKyc' | 'recordKyc' | 'convert' | 'convertWithoutKyc' | 'close';

const MOVES: Record<ProspectAction, Partial<Record<ProspectStage, ProspectStage>>> = {
  startKyc: { new: 'kyc_started', kyc_declined: 'kyc_started' },
  submitKyc: { kyc_started: 'kyc_pending' },
  // Approved keeps the stage; declined moves to kyc_declined (see kycDecision).
  recordKyc: { kyc_started: 'kyc_started', kyc_pending: 'kyc_pending' },
  convert: { kyc_started: 'converted', kyc_pending: 'converted' },
  convertWithoutKyc: { new: 'converted', kyc_started: 'converted', kyc_pending: 'converted' },
  close: { new: 'closed', kyc_started: 'closed', kyc_pending: 'closed', kyc_declined: 'closed' },
};

export function isOpenStage(stage: ProspectStage): boolean {
  return stage !== 'converted' && stage !== 'closed';
}

/** The stage an action leads to, or a typed refusal naming the current stage. */
export function nextStage(stage: ProspectStage, action: ProspectAction): ProspectStage {
  const to = MOVES[action][stage];
  if (!to) throw new AppError('PROSPECT_STAGE_INVALID', { stage, action });
  return to;
}

export function allowedActions(stage: ProspectStage): ProspectAction[] {
  return (Object.keys(MOVES) as ProspectAction[]).filter((a) => MOVES[a][stage] !== undefined);
}

// ---- Verification (DOMAIN 2.3) ----

export interface KycDecisionInput {
  stage: ProspectStage;
  kycStatus: KycStatus;
  outcome: 'approved' | 'declined';
  reasons: readonly string[];
  /** Identity documents attached to the prospect with status 'active'. */
  activeDocuments: number;
}

/**
 * The desk's decision: approval needs at least one active identity document; a decline needs
 * reasons. Verified is permanent (DOMAIN 2.3).
 */
export function kycDecision(d: KycDecisionInput): { stage: ProspectStage; kycStatus: KycStatus } {
  const stage = nextStage(d.stage, 'recordKyc');
  if (d.kycStatus === 'verified') throw new AppError('KYC_ALREADY_VERIFIED');
  if (d.outcome === 'declined') {
    if (d.reasons.length === 0) throw new AppError('KYC_REASONS_REQUIRED');
    return { stage: 'kyc_declined', kycStatus: 'rejected' };
  }
  if (d.activeDocuments < 1) throw new AppError('KYC_NO_ACTIVE_DOCUMENT');
  return { stage, kycStatus: 'verified' };
}

/** Conversion through verification: the prospect must be Verified. */
export function assertConvertible(stage: ProspectStage, kycStatus: KycStatus, withoutKyc: boolean): void {
  nextStage(stage, withoutKyc ? 'convertWithoutKyc' : 'convert');
  if (!withoutKyc && kycStatus !== 'verified') throw new AppError('KYC_NOT_VERIFIED', { kycStatus });
}

// ---- Input checks ----

/** A date of birth or registration may not be after today (YYYY-MM-DD strings compare as dates). */
export function assertNotFuture(date: string, today: string, field = 'bornOrRegisteredOn'): void {
  if (date > today) throw new AppError('DATE_IN_FUTURE', { field, date, today });
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** '@Some_Handle' and 'some_handle' are the same Telegram handle. */
export function normalizeTelegram(id: string | undefined): string | null {
  const v = id?.trim().replace(/^@/, '');
  return v ? v : null;
}

// ---- Public ids ----

export function formatPublicId(prefix: 'C' | 'P', n: number | bigint | string): string {
  return `${prefix}-${String(n).padStart(6, '0')}`;
}

/** 'c123', 'C-000123', ' c-123 ' → 'C-000123'; anything else → null. */
export function parsePublicId(q: string): string | null {
  const m = /^\s*([CcPp])-?0*(\d{1,12})\s*$/.exec(q);
  return m ? formatPublicId(m[1]!.toUpperCase() as 'C' | 'P', m[2]!) : null;
}

// ---- Search ----

export interface SearchPlan {
  publicId: string | null;
  /** Lower-case email prefix (no spaces). */
  emailPrefix: string | null;
  /** Normalized identity document number (letters and digits, upper case). */
  documentKey: string | null;
  /** Digits of a phone number (5 or more). */
  phoneDigits: string | null;
  /** Text for the typo-tolerant name match (3 or more letters). */
  name: string | null;
  /** The words of that text (2 characters or more, at most 4): each must match a word of the name. */
  nameTokens: string[];
}

/** What a search text may be: each present branch is one index probe. */
export function searchPlan(raw: string): SearchPlan {
  const q = raw.trim().replace(/\s+/g, ' ');
  const publicId = parsePublicId(q);
  const noSpace = !q.includes(' ');
  const emailPrefix = noSpace && q.length >= 2 && /^[^\s]+$/.test(q) ? q.toLowerCase() : null;
  const alnum = q.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
  const documentKey = alnum.length >= 4 && /\d/.test(alnum) && noSpace ? alnum : null;
  const digits = q.replace(/[^0-9]/g, '');
  const phoneDigits = digits.length >= 5 && /^[+0-9 ()./-]+$/.test(q) ? digits : null;
  const letters = q.replace(/[^\p{L}]/gu, '');
  // 'maria.lo', 'jsmith42' or 'a@b' read as an email (or a number), not as a name.
  const name = letters.length >= 3 && !(noSpace && /[.@_\d]/.test(q)) ? q : null;
  const nameTokens = name
    ? name
        .split(/[^\p{L}\p{N}]+/u)
        .filter((w) => w.length >= 2)
        .slice(0, 4)
    : [];
  return { publicId, emailPrefix, documentKey, phoneDigits, name, nameTokens };
}

/**
 * Edit distance with adjacent transpositions (optimal string alignment): 'garica' → 'garcia' is 1.
 * Trigram similarity alone misses such typos in short names.
 */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  if (Math.abs(m - n) > 3) return Math.abs(m - n);
  let prev2: number[] = [];
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, prev2[j - 2]! + 1);
      cur.push(v);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[n]!;
}

/** How many typos a query word may carry: one in a short word, two in a longer one, three in a long one. */
export function allowedEdits(word: string): number {
  return word.length <= 4 ? 1 : word.length <= 9 ? 2 : 3;
}

/**
 * Whether a word of a stored name answers a word of the query: a prefix of it ('whit' →
 * 'whitaker'), a close spelling (edit distance), or trigram-similar enough.
 */
export function wordMatches(query: string, word: string, similarity: number): boolean {
  const q = query.toLowerCase();
  return word.startsWith(q) || editDistance(q, word) <= allowedEdits(q) || similarity >= 0.45;
}

/** Escapes LIKE wildcards in user text. */
export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

// ---- Customer status (DOMAIN 2.4) ----

export type CustomerAction = 'freeze' | 'unfreeze' | 'close';

const CUSTOMER_MOVES: Record<CustomerAction, Partial<Record<CustomerStatus, CustomerStatus>>> = {
  freeze: { active: 'frozen' },
  unfreeze: { frozen: 'active' },
  close: { active: 'closed', frozen: 'closed' },
};

export function nextCustomerStatus(status: CustomerStatus, action: CustomerAction): CustomerStatus {
  const to = CUSTOMER_MOVES[action][status];
  if (!to) throw new AppError('CUSTOMER_STATUS_INVALID', { status, action });
  return to;
}

// ---- Closing preconditions (DOMAIN 2.4) ----

/**
 * How a check looks at the database without naming it: counts rows of a table matching a
 * condition (`?` is the customer's id), or null when the table does not exist (yet). The repo
 * implements it with to_regclass, so a module that is not built yet blocks nothing, and a module
 * that arrives only has to create its table for its check to start counting.
 */
export interface ClosingProbe {
  countIfExists(table: string, condition: string, customerId: string): Promise<number | null>;
}

export interface ClosingCheck {
  name: 'creditFacilities' | 'proposals' | 'pendingFacilities' | 'depositAccounts' | 'withdrawals';
  /** Rows that forbid closing (0 or a missing table: the check holds). */
  blocking(probe: ClosingProbe, customerId: string): Promise<number | null>;
}

export const CLOSING_CHECKS: readonly ClosingCheck[] = [
  {
    name: 'creditFacilities',
    blocking: (p, id) => p.countIfExists('credit_facilities', `customer_id = ? and status <> 'closed'`, id),
  },
  {
    name: 'proposals',
    blocking: (p, id) =>
      p.countIfExists(
        'credit_facility_proposals',
        `customer_id = ? and status not in ('denied', 'approved', 'customer_denied')`,
        id,
      ),
  },
  {
    name: 'pendingFacilities',
    blocking: (p, id) =>
      p.countIfExists('pending_credit_facilities', `customer_id = ? and status <> 'completed'`, id),
  },
  {
    name: 'depositAccounts',
    blocking: (p, id) => p.countIfExists('deposit_accounts', `holder_id = ? and status <> 'closed'`, id),
  },
  {
    name: 'withdrawals',
    blocking: (p, id) =>
      p.countIfExists(
        'withdrawals',
        `account_id in (select id from deposit_accounts where holder_id = ?)
         and status in ('pending_approval', 'pending_confirmation')`,
        id,
      ),
  },
];

export interface ClosingResult {
  name: ClosingCheck['name'];
  ok: boolean;
  blocking: number;
}

export async function runClosingChecks(probe: ClosingProbe, customerId: string): Promise<ClosingResult[]> {
  const out: ClosingResult[] = [];
  for (const check of CLOSING_CHECKS) {
    const n = (await check.blocking(probe, customerId)) ?? 0;
    out.push({ name: check.name, ok: n === 0, blocking: n });
  }
  return out;
}

/** Refuses closing with every failing check named. */
export function assertClosable(results: readonly ClosingResult[]): void {
  const failing = results.filter((r) => !r.ok).map((r) => r.name);
  if (failing.length) throw new AppError('CUSTOMER_CLOSE_BLOCKED', { checks: failing });
}
