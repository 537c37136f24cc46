import { AppError } from '../../shared/errors';
import { permissionsOf } from '../../shared/permissions';
import type { OutputOf, ParsedInputOf, ProcedureName, Procedures, SessionDto } from '../../shared/contract';
import type { Services } from '../services';
import type { StaffIdentity } from '../modules/access';
import type { Trx } from '../db';
import { describeTarget, type CommandScope, type RequestContext } from './context';
import type { Connection, Session } from './connection';
import pkg from '../../package.json';
import { customerHandlers } from './handlers/customers';
import { documentHandlers } from './handlers/documents';
import { governanceHandlers } from './handlers/governance';
import { depositHandlers } from './handlers/deposits';
import { tillHandlers } from './handlers/tills';
import { tellerJournalHandlers } from './handlers/teller-journal';
import { cashControlHandlers } from './handlers/cash-controls';
import { offlineHandlers } from './handlers/offline';

type WithoutCommandId<T> = Omit<T, 'commandId'>;

type HandlerOf<P extends ProcedureName> = Procedures[P]['kind'] extends 'command'
  ? (scope: CommandScope, input: WithoutCommandId<ParsedInputOf<P>>, conn: Connection) => Promise<OutputOf<P>>
  : (ctx: RequestContext, input: ParsedInputOf<P>, conn: Connection) => Promise<OutputOf<P>>;

/** One handler per procedure of the contract; the type makes a missing one a compile error. */
export type Handlers = { [P in ProcedureName]: HandlerOf<P> };
/** The handlers of one module's procedures (main/ipc/handlers/<module>.ts). */
export type HandlersFor<K extends ProcedureName> = { [P in K]: HandlerOf<P> };

function startSession(identity: StaffIdentity, now: Date): Session {
  return {
    userId: identity.userId,
    username: identity.username,
    fullName: identity.fullName,
    roles: identity.roles,
    locked: false,
    mustChangePassword: identity.mustChangePassword,
    lastActivityAt: now,
  };
}

