import { randomUUID } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import type { Db, Trx } from '../../db';
import type { Clock } from '../../clock';
import { AppError } from '../../../shared/errors';
import { minorToDecimal } from '../../../shared/money';
import type { DepositAccountDto, DepositDto, HistoryItemDto, WithdrawalDto } from '../../../shared/contract';
import { describeTarget, type CommandScope } from '../../ipc/context';
import { neutralizeCell } from '../../ledger/service';
import type { Ledger } from '../../ledger';
import type { AccountingService } from '../accounting';
import type { BankService } from '../bank';
import type { ConcludedProcess, GovernanceService } from '../governance';
import * as repo from './repo';
import { counterRegistry, type CounterStep } from './counter';
import type { CounterInput } from '../../../shared/contract';
import {
  assertClosable,
  assertFreezable,
  assertMoneyMoves,
  DEFAULT_ACTIVITY_THRESHOLDS,
  needsRevert,
  nextAccountStatus,
  nextWithdrawalStatus,
  thresholdProblems,
  type AccountAction,
  type ActivityThresholds,
  type WithdrawalAction,
} from './rules';
import {
  CANCEL_WITHDRAW,
  CONFIRM_WITHDRAW,
  CONFIRM_WITHDRAW_FROM_TILL,
  DENY_WITHDRAW,
  FREEZE_ACCOUNT,
  INITIATE_WITHDRAW,
  RECORD_DEPOSIT,
  REVERT_DEPOSIT,
  REVERT_WITHDRAW,
  UNFREEZE_ACCOUNT,
} from './templates';

export const OMNIBUS_ACCOUNT_CODE = 'deposit-omnibus-account';
export const OMNIBUS_SET_CODE = 'deposit-omnibus-account-set';
/** The omnibus is the hot account of every deposit and withdrawal: its balance spreads over rows. */
const OMNIBUS_SHARDS = 64;
/** Account history exports stop here (a bigger one is refused, as ledger.accountCsv does). */
export const DEPOSIT_HISTORY_CSV_MAX = 100_000;

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

type Method = 'cash' | 'wire' | 'check' | 'internal';

