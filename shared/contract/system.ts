import { z } from 'zod';
import { ok, query, command, requiredText, isoDate } from './procedure';
import { PASSWORD_MAX_LENGTH } from '../password';

export const systemInfo = z.object({
  needsSetup: z.boolean(),
  bankName: z.string().nullable(),
  baseCurrency: z.string().nullable(),
  businessDate: z.string().nullable(),
  workstation: z.string(),
  appVersion: z.string(),
  database: z.enum(['embedded', 'server']),
  schemaVersion: z.string(),
});
export type SystemInfo = z.infer<typeof systemInfo>;

export const connectivity = z.object({
  state: z.enum(['online', 'degraded', 'offline']),
  since: z.string(),
  lastOkAt: z.string().nullable(),
});
export type Connectivity = z.infer<typeof connectivity>;

export const bankSettings = z.object({
  idleLockMinutes: z.number().int(),
  /** DOMAIN 2.3: only Verified customers get deposit accounts (and, later, facilities and disbursals). */
  requireVerifiedCustomers: z.boolean(),
});
export type BankSettings = z.infer<typeof bankSettings>;

export const systemProcedures = {
  'system.info': query({
    input: z.strictObject({}),
    output: systemInfo,
    access: 'public',
    whileLocked: true,
  }),
  'system.connectivity': query({
    input: z.strictObject({}),
    output: connectivity,
    access: 'public',
    whileLocked: true,
  }),
  'setup.createBank': command({
    access: 'public',
    input: {
      bankName: requiredText(120),
      businessDate: isoDate,
      admin: z.strictObject({
        fullName: requiredText(120),
        username: requiredText(64).regex(/^[a-zA-Z0-9._-]+$/),
        password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
        passwordConfirmation: z.string().max(PASSWORD_MAX_LENGTH),
      }),
    },
    output: ok,
  }),
  'bank.settings.get': query({
    input: z.strictObject({}),
    output: bankSettings,
    access: 'session',
    offline: 'local',
  }),
  'bank.settings.update': command({
    access: 'bank.settings.manage',
    input: {
      idleLockMinutes: z.number().int().min(1).max(240),
      requireVerifiedCustomers: z.boolean().optional(),
    },
    output: bankSettings,
  }),
} as const;
