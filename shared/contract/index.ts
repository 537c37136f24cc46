import type { z } from 'zod';
import type { ProcedureDef } from './procedure';
import { systemProcedures } from './system';
import { sessionProcedures } from './session';
import { staffProcedures } from './staff';
import { auditProcedures } from './audit';
import { accountingProcedures, ledgerProcedures } from './accounting';
import { manualProcedures } from './manual';
import { customerProcedures } from './customers';
import { documentProcedures } from './documents';
import { governanceProcedures } from './governance';
import { depositProcedures } from './deposits';
import { tillProcedures } from './tills';
import { tellerJournalProcedures } from './teller-journal';
import { cashControlProcedures } from './cash-controls';
import { offlineProcedures, type OutboxChanged } from './offline';

/** The whole IPC contract: every procedure either side may name. */
export const procedures = {
  ...systemProcedures,
  ...sessionProcedures,
  ...staffProcedures,
  ...auditProcedures,
  ...accountingProcedures,
  ...ledgerProcedures,
  ...manualProcedures,
  ...customerProcedures,
  ...documentProcedures,
  ...governanceProcedures,
  ...depositProcedures,
  ...tillProcedures,
  ...tellerJournalProcedures,
  ...cashControlProcedures,
  ...offlineProcedures,
} satisfies Record<string, ProcedureDef>;

export type Procedures = typeof procedures;
export type ProcedureName = keyof Procedures;
export type InputOf<P extends ProcedureName> = z.input<Procedures[P]['input']>;
export type ParsedInputOf<P extends ProcedureName> = z.output<Procedures[P]['input']>;
export type OutputOf<P extends ProcedureName> = z.output<Procedures[P]['output']>;

export function isProcedureName(name: unknown): name is ProcedureName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(procedures, name);
}

/** Events pushed from the main process to the renderer. */
export interface EventMap {
  'session.locked': { reason: 'idle' | 'manual' };
  'session.ended': { reason: 'logout' | 'disabled' };
  'connectivity.changed': { state: 'online' | 'degraded' | 'offline'; since: string };
  'bank.changed': Record<string, never>;
  'approvals.changed': { processId: string | null; type: string | null; status: string | null };
  'outbox.changed': OutboxChanged;
}
export type EventName = keyof EventMap;

export * from './procedure';
export * from './system';
export * from './session';
export * from './staff';
export * from './audit';
export * from './accounting';
export * from './manual';
export * from './customers';
export * from './documents';
export * from './governance';
export * from './deposits';
export * from './counter';
export * from './tills';
export * from './teller-journal';
export * from './cash-controls';
export * from './offline';