export function createHandlers(s: Services): Handlers {
  /** q: the command's transaction when called from inside one. */
  async function sessionDto(conn: Connection, q?: Trx): Promise<SessionDto> {
    const session = conn.session;
    if (!session) throw new AppError('UNAUTHENTICATED');
    return {
      userId: session.userId,
      username: session.username,
      fullName: session.fullName,
      roles: session.roles,
      permissions: [...permissionsOf(session.roles)].sort(),
      workstation: conn.workstation,
      locked: session.locked,
      mustChangePassword: session.mustChangePassword,
      idleLockMinutes: (await s.bank.settings(q)).idleLockMinutes,
    };
  }

  return {
    ...customerHandlers(s),
    ...documentHandlers(s),
    ...governanceHandlers(s),
    ...depositHandlers(s),
    ...tillHandlers(s),
    ...tellerJournalHandlers(s),
    ...cashControlHandlers(s),
    ...offlineHandlers(s),
    'system.info': async (_ctx, _input, conn) => {
      const bank = await s.bank.profile();
      return {
        needsSetup: !bank,
        bankName: bank?.name ?? null,
        baseCurrency: bank?.base_currency ?? null,
        businessDate: bank?.business_date ?? null,
        workstation: conn.workstation,
        appVersion: pkg.version,
        database: s.database.kind,
        schemaVersion: s.schemaVersion,
      };
    },
    'system.connectivity': async () => s.monitor.snapshot(),
    'setup.createBank': (scope, input) => s.bank.setup(scope, input),
    'bank.settings.get': () => s.bank.settings(),
    'bank.settings.update': (scope, input) => s.bank.updateSettings(scope, input),

    'session.login': async (ctx, input, conn) => {
      const identity = await s.access.login(ctx, input.username, input.password);
      conn.session = startSession(identity, s.clock.now());
      return sessionDto(conn);
    },
    'session.current': async (_ctx, _input, conn) => {
      if (!conn.session) return null;
      // Public, so the router did not re-read the user: do it here, for the roles shown.
      const identity = await s.access.identity(conn.session.userId);
      if (!identity || identity.status !== 'active') {
        conn.session = null;
        return null;
      }
      conn.session.roles = identity.roles;
      conn.session.mustChangePassword = identity.mustChangePassword;
      return sessionDto(conn);
    },
    'session.logout': async (ctx, _input, conn) => {
      await s.access.recordSessionEvent(ctx, 'session.logout');
      conn.session = null;
      conn.emit('session.ended', { reason: 'logout' });
      return { ok: true as const };
    },
    'session.lock': async (ctx, _input, conn) => {
      if (conn.session && !conn.session.locked) {
        conn.session.locked = true;
        await s.access.recordSessionEvent(ctx, 'session.lock');
        conn.emit('session.locked', { reason: 'manual' });
      }
      return { ok: true as const };
    },
    'session.unlock': async (ctx, input, conn) => {
      const session = conn.session!;
      const identity = await s.access.unlock(ctx, session.userId, input.password);
      conn.session = { ...startSession(identity, s.clock.now()) };
      return sessionDto(conn);
    },
    'session.activity': async () => ({ ok: true as const }),
    'session.changePassword': async (scope, input, conn) => {
      const identity = await s.access.changePassword(scope, input.currentPassword, input.newPassword);
      if (conn.session) conn.session.mustChangePassword = identity.mustChangePassword;
      return sessionDto(conn, scope.trx);
    },

    'staff.list': (_ctx, input) => s.access.list(input.search),
    'staff.create': (scope, input) =>
      s.access.createUser(scope, {
        username: input.username,
        fullName: input.fullName,
        roles: input.roles,
        password: input.temporaryPassword,
        mustChangePassword: true,
      }),
    'staff.setRoles': (scope, input) => s.access.setRoles(scope, input.userId, input.roles),
    'staff.disable': (scope, input) => s.access.disable(scope, input.userId, input.reason),
    'staff.enable': (scope, input) => s.access.enable(scope, input.userId),
    'staff.resetPassword': (scope, input) =>
      s.access.resetPassword(scope, input.userId, input.temporaryPassword),

    'audit.list': (_ctx, input) => s.audit.list(input),
    'audit.verify': () => s.audit.verify(),
    'audit.seal': (scope) => s.audit.seal(scope),

    'accounting.chart': () => s.accounting.chart(),
    'accounting.importChart': (scope, input) => s.accounting.importChart(scope, input.csv),
    'accounting.baseConfig.get': () => s.accounting.baseConfig(),
    'accounting.baseConfig.set': (scope, input) => s.accounting.setBaseConfig(scope, input),
    'accounting.integration.get': () => s.accounting.integration(),
    'accounting.integration.set': (scope, input) => s.accounting.setIntegration(scope, input.mapping),
    'accounting.trialBalance': (_ctx, input) => s.accounting.trialBalance(input),
    'accounting.manual.list': (_ctx, input) => s.accounting.listManual(input.status),
    'accounting.manual.propose': (scope, input) => s.accounting.proposeManual(scope, input),
    'accounting.manual.approve': (scope, input) => s.accounting.approveManual(scope, input.id),
    'accounting.manual.reject': (scope, input) => s.accounting.rejectManual(scope, input.id, input.reason),
    'ledger.accounts': (_ctx, input) => s.ledger.searchAccounts(s.database.knex, input),
    'ledger.account': (_ctx, input) => s.ledger.accountPage(s.database.knex, input.id, input),
    'ledger.accountCsv': (_ctx, input) => s.ledger.accountCsv(s.database.knex, input.id),
    'ledger.journal': (_ctx, input) => s.ledger.journal(s.database.knex, input),
    'accounting.calendar': async () => ({
      ...(await s.ledger.calendar(s.database.knex)),
      businessDate: (await s.bank.profile())?.business_date ?? null,
    }),
    'accounting.openFirstFiscalYear': async (scope, input) => {
      const year = await s.ledger.openFirstFiscalYear(scope.trx, input.startsOn, scope.clock.now());
      describeTarget(scope, 'fiscal_year', year.id, { startsOn: year.startsOn, endsOn: year.endsOn });
      return { startsOn: year.startsOn, endsOn: year.endsOn };
    },
    'accounting.closeMonth': async (scope, input) => {
      const bank = await s.bank.profile(scope.trx);
      if (!bank) throw new AppError('SETUP_REQUIRED');
      const { nextMonthToClose } = await s.ledger.calendar(scope.trx);
      if (!nextMonthToClose || nextMonthToClose.to.slice(0, 7) !== input.confirmMonth) {
        throw new AppError('MONTH_MISMATCH', { expected: nextMonthToClose?.to.slice(0, 7) ?? null });
      }
      await s.accounting.assertMonthClosable(scope.trx, nextMonthToClose.to);
      const closed = await s.ledger.closeMonth(scope.trx, bank.business_date);
      describeTarget(scope, 'ledger_calendar', closed.closedAsOf, { businessDate: bank.business_date });
      return closed;
    },
  };
}
