import { z } from 'zod';
import { command, isoDate, query, text } from './procedure';

export const auditOutcome = z.enum(['Success', 'Failure', 'Denied']);

export const auditRecordDto = z.object({
  id: z.string(),
  workstation: z.string(),
  seq: z.string(),
  occurredAt: z.string(),
  businessDate: z.string().nullable(),
  subjectType: z.enum(['User', 'System']),
  actorUsername: z.string().nullable(),
  actorRoles: z.array(z.string()),
  action: z.string(),
  objectType: z.string().nullable(),
  objectIds: z.array(z.string()),
  outcome: auditOutcome,
  commandId: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  hash: z.string(),
});
export type AuditRecordDto = z.infer<typeof auditRecordDto>;

export const auditVerification = z.object({
  intact: z.boolean(),
  recordsChecked: z.number().int(),
  sealsChecked: z.number().int(),
  lastSealAt: z.string().nullable(),
  problems: z.array(
    z.object({
      kind: z.enum([
        'recordAltered',
        'chainBroken',
        'sequenceGap',
        'headMismatch',
        'sealAltered',
        'sealMismatch',
      ]),
      workstation: z.string().nullable(),
      seq: z.string().nullable(),
      recordId: z.string().nullable(),
      sealId: z.string().nullable(),
    }),
  ),
});
export type AuditVerification = z.infer<typeof auditVerification>;

export const auditSealDto = z.object({
  id: z.string(),
  sealedAt: z.string(),
  workstations: z.number().int(),
  records: z.string(),
  hash: z.string(),
});

export const auditProcedures = {
  'audit.list': query({
    access: 'audit.read',
    input: z.strictObject({
      user: text(64).optional(),
      action: text(80).optional(),
      entity: text(120).optional(),
      outcome: auditOutcome.optional(),
      from: isoDate.optional(),
      to: isoDate.optional(),
      before: z
        .string()
        .regex(/^\d{1,19}$/)
        .refine((id) => BigInt(id) <= 9223372036854775807n, 'bigint') // an id is a bigint
        .optional(),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    output: z.object({ items: z.array(auditRecordDto), nextBefore: z.string().nullable() }),
  }),
  'audit.verify': query({ access: 'audit.verify', input: z.strictObject({}), output: auditVerification }),
  'audit.seal': command({ access: 'audit.verify', input: {}, output: auditSealDto }),
} as const;
