import type { Db, Trx } from '../../db';
import { AppError } from '../../../shared/errors';
import type { BankSettings } from '../../../shared/contract';
import { describeTarget, type CommandScope } from '../../ipc/context';
import type { AccessService } from '../access';
import type { AccountingService } from '../accounting';
import * as repo from './repo';
import { assertPasswordsMatch, flagValue, REQUIRE_VERIFIED, SETTINGS, settingValue } from './rules';

export interface SetupInput {
  bankName: string;
  businessDate: string;
  admin: { fullName: string; username: string; password: string; passwordConfirmation: string };
}

/** Settings are read on every authenticated call; another workstation's change applies within this. */
const SETTINGS_TTL_MS = 10_000;

export function createBankService(db: Db, access: AccessService, accounting: AccountingService) {
  let cached: { value: BankSettings; at: number } | undefined;
  return {
    /** q: the caller's transaction when inside one (the embedded database has a single connection). */
    async profile(q: Db | Trx = db) {
      return repo.getBank(q);
    },

    /** First start: the bank and its first administrator come into being together, or not at all. */
    async setup(scope: CommandScope, input: SetupInput): Promise<{ ok: true }> {
      assertPasswordsMatch(input.admin.password, input.admin.passwordConfirmation);
      // The singleton row is the gate: of two workstations racing through setup, one wins.
      const created = await repo.insertBank(scope.trx, {
        name: input.bankName,
        businessDate: input.businessDate,
        at: scope.clock.now(),
      });
      if (!created) throw new AppError('SETUP_ALREADY_DONE');
      const admin = await access.createUser(scope, {
        username: input.admin.username,
        fullName: input.admin.fullName,
        roles: ['admin'],
        password: input.admin.password,
        mustChangePassword: false,
      });
      await accounting.installDefaultChart(scope);
      describeTarget(scope, 'bank', '1', {
        bankName: input.bankName,
        businessDate: input.businessDate,
        adminUserId: admin.id,
        adminUsername: admin.username,
      });
      return { ok: true };
    },

    /** q: the caller's transaction when inside one (the embedded database has a single connection). */
    async settings(q: Db | Trx = db): Promise<BankSettings> {
      if (cached && Date.now() - cached.at < SETTINGS_TTL_MS) return cached.value;
      const value = {
        idleLockMinutes: settingValue(
          'idleLockMinutes',
          await repo.getSetting(q, SETTINGS.idleLockMinutes.key),
        ),
        requireVerifiedCustomers: flagValue(
          await repo.getSetting(q, REQUIRE_VERIFIED.key),
          REQUIRE_VERIFIED.default,
        ),
      };
      cached = { value, at: Date.now() };
      return value;
    },

    async updateSettings(
      scope: CommandScope,
      input: { idleLockMinutes: number; requireVerifiedCustomers?: boolean },
    ): Promise<BankSettings> {
      const before = {
        idleLockMinutes: settingValue(
          'idleLockMinutes',
          await repo.getSetting(scope.trx, SETTINGS.idleLockMinutes.key),
        ),
        requireVerifiedCustomers: flagValue(
          await repo.getSetting(scope.trx, REQUIRE_VERIFIED.key),
          REQUIRE_VERIFIED.default,
        ),
      };
      const after = { ...before, ...input };
      const at = scope.clock.now();
      await repo.putSetting(
        scope.trx,
        SETTINGS.idleLockMinutes.key,
        after.idleLockMinutes,
        scope.actor.userId,
        at,
      );
      if (input.requireVerifiedCustomers !== undefined)
        await repo.putSetting(
          scope.trx,
          REQUIRE_VERIFIED.key,
          after.requireVerifiedCustomers,
          scope.actor.userId,
          at,
        );
      describeTarget(scope, 'bank_settings', Object.keys(input), { from: before, to: after });
      // Forget the cached value once this transaction is over, committed or not.
      void scope.trx.executionPromise.finally(() => (cached = undefined)).catch(() => undefined);
      return after;
    },
  };
}

export type BankService = ReturnType<typeof createBankService>;
