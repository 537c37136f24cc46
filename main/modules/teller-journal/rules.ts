// Pure rules of the electronic journal: the canonical form its digests are computed over, the
// chain rules a day's lines must follow, and what may be written into a line.

export const ZERO_HASH = '0'.repeat(64);

export type Canonical = null | boolean | number | string | Canonical[] | { [key: string]: Canonical };

/**
 * The one form every digest is computed over, so a line read back from the database hashes to the
 * value it was written with: money (bigint) as a minor-unit string, timestamps as ISO text, object
 * keys sorted, absent (undefined) members dropped. Fractional or unsafe numbers are refused: jsonb
 * and JavaScript would not agree on their text.
 */
export function canonicalize(value: unknown): Canonical {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`journal: number ${value} has no canonical form`);
    return value;
  }
  if (Array.isArray(value)) return value.map(canonicalize);
  if (typeof value === 'object') {
    const out: { [key: string]: Canonical } = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = canonicalize(member);
    }
    return out;
  }
  throw new Error(`journal: ${typeof value} has no canonical form`);
}

/** JSON text of the canonical form (keys are already sorted, so stringify keeps their order). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value));
}

/** What a journal line's digest covers: every column but the digest itself. */
export interface JournalLineContent {
  id: string;
  tellerId: string;
  businessDate: string;
  sequence: number;
  kind: string;
  tillId: string | null;
  amount: bigint | null;
  currency: string | null;
  subjectId: string | null;
  ledgerTransactionId: string | null;
  workstation: string;
  details: Record<string, unknown>;
  at: Date;
}

/** The text hashed for a line: its predecessor's digest, then the canonical line. */
export function lineDigestInput(prevHash: string, line: JournalLineContent): string {
  return `${prevHash}\u001f${canonicalJson(line)}`;
}

/** Journal lines are evidence, never a place for secrets: keys that smell of one are refused. */
const SECRET_KEY = /pass(word)?|secret|token|pin$/i;

export function assertNoSecrets(value: unknown, path = 'details'): void {
  if (value === null || typeof value !== 'object') return;
  for (const [key, member] of Object.entries(value)) {
    if (SECRET_KEY.test(key)) throw new Error(`journal ${path} must not carry secrets (key '${key}')`);
    assertNoSecrets(member, `${path}.${key}`);
  }
}

const KIND = /^[a-z][a-z0-9-]{0,39}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Refuses a line the table would refuse, with a message that says which rule it broke. */
export function assertWritable(entry: {
  kind: string;
  businessDate: string;
  amount: bigint | null;
  currency: string | null;
  details: Record<string, unknown>;
}): void {
  if (!KIND.test(entry.kind)) throw new Error(`journal: kind '${entry.kind}' is not a journal kind`);
  if (!DATE.test(entry.businessDate)) throw new Error(`journal: business date '${entry.businessDate}'`);
  if ((entry.amount === null) !== (entry.currency === null)) {
    throw new Error('journal: an amount needs its currency and a currency its amount');
  }
  assertNoSecrets(entry.details);
}

/** Why a stored line fails verification; the first in a day's order is what a person looks at. */
export type ChainProblemKind =
  'lineAltered' | 'chainBroken' | 'sequenceGap' | 'headMismatch' | 'anchorMismatch';

export interface StoredLine {
  id: string;
  sequence: number;
  prevHash: string;
  hash: string;
  /** The digest recomputed from the stored content and the stored prev_hash. */
  recomputed: string;
}

export interface ChainProblem {
  kind: ChainProblemKind;
  sequence: number;
  lineId: string | null;
}

/**
 * Walks one teller's day in sequence order. A line is altered when its content no longer hashes to
 * its digest; the chain is broken when a line does not point at the digest of the line before it
 * (a deletion or reordering); a gap in the sequence is a deleted line; and the head must name the
 * last line (a deleted tail). Returns the first problem, or null for an intact day.
 */
export function firstChainProblem(
  lines: StoredLine[],
  head: { sequence: number; hash: string } | null,
): ChainProblem | null {
  let prevHash = ZERO_HASH;
  let expected = 1;
  for (const line of lines) {
    if (line.recomputed !== line.hash)
      return { kind: 'lineAltered', sequence: line.sequence, lineId: line.id };
    if (line.sequence !== expected) return { kind: 'sequenceGap', sequence: expected, lineId: line.id };
    if (line.prevHash !== prevHash) return { kind: 'chainBroken', sequence: line.sequence, lineId: line.id };
    prevHash = line.hash;
    expected += 1;
  }
  const last = lines.at(-1);
  const headSequence = head?.sequence ?? 0;
  const headHash = head?.hash ?? ZERO_HASH;
  if (headSequence !== (last?.sequence ?? 0) || headHash !== (last?.hash ?? ZERO_HASH)) {
    return { kind: 'headMismatch', sequence: headSequence, lineId: null };
  }
  return null;
}

/** A journal line's place and digest as the audit log recorded it when the line was written. */
export interface JournalAnchor {
  sequence: number;
  digest: string;
}

/**
 * The audit log (itself chained and sealed) keeps the digest of every line a teller's command
 * wrote. Cutting the end of a day and rewriting its head leaves an intact-looking chain; an anchor
 * then names a line that is gone or different. Returns the first such anchor's problem.
 */
