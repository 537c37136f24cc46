import { randomUUID } from 'node:crypto';
import { inTransaction, isUniqueViolation, type Db, type Trx } from '../../db';
import { AppError } from '../../../shared/errors';
import type { Role } from '../../../shared/permissions';
import type { StaffUserDto } from '../../../shared/contract';
import { describeTarget, type CommandScope, type RequestContext } from '../../ipc/context';
import type { AuditService } from '../audit';
import * as repo from './repo';
import { burnVerification, DEFAULT_COST, hashPassword, verifyPassword, type ScryptCost } from './passwords';
import {
  afterFailure,
  assertKeepsAnAdmin,
  assertStrongPassword,
  sortRoles,
  throttleRemaining,
} from './rules';
import { staffChangedUser, type IdentityCache } from './identity-cache';

export interface AccessOptions {
  /** Lower only in tests: production uses the default scrypt cost. */
  scryptCost?: ScryptCost;
  /** The embedded database: one connection, so nothing may run beside an open transaction. */
  embedded?: boolean;
  /**
   * Keeps identities between calls, trusted while the bank's events reach this workstation (see
   * identity-cache.ts). Only for a bank server: the embedded database is in this process already.
   */
  identityCache?: IdentityCache;
}

/** What the router knows of a signed-in user on every call: re-read, or a copy no change has touched. */
export interface StaffIdentity {
  userId: string;
  username: string;
  fullName: string;
  roles: Role[];
  status: 'active' | 'disabled';
  mustChangePassword: boolean;
}

function toIdentity(u: repo.StaffUserRow): StaffIdentity {
  return {
    userId: u.id,
    username: u.username,
    fullName: u.full_name,
    roles: u.roles,
    status: u.status,
    mustChangePassword: u.must_change_password,
  };
}

function toDto(u: repo.StaffUserRow): StaffUserDto {
  return {
    id: u.id,
    username: u.username,
    fullName: u.full_name,
    roles: u.roles,
    status: u.status,
    mustChangePassword: u.must_change_password,
    createdAt: u.created_at.toISOString(),
    lastLoginAt: u.last_login_at ? u.last_login_at.toISOString() : null,
  };
}

