import { z } from 'zod';
import type { Access } from '../permissions';

/**
 * One IPC procedure: what it takes, what it returns, who may call it, and how it behaves offline.
 * Adding an entry to the contract makes it callable over both transports with no other code:
 * the router, the typed renderer client and the permission matrix test all read this record.
 */
export interface ProcedureDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  access: Access;
  /** Commands change state: they carry a commandId, run in one transaction and are audited. */
  kind: 'query' | 'command' | 'auth';
  /**
   * 'queue': may wait in the workstation's outbox while the bank is unreachable. 'local': answered
   * from the workstation's own store while offline (cached views, the outbox, unlock).
   */
  offline: OfflineMode;
  /** Allowed while the workstation is locked (unlock, logout, status). */
  whileLocked?: boolean;
  /** Allowed before a reset password has been replaced. */
  beforePasswordChange?: boolean;
  /** Largest serialized input accepted, in bytes (default 256 KiB). */
  maxBytes?: number;
}

export type OfflineMode = 'refuse' | 'queue' | 'local';

export const DEFAULT_MAX_INPUT_BYTES = 256 * 1024;

export function query<I extends z.ZodType, O extends z.ZodType>(
  def: Omit<ProcedureDef<I, O>, 'kind' | 'offline'> & { offline?: OfflineMode },
): ProcedureDef<I, O> & { kind: 'query' } {
  return { offline: 'refuse', ...def, kind: 'query' };
}

export function command<S extends z.ZodRawShape, O extends z.ZodType>(
  def: Omit<ProcedureDef<z.ZodObject<S & { commandId: z.ZodUUID }>, O>, 'kind' | 'offline' | 'input'> & {
    input: S;
    offline?: OfflineMode;
  },
): ProcedureDef<z.ZodObject<S & { commandId: z.ZodUUID }>, O> & { kind: 'command' } {
  const { input, ...rest } = def;
  return {
    offline: 'refuse',
    ...rest,
    kind: 'command',
    input: z.strictObject({ commandId: z.uuid(), ...input }) as never,
  };
}

/** Bounded text: every string from the renderer has a ceiling. */
export const text = (max: number) => z.string().trim().max(max);
export const requiredText = (max: number) => z.string().trim().min(1).max(max);
// Year 0000 passes the ISO pattern but is no date PostgreSQL can hold.
export const isoDate = z.iso.date().refine((d) => !d.startsWith('0000'), 'year');
export const uuid = z.uuid();
export const ok = z.strictObject({ ok: z.literal(true) });
