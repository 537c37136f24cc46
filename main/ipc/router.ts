import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  DEFAULT_MAX_INPUT_BYTES,
  isProcedureName,
  procedures,
  type ProcedureDef,
  type ProcedureName,
} from '../../shared/contract';
import { AppError, type ErrorPayload } from '../../shared/errors';
import { isAllowed } from '../../shared/permissions';
import type { Services } from '../services';
import { runCommand } from './command';
import type { Actor, RequestContext } from './context';
import type { Connection } from './connection';
import { createHandlers, type Handlers } from './handlers';
import { isIdle } from '../modules/access/rules';
import { fromLedgerError } from '../ledger';

export type RouterResult = { ok: true; result: unknown } | { ok: false; error: ErrorPayload };

const ANONYMOUS: Actor = { type: 'User', userId: null, username: null, roles: [] };

function validationError(error: z.ZodError): AppError {
  const first = error.issues[0];
  const fields = [...new Set(error.issues.map((i) => i.path.join('.') || '(input)'))].slice(0, 10);
  return new AppError('VALIDATION_FAILED', { fields, issue: first?.code ?? 'invalid' });
}

/** The input's size as JSON; an input that is not plain data (cyclic, BigInt, absurdly deep) is refused. */
function serializedSize(input: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(input ?? null) ?? '');
  } catch {
    throw new AppError('VALIDATION_FAILED', { fields: ['(input)'], issue: 'not_plain_data' });
  }
}

/** Paths of strings PostgreSQL cannot store in text or jsonb: NUL, or an unpaired UTF-16 surrogate. */
function unstorableFields(value: unknown, path: string[] = [], out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.includes('\0') || /\p{Cs}/u.test(value)) out.push(path.join('.') || '(input)');
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) unstorableFields(child, [...path, key], out);
  }
  return out;
}

const DRIVER_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P03',
  '08006',
  '08001',
]);

function toPayload(err: unknown, log: (e: unknown) => void): ErrorPayload {
  if (err instanceof AppError) return err.toPayload();
  // A refusal the ledger raised at commit (a deferred check) arrives as a driver error.
  const fromLedger = fromLedgerError(err);
  if (fromLedger) return fromLedger.toPayload();
  const code = (err as { code?: string })?.code;
  const message = (err as Error)?.message ?? '';
  if (
    (code && DRIVER_UNAVAILABLE.has(code)) ||
    /Timeout acquiring a connection|Connection terminated/.test(message)
  ) {
    return new AppError('DATABASE_UNAVAILABLE').toPayload();
  }
  log(err);
  return new AppError('INTERNAL').toPayload();
}

/**
 * The request path of every IPC call, whatever the transport: find the procedure, bound and parse
 * its input, resolve the session and check the permission, then run the handler (commands through
 * the command runner). Every failure leaves as a typed { code, messageKey, params }.
 */
export class Router {
  private readonly handlers: Handlers;

  constructor(
    private readonly services: Services,
    private readonly opts: { log?: (err: unknown) => void } = {},
  ) {
    this.handlers = createHandlers(services);
  }

  private log(err: unknown) {
    (this.opts.log ?? ((e) => console.error('[router]', e)))(err);
  }

  private async deny(conn: Connection, actor: Actor, action: string, error: AppError): Promise<never> {
    await this.services.audit
      .appendStandalone(
        { actor, workstation: conn.workstation, clock: this.services.clock },
        { action, outcome: 'Denied', metadata: { error: error.code } },
      )
      .catch((e) => this.log(e));
    throw error;
  }

  /** byteLength: the size of the message as it arrived, when the transport knows it. */
  async handle(conn: Connection, name: unknown, input: unknown, byteLength?: number): Promise<RouterResult> {
    try {
      return { ok: true, result: await this.dispatch(conn, name, input, byteLength) };
    } catch (err) {
      return { ok: false, error: toPayload(err, (e) => this.log(e)) };
    }
  }