export function createAccessService(db: Db, audit: AuditService, opts: AccessOptions = {}) {
  const cost = opts.scryptCost ?? DEFAULT_COST;

  /**
   * A command changes this user: this workstation's copy goes now and again when the change commits
   * or rolls back (a call between the two may have read the old row). Other workstations hear the
   * trigger's announcement.
   */
  function changing(trx: Trx, userId: string): void {
    const cache = opts.identityCache;
    if (!cache) return;
    cache.changed(userId);
    const again = () => cache.changed(userId);
    trx.executionPromise.then(again, again);
  }

  async function mustFind(q: Db | Trx, id: string, forUpdate = false) {
    const user = await repo.findById(q, id, forUpdate);
    if (!user) throw new AppError('NOT_FOUND', { entity: 'staff_user' });
    return user;
  }

  /**
   * Checks a password for login or unlock, with throttling by username. Failures are recorded
   * (throttle and audit) in their own transaction; the error never says whether the user exists.
   */
  async function checkPassword(
    ctx: RequestContext,
    action: 'session.login' | 'session.unlock' | 'cash-controls.override',
    username: string,
    password: string,
    /** The command this check belongs to, when it runs inside one (an override at the counter). */
    inside?: Trx,
  ): Promise<repo.StaffUserRow> {
    const key = username.trim().toLowerCase();
    const now = ctx.clock.now();
    const q = inside ?? db;
    // A refusal must outlive the command it refuses (that command rolls back): on a server it is
    // written on another connection at once; the embedded database has one connection, busy with
    // the command, so it is written as soon as the command's transaction has ended (before any
    // later command, which queues behind it).
    const outside = async (work: () => Promise<void>) => {
      if (!inside || !opts.embedded) return work();
      inside.executionPromise.then(work, work).catch(() => undefined);
    };
    const remaining = throttleRemaining(await repo.getThrottle(q, key), now);
    if (remaining > 0) {
      await outside(() =>
        audit.appendStandalone(ctx, {
          action,
          outcome: 'Denied',
          metadata: { username: key, error: 'LOGIN_THROTTLED' },
        }),
      );
      throw new AppError('LOGIN_THROTTLED', { seconds: remaining });
    }
    const user = await repo.findByUsername(q, key);
    const valid = user
      ? await verifyPassword(password, user.password_hash)
      : (await burnVerification(password, cost), false);
    if (!valid) {
      await outside(() =>
        inTransaction(db, async (trx) => {
          await repo.putThrottle(trx, key, afterFailure(await repo.getThrottle(trx, key), now));
          await audit.append(trx, ctx, {
            action,
            outcome: 'Failure',
            objectType: user ? 'staff_user' : null,
            objectIds: user ? [user.id] : [],
            metadata: { username: key, error: 'INVALID_CREDENTIALS' },
          });
        }),
      );
      throw new AppError('INVALID_CREDENTIALS');
    }
    if (user!.status !== 'active') {
      await outside(() =>
        audit.appendStandalone(ctx, {
          action,
          outcome: 'Denied',
          objectType: 'staff_user',
          objectIds: [user!.id],
          metadata: { username: key, error: 'USER_DISABLED' },
        }),
      );
      throw new AppError('USER_DISABLED');
    }
    return user!;
  }

  return {
    /**
     * Another user's credentials typed inside a command (a supervisor's override at a teller's
     * workstation, issue 6): the login's check and its throttle, shared with sign-in by username.
     */
    async checkCredentialsInCommand(
      scope: CommandScope,
      username: string,
      password: string,
    ): Promise<StaffIdentity> {
      const user = await checkPassword(scope, 'cash-controls.override', username, password, scope.trx);
      await repo.clearThrottle(scope.trx, user.username.toLowerCase());
      return toIdentity(user);
    },

    /** Signs a user in. The actor of the audit record is the user who just proved who they are. */
    async login(ctx: RequestContext, username: string, password: string): Promise<StaffIdentity> {
      const user = await checkPassword(ctx, 'session.login', username, password);
      const now = ctx.clock.now();
      await inTransaction(db, async (trx) => {
        await repo.clearThrottle(trx, user.username.toLowerCase());
        await repo.updateUser(trx, user.id, { last_login_at: now }, now);
        await audit.append(
          trx,
          { ...ctx, actor: { type: 'User', userId: user.id, username: user.username, roles: user.roles } },
          { action: 'session.login', outcome: 'Success', objectType: 'staff_user', objectIds: [user.id] },
        );
      });
      return toIdentity(user);
    },

    async unlock(ctx: RequestContext, userId: string, password: string): Promise<StaffIdentity> {
      const user = await mustFind(db, userId);
      const checked = await checkPassword(ctx, 'session.unlock', user.username, password);
      await inTransaction(db, async (trx) => {
        await repo.clearThrottle(trx, checked.username.toLowerCase());
        await audit.append(trx, ctx, {
          action: 'session.unlock',
          outcome: 'Success',
          objectType: 'staff_user',
          objectIds: [userId],
        });
      });
      return toIdentity(checked);
    },

    /** Session events that are not commands (logout, lock) still leave a record. */
    async recordSessionEvent(ctx: RequestContext, action: string, metadata: Record<string, unknown> = {}) {
      await audit.appendStandalone(ctx, {
        action,
        outcome: 'Success',
        objectType: 'staff_user',
        objectIds: ctx.actor.userId ? [ctx.actor.userId] : [],
        metadata,
      });
    },

    /**
     * The current truth about a signed-in user: disabled users and changed roles apply on the next
     * call (on another workstation, once the change's announcement has arrived, within milliseconds).
     */
    async identity(userId: string): Promise<StaffIdentity | undefined> {
      const cache = opts.identityCache;
      const copy = cache?.get(userId);
      if (copy) return copy;
      const generation = cache?.generation() ?? 0;
      const user = await repo.findById(db, userId);
      if (!user) return undefined;
      const identity = toIdentity(user);
      cache?.keep(identity, generation);
      return identity;
    },

    /** An event from the bank's channel (null: the listener reconnected and may have missed some). */
    bankEvent(payload: string | null): void {
      const cache = opts.identityCache;
      if (!cache) return;
      if (payload === null) return cache.listening(true);
      const userId = staffChangedUser(payload);
      if (userId) cache.changed(userId);
    },

    /** Whether the bank's events reach this workstation: copies are trusted only while they do. */
    bankEventsListening(on: boolean): void {
      opts.identityCache?.listening(on);
    },

    async list(search?: string): Promise<StaffUserDto[]> {
      return (await repo.list(db, search)).map(toDto);
    },

    /** Creates a user inside an existing command (setup uses it for the first administrator). */
    async createUser(
      scope: CommandScope,
      input: {
        username: string;
        fullName: string;
        roles: Role[];
        password: string;
        mustChangePassword: boolean;
      },
    ): Promise<StaffUserDto> {
      assertStrongPassword(input.password, input.username);
      const id = randomUUID();
      const now = scope.clock.now();
      try {
        // A savepoint, so a taken username leaves the command's transaction usable for its error.
        await scope.trx.transaction(async (sp) => {
          await repo.insertUser(sp, {
            id,
            username: input.username,
            fullName: input.fullName,
            passwordHash: await hashPassword(input.password, cost),
            mustChange: input.mustChangePassword,
            at: now,
          });
        });
      } catch (err) {
        if (isUniqueViolation(err, 'staff_users_username_key'))
          throw new AppError('USERNAME_TAKEN', { username: input.username });
        throw err;
      }
      const roles = sortRoles(input.roles);
      await repo.replaceRoles(scope.trx, id, roles);
      changing(scope.trx, id);
      describeTarget(scope, 'staff_user', id, { username: input.username, roles });
      return toDto(await mustFind(scope.trx, id));
    },

    async setRoles(scope: CommandScope, userId: string, roles: Role[]): Promise<StaffUserDto> {
      const user = await mustFind(scope.trx, userId, true);
      const next = sortRoles(roles);
      if (user.roles.includes('admin') && !next.includes('admin') && user.status === 'active') {
        await repo.lockAdminCount(scope.trx);
        assertKeepsAnAdmin((await repo.countActiveAdmins(scope.trx)) - 1);
      }
      await repo.replaceRoles(scope.trx, userId, next);
      await repo.updateUser(scope.trx, userId, {}, scope.clock.now());
      changing(scope.trx, userId);
      describeTarget(scope, 'staff_user', userId, { username: user.username, from: user.roles, to: next });
      return toDto(await mustFind(scope.trx, userId));
    },

    async disable(scope: CommandScope, userId: string, reason: string): Promise<StaffUserDto> {
      if (userId === scope.actor.userId) throw new AppError('CANNOT_DISABLE_SELF');
      const user = await mustFind(scope.trx, userId, true);
      if (user.status === 'active' && user.roles.includes('admin')) {
        await repo.lockAdminCount(scope.trx);
        assertKeepsAnAdmin((await repo.countActiveAdmins(scope.trx)) - 1);
      }
      await repo.updateUser(scope.trx, userId, { status: 'disabled' }, scope.clock.now());
      changing(scope.trx, userId);
      describeTarget(scope, 'staff_user', userId, { username: user.username, reason });
      return toDto(await mustFind(scope.trx, userId));
    },

    async enable(scope: CommandScope, userId: string): Promise<StaffUserDto> {
      const user = await mustFind(scope.trx, userId, true);
      await repo.updateUser(scope.trx, userId, { status: 'active' }, scope.clock.now());
      changing(scope.trx, userId);
      describeTarget(scope, 'staff_user', userId, { username: user.username });
      return toDto(await mustFind(scope.trx, userId));
    },

    /** An administrator sets a temporary password; the user must replace it at next sign-in. */
    async resetPassword(
      scope: CommandScope,
      userId: string,
      temporaryPassword: string,
    ): Promise<StaffUserDto> {
      const user = await mustFind(scope.trx, userId, true);
      assertStrongPassword(temporaryPassword, user.username);
      const now = scope.clock.now();
      await repo.updateUser(
        scope.trx,
        userId,
        { password_hash: await hashPassword(temporaryPassword, cost), must_change_password: true },
        now,
      );
      await repo.clearThrottle(scope.trx, user.username.toLowerCase());
      changing(scope.trx, userId);
      describeTarget(scope, 'staff_user', userId, { username: user.username });
      return toDto(await mustFind(scope.trx, userId));
    },

    async changePassword(
      scope: CommandScope,
      currentPassword: string,
      newPassword: string,
    ): Promise<StaffIdentity> {
      const userId = scope.actor.userId!;
      const user = await mustFind(scope.trx, userId, true);
      if (!(await verifyPassword(currentPassword, user.password_hash)))
        throw new AppError('INVALID_CREDENTIALS');
      assertStrongPassword(newPassword, user.username);
      if (await verifyPassword(newPassword, user.password_hash)) {
        throw new AppError('WEAK_PASSWORD', { problems: ['sameAsCurrent'] });
      }
      const now = scope.clock.now();
      await repo.updateUser(
        scope.trx,
        userId,
        {
          password_hash: await hashPassword(newPassword, cost),
          must_change_password: false,
          password_changed_at: now,
        },
        now,
      );
      changing(scope.trx, userId);
      describeTarget(scope, 'staff_user', userId, { username: user.username });
      return toIdentity(await mustFind(scope.trx, userId));
    },
  };
}

export type AccessService = ReturnType<typeof createAccessService>;
