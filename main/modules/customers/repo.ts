import type { Db, Trx } from '../../db';
import type {
  CustomerStatus,
  CustomerType,
  KycStatus,
  ProspectStage,
} from '../../../shared/contract/customers';
import { likeEscape, parsePublicId, wordMatches, type ClosingProbe, type SearchPlan } from './rules';

type Q = Db | Trx;

export interface ProspectRow {
  id: string;
  public_id: string;
  customer_type: CustomerType;
  email: string;
  telegram_id: string | null;
  full_name: string;
  born_or_registered_on: string | null;
  phone: string | null;
  address: string | null;
  id_document_type: string | null;
  id_document_number: string | null;
  stage: ProspectStage;
  kyc_status: KycStatus;
  kyc_level: 'none' | 'basic';
  kyc_applicant_id: string | null;
  close_reason: string | null;
  created_at: Date;
}

export interface CustomerRow {
  id: string;
  public_id: string;
  status: CustomerStatus;
  converted_with: 'kyc' | 'manual';
  conversion_reason: string | null;
  status_reason: string | null;
  deposit_account_requested_at: Date | null;
  created_at: Date;
  preferred_language: 'en' | 'es' | null;
}

const PROSPECT_COLUMNS = [
  'id',
  'public_id',
  'customer_type',
  'email',
  'telegram_id',
  'full_name',
  'born_or_registered_on',
  'phone',
  'address',
  'id_document_type',
  'id_document_number',
  'stage',
  'kyc_status',
  'kyc_level',
  'kyc_applicant_id',
  'close_reason',
  'created_at',
];

export async function findProspect(q: Q, id: string, lock = false): Promise<ProspectRow | undefined> {
  const query = q('prospects').where({ id }).first(PROSPECT_COLUMNS);
  return (lock ? query.forUpdate() : query) as Promise<ProspectRow | undefined>;
}

export async function emailTaken(q: Q, email: string): Promise<boolean> {
  return Boolean(await q('prospects').whereRaw('lower(email) = ?', [email.toLowerCase()]).first('id'));
}

export async function telegramTaken(q: Q, telegram: string): Promise<boolean> {
  return Boolean(
    await q('prospects')
      .whereRaw('telegram_id is not null and lower(telegram_id) = ?', [telegram.toLowerCase()])
      .first('id'),
  );
}

export async function insertProspect(
  q: Q,
  p: {
    id: string;
    customerType: CustomerType;
    email: string;
    telegramId: string | null;
    fullName: string;
    bornOrRegisteredOn: string;
    phone: string;
    address: string;
    idDocumentType: string;
    idDocumentNumber: string;
    createdBy: string | null;
    at: Date;
  },
): Promise<void> {
  await q('prospects').insert({
    id: p.id,
    customer_type: p.customerType,
    email: p.email,
    telegram_id: p.telegramId,
    full_name: p.fullName,
    born_or_registered_on: p.bornOrRegisteredOn,
    phone: p.phone,
    address: p.address,
    id_document_type: p.idDocumentType,
    id_document_number: p.idDocumentNumber,
    created_by: p.createdBy,
    created_at: p.at,
    updated_at: p.at,
  });
}

export async function updateProspect(
  q: Q,
  id: string,
  patch: Partial<{
    stage: ProspectStage;
    kyc_status: KycStatus;
    kyc_level: 'none' | 'basic';
    kyc_applicant_id: string;
    close_reason: string;
  }>,
  at: Date,
): Promise<void> {
  await q('prospects')
    .where({ id })
    .update({ ...patch, updated_at: at });
}

