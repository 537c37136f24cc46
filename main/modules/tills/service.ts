import { randomUUID } from 'node:crypto';
import type { Db, Trx } from '../../db';
import { AppError } from '../../../shared/errors';
import { permissionsOf } from '../../../shared/permissions';
import type {
  BranchDto,
  BranchPositionDto,
  DenominationCount,
  DenominationDto,
  MyTillDto,
  TillDto,
  TillSessionDto,
  VaultTransferDto,
} from '../../../shared/contract';
import { describeTarget, type CommandScope } from '../../ipc/context';
import type { Ledger } from '../../ledger';
import type { AccountingService } from '../accounting';
import type { BankService } from '../bank';
import { OMNIBUS_ACCOUNT_CODE, type CounterHooks, type CounterStep } from '../deposits';
import type { JournalEntryInput, TellerJournalService } from '../teller-journal';
import type { DocumentService } from '../documents';
// The key of a document's bytes is the documents module's rule; its index does not export it.
import { objectKey } from '../documents/rules';
import * as repo from './repo';
import {
  applyMovement,
  assertAddsUp,
  assertCompleteCount,
  assertOperable,
  countDelta,
  countsToList,
  listToCounts,
  needsSignOff,
  overShort,
  parseCounts,
  suggestPayout,
  totalOf,
  type Counts,
} from './rules';
import { CASH_OVER, CASH_SHORT, CASH_TRANSFER } from './templates';

export const TILL_CASH_SET_CODE = 'till-cash-account-set';
export const CASH_OVER_SET_CODE = 'cash-over-account-set';
export const CASH_SHORT_SET_CODE = 'cash-short-account-set';
export const CASH_OVER_ACCOUNT_CODE = 'cash-over-account';
export const CASH_SHORT_ACCOUNT_CODE = 'cash-short-account';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const negate = (counts: Counts): Counts => new Map([...counts].map(([v, c]) => [v, -c]));

function sessionDto(s: repo.SessionRow): TillSessionDto {
  return {
    id: s.id,
    tillId: s.till_id,
    tellerId: s.teller_id,
    tellerName: s.teller_name,
    businessDate: s.business_date,
    status: s.status,
    openedAt: iso(s.opened_at),
    openingAmount: s.opening_amount === null ? null : String(s.opening_amount),
    closedAt: iso(s.closed_at),
  };
}

function tillDto(t: repo.TillRow, session: repo.SessionRow | undefined = undefined): TillDto {
  return {
    id: t.id,
    branchId: t.branch_id,
    code: t.code,
    name: t.name,
    currency: t.currency.trim(),
    ledgerAccountId: t.ledger_account_id,
    session: session ? sessionDto(session) : null,
  };
}

function transferDto(t: repo.TransferRow): VaultTransferDto {
  return {
    id: t.id,
    branchId: t.branch_id,
    tillId: t.till_id,
    tillCode: t.till_code,
    sessionId: t.session_id,
    direction: t.direction,
    purpose: t.purpose,
    amount: String(t.amount),
    status: t.status,
    requestedBy: t.requested_by,
    requestedByName: t.requested_by_name,
    requestedAt: new Date(t.requested_at).toISOString(),
    confirmedBy: t.confirmed_by,
    confirmedAt: iso(t.confirmed_at),
    ledgerTransactionId: t.ledger_transaction_id,
  };
}

function denominationDto(d: repo.DenominationRow): DenominationDto {
  return { currency: d.currency.trim(), value: String(d.value), kind: d.kind, active: d.active };
}

/** Images small enough to show at the counter (one transport message holds both). */
const IDENTITY_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp']);
const IDENTITY_MAX_BYTES = 600 * 1024;
/** Names that say a document is the ID's photo or the signature, in the bank's two languages. */
const IDENTITY_NAME =
  /(^|[^a-z])(id|dni|passport|pasaporte|cedula|cédula|licen[cs]e?|licencia|signature|firma|photo|foto)([^a-z]|$)/i;

const holdingsDto = (counts: Counts) => countsToList(counts).filter((c) => c.count > 0);

export interface TillDeps {
  ledger: Ledger;
  accounting: AccountingService;
  bank: BankService;
  tellerJournal: TellerJournalService;
  documents: DocumentService;
}

/** What a before hook decided for a step, carried to its after hook in the same command. */
interface CashPlan {
  holderKind: 'till' | 'vault';
  holderId: string;
  sessionId: string | null;
  currency: string;
  counts: Counts;
  sign: 1n | -1n;
  ledgerAccountId: string;
}

export type TillService = ReturnType<typeof createTillService>;

