import { createHash, randomUUID } from 'node:crypto';
import type { Db, Trx } from '../db';
import { stringify } from 'csv-stringify/sync';
import { AppError } from '../../shared/errors';
import { minorToDecimal } from '../../shared/money';
import {
  LEDGER_CSV_MAX_ENTRIES,
  type JournalTransactionDto,
  type LedgerAccountDto,
  type LedgerAccountSummaryDto,
  type LedgerEntryDto,
} from '../../shared/contract/accounting';
import * as repo from './repo';
import { assertBalanced, assertMonthOver, fiscalYearEnd, nextMonthToClose, signedBalance } from './rules';
import type { Balance, Currency, NormalBalance, Posted, PostOptions, Template } from './types';

type Q = Db | Trx;

/** The database's own refusals (raised by the ledger's triggers) as typed business errors. */
export function fromLedgerError(err: unknown): AppError | undefined {
  const e = err as { code?: string; message?: string; detail?: string; constraint?: string };
  if (!e?.code) return undefined;
  const detail = e.detail ?? '';
  switch (e.code) {
    case 'BK001':
      return new AppError('ACCOUNT_LOCKED', { accountId: detail });
    case 'BK002':
      return new AppError('CURRENCY_MISMATCH', { accountId: detail });
    case 'BK003':
      return new AppError('PERIOD_CLOSED', { closedAsOf: detail });
    case 'BK004':
      return new AppError('NO_OPEN_FISCAL_YEAR', { date: detail });
    case 'BK005':
      return new AppError('IDEMPOTENCY_KEY_REUSED', { key: detail });
    case 'BK010': {
      const [accountId, available] = detail.split(' ');
      return new AppError('INSUFFICIENT_FUNDS', { accountId: accountId ?? '', available: available ?? '0' });
    }
    case 'BK011':
      return new AppError('UNBALANCED_TRANSACTION', { transactionId: detail });
    case 'BK020':
      return new AppError('SET_CYCLE', { setId: detail });
    case '23514':
      if (e.constraint === 'ledger_no_overdraft')
        return new AppError('INSUFFICIENT_FUNDS', { accountId: '', available: '0' });
      return undefined;
    default:
      return undefined;
  }
}

function payloadHash(template: string, date: string, entries: unknown[]): string {
  return createHash('sha256').update(JSON.stringify({ template, date, entries })).digest('hex');
}

export interface NewAccount {
  code: string;
  name: string;
  normalBalance: NormalBalance;
  currency: Currency;
  preventOverdraft?: boolean;
  /** Spread a hot account's balance over this many rows (1 for customer accounts). */
  shards?: number;
  metadata?: Record<string, unknown>;
  /** Account sets it belongs to. */
  setIds?: string[];
}

/**
 * A spreadsheet would run a cell starting with one of these as a formula (CSV injection); the
 * quote makes it text. Amount cells are never negative, so they never need it.
 */
export function neutralizeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function summaryDto(a: repo.AccountSummaryRow): LedgerAccountSummaryDto {
  return {
    id: a.id,
    code: a.code,
    name: a.name,
    currency: a.currency,
    normalBalance: a.normal_balance,
    locked: a.locked,
    settled: a.settled,
    pending: a.pending,
  };
}

function entryDto(e: repo.AccountEntryRow): LedgerEntryDto {
  return {
    id: String(e.id),
    recordedAt: new Date(e.recorded_at).toISOString(),
    effectiveDate: e.effective_date,
    transactionId: e.transaction_id,
    templateCode: e.template_code,
    description: e.description,
    layer: e.layer,
    direction: e.direction,
    amount: String(e.amount),
    balanceAfter: e.balance_after === null ? null : String(e.balance_after),
  };
}

/** A template's entries, checked and shaped for the database's posting function. */
function toWire<P>(template: Template<P>, params: P, opts: PostOptions) {
  const entries = template.entries(template.params.parse(params));
  assertBalanced(entries);
  const wire = entries.map((e, seq) => ({
    seq,
    account_id: e.accountId,
    currency: e.currency,
    layer: e.layer,
    direction: e.direction,
    amount: e.amount.toString(),
  }));
  return {
    id: randomUUID(),
    key: opts.idempotencyKey,
    hash: payloadHash(template.code, opts.effectiveDate, wire),
    template: template.code,
    date: opts.effectiveDate,
    description: opts.description ?? '',
    metadata: opts.metadata ?? {},
    entries: wire,
  };
}