export function firstAnchorProblem(lines: StoredLine[], anchors: JournalAnchor[]): ChainProblem | null {
  const bySequence = new Map(lines.map((l) => [l.sequence, l]));
  for (const a of [...anchors].sort((x, y) => x.sequence - y.sequence)) {
    const line = bySequence.get(a.sequence);
    if (!line || line.hash !== a.digest) {
      return { kind: 'anchorMismatch', sequence: a.sequence, lineId: line?.id ?? null };
    }
  }
  return null;
}

// ---- Receipts ----

/** Journal kinds a customer gets a receipt for: every deposit and withdrawal step at the counter. */
export const RECEIPT_KINDS = [
  'deposit',
  'deposit-revert',
  'withdrawal-initiate',
  'withdrawal-confirm',
  'withdrawal-cancel',
  'withdrawal-revert',
] as const;
export type ReceiptKind = (typeof RECEIPT_KINDS)[number];

export const RECEIPT_FAMILY: Record<'deposit' | 'withdrawal', readonly ReceiptKind[]> = {
  deposit: ['deposit', 'deposit-revert'],
  withdrawal: ['withdrawal-initiate', 'withdrawal-confirm', 'withdrawal-cancel', 'withdrawal-revert'],
};

export function isReceiptKind(kind: string): kind is ReceiptKind {
  return (RECEIPT_KINDS as readonly string[]).includes(kind);
}

/** What a receipt states. Built from its journal line only, so it never drifts from the journal. */
export interface ReceiptContent {
  receiptId: string;
  kind: string;
  movementId: string | null;
  transactionId: string | null;
  amount: bigint | null;
  currency: string | null;
  accountPublicId: string;
  customerPublicId: string;
  customerName: string;
  method: string | null;
  reference: string | null;
  at: Date;
  businessDate: string;
  teller: string;
  tillId: string | null;
  /** 'BR01 Main branch' and 'T01' when the step was made at a till. */
  branch: string | null;
  tillCode: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function receiptContent(line: JournalLineContent): ReceiptContent {
  const d = line.details;
  return {
    receiptId: line.id,
    kind: line.kind,
    movementId: line.subjectId,
    transactionId: line.ledgerTransactionId,
    amount: line.amount,
    currency: line.currency,
    accountPublicId: str(d.accountPublicId) ?? '',
    customerPublicId: str(d.customerPublicId) ?? '',
    customerName: str(d.customerName) ?? '',
    method: str(d.method),
    reference: str(d.reference),
    at: line.at,
    businessDate: line.businessDate,
    teller: str(d.tellerUsername) ?? '',
    tillId: line.tillId,
    branch: str(d.branch),
    tillCode: str(d.tillCode),
  };
}

/** A receipt's digest is chained to its journal line's: it stands only while the line stands. */
export function receiptDigestInput(lineHash: string, content: ReceiptContent): string {
  return `${lineHash}\u001freceipt\u001f${canonicalJson(content)}`;
}

/** Everything but the last four characters, so a lost slip does not hand out the account. */
export function maskAccount(publicId: string): string {
  if (publicId.length <= 4) return publicId;
  const prefix = publicId.match(/^[A-Z]+-/)?.[0] ?? '';
  const hidden = publicId.length - prefix.length - 4;
  return `${prefix}${'*'.repeat(Math.max(hidden, 0))}${publicId.slice(-4)}`;
}

/** The fields a receipt's QR code carries (version 1), in the order they are written. */
export interface ReceiptPayload {
  receiptId: string;
  transactionId: string;
  kind: string;
  amount: string;
  currency: string;
  account: string;
  at: string;
  hash: string;
}

const PAYLOAD_PREFIX = 'RCPT1?';
const PAYLOAD_KEYS: Record<keyof ReceiptPayload, string> = {
  receiptId: 'r',
  transactionId: 't',
  kind: 'k',
  amount: 'a',
  currency: 'c',
  account: 'acct',
  at: 'at',
  hash: 'h',
};

export function receiptPayload(content: ReceiptContent, hash: string): ReceiptPayload {
  return {
    receiptId: content.receiptId,
    transactionId: content.transactionId ?? '',
    kind: content.kind,
    amount: content.amount?.toString() ?? '',
    currency: content.currency ?? '',
    account: maskAccount(content.accountPublicId),
    at: content.at.toISOString(),
    hash,
  };
}

export function encodePayload(p: ReceiptPayload): string {
  const params = new URLSearchParams();
  for (const [field, key] of Object.entries(PAYLOAD_KEYS)) params.set(key, p[field as keyof ReceiptPayload]);
  return PAYLOAD_PREFIX + params.toString();
}

/** Reads what a scanner typed; null when it is no receipt code of ours (or a damaged one). */
export function decodePayload(text: string): ReceiptPayload | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith(PAYLOAD_PREFIX)) return null;
  const params = new URLSearchParams(trimmed.slice(PAYLOAD_PREFIX.length));
  const out: Partial<ReceiptPayload> = {};
  for (const [field, key] of Object.entries(PAYLOAD_KEYS)) {
    const value = params.get(key);
    if (value === null) return null;
    out[field as keyof ReceiptPayload] = value;
  }
  const p = out as ReceiptPayload;
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (!UUID.test(p.receiptId) || !/^[0-9a-f]{64}$/.test(p.hash)) return null;
  return p;
}

/** The payload fields that differ from what the journal says a receipt states. */
export function payloadMismatches(
  scanned: ReceiptPayload,
  expected: ReceiptPayload,
): (keyof ReceiptPayload)[] {
  return (Object.keys(PAYLOAD_KEYS) as (keyof ReceiptPayload)[]).filter((k) => scanned[k] !== expected[k]);
}