export function createTillService(db: Db, deps: TillDeps) {
  const { ledger, accounting, bank } = deps;
  const plans = new WeakMap<CommandScope, Map<string, CashPlan>>();

  async function businessDate(q: Db | Trx): Promise<string> {
    const profile = await bank.profile(q);
    if (!profile) throw new AppError('SETUP_REQUIRED');
    return profile.business_date;
  }

  async function accountIdByCode(trx: Trx, code: string): Promise<string | undefined> {
    return (await trx('ledger_accounts').where({ code }).first<{ id: string } | undefined>('id'))?.id;
  }

  async function setIdByCode(trx: Trx, code: string): Promise<string | undefined> {
    return (await trx('ledger_account_sets').where({ code }).first<{ id: string } | undefined>('id'))?.id;
  }

  /**
   * The module's ledger structure on first need (as deposits' ensureStructure does): the till cash
   * set under Cash and Equivalents, and one cash over (revenue) and one cash short (expense)
   * account in their own sets. Concurrent first callers queue on an advisory lock.
   */
  async function ensureStructure(trx: Trx, at: Date) {
    const known = async () => ({
      cashSet: await setIdByCode(trx, TILL_CASH_SET_CODE),
      over: await accountIdByCode(trx, CASH_OVER_ACCOUNT_CODE),
      short: await accountIdByCode(trx, CASH_SHORT_ACCOUNT_CODE),
    });
    let found = await known();
    if (found.cashSet && found.over && found.short)
      return { cashSet: found.cashSet, over: found.over, short: found.short };
    await trx.raw(`select pg_advisory_xact_lock(hashtext('tills.structure'))`);
    found = await known();
    const ensureSet = async (code: string, name: string, normal: 'debit' | 'credit', existing?: string) =>
      existing ?? accounting.createModuleSet(trx, { code, name, normalBalance: normal }, at);
    const cashSet = await ensureSet(
      TILL_CASH_SET_CODE,
      'Branch cash: vaults and tills',
      'debit',
      found.cashSet,
    );
    const resultAccount = async (setCode: string, code: string, name: string, normal: 'debit' | 'credit') => {
      const setId = await ensureSet(setCode, name, normal, await setIdByCode(trx, setCode));
      return ledger.createAccount(
        trx,
        { code, name, normalBalance: normal, currency: 'USD', setIds: [setId] },
        at,
      );
    };
    const over =
      found.over ?? (await resultAccount(CASH_OVER_SET_CODE, CASH_OVER_ACCOUNT_CODE, 'Cash over', 'credit'));
    const short =
      found.short ??
      (await resultAccount(CASH_SHORT_SET_CODE, CASH_SHORT_ACCOUNT_CODE, 'Cash short', 'debit'));
    return { cashSet, over, short };
  }

  /** A vault's or till's cash: debit-normal, never below zero (the ledger refuses an overdraft). */
  async function cashAccount(trx: Trx, code: string, name: string, at: Date): Promise<string> {
    const { cashSet } = await ensureStructure(trx, at);
    return ledger.createAccount(
      trx,
      { code, name, normalBalance: 'debit', currency: 'USD', preventOverdraft: true, setIds: [cashSet] },
      at,
    );
  }

  async function activeValues(q: Db | Trx, currency: string): Promise<bigint[]> {
    return (await repo.denominations(q, currency, true)).map((d) => BigInt(d.value));
  }

  async function counted(
    q: Db | Trx,
    input: readonly DenominationCount[],
    currency: string,
  ): Promise<Counts> {
    return parseCounts(input, await activeValues(q, currency), currency);
  }

  async function mustFindBranch(q: Db | Trx, id: string, lock = false) {
    const b = await repo.branch(q, id, lock);
    if (!b) throw new AppError('NOT_FOUND', { entity: 'branch' });
    return b;
  }

  async function mustFindTill(q: Db | Trx, id: string, lock = false) {
    const t = await repo.till(q, id, lock);
    if (!t) throw new AppError('NOT_FOUND', { entity: 'till' });
    return t;
  }

  async function mustFindTransfer(trx: Trx, id: string) {
    const t = await repo.transfer(trx, id, true);
    if (!t) throw new AppError('NOT_FOUND', { entity: 'vault_transfer' });
    return t;
  }

  /** The actor's open session on this till, locked: what every teller operation starts from. */
  async function operableSession(trx: Trx, tillId: string, actorId: string | null) {
    const till = await mustFindTill(trx, tillId);
    const session = await repo.liveSession(trx, tillId, true);
    assertOperable(session, actorId, tillId);
    return { till, session: session! };
  }

  async function journal(scope: CommandScope, entry: Omit<JournalEntryInput, 'workstation' | 'at'>) {
    // Anchored in the command's audit record too: cutting the tail of a day shows.
    await deps.tellerJournal.appendInCommand(scope, {
      ...entry,
      workstation: scope.workstation,
      at: scope.clock.now(),
    });
  }

  /** Moves notes and coins in or out of a holder, refusing any count that would go negative. */
  async function moveCash(
    scope: CommandScope,
    m: Omit<CashPlan, 'ledgerAccountId'> & {
      kind: string;
      subjectId: string | null;
      ledgerTransactionId: string | null;
    },
  ) {
    const held = await repo.holdings(scope.trx, m.holderId, m.currency, true);
    await repo.putHoldings(scope.trx, m.holderId, m.currency, applyMovement(held, m.counts, m.sign));
    const signed = m.sign === 1n ? m.counts : negate(m.counts);
    await repo.insertMovement(scope.trx, {
      id: randomUUID(),
      holder_kind: m.holderKind,
      holder_id: m.holderId,
      session_id: m.sessionId,
      kind: m.kind,
      subject_id: m.subjectId,
      amount: totalOf(signed),
      denominations: countsToList(signed),
      ledger_transaction_id: m.ledgerTransactionId,
      business_date: await businessDate(scope.trx),
      actor_id: scope.actor.userId,
      at: scope.clock.now(),
    });
  }

  /** Cash between a vault and a till (or central cash and a vault): one posting, both holdings. */
  async function postTransfer(trx: Trx, key: string, from: string, to: string, amount: bigint, at: Date) {
    const posted = await ledger.post(
      trx,
      CASH_TRANSFER,
      { from, to, amount, currency: 'USD' },
      { idempotencyKey: key, effectiveDate: await businessDate(trx), description: 'Cash transfer' },
      at,
    );
    return posted.transactionId;
  }

  /**
   * A confirmed vault transfer: one posting, and both holdings moved, out of the giving side first
   * (a vault short of those notes refuses before the till changes).
   */
  async function moveTransferredCash(
    scope: CommandScope,
    t: repo.TransferRow,
    till: repo.TillRow,
    branch: repo.BranchRow,
    sessionId: string,
  ): Promise<string> {
    const toTill = t.direction === 'to_till';
    const vault = branch.vault_ledger_account_id;
    const [from, to] = toTill ? [vault, till.ledger_account_id] : [till.ledger_account_id, vault];
    const key = `vault-transfer:${t.id}`;
    const tx = await postTransfer(scope.trx, key, from, to, BigInt(t.amount), scope.clock.now());
    const common = {
      currency: till.currency.trim(),
      counts: listToCounts(t.denominations),
      kind: 'vault-transfer',
      subjectId: t.id,
      ledgerTransactionId: tx,
    };
    const vaultSide = { ...common, holderKind: 'vault', holderId: branch.id, sessionId: null } as const;
    const tillSide = { ...common, holderKind: 'till', holderId: till.id, sessionId } as const;
    if (toTill) {
      await moveCash(scope, { ...vaultSide, sign: -1n });
      await moveCash(scope, { ...tillSide, sign: 1n });
    } else {
      await moveCash(scope, { ...tillSide, sign: -1n });
      await moveCash(scope, { ...vaultSide, sign: 1n });
    }
    return tx;
  }

  // ---- Counter hooks (deposits' steps at the counter) ----

  /** Where a revert of a till movement posts: the till while open, else the branch's vault. */
  async function revertPlan(trx: Trx, step: CounterStep): Promise<CashPlan | undefined> {
    const original = await repo.movementOfSubject(
      trx,
      step.movementId,
      step.kind === 'deposit-revert' ? 'deposit' : 'withdrawal',
    );
    if (!original) return undefined;
    const till = await mustFindTill(trx, original.holder_id);
    // The original movement's counts, the other way round: the notes taken in go back out.
    const counts = listToCounts(original.denominations.map((d) => ({ ...d, count: Math.abs(d.count) })));
    const sign = step.kind === 'deposit-revert' ? -1n : 1n;
    const session = await repo.liveSession(trx, till.id, true);
    if (session?.status === 'open')
      return {
        holderKind: 'till',
        holderId: till.id,
        sessionId: session.id,
        currency: till.currency.trim(),
        counts,
        sign,
        ledgerAccountId: till.ledger_account_id,
      };
    // The till has closed (its cash went to the vault) or waits for a sign-off of its count, which
    // a posting must not change: the vault takes the revert.
    const branch = await mustFindBranch(trx, till.branch_id, true);
    return {
      holderKind: 'vault',
      holderId: branch.id,
      sessionId: null,
      currency: till.currency.trim(),
      counts,
      sign,
      ledgerAccountId: branch.vault_ledger_account_id,
    };
  }

  /** A cash step through the teller's till: open, theirs, counts that exist and add up. */
  async function counterPlan(scope: CommandScope, step: CounterStep, tillId: string): Promise<CashPlan> {
    const { till, session } = await operableSession(scope.trx, tillId, scope.actor.userId);
    const currency = till.currency.trim();
    const input = step.counter?.denominations;
    if (!input?.length) throw new AppError('TILL_DENOMINATIONS_REQUIRED', { tillId });
    const counts = await counted(scope.trx, input, currency);
    assertAddsUp(counts, step.amount);
    const sign = step.kind === 'deposit' ? 1n : -1n;
    // Paying out notes the drawer does not hold is refused here, before anything posts.
    if (sign === -1n) applyMovement(await repo.holdings(scope.trx, till.id, currency, true), counts, -1n);
    return {
      holderKind: 'till',
      holderId: till.id,
      sessionId: session.id,
      currency,
      counts,
      sign,
      ledgerAccountId: till.ledger_account_id,
    };
  }

  const planKey = (step: CounterStep) => `${step.kind}:${step.movementId}`;

  const counterHooks: CounterHooks = {
    async before(scope, step) {
      let plan: CashPlan | undefined;
      if (step.kind === 'deposit-revert' || step.kind === 'withdrawal-revert') {
        plan = await revertPlan(scope.trx, step);
      } else {
        const tillId = step.counter?.tillId;
        if (!tillId && step.kind === 'withdrawal-confirm') {
          const origin = await repo.withdrawalOrigin(scope.trx, step.movementId);
          if (origin) throw new AppError('TILL_PAYOUT_REQUIRED', { till: origin.code });
        }
        // Wires, checks and transfers, and cash taken in the back office, stay on the omnibus.
        if (!tillId || step.method !== 'cash') return;
        if (step.kind === 'withdrawal-initiate') {
          // The hold is on the customer's account only; the till pays at confirmation.
          await operableSession(scope.trx, tillId, scope.actor.userId);
          return;
        }
        if (step.kind !== 'deposit' && step.kind !== 'withdrawal-confirm') return;
        plan = await counterPlan(scope, step, tillId);
      }
      if (!plan) return;
      const byStep = plans.get(scope) ?? new Map<string, CashPlan>();
      byStep.set(planKey(step), plan);
      plans.set(scope, byStep);
      return { cashAccountId: plan.ledgerAccountId };
    },
    async after(scope, step) {
      const tillId = step.counter?.tillId;
      if (step.kind === 'withdrawal-initiate' && tillId && step.method === 'cash') {
        await repo.recordWithdrawalOrigin(scope.trx, {
          withdrawalId: step.movementId,
          tillId,
          by: scope.actor.userId,
          at: scope.clock.now(),
        });
        return;
      }
      const plan = plans.get(scope)?.get(planKey(step));
      if (!plan) return;
      plans.get(scope)!.delete(planKey(step));
      const kind = step.kind === 'withdrawal-confirm' ? 'withdrawal' : step.kind;
      await moveCash(scope, {
        ...plan,
        kind,
        subjectId: step.movementId,
        ledgerTransactionId: step.ledgerTransactionId,
      });
    },
  };

  // ---- Closing ----

  /** The close difference on the ledger: cash over (revenue) or cash short (expense). */
  async function postOverShort(trx: Trx, session: repo.SessionRow, till: repo.TillRow, at: Date) {
    const difference = BigInt(session.difference ?? 0);
    if (difference === 0n) return null;
    const { over, short } = await ensureStructure(trx, at);
    const isOver = difference > 0n;
    const posted = await ledger.post(
      trx,
      isOver ? CASH_OVER : CASH_SHORT,
      {
        till: till.ledger_account_id,
        result: isOver ? over : short,
        amount: isOver ? difference : -difference,
        currency: 'USD',
      },
      {
        idempotencyKey: `till-session:${session.id}:over-short`,
        effectiveDate: await businessDate(trx),
        description: `Cash ${isOver ? 'over' : 'short'} ${till.code}`,
        metadata: { sessionId: session.id, tillId: till.id },
      },
      at,
    );
    return posted.transactionId;
  }

  /** The drawer now holds what was counted; the per-denomination differences are recorded. */
  async function recount(
    scope: CommandScope,
    session: repo.SessionRow,
    till: repo.TillRow,
    countedCash: Counts,
    overShortTx: string | null,
  ) {
    const currency = till.currency.trim();
    const held = await repo.holdings(scope.trx, till.id, currency, true);
    const delta = countDelta(held, countedCash);
    if (!delta.size) return;
    const recounted: Counts = new Map([...held.keys()].map((v) => [v, 0n]));
    for (const [v, c] of countedCash) recounted.set(v, c);
    await repo.putHoldings(scope.trx, till.id, currency, recounted);
    await repo.insertMovement(scope.trx, {
      id: randomUUID(),
      holder_kind: 'till',
      holder_id: till.id,
      session_id: session.id,
      kind: 'count-adjust',
      subject_id: session.id,
      amount: totalOf(delta),
      denominations: countsToList(delta),
      ledger_transaction_id: overShortTx,
      business_date: await businessDate(scope.trx),
      actor_id: scope.actor.userId,
      at: scope.clock.now(),
    });
  }

  /** Every counted note back to the branch's vault: one posting, both holdings. */
  async function returnToVault(
    scope: CommandScope,
    session: repo.SessionRow,
    till: repo.TillRow,
    branch: repo.BranchRow,
    countedCash: Counts,
  ) {
    const amount = totalOf(countedCash);
    if (amount === 0n) return;
    const from = till.ledger_account_id;
    const to = branch.vault_ledger_account_id;
    const key = `till-session:${session.id}:to-vault`;
    const tx = await postTransfer(scope.trx, key, from, to, amount, scope.clock.now());
    const common = {
      currency: till.currency.trim(),
      counts: countedCash,
      kind: 'vault-transfer',
      subjectId: session.id,
      ledgerTransactionId: tx,
    };
    await moveCash(scope, {
      ...common,
      holderKind: 'till',
      holderId: till.id,
      sessionId: session.id,
      sign: -1n,
    });
    await moveCash(scope, { ...common, holderKind: 'vault', holderId: branch.id, sessionId: null, sign: 1n });
  }

  /**
   * Ends a counted session: the difference posts to cash over or short, the drawer's holding
   * becomes what was counted, all of it goes back to the vault, and the session closes.
   */
  async function finishClose(
    scope: CommandScope,
    session: repo.SessionRow,
    signedOffBy: string | null,
    note: string | null,
  ) {
    const trx = scope.trx;
    const till = await mustFindTill(trx, session.till_id);
    const branch = await mustFindBranch(trx, till.branch_id, true);
    const countedCash = listToCounts(session.counted_denominations ?? []);
    const overShortTx = await postOverShort(trx, session, till, scope.clock.now());
    await recount(scope, session, till, countedCash, overShortTx);
    await returnToVault(scope, session, till, branch, countedCash);
    await repo.updateSession(trx, session.id, {
      status: 'closed',
      over_short_transaction_id: overShortTx,
      signed_off_by: signedOffBy,
      sign_off_note: note,
      closed_at: scope.clock.now(),
    });
    const amount = totalOf(countedCash);
    const difference = BigInt(session.difference ?? 0);
    await journal(scope, {
      kind: 'till-close',
      tellerId: session.teller_id,
      tillId: till.id,
      businessDate: session.business_date,
      amount,
      currency: till.currency.trim(),
      subjectId: session.id,
      ledgerTransactionId: overShortTx,
      details: { difference: String(difference), signedOffBy, note },
    });
    return closeResult(session.id, 'closed', amount, difference, false);
  }

  const closeResult = (
    sessionId: string,
    status: 'closed' | 'awaiting_sign_off',
    amount: bigint,
    difference: bigint,
    signOff: boolean,
  ) => ({
    sessionId,
    status,
    counted: String(amount),
    difference: String(difference),
    needsSignOff: signOff,
  });

  const branchSummary = (b: repo.BranchRow): Omit<BranchDto, 'tills'> => ({
    id: b.id,
    code: b.code,
    name: b.name,
    currency: b.currency.trim(),
    closeTolerance: String(b.close_tolerance),
    vaultLedgerAccountId: b.vault_ledger_account_id,
  });

  async function branchDto(q: Db | Trx, b: repo.BranchRow): Promise<BranchDto> {
    const tills = await repo.tills(q, b.id);
    const sessions = await repo.liveSessions(
      q,
      tills.map((t) => t.id),
    );
    return {
      ...branchSummary(b),
      tills: tills.map((t) =>
        tillDto(
          t,
          sessions.find((s) => s.till_id === t.id),
        ),
      ),
    };
  }

  return {
    counterHooks,

    /** The month-close gate: a month cannot close while a till session of it is not closed. */
    async assertNoOpenTillsUpTo(trx: Trx, monthEnd: string): Promise<void> {
      const open = await repo.liveSessionsUpTo(trx, monthEnd);
      if (open > 0)
        throw new AppError('MONTH_CLOSE_TILLS_OPEN', { month: monthEnd.slice(0, 7), tills: open });
    },

    // ---- Denominations ----

    async denominations(currency: string): Promise<DenominationDto[]> {
      return (await repo.denominations(db, currency)).map(denominationDto);
    },

    async setDenominations(
      scope: CommandScope,
      input: { currency: string; items: { value: string; kind: 'note' | 'coin' }[] },
    ): Promise<DenominationDto[]> {
      const seen = new Set<string>();
      for (const { value } of input.items) {
        if (seen.has(value)) throw new AppError('TILL_DENOMINATION_DUPLICATE', { value });
        seen.add(value);
      }
      await repo.upsertDenominations(scope.trx, input.currency, input.items);
      const held = await repo.inactiveHeld(scope.trx, input.currency);
      if (held.length) throw new AppError('TILL_DENOMINATION_IN_USE', { values: held });
      describeTarget(scope, 'denominations', input.currency, { values: [...seen] });
      return (await repo.denominations(scope.trx, input.currency)).map(denominationDto);
    },

    // ---- Branches, vaults, tills ----

    async branches(): Promise<BranchDto[]> {
      const rows = await repo.branches(db);
      return Promise.all(rows.map((b) => branchDto(db, b)));
    },

    async createBranch(
      scope: CommandScope,
      input: { code: string; name: string; currency: string; closeTolerance: string },
    ): Promise<BranchDto> {
      const trx = scope.trx;
      if (await repo.branchByCode(trx, input.code))
        throw new AppError('BRANCH_CODE_TAKEN', { code: input.code });
      const at = scope.clock.now();
      const id = randomUUID();
      const vault = await cashAccount(trx, `vault.${input.code.toLowerCase()}`, `Vault ${input.name}`, at);
      await repo.insertBranch(trx, {
        id,
        code: input.code,
        name: input.name,
        currency: input.currency,
        vault_ledger_account_id: vault,
        close_tolerance: input.closeTolerance,
        created_by: scope.actor.userId,
        created_at: at,
      });
      describeTarget(scope, 'branch', id, { code: input.code, vaultLedgerAccountId: vault });
      return branchDto(trx, (await repo.branch(trx, id))!);
    },

    async createTill(
      scope: CommandScope,
      input: { branchId: string; code: string; name: string },
    ): Promise<TillDto> {
      const trx = scope.trx;
      const branch = await mustFindBranch(trx, input.branchId, true);
      if (await repo.tillByCode(trx, branch.id, input.code))
        throw new AppError('TILL_CODE_TAKEN', { code: input.code, branch: branch.code });
      const at = scope.clock.now();
      const id = randomUUID();
      const account = await cashAccount(
        trx,
        `till.${branch.code.toLowerCase()}.${input.code.toLowerCase()}`,
        `Till ${input.code} (${branch.code})`,
        at,
      );
      await repo.insertTill(trx, {
        id,
        branch_id: branch.id,
        code: input.code,
        name: input.name,
        currency: branch.currency.trim(),
        ledger_account_id: account,
        created_by: scope.actor.userId,
        created_at: at,
      });
      describeTarget(scope, 'till', [id, branch.id], { code: input.code, ledgerAccountId: account });
      return tillDto((await repo.till(trx, id))!);
    },

    /** Cash shipped into a vault from the bank's central cash, which the deposit omnibus stands for. */
    async receiveIntoVault(
      scope: CommandScope,
      input: { branchId: string; amount: string; denominations: DenominationCount[] },
    ) {
      const trx = scope.trx;
      const branch = await mustFindBranch(trx, input.branchId, true);
      const currency = branch.currency.trim();
      const counts = await counted(trx, input.denominations, currency);
      assertAddsUp(counts, BigInt(input.amount));
      const omnibus = await accountIdByCode(trx, OMNIBUS_ACCOUNT_CODE);
      if (!omnibus) throw new AppError('NOT_FOUND', { entity: 'ledger_account', code: OMNIBUS_ACCOUNT_CODE });
      const tx = await postTransfer(
        trx,
        `vault-funding:${scope.commandId}`,
        omnibus,
        branch.vault_ledger_account_id,
        BigInt(input.amount),
        scope.clock.now(),
      );
      await moveCash(scope, {
        holderKind: 'vault',
        holderId: branch.id,
        sessionId: null,
        currency,
        counts,
        sign: 1n,
        kind: 'vault-funding',
        subjectId: null,
        ledgerTransactionId: tx,
      });
      describeTarget(scope, 'branch', branch.id, { amount: input.amount, ledgerTransactionId: tx });
      const { settled } = await ledger.balance(trx, branch.vault_ledger_account_id);
      return { expected: String(settled), ledgerTransactionId: tx };
    },

    // ---- The teller's day ----

    async mine(userId: string): Promise<MyTillDto | null> {
      const session = await repo.sessionOfTeller(db, userId);
      if (!session) return null;
      const till = (await repo.till(db, session.till_id))!;
      const branch = (await repo.branch(db, till.branch_id))!;
      return {
        till: tillDto(till),
        branchCode: branch.code,
        branchName: branch.name,
        session: sessionDto(session),
        pendingTransfers: (await repo.pendingTransfers(db, { sessionId: session.id })).map(transferDto),
        movements: await repo.movementCount(db, session.id),
        denominations: (await repo.denominations(db, till.currency.trim(), true)).map(denominationDto),
      };
    },

    /** Opening the day: a session waiting for the vault's cash, which a supervisor confirms. */
    async open(
      scope: CommandScope,
      input: { tillId: string; amount: string; denominations: DenominationCount[] },
    ): Promise<VaultTransferDto> {
      const trx = scope.trx;
      const till = await mustFindTill(trx, input.tillId, true);
      const live = await repo.liveSession(trx, till.id);
      if (live)
        throw new AppError('TILL_ALREADY_OPEN', {
          tillId: till.id,
          status: live.status,
          teller: live.teller_name,
        });
      const elsewhere = await repo.sessionOfTeller(trx, scope.actor.userId!);
      if (elsewhere) throw new AppError('TILL_HAS_LIVE_SESSION', { tillId: elsewhere.till_id });
      const counts = await counted(trx, input.denominations, till.currency.trim());
      assertAddsUp(counts, BigInt(input.amount));
      const at = scope.clock.now();
      const sessionId = randomUUID();
      const transferId = randomUUID();
      try {
        await repo.insertSession(trx, {
          id: sessionId,
          till_id: till.id,
          teller_id: scope.actor.userId!,
          business_date: await businessDate(trx),
          created_at: at,
        });
      } catch (err) {
        // Two workstations opening the same till at once: the unique index lets one through.
        if ((err as { code?: string }).code === '23505')
          throw new AppError('TILL_ALREADY_OPEN', { tillId: till.id });
        throw err;
      }
      await repo.insertTransfer(trx, {
        id: transferId,
        branch_id: till.branch_id,
        till_id: till.id,
        session_id: sessionId,
        direction: 'to_till',
        purpose: 'opening',
        amount: input.amount,
        denominations: countsToList(counts),
        requested_by: scope.actor.userId!,
        requested_at: at,
      });
      describeTarget(scope, 'till_session', [sessionId, till.id, transferId], { amount: input.amount });
      return transferDto((await repo.transfer(trx, transferId))!);
    },

    /** More cash from the vault, or the excess back to it (a till over its maximum). */
    async requestTransfer(
      scope: CommandScope,
      input: {
        tillId: string;
        direction: 'to_till' | 'to_vault';
        amount: string;
        denominations: DenominationCount[];
      },
    ): Promise<VaultTransferDto> {
      const trx = scope.trx;
      const { till, session } = await operableSession(trx, input.tillId, scope.actor.userId);
      const currency = till.currency.trim();
      const counts = await counted(trx, input.denominations, currency);
      assertAddsUp(counts, BigInt(input.amount));
      if (input.direction === 'to_vault')
        applyMovement(await repo.holdings(trx, till.id, currency), counts, -1n);
      const id = randomUUID();
      await repo.insertTransfer(trx, {
        id,
        branch_id: till.branch_id,
        till_id: till.id,
        session_id: session.id,
        direction: input.direction,
        purpose: input.direction === 'to_till' ? 'replenish' : 'excess',
        amount: input.amount,
        denominations: countsToList(counts),
        requested_by: scope.actor.userId!,
        requested_at: scope.clock.now(),
      });
      describeTarget(scope, 'vault_transfer', [id, till.id], {
        amount: input.amount,
        direction: input.direction,
      });
      return transferDto((await repo.transfer(trx, id))!);
    },

    async pendingTransfers(branchId?: string): Promise<VaultTransferDto[]> {
      return (await repo.pendingTransfers(db, { branchId })).map(transferDto);
    },

    /**
     * The second person's count: it must match the teller's to the note. Posts vault -> till (or
     * back), moves both holdings, and opens the session when this was its opening transfer.
     */
    async confirmTransfer(
      scope: CommandScope,
      input: { transferId: string; denominations: DenominationCount[] },
    ): Promise<VaultTransferDto> {
      const trx = scope.trx;
      const t = await mustFindTransfer(trx, input.transferId);
      describeTarget(scope, 'vault_transfer', [t.id, t.till_id], {
        amount: String(t.amount),
        direction: t.direction,
      });
      if (t.status !== 'pending') throw new AppError('TILL_TRANSFER_STATE', { status: t.status });
      if (t.requested_by === scope.actor.userId) throw new AppError('SAME_PERSON');
      const till = await mustFindTill(trx, t.till_id);
      const currency = till.currency.trim();
      const theirs = listToCounts(t.denominations);
      const mine = await counted(trx, input.denominations, currency);
      if (countDelta(theirs, mine).size)
        throw new AppError('TILL_CONFIRM_MISMATCH', {
          amount: String(t.amount),
          counted: String(totalOf(mine)),
        });
      // Locks in the module's one order (session, branch, holdings), as closing and reverts take them.
      const session = (await repo.session(trx, t.session_id, true))!;
      const expectedStatus = t.purpose === 'opening' ? 'opening' : 'open';
      if (session.status !== expectedStatus)
        throw new AppError('TILL_SESSION_STATE', { status: session.status });
      const branch = await mustFindBranch(trx, t.branch_id, true);
      const at = scope.clock.now();
      const tx = await moveTransferredCash(scope, t, till, branch, session.id);
      await repo.updateTransfer(trx, t.id, {
        status: 'confirmed',
        confirmed_by: scope.actor.userId,
        confirmed_at: at,
        ledger_transaction_id: tx,
      });
      if (t.purpose === 'opening')
        await repo.updateSession(trx, session.id, {
          status: 'open',
          opened_at: at,
          opening_amount: String(t.amount),
        });
      await journal(scope, {
        kind: t.purpose === 'opening' ? 'till-open' : 'vault-transfer',
        tellerId: t.requested_by,
        tillId: till.id,
        businessDate: session.business_date,
        amount: BigInt(t.amount),
        currency,
        subjectId: t.id,
        ledgerTransactionId: tx,
        details: {
          direction: t.direction,
          purpose: t.purpose,
          confirmedBy: scope.actor.username,
          denominations: t.denominations,
        },
      });
      return transferDto((await repo.transfer(trx, t.id))!);
    },

    /** Withdrawn by the teller who asked, or refused by a supervisor; an opening one ends the session. */
    async cancelTransfer(
      scope: CommandScope,
      input: { transferId: string; reason: string },
    ): Promise<VaultTransferDto> {
      const trx = scope.trx;
      const t = await mustFindTransfer(trx, input.transferId);
      describeTarget(scope, 'vault_transfer', [t.id, t.till_id], { reason: input.reason });
      if (t.status !== 'pending') throw new AppError('TILL_TRANSFER_STATE', { status: t.status });
      const supervises = permissionsOf(scope.actor.roles).has('till.supervise');
      if (t.requested_by !== scope.actor.userId && !supervises) throw new AppError('FORBIDDEN');
      await repo.updateTransfer(trx, t.id, { status: 'cancelled' });
      if (t.purpose === 'opening')
        await repo.updateSession(trx, t.session_id, { status: 'cancelled', closed_at: scope.clock.now() });
      return transferDto((await repo.transfer(trx, t.id))!);
    },

    async suggestPayout(userId: string, input: { tillId: string; amount: string }) {
      const till = await mustFindTill(db, input.tillId);
      assertOperable(await repo.liveSession(db, till.id), userId, till.id);
      const mix = suggestPayout(BigInt(input.amount), await repo.holdings(db, till.id, till.currency.trim()));
      return { denominations: mix ? countsToList(mix) : null };
    },

    /**
     * The blind count: the teller lists every denomination without having seen the expected
     * figure. Within the branch's tolerance the till closes at once; beyond it, it waits for a
     * supervisor's sign-off.
     */
    async close(scope: CommandScope, input: { tillId: string; denominations: DenominationCount[] }) {
      const trx = scope.trx;
      const { till, session } = await operableSession(trx, input.tillId, scope.actor.userId);
      describeTarget(scope, 'till_session', [session.id, till.id]);
      if ((await repo.pendingTransfers(trx, { sessionId: session.id })).length)
        throw new AppError('TILL_TRANSFERS_PENDING', { tillId: till.id });
      const currency = till.currency.trim();
      const values = await activeValues(trx, currency);
      assertCompleteCount(input.denominations, values);
      const countedCash = parseCounts(input.denominations, values, currency);
      const amount = totalOf(countedCash);
      const expected = (await ledger.balance(trx, till.ledger_account_id)).settled;
      const { difference } = overShort(expected, amount);
      const branch = await mustFindBranch(trx, till.branch_id);
      const signOff = needsSignOff(difference, BigInt(branch.close_tolerance));
      await repo.updateSession(trx, session.id, {
        status: 'awaiting_sign_off',
        expected_amount: String(expected),
        counted_amount: String(amount),
        difference: String(difference),
        counted_denominations: JSON.stringify(countsToList(countedCash)),
      });
      Object.assign(scope.target.metadata, {
        counted: String(amount),
        difference: String(difference),
        signOff,
      });
      await journal(scope, {
        kind: 'cash-count',
        tellerId: session.teller_id,
        tillId: till.id,
        businessDate: session.business_date,
        amount,
        currency,
        subjectId: session.id,
        ledgerTransactionId: null,
        details: {
          expected: String(expected),
          difference: String(difference),
          denominations: countsToList(countedCash),
        },
      });
      if (signOff) return closeResult(session.id, 'awaiting_sign_off', amount, difference, true);
      return finishClose(scope, (await repo.session(trx, session.id, true))!, null, null);
    },

    async signOff(scope: CommandScope, input: { sessionId: string; note: string }) {
      const trx = scope.trx;
      const session = await repo.session(trx, input.sessionId, true);
      if (!session) throw new AppError('NOT_FOUND', { entity: 'till_session' });
      describeTarget(scope, 'till_session', [session.id, session.till_id], { note: input.note });
      if (session.status !== 'awaiting_sign_off')
        throw new AppError('TILL_SESSION_STATE', { status: session.status });
      if (session.teller_id === scope.actor.userId) throw new AppError('SAME_PERSON');
      await journal(scope, {
        kind: 'close-sign-off',
        tellerId: session.teller_id,
        tillId: session.till_id,
        businessDate: session.business_date,
        amount: BigInt(session.difference ?? 0),
        currency: 'USD',
        subjectId: session.id,
        ledgerTransactionId: null,
        details: { signedOffBy: scope.actor.username, note: input.note },
      });
      return finishClose(scope, session, scope.actor.userId, input.note);
    },

    /** Up to two images of the customer's: the ID document's photo and the signature first. */
    async identity(customerId: string) {
      const docs = (await deps.documents.list(customerId)).filter(
        (d) =>
          d.status === 'active' &&
          d.contentType &&
          IDENTITY_TYPES.has(d.contentType) &&
          d.size <= IDENTITY_MAX_BYTES,
      );
      const ranked = [
        ...docs.filter((d) => IDENTITY_NAME.test(d.originalName)),
        ...docs.filter((d) => !IDENTITY_NAME.test(d.originalName)),
      ];
      const images = [];
      for (const d of ranked.slice(0, 2)) {
        const parts: Buffer[] = [];
        for await (const part of deps.documents.read(objectKey(d.id, d.contentType!))) parts.push(part);
        images.push({
          documentId: d.id,
          name: d.originalName,
          contentType: d.contentType!,
          data: Buffer.concat(parts).toString('base64'),
        });
      }
      return { images };
    },

    /** Every till's expected cash (its ledger balance, live) and the vault's. */
    async position(branchId: string): Promise<BranchPositionDto> {
      const branch = await mustFindBranch(db, branchId);
      const currency = branch.currency.trim();
      const vault = (await ledger.balance(db, branch.vault_ledger_account_id)).settled;
      const tills = await repo.tills(db, branch.id);
      const sessions = await repo.liveSessions(
        db,
        tills.map((t) => t.id),
      );
      let total = vault;
      const rows = [];
      for (const t of tills) {
        const expected = (await ledger.balance(db, t.ledger_account_id)).settled;
        total += expected;
        const s = sessions.find((x) => x.till_id === t.id);
        const awaiting = s?.status === 'awaiting_sign_off';
        rows.push({
          till: tillDto(t),
          session: s ? sessionDto(s) : null,
          expected: String(expected),
          holdings: holdingsDto(await repo.holdings(db, t.id, currency)),
          counted: awaiting ? String(s.counted_amount) : null,
          difference: awaiting ? String(s.difference) : null,
        });
      }
      return {
        branch: branchSummary(branch),
        businessDate: await businessDate(db),
        vault: {
          expected: String(vault),
          holdings: holdingsDto(await repo.holdings(db, branch.id, currency)),
        },
        tills: rows,
        total: String(total),
        pendingTransfers: (await repo.pendingTransfers(db, { branchId })).map(transferDto),
      };
    },
  };
}