  private async dispatch(
    conn: Connection,
    name: unknown,
    input: unknown,
    byteLength?: number,
  ): Promise<unknown> {
    const actorOf = (): Actor =>
      conn.session
        ? {
            type: 'User',
            userId: conn.session.userId,
            username: conn.session.username,
            roles: conn.session.roles,
          }
        : ANONYMOUS;

    if (!isProcedureName(name)) {
      const shown = typeof name === 'string' ? name.slice(0, 80) : typeof name;
      return this.deny(
        conn,
        actorOf(),
        `unknown:${shown}`,
        new AppError('UNKNOWN_PROCEDURE', { procedure: shown }),
      );
    }
    const def = procedures[name] as ProcedureDef;
    const size = byteLength ?? serializedSize(input);
    const maxBytes = def.maxBytes ?? DEFAULT_MAX_INPUT_BYTES;
    if (size > maxBytes) {
      return this.deny(conn, actorOf(), name, new AppError('PAYLOAD_TOO_LARGE', { limit: maxBytes }));
    }
    const parsed = def.input.safeParse(input ?? {});
    if (!parsed.success) throw validationError(parsed.error);
    // Checked on the parsed input, whose shape the schema bounds.
    const unstorable = unstorableFields(parsed.data);
    if (unstorable.length > 0) {
      throw new AppError('VALIDATION_FAILED', { fields: unstorable.slice(0, 10), issue: 'unstorable_text' });
    }

    await this.authorize(conn, name, def, actorOf);

    const queueable = def.offline === 'queue' && this.services.offline !== null;
    if (
      (def.offline === 'refuse' || (def.offline === 'queue' && !queueable)) &&
      this.services.monitor.snapshot().state === 'offline' &&
      def.access !== 'public'
    ) {
      throw new AppError('OFFLINE', { procedure: name });
    }

    const ctx: RequestContext = {
      actor: actorOf(),
      workstation: conn.workstation,
      clock: this.services.clock,
    };
    const handler = this.handlers[name] as (...args: unknown[]) => Promise<unknown>;
    if (def.kind === 'command') {
      const { commandId, ...payload } = parsed.data as { commandId: string } & Record<string, unknown>;
      const run = () =>
        runCommand(
          this.services.database.knex,
          this.services.audit,
          ctx,
          { procedure: name, commandId, payload, output: def.output },
          (scope) => handler(scope, payload, conn),
        );
      // Offline work (ARCHITECTURE 6): the workstation's outbox takes it while the bank is away.
      return queueable ? this.services.offline!.runOrQueue(ctx, name, { commandId, ...payload }, run) : run();
    }
    return def.output.parse(await handler(ctx, parsed.data, conn));
  }

  private async authorize(conn: Connection, name: ProcedureName, def: ProcedureDef, actorOf: () => Actor) {
    if (def.access === 'public') return;
    const session = conn.session;
    if (!session) return this.deny(conn, actorOf(), name, new AppError('UNAUTHENTICATED'));

    // Re-read the user on every call: a disabled user or a changed role applies at once.
    const identity = await this.services.access.identity(session.userId);
    if (!identity || identity.status !== 'active') {
      const actor = actorOf(); // the refusal's record names the user, not an anonymous caller
      conn.session = null;
      conn.emit('session.ended', { reason: 'disabled' });
      return this.deny(conn, actor, name, new AppError(identity ? 'USER_DISABLED' : 'UNAUTHENTICATED'));
    }
    session.roles = identity.roles;
    session.mustChangePassword = identity.mustChangePassword;

    const now = this.services.clock.now();
    if (!session.locked) {
      const { idleLockMinutes } = await this.services.bank.settings();
      if (isIdle(session.lastActivityAt, now, idleLockMinutes)) {
        session.locked = true;
        conn.emit('session.locked', { reason: 'idle' });
      }
    }
    if (session.locked && !def.whileLocked) throw new AppError('WORKSTATION_LOCKED');
    if (session.mustChangePassword && !def.beforePasswordChange)
      throw new AppError('PASSWORD_CHANGE_REQUIRED');
    if (!isAllowed(session.roles, def.access)) {
      return this.deny(conn, actorOf(), name, new AppError('FORBIDDEN', { procedure: name }));
    }
    if (!session.locked) session.lastActivityAt = now;
  }
}

/** A connection for code inside the main process (CLI, tests, benchmarks). */
export function internalConnection(workstation: string, onEvent?: Connection['emit']): Connection {
  return {
    id: randomUUID(),
    workstation,
    transport: 'internal',
    session: null,
    emit: onEvent ?? (() => undefined),
  };
}
