import type { Db, Trx } from '../../db';
import type { Role } from '../../../shared/permissions';
import type { ThrottleState } from './rules';

type Q = Db | Trx;

export interface StaffUserRow {
  id: string;
  username: string;
  full_name: string;
  password_hash: string;
  status: 'active' | 'disabled';
  must_change_password: boolean;
  created_at: Date;
  updated_at: Date;
  last_login_at: Date | null;
  roles: Role[];
}

const withRoles = (q: Q) =>
  q('staff_users as u').select(
    'u.*',
    q.raw(
      `coalesce((select array_agg(r.role order by r.role) from staff_user_roles r where r.user_id = u.id), '{}') as roles`,
    ),
  );

export async function findByUsername(q: Q, username: string): Promise<StaffUserRow | undefined> {
  return withRoles(q).whereRaw('lower(u.username) = lower(?)', [username]).first();
}

export async function findById(q: Q, id: string, forUpdate = false): Promise<StaffUserRow | undefined> {
  if (forUpdate) await q('staff_users').where({ id }).forUpdate().first('id');
  return withRoles(q).where('u.id', id).first().options({ name: 'access.findById' });
}

export async function list(q: Q, search?: string): Promise<StaffUserRow[]> {
  const query = withRoles(q).orderBy('u.username');
  if (search) {
    const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query.where((w) => w.whereILike('u.username', like).orWhereILike('u.full_name', like));
  }
  return query;
}

/**
 * Serializes the decisions that could leave the bank without an active administrator: without it,
 * two administrators removing each other at once would each still count the other.
 */
export async function lockAdminCount(q: Q): Promise<void> {
  await q.raw(`select pg_advisory_xact_lock(hashtext('staff.active_admins'))`);
}

export async function countActiveAdmins(q: Q): Promise<number> {
  const row = await q('staff_users as u')
    .join('staff_user_roles as r', 'r.user_id', 'u.id')
    .where({ 'u.status': 'active', 'r.role': 'admin' })
    .countDistinct<{ count: string }[]>({ count: 'u.id' })
    .first();
  return Number(row?.count ?? 0);
}

export async function insertUser(
  q: Q,
  u: { id: string; username: string; fullName: string; passwordHash: string; mustChange: boolean; at: Date },
): Promise<void> {
  await q('staff_users').insert({
    id: u.id,
    username: u.username,
    full_name: u.fullName,
    password_hash: u.passwordHash,
    status: 'active',
    must_change_password: u.mustChange,
    created_at: u.at,
    updated_at: u.at,
  });
}

export async function replaceRoles(q: Q, userId: string, roles: Role[]): Promise<void> {
  await q('staff_user_roles').where({ user_id: userId }).del();
  if (roles.length > 0) await q('staff_user_roles').insert(roles.map((role) => ({ user_id: userId, role })));
}

export async function updateUser(
  q: Q,
  id: string,
  patch: Partial<{
    status: 'active' | 'disabled';
    password_hash: string;
    must_change_password: boolean;
    last_login_at: Date;
    password_changed_at: Date;
  }>,
  at: Date,
): Promise<void> {
  await q('staff_users')
    .where({ id })
    .update({ ...patch, updated_at: at });
}

export async function getThrottle(q: Q, key: string): Promise<ThrottleState | undefined> {
  const row = await q('login_throttle').where({ username_key: key }).first();
  if (!row) return undefined;
  return { failures: row.failures, lastFailureAt: row.last_failure_at, blockedUntil: row.blocked_until };
}

export async function putThrottle(q: Q, key: string, s: ThrottleState): Promise<void> {
  await q('login_throttle')
    .insert({
      username_key: key,
      failures: s.failures,
      last_failure_at: s.lastFailureAt,
      blocked_until: s.blockedUntil,
    })
    .onConflict('username_key')
    .merge();
}

export async function clearThrottle(q: Q, key: string): Promise<void> {
  await q('login_throttle').where({ username_key: key }).del();
}