export async function listProspects(
  q: Q,
  f: { stage?: ProspectStage; search?: string; limit: number },
): Promise<ProspectRow[]> {
  const query = q('prospects as p')
    .select(PROSPECT_COLUMNS.map((c) => `p.${c}`))
    .orderBy([
      { column: 'p.created_at', order: 'desc' },
      { column: 'p.id', order: 'desc' },
    ])
    .limit(f.limit);
  if (f.stage) query.where('p.stage', f.stage);
  const s = f.search?.trim();
  if (s) {
    const publicId = parsePublicId(s);
    const tokens = s
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean)
      .slice(0, 4);
    query.where((w) => {
      // An email prefix (index range scan), or every word of the text starting a word of the name
      // (the name words table, then the GIN index on name_tokens).
      w.whereRaw(`lower(p.email) collate "C" like ? escape '\\'`, [`${likeEscape(s.toLowerCase())}%`]);
      if (tokens.length) {
        w.orWhere((n) => {
          for (const t of tokens) {
            n.whereRaw(
              `p.name_tokens && (select coalesce(array_agg(word), '{}') from customer_name_words
                                   where word like ? escape '\\')`,
              [`${likeEscape(t)}%`],
            );
          }
        });
      }
      if (publicId) {
        w.orWhere('p.public_id', publicId).orWhereIn(
          'p.id',
          q('customers').select('id').where('public_id', publicId),
        );
      }
    });
  }
  return (await query) as ProspectRow[];
}

export async function nextCustomerNumber(q: Q): Promise<string> {
  const { rows } = await q.raw(`select nextval('customer_public_id_seq')::text as n`);
  return rows[0].n;
}

export async function insertCustomer(
  q: Q,
  c: {
    id: string;
    publicId: string;
    convertedWith: 'kyc' | 'manual';
    reason: string | null;
    by: string | null;
    at: Date;
  },
): Promise<void> {
  await q('customers').insert({
    id: c.id,
    public_id: c.publicId,
    converted_with: c.convertedWith,
    conversion_reason: c.reason,
    converted_by: c.by,
    status_changed_at: c.at,
    // The deposit module opens the account; until then the request is recorded here.
    deposit_account_requested_at: c.at,
    created_at: c.at,
  });
}

export async function findCustomer(q: Q, id: string, lock = false): Promise<CustomerRow | undefined> {
  const query = q<CustomerRow>('customers')
    .where({ id })
    .first(
      'id',
      'public_id',
      'status',
      'converted_with',
      'conversion_reason',
      'status_reason',
      'deposit_account_requested_at',
      'created_at',
      'preferred_language',
    );
  return lock ? query.forUpdate() : query;
}

export async function setPreferredLanguage(q: Q, id: string, language: 'en' | 'es' | null): Promise<void> {
  await q('customers').where({ id }).update({ preferred_language: language });
}

export async function setCustomerStatus(
  q: Q,
  id: string,
  status: CustomerStatus,
  reason: string | null,
  at: Date,
): Promise<void> {
  await q('customers').where({ id }).update({ status, status_reason: reason, status_changed_at: at });
}

/** Whether a table exists in the current schema (modules that are not built yet have none). */
export async function tableExists(q: Q, table: string): Promise<boolean> {
  const { rows } = await q.raw(`select to_regclass(?) is not null as present`, [table]);
  return rows[0].present === true;
}

/**
 * Identity documents attached to a holder with status 'active'. The documents module owns the
 * table; this reads only its holder_id and status columns.
 */
export async function activeDocuments(q: Q, holderId: string): Promise<number> {
  if (!(await tableExists(q, 'customer_documents'))) return 0;
  const { rows } = await q.raw(
    `select count(*)::int as n from customer_documents where holder_id = ? and status = 'active'`,
    [holderId],
  );
  return rows[0].n;
}

export function closingProbe(q: Q): ClosingProbe {
  return {
    async countIfExists(table, condition, customerId) {
      if (!(await tableExists(q, table))) return null;
      const { rows } = await q.raw(`select count(*)::int as n from ${table} where ${condition}`, [
        customerId,
      ]);
      return rows[0].n;
    },
  };
}

export interface ReviewRow {
  id: string;
  source: 'desk' | 'provider';
  outcome: 'approved' | 'declined';
  reasons: string[];
  comment: string | null;
  decided_by: string | null;
  decided_at: Date;
}

export async function insertReview(
  q: Q,
  r: {
    id: string;
    prospectId: string;
    source: 'desk' | 'provider';
    outcome: 'approved' | 'declined';
    reasons: string[];
    comment: string | null;
    by: string | null;
    at: Date;
  },
): Promise<void> {
  await q('kyc_reviews').insert({
    id: r.id,
    prospect_id: r.prospectId,
    source: r.source,
    outcome: r.outcome,
    reasons: r.reasons,
    comment: r.comment,
    decided_by: r.by,
    decided_at: r.at,
  });
}

