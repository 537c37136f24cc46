import type { z } from 'zod';

export type Layer = 'settled' | 'pending';
export type Direction = 'debit' | 'credit';
export type NormalBalance = 'debit' | 'credit';
export type Currency = 'USD' | 'BTC';

/** One line a template produces. Amounts are integer minor units (cents, satoshis). */
export interface EntrySpec {
  accountId: string;
  currency: Currency;
  layer: Layer;
  direction: Direction;
  amount: bigint;
}

/**
 * A ledger transaction template, declared in code by the module that owns it (its templates.ts):
 * the parameters it takes and the entries it produces. Every money movement posts through one.
 */
export interface Template<P> {
  code: string;
  params: z.ZodType<P>;
  entries(params: P): EntrySpec[];
}

export function defineTemplate<P>(t: Template<P>): Template<P> {
  return t;
}

export interface PostOptions {
  /** The same key posts once: a retry with the same payload returns the first transaction. */
  idempotencyKey: string;
  effectiveDate: string;
  description?: string;
  metadata?: Record<string, unknown>;
}

export interface Posted {
  transactionId: string;
  replayed: boolean;
}

export interface Balance {
  accountId: string;
  currency: Currency;
  settled: bigint;
  pending: bigint;
}
