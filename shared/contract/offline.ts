import { z } from 'zod';
import { query } from './procedure';
import { connectivity } from './system';

// Offline work: the local store, the outbox and its replay (issue 7, ARCHITECTURE 6).

export const outboxStatus = z.enum(['queued', 'replaying', 'done', 'rejected']);
export type OutboxStatus = z.infer<typeof outboxStatus>;

/** What a queueable command answers when it went to the outbox instead of the bank. */
export const queuedAnswer = z.object({
  queued: z.literal(true),
  commandId: z.string(),
  seq: z.number(),
  localTime: z.string(),
});
export type QueuedAnswer = z.infer<typeof queuedAnswer>;

export function isQueuedAnswer(value: unknown): value is QueuedAnswer {
  return queuedAnswer.safeParse(value).success;
}

export const outboxEntryDto = z.object({
  seq: z.number(),
  commandId: z.string(),
  procedure: z.string(),
  /** The approval process the entry votes on, when it is a vote. */
  processId: z.string().nullable(),
  decision: z.enum(['approve', 'deny']).nullable(),
  reason: z.string().nullable(),
  username: z.string(),
  workstation: z.string(),
  localTime: z.string(),
  signed: z.boolean(),
  status: outboxStatus,
  rejection: z.object({ code: z.string(), params: z.record(z.string(), z.unknown()) }).nullable(),
  attempts: z.number(),
  updatedAt: z.string(),
});
export type OutboxEntryDto = z.infer<typeof outboxEntryDto>;

export const offlineStatusDto = z.object({
  connectivity,
  /** False where the workstation keeps no local store (the embedded bank needs none). */
  localStore: z.boolean(),
  /** The caller's entries still waiting for the bank. */
  pending: z.number(),
  rejected: z.number(),
  /** When the caller's approvals inbox was last copied from the bank; null if never. */
  approvalsAsOf: z.string().nullable(),
});
export type OfflineStatusDto = z.infer<typeof offlineStatusDto>;

/** What main pushes when the outbox changes (an entry queued, replayed, or rejected). */
export interface OutboxChanged {
  seq: number;
  commandId: string;
  userId: string;
  status: OutboxStatus;
  rejection: { code: string; params: Record<string, unknown> } | null;
}

export const offlineProcedures = {
  /** The caller's offline picture: connectivity, their outbox counts, the age of their cached inbox. */
  'offline.status': query({
    access: 'session',
    offline: 'local',
    input: z.strictObject({}),
    output: offlineStatusDto,
  }),
  /** The caller's outbox entries on this workstation, newest first, each with its fate. */
  'offline.outbox.list': query({
    access: 'session',
    offline: 'local',
    input: z.strictObject({ status: outboxStatus.optional() }),
    output: z.array(outboxEntryDto),
  }),
} as const;