export async function reviews(q: Q, prospectId: string): Promise<ReviewRow[]> {
  return q('kyc_reviews as r')
    .leftJoin('staff_users as u', 'u.id', 'r.decided_by')
    .where('r.prospect_id', prospectId)
    .orderBy('r.decided_at', 'desc')
    .select(
      'r.id',
      'r.source',
      'r.outcome',
      'r.reasons',
      'r.comment',
      'u.username as decided_by',
      'r.decided_at',
    );
}

export interface HistoryRow {
  id: string;
  occurred_at: Date;
  action: string;
  outcome: 'Success' | 'Failure' | 'Denied';
  actor_username: string | null;
  metadata: Record<string, unknown>;
}

/** The audit records naming this prospect or customer (or one of its documents), newest first. */
export async function history(q: Q, id: string, limit = 100): Promise<HistoryRow[]> {
  return q('audit_log')
    .where((w) =>
      w
        .whereRaw('object_ids @> array[?]::text[]', [id])
        // The documents module's records name the document and carry the holder in their metadata.
        .orWhereRaw(`metadata ->> 'holderId' = ?`, [id]),
    )
    .orderBy('id', 'desc')
    .limit(limit)
    .select(q.raw('id::text as id'), 'occurred_at', 'action', 'outcome', 'actor_username', 'metadata');
}

export async function insertCallback(
  q: Q,
  c: {
    callbackId: string;
    callbackAt: string;
    type: string;
    applicantId: string | null;
    prospectId: string | null;
    effect: string;
    payload: unknown;
    at: Date;
  },
): Promise<boolean> {
  const { rows } = await q.raw(
    `insert into kyc_callbacks (callback_id, callback_at, type, applicant_id, prospect_id, effect, payload, applied_at)
     values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing returning callback_id`,
    [
      c.callbackId,
      c.callbackAt,
      c.type,
      c.applicantId,
      c.prospectId,
      c.effect,
      JSON.stringify(c.payload),
      c.at,
    ],
  );
  return rows.length === 1;
}

export async function setCallbackEffect(q: Q, callbackId: string, callbackAt: string, effect: string) {
  await q('kyc_callbacks').where({ callback_id: callbackId, callback_at: callbackAt }).update({ effect });
}

export async function findCallback(
  q: Q,
  callbackId: string,
  callbackAt: string,
): Promise<{ effect: string; prospect_id: string | null } | undefined> {
  return q('kyc_callbacks')
    .where({ callback_id: callbackId, callback_at: callbackAt })
    .first('effect', 'prospect_id');
}

export interface SearchRow {
  id: string;
  public_id: string;
  full_name: string;
  email: string;
  phone: string | null;
  customer_type: CustomerType;
  status: CustomerStatus;
  kyc_status: KycStatus;
  matched: 'name' | 'email' | 'phone' | 'publicId' | 'idDocument';
  score: number;
}

/** Trigram similarity of a candidate name word: low (a swap in a six-letter word scores 0.27); edit distance decides. */
export const NAME_SIMILARITY = 0.2;

/**
 * The stored name words each query word may mean: candidates from the words table (trigram-similar
 * or sharing the prefix; for short words, every word of about that length with the same first
 * letter), kept when rules.wordMatches says so. At most 20 per query word, closest first.
 */
export async function nameWords(trx: Q, tokens: string[]): Promise<string[][]> {
  // For this transaction only: the candidate threshold, and no parallel workers (a search is a few
  // index probes; starting workers costs more than it saves, most of all on a busy server).
  await trx.raw(
    `select set_config('pg_trgm.similarity_threshold', ?, true), set_config('max_parallel_workers_per_gather', '0', true)`,
    [String(NAME_SIMILARITY)],
  );
  const parts: string[] = [];
  const bindings: (string | number)[] = [];
  tokens.forEach((token, i) => {
    const t = token.toLowerCase();
    parts.push(`(select ${i} as i, word, similarity(word, ?) as sim from customer_name_words
        where word % ? or word like ? escape '\\' order by word <-> ? limit 60)`);
    bindings.push(t, t, `${likeEscape(t)}%`, t);
    if (t.length <= 5) {
      parts.push(`(select ${i} as i, word, similarity(word, ?) as sim from customer_name_words
          where word like ? escape '\\' and length(word) between ? and ? limit 200)`);
      bindings.push(t, `${likeEscape(t.slice(0, 1))}%`, t.length - 1, t.length + 1);
    }
  });
  const { rows } = await trx.raw(parts.join(' union all '), bindings);
  return tokens.map((token, i) => {
    const seen = new Map<string, number>();
    for (const r of rows as { i: number; word: string; sim: number }[]) {
      if (r.i === i && wordMatches(token, r.word, Number(r.sim))) seen.set(r.word, Number(r.sim));
    }
    // A word that exists as typed is not a typo: then only it and its longer forms ('smit' → 'smith').
    const t = token.toLowerCase();
    if (seen.has(t)) for (const w of seen.keys()) if (!w.startsWith(t)) seen.delete(w);
    return [...seen.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 20)
      .map(([w]) => w);
  });
}

