import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { inTransaction, notAwaited, type Db } from '../db';
import { AppError } from '../../shared/errors';
import type { AuditService } from '../modules/audit';
import { fromLedgerError } from '../ledger';
import type { CommandScope, RequestContext } from './context';

export interface CommandRequest {
  procedure: string;
  commandId: string;
  /** The parsed input without its commandId. */
  payload: Record<string, unknown>;
  output: z.ZodType;
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * Secrets never reach the command log, not even hashed: an unsalted digest of a password is cheap to
 * brute-force. A retry that differs only in a secret is treated as the same command.
 */
const SECRET_FIELD = /password|secret|token/i;

/** A stable text form: object keys sorted at every depth, so equal payloads hash equal. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined && !SECRET_FIELD.test(k))
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** Hashes per top-level field: enough to say which field changed, without keeping the values. */
export function fieldHashes(payload: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(payload).sort()) {
    if (payload[key] !== undefined && !SECRET_FIELD.test(key)) out[key] = digest(canonicalJson(payload[key]));
  }
  return out;
}

function differingField(a: Record<string, string>, b: Record<string, string>): string {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.find((k) => a[k] !== b[k]) ?? '(procedure)';
}

interface PriorCommand {
  command_id: string;
  actor_id: string | null;
  procedure: string;
  payload_hash: string;
  field_hashes: Record<string, string>;
  result: unknown;
}

/**
 * Runs one command the way every command runs: in one transaction, once per commandId, with its
 * audit record written in the same transaction. A retry with the same id and payload returns the
 * first result and changes nothing; the same id with another payload is refused and names the
 * field that differs. Concurrent duplicates queue on the command_log row and then see the result.
 *
 * The claim (the command_log row) is not waited for: on a bank server it travels with the
 * command's first statement (main/db/pipelined-pg.ts). A duplicate id refuses it with a unique
 * violation, which fails whatever statement came next; so whenever a command fails, the log is
 * asked whether its id was used before, and if so the command answers as a retry.
 */
export async function runCommand<T>(
  db: Db,
  audit: AuditService,
  ctx: RequestContext,
  req: CommandRequest,
  handler: (scope: CommandScope) => Promise<T>,
): Promise<T> {
  const hashes = fieldHashes(req.payload);
  const payloadHash = digest(canonicalJson(hashes));
  try {
    return await inTransaction(db, async (trx) => {
      await trx
        .raw(
          `insert into command_log (command_id, procedure, actor_id, payload_hash, field_hashes, created_at)
         values (?, ?, ?, ?, ?, ?)`,
          [
            req.commandId,
            req.procedure,
            ctx.actor.userId,
            payloadHash,
            JSON.stringify(hashes),
            ctx.clock.now(),
          ],
        )
        .options(notAwaited('command.claim'));
      const scope: CommandScope = {
        ...ctx,
        trx,
        commandId: req.commandId,
        procedure: req.procedure,
        target: { objectType: null, objectIds: [], metadata: {} },
      };
      const result = req.output.parse(await handler(scope)) as T;
      await audit.appendCommandSuccess(
        trx,
        ctx,
        {
          action: req.procedure,
          outcome: 'Success',
          objectType: scope.target.objectType,
          objectIds: scope.target.objectIds,
          commandId: req.commandId,
          metadata: scope.target.metadata,
        },
        result,
      );
      return result;
    });
  } catch (caught) {
    // The command's own claim rolled back with it: a row here is another transaction's, committed.
    // (Unreadable, say with the connection gone: the command's own failure is what to report.)
    const prior = await db<PriorCommand>('command_log')
      .where({ command_id: req.commandId })
      .first()
      .catch(() => undefined);
    let err = caught instanceof AppError ? caught : (fromLedgerError(caught) ?? caught);
    if (prior) {
      const reused = reuseOf(prior, ctx.actor.userId, req.procedure, payloadHash, hashes);
      if (!reused) return prior.result as T;
      err = reused;
    }
    // The command's own transaction is gone; its refusal is still evidence worth keeping.
    const code = err instanceof AppError ? err.code : 'INTERNAL';
    await audit
      .appendStandalone(ctx, {
        action: req.procedure,
        outcome: code === 'COMMAND_ID_REUSED' ? 'Denied' : 'Failure',
        commandId: req.commandId,
        metadata: { error: code },
      })
      .catch(() => undefined);
    throw err;
  }
}

/** Why a logged command may not answer this request, or null when it is the same command. */
function reuseOf(
  prior: PriorCommand,
  actorId: string | null,
  procedure: string,
  payloadHash: string,
  hashes: Record<string, string>,
): AppError | null {
  // Another user's command id is not theirs to replay: its result is not theirs to see.
  if (prior.actor_id !== actorId) return new AppError('COMMAND_ID_REUSED', { field: '(actor)' });
  if (prior.procedure !== procedure || prior.payload_hash !== payloadHash) {
    return new AppError('COMMAND_ID_REUSED', {
      field: prior.procedure !== procedure ? '(procedure)' : differingField(prior.field_hashes, hashes),
    });
  }
  return null;
}
