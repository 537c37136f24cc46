import type { InputOf, OutputOf, ProcedureName } from '@shared/contract';
import type { ErrorPayload } from '@shared/errors';
import type { Bridge } from './bridge';

/** A failed call, carrying the typed payload the main process sent. */
export class ApiError extends Error {
  constructor(readonly payload: ErrorPayload) {
    super(payload.code);
  }
}

let bridge: Bridge | undefined;

export function setBridge(b: Bridge): void {
  bridge = b;
}

export function getBridge(): Bridge {
  if (!bridge) throw new Error('bridge not set');
  return bridge;
}

/** The typed client: the procedure's name decides both the input it takes and what it returns. */
export async function call<P extends ProcedureName>(name: P, input: InputOf<P>): Promise<OutputOf<P>> {
  const r = await getBridge().invoke(name, input);
  if (!r.ok) throw new ApiError(r.error);
  return r.result as OutputOf<P>;
}

/** One id per user intention: a retry or a double click of the same form reuses it. */
export function newCommandId(): string {
  return crypto.randomUUID();
}

export function errorPayload(err: unknown): ErrorPayload {
  if (err instanceof ApiError) return err.payload;
  return { code: 'INTERNAL', messageKey: 'errors.INTERNAL', params: {} };
}
