import type { AuditVerification } from '../../../shared/contract';

/**
 * Pure rules of the audit log. The digests themselves are computed by the database (see the
 * foundation migration) so that the writer cannot choose them; these functions shape what the
 * verifier reports and what may be written.
 */

export type AuditProblem = AuditVerification['problems'][number];

/** Audit metadata is evidence, never a place for secrets: keys that smell of one are refused. */
const SECRET_KEY = /pass(word)?|secret|token|hash|salt/i;

export function assertNoSecrets(metadata: Record<string, unknown>): void {
  for (const key of Object.keys(metadata)) {
    if (SECRET_KEY.test(key)) throw new Error(`audit metadata must not carry secrets (key '${key}')`);
  }
}

/** Problems in the order a person should look at them: records first by id, then seals. */
export function orderProblems(problems: AuditProblem[]): AuditProblem[] {
  const rank = (p: AuditProblem) => (p.recordId ? 0 : p.sealId ? 2 : 1);
  return [...problems].sort((a, b) => {
    const r = rank(a) - rank(b);
    if (r !== 0) return r;
    const ka = BigInt(a.recordId ?? a.sealId ?? a.seq ?? '0');
    const kb = BigInt(b.recordId ?? b.sealId ?? b.seq ?? '0');
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

/** Splits a free-text entity filter into an object type and/or an id ('customer:123', '123'). */
export function parseEntityFilter(entity: string | undefined): { type?: string; id?: string; any?: string } {
  const trimmed = entity?.trim();
  if (!trimmed) return {};
  const colon = trimmed.indexOf(':');
  if (colon > 0) {
    const id = trimmed.slice(colon + 1).trim();
    return id ? { type: trimmed.slice(0, colon), id } : { type: trimmed.slice(0, colon) };
  }
  return { any: trimmed };
}