/**
 * One index probe per branch of the plan, each limited, merged by score. With name words it must
 * run in a transaction (nameWords sets pg_trgm's threshold for that transaction only); without,
 * it is one statement and may run on the pool.
 */
export async function searchCustomers(trx: Q, plan: SearchPlan, limit: number): Promise<SearchRow[]> {
  const branches: string[] = [];
  const bindings: (string | number)[] = [];
  const pick = `select c.id, c.public_id, p.full_name, p.email, p.phone, p.customer_type, c.status, p.kyc_status`;
  if (plan.publicId) {
    branches.push(`(${pick}, 'publicId' as matched, 1.0::float8 as score
       from customers c join prospects p on p.id = c.id
      where ${plan.publicId.startsWith('P') ? 'p' : 'c'}.public_id = ?)`);
    bindings.push(plan.publicId);
  }
  if (plan.documentKey) {
    branches.push(`(${pick}, 'idDocument' as matched, 0.95::float8 as score
       from prospects p join customers c on c.id = p.id
      where p.id_document_key collate "C" like ? escape '\\' order by p.id_document_key collate "C" limit ?)`);
    bindings.push(`${likeEscape(plan.documentKey)}%`, limit);
  }
  if (plan.emailPrefix) {
    branches.push(`(${pick}, 'email' as matched, 0.9::float8 as score
       from prospects p join customers c on c.id = p.id
      where lower(p.email) collate "C" like ? escape '\\'
      order by lower(p.email) collate "C" limit ?)`);
    bindings.push(`${likeEscape(plan.emailPrefix)}%`, limit);
  }
  if (plan.phoneDigits) {
    branches.push(`(${pick}, 'phone' as matched, 0.85::float8 as score
       from prospects p join customers c on c.id = p.id
      where p.phone_digits like ? order by p.phone_digits limit ?)`);
    bindings.push(`%${plan.phoneDigits}%`, limit);
  }
  if (plan.nameTokens.length) {
    const words = await nameWords(trx, plan.nameTokens);
    // Each word of the query must match a word of the name; a word without candidates matches nothing.
    if (words.every((w) => w.length > 0)) {
      // A common surname has thousands of holders: rank a bounded sample of them, not all.
      branches.push(`(select n.id, n.public_id, n.full_name, n.email, n.phone, n.customer_type, n.status,
              n.kyc_status, 'name' as matched, similarity(n.full_name, ?)::float8 * 0.8 as score
         from (
           -- Materialized: always through the name_tokens index, never a LIMIT-driven scan.
           with m as materialized (
             select id from prospects where ${words.map(() => 'name_tokens && ?::text[]').join(' and ')})
           ${pick} from m join prospects p on p.id = m.id join customers c on c.id = m.id limit ?) n
        order by score desc, n.full_name limit ?)`);
      bindings.push(
        plan.name!,
        ...words.map((w) => `{${w.map((x) => `"${x.replace(/["\\]/g, '\\$&')}"`).join(',')}}`),
        limit * 10,
        limit,
      );
    }
  }
  if (branches.length === 0) return [];
  const { rows } = await trx.raw(
    `select * from (
       select distinct on (id) * from (${branches.join(' union all ')}) hits order by id, score desc
     ) best order by score desc, full_name limit ?`,
    [...bindings, limit],
  );
  return rows;
}