export function createLedger() {
  async function toBalance(
    accountId: string,
    rows: { currency: Currency; layer: string; debit: string; credit: string }[],
    normal: NormalBalance,
    currency: Currency,
  ): Promise<Balance> {
    const of = (layer: string) => {
      const r = rows.find((x) => x.layer === layer);
      return r ? signedBalance(normal, BigInt(r.debit), BigInt(r.credit)) : 0n;
    };
    return { accountId, currency, settled: of('settled'), pending: of('pending') };
  }

  async function mustFindAccount(q: Q, id: string) {
    const a = await repo.findAccount(q, id);
    if (!a) throw new AppError('NOT_FOUND', { entity: 'ledger_account' });
    return a;
  }

  return {
    async createAccount(q: Q, spec: NewAccount, at: Date): Promise<string> {
      const id = randomUUID();
      await repo.insertAccount(q, {
        id,
        code: spec.code,
        name: spec.name,
        normalBalance: spec.normalBalance,
        currency: spec.currency,
        preventOverdraft: spec.preventOverdraft ?? false,
        shards: spec.shards ?? 1,
        metadata: spec.metadata ?? {},
        at,
      });
      for (const setId of spec.setIds ?? []) await repo.addMember(q, setId, { accountId: id });
      return id;
    },

    async createSet(
      q: Q,
      spec: { code: string; name: string; normalBalance: NormalBalance; parentIds?: string[] },
      at: Date,
    ) {
      const id = randomUUID();
      await repo.insertSet(q, {
        id,
        code: spec.code,
        name: spec.name,
        normalBalance: spec.normalBalance,
        at,
      });
      for (const parent of spec.parentIds ?? []) await repo.addMember(q, parent, { setId: id });
      return id;
    },

    async addToSet(q: Q, setId: string, member: { accountId: string } | { setId: string }) {
      try {
        await repo.addMember(q, setId, member);
      } catch (err) {
        throw fromLedgerError(err) ?? err;
      }
    },

    async setLocked(q: Q, accountId: string, locked: boolean) {
      await mustFindAccount(q, accountId);
      await repo.setLocked(q, accountId, locked);
    },

    /**
     * Posts a template inside the caller's transaction, in one round trip. The ledger's triggers
     * enforce every invariant; their refusals come back as typed errors.
     */
    async post<P>(
      trx: Trx,
      template: Template<P>,
      params: P,
      opts: PostOptions,
      recordedAt: Date,
    ): Promise<Posted> {
      const wire = toWire(template, params, opts);
      try {
        const row = await repo.post(trx, { ...wire, recordedAt });
        return { transactionId: row.transaction_id, replayed: row.replayed };
      } catch (err) {
        throw fromLedgerError(err) ?? err;
      }
    },

    /**
     * Posts and records the posting module's own row (a deposit, say) in one statement: the row's
     * transactionColumn gets the transaction's id. Same invariants and refusals as post. For the
     * busiest commands, so the statement travels with the COMMIT and is not waited for: what it
     * returns is what was sent (the row as given, the transaction's id), and a refusal fails the
     * command at commit. Only for a posting whose idempotency key is new.
     */
    postAndRecordAtCommit<P>(
      trx: Trx,
      template: Template<P>,
      params: P,
      opts: PostOptions,
      recordedAt: Date,
      record: repo.ModuleRow,
    ): Promise<{ transactionId: string }> {
      const wire = toWire(template, params, opts);
      return repo
        .postAndInsertAtCommit(trx, { ...wire, recordedAt }, record)
        .then(() => ({ transactionId: wire.id }))
        .catch((err: unknown) => {
          // On the embedded database nothing is held: a refusal arrives here, as with post.
          throw fromLedgerError(err) ?? err;
        });
    },

    /**
     * The batch path for end-of-day work and imports: many postings in one statement, inside the
     * caller's transaction (so one commit). Every posting obeys the same invariants as a single one;
     * one refusal refuses the whole batch.
     */
    async postBatch<P>(
      trx: Trx,
      template: Template<P>,
      postings: { params: P; opts: PostOptions }[],
      recordedAt: Date,
    ): Promise<Posted[]> {
      const wire = postings.map((p) => toWire(template, p.params, p.opts));
      try {
        const rows = await repo.postBatch(trx, wire, recordedAt);
        return rows.map((r) => ({ transactionId: r.transaction_id, replayed: r.replayed }));
      } catch (err) {
        throw fromLedgerError(err) ?? err;
      }
    },

    async balance(q: Q, accountId: string): Promise<Balance> {
      const a = await mustFindAccount(q, accountId);
      return toBalance(accountId, await repo.currentBalances(q, accountId), a.normal_balance, a.currency);
    },

    async balanceAsOf(q: Q, accountId: string, date: string): Promise<Balance> {
      const a = await mustFindAccount(q, accountId);
      return toBalance(accountId, await repo.balancesAsOf(q, accountId, date), a.normal_balance, a.currency);
    },

    /** Starts the first fiscal year; postings are refused until one exists. */
    async openFirstFiscalYear(trx: Trx, startsOn: string, at: Date) {
      await trx.raw(`select pg_advisory_xact_lock(hashtext('ledger_period'))`);
      const existing = await trx('ledger_fiscal_years').first('id');
      if (existing) throw new AppError('FISCAL_YEAR_EXISTS');
      const year = {
        id: randomUUID(),
        starts_on: startsOn,
        ends_on: fiscalYearEnd(startsOn),
        created_at: at,
      };
      await trx('ledger_fiscal_years').insert(year);
      return { id: year.id, startsOn, endsOn: year.ends_on };
    },

    /** Closes the oldest open month, once it is over by the business date. Irreversible. */
    async closeMonth(trx: Trx, businessDate: string) {
      // Exclusive: waits for postings in flight, and postings after it see the new close.
      await trx.raw(`select pg_advisory_xact_lock(hashtext('ledger_period'))`);
      const year = await trx('ledger_fiscal_years').whereNull('closed_at').orderBy('starts_on').first();
      if (!year) throw new AppError('NO_OPEN_FISCAL_YEAR', { date: businessDate });
      const calendar = await trx('ledger_calendar').where({ id: 1 }).first();
      const month = nextMonthToClose(
        { startsOn: year.starts_on, endsOn: year.ends_on },
        calendar.month_closed_as_of,
      );
      if (!month) throw new AppError('ALL_MONTHS_CLOSED', { year: year.starts_on });
      assertMonthOver(month, businessDate);
      await trx('ledger_calendar').where({ id: 1 }).update({ month_closed_as_of: month.to });
      return { closedAsOf: month.to };
    },

    async calendar(q: Q) {
      const years = await q('ledger_fiscal_years')
        .orderBy('starts_on')
        .select('starts_on', 'ends_on', 'closed_at');
      const calendar = await q('ledger_calendar').where({ id: 1 }).first();
      const open = years.find((y) => !y.closed_at);
      return {
        fiscalYears: years.map((y) => ({
          startsOn: y.starts_on,
          endsOn: y.ends_on,
          closed: y.closed_at !== null,
        })),
        monthClosedAsOf: (calendar?.month_closed_as_of as string | null) ?? null,
        nextMonthToClose: open
          ? nextMonthToClose(
              { startsOn: open.starts_on, endsOn: open.ends_on },
              calendar?.month_closed_as_of ?? null,
            )
          : null,
      };
    },

    /** Ledger accounts whose code or name contains the search, by code, with current balances. */
    async searchAccounts(q: Q, p: { search: string; offset: number; limit: number }) {
      const rows = await repo.searchAccounts(q, { ...p, limit: p.limit + 1 });
      return { accounts: rows.slice(0, p.limit).map(summaryDto), hasMore: rows.length > p.limit };
    },

    /** One account, the chart nodes it sits under, and a page of its entries, newest first. */
    async accountPage(
      q: Q,
      id: string,
      p: { from?: string; to?: string; before?: string; limit: number },
    ): Promise<LedgerAccountDto> {
      const a = await repo.accountSummary(q, id);
      if (!a) throw new AppError('NOT_FOUND', { entity: 'ledger_account' });
      const rows = await repo.accountEntriesPage(q, id, { ...p, limit: p.limit + 1 });
      const page = rows.slice(0, p.limit);
      const sharded = ((await repo.findAccount(q, id))?.shards ?? 1) > 1;
      return {
        account: {
          ...summaryDto(a),
          preventOverdraft: a.prevent_overdraft,
          sets: (await repo.setsOfAccount(q, id)).map((x) => ({
            ...x,
            chartCode: x.code.startsWith('chart:') ? x.code.slice('chart:'.length) : null,
          })),
        },
        // A hot account's entry knows only its own shard's running balance: not the account's.
        entries: page.map(entryDto).map((e) => (sharded ? { ...e, balanceAfter: null } : e)),
        nextCursor: rows.length > p.limit ? String(page[page.length - 1]!.id) : null,
      };
    },

    /** The whole history of one account as CSV, oldest first; refused over the bound. */
    async accountCsv(q: Q, id: string, opts: { maxEntries?: number } = {}) {
      const max = opts.maxEntries ?? LEDGER_CSV_MAX_ENTRIES;
      const a = await mustFindAccount(q, id);
      const count = await repo.countAccountEntries(q, id);
      if (count > max) {
        throw new AppError('PAYLOAD_TOO_LARGE', { entries: count, max }, 'errors.EXPORT_TOO_LARGE');
      }
      const rows = await repo.allAccountEntries(q, id, max);
      const amount = (r: repo.AccountEntryRow, side: 'debit' | 'credit') =>
        r.direction === side ? minorToDecimal(String(r.amount), r.currency) : '';
      const csv = stringify(
        rows.map((r) => [
          new Date(r.recorded_at).toISOString(),
          r.effective_date,
          r.currency,
          amount(r, 'debit'),
          amount(r, 'credit'),
          neutralizeCell(r.description),
          neutralizeCell(r.template_code),
        ]),
        {
          header: true,
          columns: [
            'recorded_at',
            'effective_date',
            'currency',
            'debit',
            'credit',
            'description',
            'template',
          ],
          record_delimiter: '\r\n',
        },
      );
      const fileName = `ledger-${a.code}`.replace(/[^A-Za-z0-9-]+/g, '-').slice(0, 100) + '.csv';
      return { fileName, csv, rows: rows.length };
    },

    /** Ledger transactions newest first, each with its entries; keyset-paged on (recorded at, id). */
    async journal(
      q: Q,
      p: { from?: string; to?: string; template?: string; before?: string; limit: number },
    ): Promise<{ transactions: JournalTransactionDto[]; nextCursor: string | null }> {
      let before: { at: string; id: string } | undefined;
      if (p.before) {
        const [at, txId] = p.before.split('|');
        if (!at || !txId || Number.isNaN(Date.parse(at)))
          throw new AppError('VALIDATION_FAILED', { field: 'before' });
        before = { at, id: txId };
      }
      const rows = await repo.journalPage(q, { ...p, before, limit: p.limit + 1 });
      const page = rows.slice(0, p.limit);
      const entries = await repo.entriesOfTransactions(
        q,
        page.map((t) => t.id),
      );
      const transactions = page.map((t) => ({
        id: t.id,
        recordedAt: new Date(t.recorded_at).toISOString(),
        effectiveDate: t.effective_date,
        templateCode: t.template_code,
        description: t.description,
        entries: entries
          .filter((e) => e.transaction_id === t.id)
          .map((e) => ({
            accountId: e.account_id,
            accountCode: e.account_code,
            accountName: e.account_name,
            currency: e.currency,
            layer: e.layer,
            direction: e.direction,
            amount: String(e.amount),
          })),
      }));
      const last = transactions[transactions.length - 1];
      return {
        transactions,
        nextCursor: rows.length > p.limit && last ? `${last.recordedAt}|${last.id}` : null,
      };
    },

    /** Accounts whose kept balances differ from a recomputation from their entries. */
    async inconsistencies(q: Q) {
      return repo.inconsistentBalances(q);
    },

    /** Every currency and layer of the whole ledger sums to zero; these do not. */
    async unbalancedLayers(q: Q): Promise<{ currency: string; layer: string; net: string }[]> {
      const { rows } = await q.raw(
        `select currency, layer, sum(debit - credit)::bigint as net from ledger_balances
          group by currency, layer having sum(debit - credit) <> 0`,
      );
      return rows;
    },
  };
}

export type Ledger = ReturnType<typeof createLedger>;
