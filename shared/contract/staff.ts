import { z } from 'zod';
import { ROLES } from '../permissions';
import { PASSWORD_MAX_LENGTH } from '../password';
import { command, query, requiredText, text, uuid } from './procedure';

export const staffUserDto = z.object({
  id: z.uuid(),
  username: z.string(),
  fullName: z.string(),
  roles: z.array(z.enum(ROLES)),
  status: z.enum(['active', 'disabled']),
  mustChangePassword: z.boolean(),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
});
export type StaffUserDto = z.infer<typeof staffUserDto>;

export const username = requiredText(64).regex(/^[a-zA-Z0-9._-]+$/, 'username');
const roles = z
  .array(z.enum(ROLES))
  .min(1)
  .max(ROLES.length)
  .refine((r) => new Set(r).size === r.length, 'duplicate');
const temporaryPassword = z.string().min(1).max(PASSWORD_MAX_LENGTH);

export const staffProcedures = {
  'staff.list': query({
    access: 'staff.read',
    input: z.strictObject({ search: text(64).optional() }),
    output: z.array(staffUserDto),
  }),
  'staff.create': command({
    access: 'staff.manage',
    input: { username, fullName: requiredText(120), roles, temporaryPassword },
    output: staffUserDto,
  }),
  'staff.setRoles': command({
    access: 'staff.manage',
    input: { userId: uuid, roles },
    output: staffUserDto,
  }),
  'staff.disable': command({
    access: 'staff.manage',
    input: { userId: uuid, reason: requiredText(500) },
    output: staffUserDto,
  }),
  'staff.enable': command({
    access: 'staff.manage',
    input: { userId: uuid },
    output: staffUserDto,
  }),
  'staff.resetPassword': command({
    access: 'staff.manage',
    input: { userId: uuid, temporaryPassword },
    output: staffUserDto,
  }),
} as const;