function accountDto(r: repo.AccountViewRow): DepositAccountDto {
  return {
    id: r.id,
    publicId: r.public_id,
    holderId: r.holder_id,
    holderPublicId: r.holder_public_id,
    holderName: r.holder_name,
    customerType: r.customer_type,
    currency: 'USD',
    status: r.status,
    statusReason: r.status_reason,
    activityStatus: r.activity_status,
    lastActivityOn: r.last_activity_on,
    settled: r.settled,
    pending: r.pending,
    frozen: r.frozen,
    ledgerAccountId: r.ledger_account_id,
    frozenLedgerAccountId: r.frozen_ledger_account_id,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

function depositDto(r: repo.DepositRow): DepositDto {
  return {
    id: r.id,
    accountId: r.account_id,
    amount: String(r.amount),
    currency: r.currency.trim(),
    method: r.method,
    reference: r.reference,
    status: r.status,
    effectiveDate: r.effective_date,
    ledgerTransactionId: r.ledger_transaction_id,
    revertLedgerTransactionId: r.revert_ledger_transaction_id,
    revertReason: r.revert_reason,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
    revertedAt: iso(r.reverted_at),
  };
}

function withdrawalDto(r: repo.WithdrawalRow): WithdrawalDto {
  return {
    id: r.id,
    accountId: r.account_id,
    amount: String(r.amount),
    currency: r.currency.trim(),
    method: r.method,
    reference: r.reference,
    status: r.status,
    effectiveDate: r.effective_date,
    approvalProcessId: r.approval_process_id,
    initiateTransactionId: r.initiate_transaction_id,
    confirmTransactionId: r.confirm_transaction_id,
    releaseTransactionId: r.release_transaction_id,
    revertTransactionId: r.revert_transaction_id,
    cancelReason: r.cancel_reason,
    revertReason: r.revert_reason,
    initiatedBy: r.initiated_by,
    initiatedAt: new Date(r.initiated_at).toISOString(),
    concludedAt: iso(r.concluded_at),
    confirmedAt: iso(r.confirmed_at),
  };
}

function historyDto(r: repo.HistoryRow): HistoryItemDto {
  return {
    kind: r.kind as HistoryItemDto['kind'],
    id: r.id,
    at: new Date(r.at).toISOString(),
    amount: r.amount,
    direction: r.direction,
    status: r.status,
    method: r.method,
    reference: r.reference,
    reason: r.reason,
    balanceAfter: r.balance_after,
  };
}

/** The ledger's overdraft refusal, shown with the account's available (settled) balance. */
function insufficient(publicId: string, available: bigint | string, requested: bigint): AppError {
  return new AppError('INSUFFICIENT_FUNDS', {
    accountId: publicId,
    available: minorToDecimal(String(available), 'USD'),
    availableMinor: String(available),
    requested: String(requested),
  });
}

/**
 * DOMAIN 2.4: a frozen customer's financial operations are blocked, so no new deposit or withdrawal
 * starts on any of its accounts (steps of withdrawals already under way may finish or be cancelled).
 */
function assertHolderActive(status: string): void {
  if (status !== 'active') throw new AppError('DEPOSIT_HOLDER_NOT_ACTIVE', { status });
}

/** What a deposit or a withdrawal is asked for (the amount already checked by the contract). */
interface MovementInput {
  accountId: string;
  amount: string;
  method: Method;
  reference?: string;
  counter?: CounterInput;
}

export interface DepositDeps {
  ledger: Ledger;
  accounting: AccountingService;
  governance: GovernanceService;
  bank: BankService;
  clock: Clock;
}

export type DepositService = ReturnType<typeof createDepositService>;

export function createDepositService(db: Db, deps: DepositDeps) {
  const { ledger, accounting, governance, bank, clock } = deps;
  const counter = counterRegistry();

  async function businessDate(trx: Trx | Db): Promise<string> {
    const profile = await bank.profile(trx);
    if (!profile) throw new AppError('SETUP_REQUIRED');
    return profile.business_date;
  }

  async function view(q: Trx | Db, id: string): Promise<DepositAccountDto> {
    const row = await repo.accountView(q, id);
    if (!row) throw new AppError('NOT_FOUND', { entity: 'deposit_account' });
    return accountDto(row);
  }

  type LockedAccount = Awaited<ReturnType<typeof lockAccount>>;
  async function lockAccount(trx: Trx, id: string, mode: 'update' | 'money' | 'share') {
    const row = await repo.lockAccount(trx, id, mode);
    if (!row) throw new AppError('NOT_FOUND', { entity: 'deposit_account' });
    if (!row.business_date) throw new AppError('SETUP_REQUIRED');
    return { ...row, business_date: row.business_date };
  }

  async function setIdByCode(trx: Trx, code: string): Promise<string | undefined> {
    const row = await trx('ledger_account_sets').where({ code }).first<{ id: string } | undefined>('id');
    return row?.id;
  }

  /**
   * The module's ledger structure on first need: the per-type sets, the omnibus set and its one
   * shared account, each attached under its mapped chart node. Concurrent first openers queue on an
   * advisory lock, so there is one omnibus account however many workstations open at once.
   */
  async function ensureStructure(trx: Trx, customerType: string, at: Date) {
    const mainCode = `deposit-${customerType}-account-set`;
    const frozenCode = `frozen-deposit-${customerType}-account-set`;
    const known = async () => ({
      main: await setIdByCode(trx, mainCode),
      frozen: await setIdByCode(trx, frozenCode),
      omnibus: (
        await trx('ledger_accounts').where({ code: OMNIBUS_ACCOUNT_CODE }).first<{ id: string }>('id')
      )?.id,
    });
    let found = await known();
    if (found.main && found.frozen && found.omnibus) {
      return { mainSet: found.main, frozenSet: found.frozen, omnibus: found.omnibus };
    }
    await trx.raw(`select pg_advisory_xact_lock(hashtext('deposits.structure'))`);
    found = await known();
    const ensureSet = async (code: string, name: string, normal: 'debit' | 'credit', existing?: string) =>
      existing ?? accounting.createModuleSet(trx, { code, name, normalBalance: normal }, at);
    const mainSet = await ensureSet(mainCode, `Deposits: ${customerType}`, 'credit', found.main);
    const frozenSet = await ensureSet(frozenCode, `Frozen deposits: ${customerType}`, 'credit', found.frozen);
    let omnibus = found.omnibus;
    if (!omnibus) {
      const omnibusSet = await ensureSet(
        OMNIBUS_SET_CODE,
        'Deposit omnibus',
        'debit',
        await setIdByCode(trx, OMNIBUS_SET_CODE),
      );
      omnibus = await ledger.createAccount(
        trx,
        {
          code: OMNIBUS_ACCOUNT_CODE,
          name: 'Deposit omnibus',
          normalBalance: 'debit',
          currency: 'USD',
          shards: OMNIBUS_SHARDS,
          setIds: [omnibusSet],
        },
        at,
      );
    }
    return { mainSet, frozenSet, omnibus };
  }

  // The omnibus never changes once it exists: remembered after the first read (never after its
  // creation, which the opening transaction might still roll back).
  let knownOmnibus: string | undefined;
  async function omnibusId(trx: Trx): Promise<string> {
    if (knownOmnibus) return knownOmnibus;
    const row = await trx('ledger_accounts')
      .where({ code: OMNIBUS_ACCOUNT_CODE })
      .first<{ id: string }>('id');
    if (!row) throw new AppError('NOT_FOUND', { entity: 'ledger_account', code: OMNIBUS_ACCOUNT_CODE });
    knownOmnibus = row.id;
    return row.id;
  }

  /** The asset side of a movement. Cash at the counter goes to the deposit omnibus until tills exist. */
  async function cashAccount(trx: Trx, _method: Method): Promise<string> {
    return omnibusId(trx);
  }

  async function mustFindWithdrawal(trx: Trx, id: string, lock: boolean) {
    const w = await repo.findWithdrawal(trx, id, lock);
    if (!w) throw new AppError('NOT_FOUND', { entity: 'withdrawal' });
    return w;
  }

  /** The withdrawal's money movement: the omnibus (or till) against the holder's main account. */
  async function movement(trx: Trx, w: repo.WithdrawalRow, cashAccountId?: string, locked?: LockedAccount) {
    const account = locked ?? (await lockAccount(trx, w.account_id, 'share'));
    return {
      account,
      params: {
        cash: cashAccountId ?? (await cashAccount(trx, w.method)),
        customer: account.ledger_account_id,
        amount: BigInt(w.amount),
        currency: 'USD' as const,
      },
    };
  }

  async function changeStatus(
    scope: CommandScope,
    id: string,
    action: AccountAction,
    reason: string | null,
    /** The status change's own work; what it moved on the ledger, if anything. */
    work?: (
      account: repo.AccountRow,
      date: string,
    ) => Promise<{ transactionId: string; amount: bigint } | null>,
  ): Promise<DepositAccountDto> {
    const account = await lockAccount(scope.trx, id, 'update');
    const next = nextAccountStatus(account.status, action);
    describeTarget(scope, 'deposit_account', id, { action, from: account.status, reason });
    if (next === 'unchanged') return view(scope.trx, id);
    const at = scope.clock.now();
    const date = await businessDate(scope.trx);
    const eventId = randomUUID();
    const moved = work ? await work(account, date) : null;
    await repo.setStatus(scope.trx, id, { status: next, reason, by: scope.actor.userId, at });
    await repo.insertEvent(scope.trx, {
      id: eventId,
      accountId: id,
      action,
      amount: moved?.amount ?? null,
      reason,
      ledgerTransactionId: moved?.transactionId ?? null,
      actorId: scope.actor.userId,
      at,
    });
    Object.assign(scope.target.metadata, { to: next });
    return view(scope.trx, id);
  }

  /**
   * Moves a withdrawal on: the state machine (the loser of a race sees WITHDRAWAL_STATE with the
   * current status), the step's ledger posting keyed by the withdrawal and the step (a retry posts
   * once), and the row's new fields.
   */
  async function stepWithdrawal(
    trx: Trx,
    id: string,
    action: WithdrawalAction,
    step: {
      at: Date;
      posting?: {
        template: typeof DENY_WITHDRAW;
        description: string;
        /** Checked on the (share-locked) account before anything is posted. */
        check?: (account: repo.AccountRow) => void;
        /** The cash side chosen at the counter (a till), instead of the omnibus. */
        cashAccountId?: string;
      };
      fields: (postedTransactionId: string | null) => Record<string, unknown>;
    },
    /** The withdrawal (and its account), when the caller has locked and read them already. */
    loaded?: { w: repo.WithdrawalRow; account?: LockedAccount },
  ): Promise<repo.WithdrawalRow> {
    const w = loaded?.w ?? (await mustFindWithdrawal(trx, id, true));
    const next = nextWithdrawalStatus(w.status, action);
    let posted: string | null = null;
    if (step.posting) {
      const { account, params } = await movement(trx, w, step.posting.cashAccountId, loaded?.account);
      step.posting.check?.(account);
      const options = {
        idempotencyKey: `withdrawal:${w.id}:${action}`,
        effectiveDate: account.business_date,
        description: step.posting.description,
      };
      const till = step.posting.template === CONFIRM_WITHDRAW ? step.posting.cashAccountId : undefined;
      const cash = till ? await cashAccount(trx, w.method) : params.cash;
      posted = (
        till
          ? await ledger.post(trx, CONFIRM_WITHDRAW_FROM_TILL, { ...params, cash, till }, options, step.at)
          : await ledger.post(trx, step.posting.template, params, options, step.at)
      ).transactionId;
    }
    return repo.updateWithdrawal(trx, id, { status: next, ...step.fields(posted) });
  }

  /** A step as the counter hooks see it: the movement, on the account as it was locked. */
  function counterStep(
    account: LockedAccount,
    m: Pick<CounterStep, 'kind' | 'movementId' | 'amount' | 'method' | 'reference' | 'counter'>,
  ): CounterStep {
    return {
      ...m,
      accountId: account.id,
      accountPublicId: account.public_id,
      holderId: account.holder_id,
      holderPublicId: account.holder_public_id,
      holderName: account.holder_name,
      businessDate: account.business_date,
    };
  }

  /**
   * The opening of a new deposit or withdrawal: the account locked for money, its status and its
   * holder checked (DOMAIN 4.2, 2.4), the movement's id and the step the counter hooks will see.
   */
  async function openMovement(
    scope: CommandScope,
    kind: 'deposit' | 'withdrawal-initiate',
    input: MovementInput,
  ) {
    const account = await lockAccount(scope.trx, input.accountId, 'money');
    assertMoneyMoves(account.status, kind === 'deposit' ? 'deposit' : 'withdraw');
    assertHolderActive(account.holder_status);
    const id = randomUUID();
    const amount = BigInt(input.amount);
    const step = counterStep(account, {
      kind,
      movementId: id,
      amount,
      method: input.method,
      reference: input.reference || null,
      counter: input.counter ?? null,
    });
    return { account, id, amount, date: account.business_date, at: scope.clock.now(), step };
  }

  /** A withdrawal step as the counter hooks see it, read under the withdrawal's row lock. */
  async function withdrawalStep(trx: Trx, id: string, kind: CounterStep['kind'], input: CounterInput | null) {
    const w = await mustFindWithdrawal(trx, id, true);
    const account = await lockAccount(trx, w.account_id, 'share');
    const step = counterStep(account, {
      kind,
      movementId: w.id,
      amount: BigInt(w.amount),
      method: w.method,
      reference: w.reference,
      counter: input,
    });
    return { step, loaded: { w, account } };
  }

  /** A withdrawal step with its counter hooks around it: before may choose the till, after records. */
  async function counterWithdrawalStep(
    scope: CommandScope,
    id: string,
    kind: CounterStep['kind'],
    action: WithdrawalAction,
    input: CounterInput | null,
    step: Parameters<typeof stepWithdrawal>[3],
  ): Promise<repo.WithdrawalRow> {
    const { step: cs, loaded } = await withdrawalStep(scope.trx, id, kind, input);
    const cashAccountId = await counter.before(scope, cs);
    const posting = step.posting && { ...step.posting, cashAccountId };
    const w = await stepWithdrawal(scope.trx, id, action, { ...step, posting }, loaded);
    const tx = {
      confirm: w.confirm_transaction_id,
      cancel: w.release_transaction_id,
      revert: w.revert_transaction_id,
    };
    await counter.after(scope, cs, tx[action as keyof typeof tx] ?? null);
    return w;
  }

  return {
    // ---- Accounts ----

    /**
     * The account requested at conversion: opened now, or left requested (null) while the bank
     * requires Verified customers and this one is not (DOMAIN 2.3); it is opened once verified.
     */
    async openRequestedAccount(scope: CommandScope, customerId: string): Promise<DepositAccountDto | null> {
      const customer = await repo.findCustomer(scope.trx, customerId);
      if (customer?.kyc_status !== 'verified' && (await bank.settings(scope.trx)).requireVerifiedCustomers)
        return null;
      return this.openAccount(scope, customerId);
    },

    /** Opens the customer's USD deposit account with its two ledger accounts (DOMAIN 4.1). */
    async openAccount(scope: CommandScope, customerId: string): Promise<DepositAccountDto> {
      const trx = scope.trx;
      const customer = await repo.findCustomer(trx, customerId);
      if (!customer) throw new AppError('NOT_FOUND', { entity: 'customer' });
      if (customer.status !== 'active')
        throw new AppError('DEPOSIT_HOLDER_NOT_ACTIVE', { status: customer.status });
      if (customer.kyc_status !== 'verified' && (await bank.settings(trx)).requireVerifiedCustomers)
        throw new AppError('CUSTOMER_NOT_VERIFIED', { publicId: customer.public_id });
      const existing = await repo.findAccountOf(trx, customerId, 'USD');
      if (existing)
        throw new AppError('DEPOSIT_ACCOUNT_EXISTS', { publicId: existing.public_id, currency: 'USD' });
      const at = scope.clock.now();
      const structure = await ensureStructure(trx, customer.customer_type, at);
      const id = randomUUID();
      const ledgerAccountId = await ledger.createAccount(
        trx,
        {
          code: `deposit:${id}`,
          name: `Deposits ${customer.public_id} ${customer.full_name}`.slice(0, 200),
          normalBalance: 'credit',
          currency: 'USD',
          preventOverdraft: true,
          metadata: { depositAccountId: id, holderId: customerId },
          setIds: [structure.mainSet],
        },
        at,
      );
      const frozenLedgerAccountId = await ledger.createAccount(
        trx,
        {
          code: `frozen-deposit:${id}`,
          name: `Frozen deposits ${customer.public_id} ${customer.full_name}`.slice(0, 200),
          normalBalance: 'credit',
          currency: 'USD',
          preventOverdraft: true,
          metadata: { depositAccountId: id, holderId: customerId },
          setIds: [structure.frozenSet],
        },
        at,
      );
      try {
        await repo.insertAccount(trx, {
          id,
          holderId: customerId,
          ledgerAccountId,
          frozenLedgerAccountId,
          lastActivityOn: await businessDate(trx),
          openedBy: scope.actor.userId,
          at,
        });
      } catch (err) {
        // Two workstations opening the same customer's account at once: the unique key decides.
        if ((err as { code?: string }).code === '23505') {
          throw new AppError('DEPOSIT_ACCOUNT_EXISTS', { publicId: '', currency: 'USD' });
        }
        throw err;
      }
      await repo.insertEvent(trx, {
        id: randomUUID(),
        accountId: id,
        action: 'opened',
        actorId: scope.actor.userId,
        at,
      });
      const dto = await view(trx, id);
      describeTarget(scope, 'deposit_account', [id, customerId], { publicId: dto.publicId });
      return dto;
    },

    accountsOfCustomer: async (customerId: string) =>
      (await repo.accountsOfHolder(db, customerId)).map(accountDto),

    account: (id: string) => view(db, id),

    async listAccounts(f: { status?: string; activityStatus?: string; offset: number; limit: number }) {
      const { rows, total } = await repo.listAccounts(db, f);
      return { items: rows.map(accountDto), total };
    },

    async history(id: string, p: { offset: number; limit: number } & repo.HistoryFilter) {
      await view(db, id);
      // Dates are the bank's days, whatever the database session's time zone.
      const f = { ...p, timeZone: (await bank.profile(db))?.time_zone };
      const [rows, total] = await Promise.all([repo.history(db, id, f), repo.historyCount(db, id, f)]);
      return { items: rows.map(historyDto), total };
    },

    /** The account's whole history as CSV, newest first, cells formula-neutralized. */
    async historyCsv(id: string, opts: { maxRows?: number } = {}) {
      const max = opts.maxRows ?? DEPOSIT_HISTORY_CSV_MAX;
      const account = await view(db, id);
      const count = await repo.historyCount(db, id);
      if (count > max)
        throw new AppError('PAYLOAD_TOO_LARGE', { entries: count, max }, 'errors.EXPORT_TOO_LARGE');
      const rows = await repo.history(db, id, { offset: 0, limit: max });
      const money = (v: string | null) => (v === null ? '' : minorToDecimal(v, 'USD'));
      const csv = stringify(
        rows.map((r) => [
          new Date(r.at).toISOString(),
          r.kind,
          r.direction ?? '',
          money(r.amount),
          r.status ?? '',
          r.method ?? '',
          neutralizeCell(r.reference ?? ''),
          neutralizeCell(r.reason ?? ''),
          money(r.balance_after),
        ]),
        {
          header: true,
          columns: [
            'at',
            'kind',
            'direction',
            'amount',
            'status',
            'method',
            'reference',
            'reason',
            'balance_after',
          ],
          record_delimiter: '\r\n',
        },
      );
      return { fileName: `deposit-account-${account.publicId}.csv`, csv, rows: rows.length };
    },

    /** Freeze: settled balance to the companion, then the main account locked (DOMAIN 4.2). */
    freeze(scope: CommandScope, id: string, reason: string) {
      return changeStatus(scope, id, 'freeze', reason, async (account, date) => {
        assertFreezable(await repo.withdrawalsInFlight(scope.trx, id));
        const { settled } = await ledger.balance(scope.trx, account.ledger_account_id);
        let moved: { transactionId: string; amount: bigint } | null = null;
        if (settled > 0n) {
          const posted = await ledger.post(
            scope.trx,
            FREEZE_ACCOUNT,
            {
              main: account.ledger_account_id,
              companion: account.frozen_ledger_account_id,
              amount: settled,
              currency: 'USD',
            },
            {
              idempotencyKey: `deposit-account:${id}:freeze:${scope.commandId}`,
              effectiveDate: date,
              description: 'Account frozen',
            },
            scope.clock.now(),
          );
          moved = { transactionId: posted.transactionId, amount: settled };
        }
        await ledger.setLocked(scope.trx, account.ledger_account_id, true);
        return moved;
      });
    },

    /** Unfreeze: unlock the main account, then the companion's balance comes back. Active: no-op. */
    unfreeze(scope: CommandScope, id: string, reason: string | null) {
      return changeStatus(scope, id, 'unfreeze', reason, async (account, date) => {
        await ledger.setLocked(scope.trx, account.ledger_account_id, false);
        const { settled } = await ledger.balance(scope.trx, account.frozen_ledger_account_id);
        if (settled <= 0n) return null;
        const posted = await ledger.post(
          scope.trx,
          UNFREEZE_ACCOUNT,
          {
            main: account.ledger_account_id,
            companion: account.frozen_ledger_account_id,
            amount: settled,
            currency: 'USD',
          },
          {
            idempotencyKey: `deposit-account:${id}:unfreeze:${scope.commandId}`,
            effectiveDate: date,
            description: 'Account unfrozen',
          },
          scope.clock.now(),
        );
        return { transactionId: posted.transactionId, amount: settled };
      });
    },

    inactivate: (scope: CommandScope, id: string, reason: string) =>
      changeStatus(scope, id, 'inactivate', reason),
    reactivate: (scope: CommandScope, id: string, reason: string) =>
      changeStatus(scope, id, 'reactivate', reason),

    /** Close: nothing settled or held; both ledger accounts locked for good. */
    close(scope: CommandScope, id: string, reason: string) {
      return changeStatus(scope, id, 'close', reason, async (account) => {
        const main = await ledger.balance(scope.trx, account.ledger_account_id);
        const frozen = await ledger.balance(scope.trx, account.frozen_ledger_account_id);
        assertClosable({ settled: main.settled + frozen.settled, pending: main.pending + frozen.pending });
        await ledger.setLocked(scope.trx, account.ledger_account_id, true);
        await ledger.setLocked(scope.trx, account.frozen_ledger_account_id, true);
        return null;
      });
    },

    // ---- Deposits (DOMAIN 4.3) ----

    async recordDeposit(scope: CommandScope, input: MovementInput): Promise<DepositDto> {
      const trx = scope.trx;
      const { account, id, amount, date, at, step } = await openMovement(scope, 'deposit', input);
      const tillAccount = await counter.before(scope, step);
      const record: repo.NewDeposit = {
        id,
        accountId: account.id,
        amount,
        method: input.method,
        reference: input.reference || null,
        effectiveDate: date,
        createdBy: scope.actor.userId,
        at,
      };
      // The posting and the deposit row in one statement, sent with the COMMIT: the busiest command
      // of the bank waits for the database twice (the claim with the account lock, then the commit).
      const posted = await ledger.postAndRecordAtCommit(
        trx,
        RECORD_DEPOSIT,
        {
          cash: tillAccount ?? (await cashAccount(trx, input.method)),
          customer: account.ledger_account_id,
          amount,
          currency: 'USD',
        },
        {
          idempotencyKey: `deposit:${id}`,
          effectiveDate: date,
          description: `Deposit ${account.public_id}`,
          metadata: { depositId: id, method: input.method },
        },
        at,
        { table: 'deposits', transactionColumn: 'ledger_transaction_id', row: repo.depositRecord(record) },
      );
      const deposit = repo.recordedDeposit(record, posted.transactionId);
      // Hot path: the account row is locked already; only the day's first movement updates it.
      if (!account.last_activity_on || account.last_activity_on < date)
        await repo.touchActivity(trx, account.id, date);
      await counter.after(scope, step, posted.transactionId);
      describeTarget(scope, 'deposit', [id, account.id], { amount: input.amount, method: input.method });
      return depositDto(deposit);
    },

    /** Reverting twice does nothing the second time; a revert that would overdraw is refused. */
    async revertDeposit(scope: CommandScope, id: string, reason: string): Promise<DepositDto> {
      const trx = scope.trx;
      const deposit = await repo.findDeposit(trx, id, true);
      if (!deposit) throw new AppError('NOT_FOUND', { entity: 'deposit' });
      describeTarget(scope, 'deposit', [id, deposit.account_id], { reason });
      if (!needsRevert(deposit.status)) return depositDto(deposit);
      const account = await lockAccount(trx, deposit.account_id, 'money');
      assertMoneyMoves(account.status, 'deposit');
      const amount = BigInt(deposit.amount);
      const at = scope.clock.now();
      // A failed statement aborts the transaction, so the refusal's figure is read before posting;
      // the ledger still decides (a concurrent withdrawal may spend the money in between).
      const { settled } = await ledger.balance(trx, account.ledger_account_id);
      if (amount > settled) throw insufficient(account.public_id, settled, amount);
      const step = counterStep(account, {
        kind: 'deposit-revert',
        movementId: id,
        amount,
        method: deposit.method,
        reference: deposit.reference,
        counter: null,
      });
      // A revert posts against the cash account the deposit went into (a till's, when it had one).
      const tillAccount = await counter.before(scope, step);
      let posted;
      try {
        posted = await ledger.post(
          trx,
          REVERT_DEPOSIT,
          {
            cash: tillAccount ?? (await cashAccount(trx, deposit.method)),
            customer: account.ledger_account_id,
            amount,
            currency: 'USD',
          },
          {
            idempotencyKey: `deposit:${id}:revert`,
            effectiveDate: step.businessDate,
            description: `Deposit reverted ${account.public_id}`,
            metadata: { depositId: id },
          },
          at,
        );
      } catch (err) {
        if (err instanceof AppError && err.code === 'INSUFFICIENT_FUNDS') {
          throw insufficient(account.public_id, String(err.params.available ?? '0'), amount);
        }
        throw err;
      }
      await repo.markDepositReverted(trx, id, {
        transactionId: posted.transactionId,
        reason,
        by: scope.actor.userId,
        at,
      });
      await counter.after(scope, step, posted.transactionId);
      return depositDto((await repo.findDeposit(trx, id))!);
    },

    // ---- Withdrawals (DOMAIN 4.4) ----

    async initiateWithdrawal(scope: CommandScope, input: MovementInput): Promise<WithdrawalDto> {
      const trx = scope.trx;
      const { account, id, amount, date, at, step } = await openMovement(scope, 'withdrawal-initiate', input);
      // The hold moves settled to pending on the customer's side only; the till pays at confirmation.
      await counter.before(scope, step);
      let posted;
      try {
        posted = await ledger.post(
          trx,
          INITIATE_WITHDRAW,
          {
            cash: await cashAccount(trx, input.method),
            customer: account.ledger_account_id,
            amount,
            currency: 'USD',
          },
          {
            idempotencyKey: `withdrawal:${id}:initiate`,
            effectiveDate: date,
            description: `Withdrawal ${account.public_id}`,
            metadata: { withdrawalId: id, method: input.method },
          },
          at,
        );
      } catch (err) {
        // The ledger decides, under its balance row's lock, and says what was available.
        if (err instanceof AppError && err.code === 'INSUFFICIENT_FUNDS') {
          throw insufficient(account.public_id, String(err.params.available ?? '0'), amount);
        }
        throw err;
      }
      await repo.insertWithdrawal(trx, {
        id,
        accountId: account.id,
        amount,
        method: input.method,
        reference: input.reference || null,
        effectiveDate: date,
        initiateTransactionId: posted.transactionId,
        initiatedBy: scope.actor.userId,
        at,
      });
      // As for a deposit: the account row is locked already; only the day's first movement updates it.
      if (!account.last_activity_on || account.last_activity_on < date)
        await repo.touchActivity(trx, account.id, date);
      const holder = (await repo.accountView(trx, account.id))!;
      const process = await governance.startProcess(
        trx,
        {
          type: 'withdraw',
          amount,
          currency: 'USD',
          target: { kind: 'withdrawal', id },
          initiatedBy: scope.actor.userId,
          summary: {
            customer: holder.holder_name,
            customerId: holder.holder_public_id,
            account: holder.public_id,
            amount: { minor: amount.toString(), currency: 'USD' },
            settledAfterHold: { minor: holder.settled, currency: 'USD' },
            pendingAfterHold: { minor: holder.pending, currency: 'USD' },
            method: input.method,
            reference: input.reference || null,
            initiatedBy: scope.actor.username ?? '',
          },
        },
        at,
      );
      await repo.linkApprovalProcess(trx, id, process.id);
      await counter.after(scope, step, posted.transactionId);
      describeTarget(scope, 'withdrawal', [id, account.id], {
        amount: input.amount,
        processId: process.id,
        processStatus: process.status,
      });
      return withdrawalDto((await repo.findWithdrawal(trx, id))!);
    },

    /**
     * The 'withdraw' conclusion (registered in main/services.ts), in the concluding transaction:
     * approved → pending confirmation; denied → the hold returns to settled.
     */
    /** Tills, limits, the journal and cash alerts plug into deposit and withdrawal steps here. */
    registerCounterHooks: counter.register,

    /** A withdrawal cancelled while its approval was open takes no more votes (see VoteGuard). */
    async assertWithdrawalDecidable(trx: Trx, vote: { targetId: string; decision: 'approve' | 'deny' }) {
      const w = await mustFindWithdrawal(trx, vote.targetId, false);
      if (w.status === 'cancelled')
        throw new AppError('WITHDRAWAL_STATE', { status: w.status, action: vote.decision });
    },

    async onWithdrawConcluded(trx: Trx, process: ConcludedProcess): Promise<void> {
      const at = clock.now();
      // Cancelled while its process was open: the hold is released already, the vote changes nothing.
      const current = await mustFindWithdrawal(trx, process.target.id, true);
      if (current.status === 'cancelled') return;
      const concluded = { approval_process_id: process.id, concluded_at: at };
      const loaded = { w: current };
      if (process.status === 'approved') {
        await stepWithdrawal(trx, process.target.id, 'approve', { at, fields: () => concluded }, loaded);
        return;
      }
      await stepWithdrawal(
        trx,
        process.target.id,
        'deny',
        {
          at,
          posting: { template: DENY_WITHDRAW, description: 'Withdrawal denied' },
          fields: (tx) => ({ ...concluded, release_transaction_id: tx }),
        },
        loaded,
      );
    },

    async cancelWithdrawal(scope: CommandScope, id: string, reason: string): Promise<WithdrawalDto> {
      const at = scope.clock.now();
      const w = await counterWithdrawalStep(scope, id, 'withdrawal-cancel', 'cancel', null, {
        at,
        posting: { template: CANCEL_WITHDRAW, description: 'Withdrawal cancelled' },
        fields: (tx) => ({
          release_transaction_id: tx,
          cancel_reason: reason,
          cancelled_by: scope.actor.userId,
          cancelled_at: at,
        }),
      });
      describeTarget(scope, 'withdrawal', [id, w.account_id], { reason });
      return withdrawalDto(w);
    },

    async confirmWithdrawal(scope: CommandScope, id: string, input?: CounterInput): Promise<WithdrawalDto> {
      const at = scope.clock.now();
      const w = await counterWithdrawalStep(scope, id, 'withdrawal-confirm', 'confirm', input ?? null, {
        at,
        posting: { template: CONFIRM_WITHDRAW, description: 'Withdrawal confirmed' },
        fields: (tx) => ({ confirm_transaction_id: tx, confirmed_by: scope.actor.userId, confirmed_at: at }),
      });
      describeTarget(scope, 'withdrawal', [id, w.account_id]);
      return withdrawalDto(w);
    },

    async revertWithdrawal(scope: CommandScope, id: string, reason: string): Promise<WithdrawalDto> {
      const at = scope.clock.now();
      const w = await counterWithdrawalStep(scope, id, 'withdrawal-revert', 'revert', null, {
        at,
        posting: {
          template: REVERT_WITHDRAW,
          description: 'Withdrawal reverted',
          // The money comes back onto the account, which must still take postings.
          check: (account) => assertMoneyMoves(account.status, 'deposit'),
        },
        fields: (tx) => ({
          revert_transaction_id: tx,
          revert_reason: reason,
          reverted_by: scope.actor.userId,
          reverted_at: at,
        }),
      });
      describeTarget(scope, 'withdrawal', [id, w.account_id], { reason });
      return withdrawalDto(w);
    },

    async withdrawal(id: string): Promise<WithdrawalDto> {
      const w = await repo.findWithdrawal(db, id);
      if (!w) throw new AppError('NOT_FOUND', { entity: 'withdrawal' });
      return withdrawalDto(w);
    },

    async listWithdrawals(f: { accountId?: string; status?: string; offset: number; limit: number }) {
      const { rows, total } = await repo.listWithdrawals(db, f);
      return { items: rows.map(withdrawalDto), total };
    },

    async deposit(id: string): Promise<DepositDto> {
      const d = await repo.findDeposit(db, id);
      if (!d) throw new AppError('NOT_FOUND', { entity: 'deposit' });
      return depositDto(d);
    },

    // ---- Dormancy (DOMAIN 2.5) ----

    async thresholds(q: Db | Trx = db): Promise<ActivityThresholds> {
      const row = await repo.getThresholds(q);
      return row
        ? { inactiveDays: row.inactive_days, escheatableDays: row.escheatable_days }
        : DEFAULT_ACTIVITY_THRESHOLDS;
    },

    async setThresholds(scope: CommandScope, t: ActivityThresholds): Promise<ActivityThresholds> {
      const problems = thresholdProblems(t);
      if (problems.length) throw new AppError('DEPOSIT_THRESHOLDS_INVALID', { problems });
      await repo.putThresholds(scope.trx, { ...t, by: scope.actor.userId, at: scope.clock.now() });
      describeTarget(scope, 'deposit_settings', '1', { ...t });
      return t;
    },

    /**
     * Classifies every open account's activity for a business date (default: the bank's). The same
     * date gives the same result however often it runs; replayed says it had run before.
     */
    /** Whether the bank's current business date has been classified already (the periodic job asks). */
    async activityClassifiedToday(): Promise<boolean> {
      return Boolean(await repo.findRun(db, await businessDate(db)));
    },

    async classifyActivity(scope: CommandScope, date?: string) {
      const trx = scope.trx;
      const businessDay = date ?? (await businessDate(trx));
      await trx.raw(`select pg_advisory_xact_lock(hashtext('deposits.activity'))`);
      const before = await repo.findRun(trx, businessDay);
      const t = await this.thresholds(trx);
      const result = await repo.classify(trx, { businessDate: businessDay, ...t });
      await repo.putRun(trx, { businessDate: businessDay, ...t, ...result, at: scope.clock.now() });
      describeTarget(scope, 'deposit_activity_run', businessDay, result);
      return { businessDate: businessDay, ...result, replayed: Boolean(before) };
    },
  };
}
