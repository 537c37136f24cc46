import { z } from 'zod';
import { ROLES, PERMISSIONS } from '../permissions';
import { PASSWORD_MAX_LENGTH } from '../password';
import { command, ok, query, requiredText } from './procedure';

export const sessionDto = z.object({
  userId: z.uuid(),
  username: z.string(),
  fullName: z.string(),
  roles: z.array(z.enum(ROLES)),
  permissions: z.array(z.enum(PERMISSIONS)),
  workstation: z.string(),
  locked: z.boolean(),
  mustChangePassword: z.boolean(),
  idleLockMinutes: z.number().int(),
});
export type SessionDto = z.infer<typeof sessionDto>;

const password = z.string().min(1).max(PASSWORD_MAX_LENGTH);

export const sessionProcedures = {
  'session.login': {
    kind: 'auth',
    access: 'public',
    offline: 'refuse',
    input: z.strictObject({ username: requiredText(64), password }),
    output: sessionDto,
  },
  'session.current': query({
    input: z.strictObject({}),
    output: sessionDto.nullable(),
    access: 'public',
    whileLocked: true,
    beforePasswordChange: true,
  }),
  'session.logout': {
    kind: 'auth',
    access: 'session',
    offline: 'local',
    whileLocked: true,
    beforePasswordChange: true,
    input: z.strictObject({}),
    output: ok,
  },
  'session.lock': {
    kind: 'auth',
    access: 'session',
    offline: 'local',
    whileLocked: true,
    beforePasswordChange: true,
    input: z.strictObject({}),
    output: ok,
  },
  'session.unlock': {
    kind: 'auth',
    access: 'session',
    offline: 'local',
    whileLocked: true,
    beforePasswordChange: true,
    input: z.strictObject({ password }),
    output: sessionDto,
  },
  /** A heartbeat from the renderer while the user is active but not calling anything. */
  'session.activity': query({ input: z.strictObject({}), output: ok, access: 'session', offline: 'local' }),
  'session.changePassword': command({
    access: 'session',
    beforePasswordChange: true,
    input: { currentPassword: password, newPassword: password },
    output: sessionDto,
  }),
} as const;
