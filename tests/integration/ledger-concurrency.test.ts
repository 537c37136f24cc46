import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database, type Db } from '../../main/db';
import { migrate } from '../../main/db/migrate';
import { createLedger, defineTemplate } from '../../main/ledger';
import { AppError } from '../../shared/errors';
import { DEPOSIT, postJob, randomJob, RECORDED_AT, type Accounts, type Job } from '../fixtures/ledger-writer';
import { freshServerDatabase, onServer } from './harness';

// Concurrency, crash and deadlock behaviour of the ledger. Only meaningful on a PostgreSQL server:
// the embedded PGlite has a single connection, so nothing there ever runs concurrently.
if (!onServer) {
  console.log('ledger-concurrency: skipped on PGlite (one connection); set TEST_DATABASE_URL to run it');
}

const WRITERS = 16;
const POSTINGS = 5_000;
const ledger = createLedger();

interface Outcomes {
  acked: Map<string, string>;
  refused: Map<string, string>;
  /** Anything that is not a typed business error: must stay empty. */
  unexpected: { key: string; error: string }[];
}

/** Runs the jobs with `writers` concurrent connections, each taking the next job from the queue. */
async function runJobs(db: Db, jobs: Job[], writers: number, outcomes: Outcomes) {
  let next = 0;
  const writer = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      try {
        const posted = await postJob(db, ledger, job);
        const before = outcomes.acked.get(job.key);
        if (before && before !== posted.transactionId)
          outcomes.unexpected.push({
            key: job.key,
            error: `two transaction ids ${before} ${posted.transactionId}`,
          });
        outcomes.acked.set(job.key, posted.transactionId);
      } catch (err) {
        if (err instanceof AppError) outcomes.refused.set(job.key, err.code);
        else
          outcomes.unexpected.push({
            key: job.key,
            error: `${(err as { code?: string }).code ?? ''} ${(err as Error).message}`,
          });
      }
    }
  };
  await Promise.all(Array.from({ length: writers }, writer));
}

/** The checks that must hold after any load, crash or not. */
async function assertLedgerSound(db: Db, accounts: Accounts) {
  for (const customer of accounts.customers) {
    expect((await ledger.balance(db, customer)).settled >= 0n, `customer ${customer} overdrawn`).toBe(true);
  }
  const { rows: negative } = await db.raw(
    `select account_id from ledger_balances
      where prevent_overdraft and layer = 'settled'
        and (case when normal_balance = 'credit' then credit - debit else debit - credit end) < 0`,
  );
  expect(negative).toEqual([]);
  expect(await ledger.unbalancedLayers(db)).toEqual([]);
  expect(await ledger.inconsistencies(db)).toEqual([]);
  // Nothing half-written: every transaction has exactly the entries it declared, balanced per layer.
  const { rows: partial } = await db.raw(
    `select t.id from ledger_transactions t left join ledger_entries e on e.transaction_id = t.id
      group by t.id, t.entry_count having count(e.id) <> t.entry_count`,
  );
  expect(partial).toEqual([]);
  const { rows: unbalanced } = await db.raw(
    `select transaction_id from ledger_entries group by transaction_id, currency, layer
      having sum(case when direction = 'debit' then amount else -amount end) <> 0`,
  );
  expect(unbalanced).toEqual([]);
}

/** Every acknowledged key exactly once with its id; no other transaction except `unknown` keys. */
async function assertAcknowledged(
  db: Db,
  acked: Map<string, string>,
  unknown: Set<string>,
  since: Set<string>,
) {
  const { rows } = await db.raw(`select idempotency_key as key, id from ledger_transactions`);
  const stored = new Map<string, string>();
  for (const r of rows as { key: string; id: string }[]) {
    expect(stored.has(r.key), `key ${r.key} twice`).toBe(false);
    stored.set(r.key, r.id);
  }
  for (const [key, id] of acked) expect(stored.get(key), `acknowledged ${key}`).toBe(id);
  const extra = [...stored.keys()].filter((k) => !acked.has(k) && !since.has(k) && !unknown.has(k));
  expect(extra).toEqual([]);
}

describe.skipIf(!onServer)('ledger under concurrent writers (postgres)', () => {
  let server: { url: string; drop: () => Promise<void> };
  let database: Database;
  let db: Db;
  const accounts: Accounts = { omnibus: [], customers: [] };
  /** Keys already in the ledger before a test starts (the funding postings, earlier tests). */
  const existingKeys = async () =>
    new Set(
      (
        (await db.raw(`select idempotency_key as key from ledger_transactions`)).rows as { key: string }[]
      ).map((r) => r.key),
    );

  beforeAll(async () => {
    server = await freshServerDatabase();
    database = await openDatabase({ url: server.url, poolMax: 24 });
    db = database.knex;
    await migrate(db);
    await db.transaction((trx) => ledger.openFirstFiscalYear(trx, '2026-01-01', RECORDED_AT));
    for (const i of [1, 2]) {
      accounts.omnibus.push(
        await ledger.createAccount(
          db,
          { code: `omnibus-${i}`, name: `Omnibus ${i}`, normalBalance: 'debit', currency: 'USD', shards: 8 },
          RECORDED_AT,
        ),
      );
    }
    for (let i = 1; i <= 48; i++) {
      accounts.customers.push(
        await ledger.createAccount(
          db,
          {
            code: `cust-${i}`,
            name: `Customer ${i}`,
            normalBalance: 'credit',
            currency: 'USD',
            preventOverdraft: true,
          },
          RECORDED_AT,
        ),
      );
    }
    // Some money on every customer account, so withdrawals and transfers succeed often enough.
    for (const customer of accounts.customers) {
      await postJob(db, ledger, {
        key: randomUUID(),
        kind: 'deposit',
        omnibus: accounts.omnibus[0]!,
        customer,
        amount: 20_000n,
      });
    }
  }, 60_000);

  afterAll(async () => {
    await database?.close();
    await server?.drop();
  });

  it(`keeps every invariant with ${WRITERS} writers, ${POSTINGS} postings and retried keys`, async () => {
    const before = await existingKeys();
    const unique = Array.from({ length: Math.round(POSTINGS / 1.1) }, () => randomJob(accounts));
    const jobs = [...unique];
    // The other ~10% of the postings are retries of a key already queued: half right next to the
    // first send (so concurrently, on another writer), half somewhere later in the queue.
    while (jobs.length < POSTINGS) {
      const job = unique[Math.floor(Math.random() * unique.length)]!;
      const at = jobs.indexOf(job);
      const where = Math.random() < 0.5 ? at + 1 : at + 1 + Math.floor(Math.random() * (jobs.length - at));
      jobs.splice(where, 0, { ...job });
    }
    const outcomes: Outcomes = { acked: new Map(), refused: new Map(), unexpected: [] };
    const started = Date.now();
    await runJobs(db, jobs, WRITERS, outcomes);
    const seconds = (Date.now() - started) / 1000;
    const refusals = [...outcomes.refused.values()];
    console.log(
      `ledger-concurrency: ${jobs.length} postings (${jobs.length - unique.length} retried) by ${WRITERS} writers in ${seconds.toFixed(1)} s: ` +
        `${outcomes.acked.size} acknowledged, ${refusals.length} refused (${[...new Set(refusals)].join(', ')})`,
    );
    expect(outcomes.unexpected).toEqual([]);
    expect(new Set(refusals)).toEqual(new Set(['INSUFFICIENT_FUNDS']));
    expect(outcomes.acked.size).toBeGreaterThan(unique.length / 2);
    await assertLedgerSound(db, accounts);
    await assertAcknowledged(db, outcomes.acked, new Set(), before);
    // Entry counts by template, as declared.
    const { rows } = await db.raw(
      `select t.template_code, min(t.entry_count)::int as lo, max(t.entry_count)::int as hi
         from ledger_transactions t group by t.template_code`,
    );
    for (const r of rows as { template_code: string; lo: number; hi: number }[]) {
      const n = r.template_code === 'CT_WITHDRAW' ? 4 : 2;
      expect([r.lo, r.hi]).toEqual([n, n]);
    }
  }, 60_000);

  it('puts concurrent postings to a hot account on shards nobody holds: none waits while one is free', async () => {
    const hot = await ledger.createAccount(
      db,
      {
        code: `hot-${randomUUID().slice(0, 8)}`,
        name: 'Hot',
        normalBalance: 'debit',
        currency: 'USD',
        shards: 4,
      },
      RECORDED_AT,
    );
    const customers = accounts.customers.slice(0, 4);
    // Four open transactions, each holding its shard: with shards chosen by hash alone, four
    // postings would meet on one (24 in 25 times) and the later one would wait out the timeout.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const posted: Promise<unknown>[] = [];
    const shards: number[] = [];
    for (const customer of customers) {
      let done!: () => void;
      const inPlace = new Promise<void>((r) => (done = r));
      posted.push(
        db.transaction(async (trx) => {
          await trx.raw(`set local lock_timeout = '1s'`);
          const p = await ledger.post(
            trx,
            DEPOSIT,
            { omnibus: hot, customer, amount: 5n },
            { idempotencyKey: randomUUID(), effectiveDate: '2026-03-02' },
            RECORDED_AT,
          );
          const { rows } = await trx.raw(
            `select shard from ledger_entries where transaction_id = ? and account_id = ?`,
            [p.transactionId, hot],
          );
          shards.push(Number(rows[0].shard));
          done();
          await held;
        }),
      );
      // A posting that waited out the lock timeout fails here, rather than hanging the test.
      await Promise.race([inPlace, posted.at(-1)]);
    }
    expect([...shards].sort()).toEqual([0, 1, 2, 3]);
    release();
    await Promise.all(posted);
    const { rows } = await db.raw(
      `select sum(debit)::text as debit from ledger_balances where account_id = ? and layer = 'settled'`,
      [hot],
    );
    expect(rows[0].debit).toBe('20');
  });

  it('never surfaces a deadlock: the same accounts in opposite template order, concurrently', async () => {
    const before = await existingKeys();
    const [a, b] = accounts.customers;
    const [omnibusA, omnibusB] = accounts.omnibus;
    const jobs: Job[] = [];
    for (let i = 0; i < 600; i++) {
      // Transfers a->b and b->a, and deposits touching the two omnibus accounts in both orders.
      jobs.push(
        i % 2
          ? { key: randomUUID(), kind: 'transfer', from: a!, to: b!, amount: 7n }
          : { key: randomUUID(), kind: 'transfer', from: b!, to: a!, amount: 7n },
      );
    }
    const outcomes: Outcomes = { acked: new Map(), refused: new Map(), unexpected: [] };
    // A posting that touches both omnibus accounts and both customers, in opposite orders.
    const cross = (reverse: boolean) => {
      const lines = [
        {
          accountId: omnibusA!,
          currency: 'USD' as const,
          layer: 'settled' as const,
          direction: 'debit' as const,
          amount: 3n,
        },
        {
          accountId: b!,
          currency: 'USD' as const,
          layer: 'settled' as const,
          direction: 'credit' as const,
          amount: 3n,
        },
        {
          accountId: a!,
          currency: 'USD' as const,
          layer: 'settled' as const,
          direction: 'debit' as const,
          amount: 3n,
        },
        {
          accountId: omnibusB!,
          currency: 'USD' as const,
          layer: 'settled' as const,
          direction: 'credit' as const,
          amount: 3n,
        },
      ];
      return reverse ? lines.reverse() : lines;
    };
    // The omnibus parameter only says which order: 'r' reversed, 'f' forward.
    const CROSS = defineTemplate({
      code: 'CT_CROSS',
      params: DEPOSIT.params,
      entries: (p) => cross(p.omnibus === 'r'),
    });
    const crossWriter = async (w: number) => {
      for (let i = 0; i < 60; i++) {
        const key = randomUUID();
        try {
          const posted = await db.transaction((trx) =>
            ledger.post(
              trx,
              CROSS,
              { omnibus: (i + w) % 2 ? 'r' : 'f', customer: '', amount: 3n },
              { idempotencyKey: key, effectiveDate: '2026-03-02' },
              RECORDED_AT,
            ),
          );
          outcomes.acked.set(key, posted.transactionId);
        } catch (err) {
          if (err instanceof AppError) outcomes.refused.set(key, err.code);
          else
            outcomes.unexpected.push({
              key,
              error: `${(err as { code?: string }).code ?? ''} ${(err as Error).message}`,
            });
        }
      }
    };
    const deadlocks = async () =>
      Number(
        (await db.raw(`select deadlocks from pg_stat_database where datname = current_database()`)).rows[0]
          .deadlocks,
      );
    await db.raw('select pg_stat_clear_snapshot()');
    const deadlocksBefore = await deadlocks();
    await Promise.all([
      runJobs(db, jobs, 8, outcomes),
      ...Array.from({ length: 8 }, (_, w) => crossWriter(w)),
    ]);
    expect(outcomes.unexpected).toEqual([]);
    expect([...new Set(outcomes.refused.values())].filter((c) => c !== 'INSUFFICIENT_FUNDS')).toEqual([]);
    expect(outcomes.acked.size).toBeGreaterThan(600);
    // The server's own count: none was even detected (and retried away), not only none surfaced.
    await sleep(1_200); // statistics are flushed at most once a second
    await db.raw('select pg_stat_clear_snapshot()');
    expect(await deadlocks()).toBe(deadlocksBefore);
    await assertLedgerSound(db, accounts);
    await assertAcknowledged(db, outcomes.acked, new Set(), before);
  }, 60_000);

  it('loses nothing acknowledged and half-writes nothing when a writer is killed with SIGKILL', async () => {
    const before = await existingKeys();
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join('tests', 'fixtures', 'ledger-writer.ts'),
        server.url,
        JSON.stringify(accounts),
        '8',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    // Wait until it posts, let it run ~1.5 s under load, then kill it without warning.
    const deadline = Date.now() + 20_000;
    while (!/^ack /m.test(stdout) && Date.now() < deadline && child.exitCode === null) await sleep(20);
    expect(stdout, stderr).toMatch(/^ack /m);
    await sleep(1_500);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const acked = new Map<string, string>();
    const begun = new Set<string>();
    const errors: string[] = [];
    // The last line may be cut short by the kill: only complete lines count.
    for (const line of stdout.split('\n').slice(0, -1)) {
      const [what, key, rest] = line.split(' ');
      if (what === 'begin') begun.add(key!);
      else if (what === 'ack') acked.set(key!, rest!);
      else if (what === 'error') errors.push(line);
      else if (what === 'refused' && rest !== 'INSUFFICIENT_FUNDS') errors.push(line);
    }
    const settled = new Set([...acked.keys()]);
    for (const line of stdout.split('\n').slice(0, -1))
      if (line.startsWith('refused ')) settled.add(line.split(' ')[1]!);
    const unknown = new Set([...begun].filter((k) => !settled.has(k)));
    console.log(
      `ledger-concurrency: writer killed after ${acked.size} acknowledged postings, ${unknown.size} in flight`,
    );
    expect(errors).toEqual([]);
    expect(acked.size).toBeGreaterThan(10);
    expect(unknown.size).toBeGreaterThan(0); // it really died mid-transaction

    // The server notices the dead connections and rolls their transactions back.
    const gone = Date.now() + 20_000;
    for (;;) {
      const { rows } = await db.raw(
        `select count(*)::int as n from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle'`,
      );
      if (rows[0].n === 0 || Date.now() > gone) break;
      await sleep(50);
    }
    await assertLedgerSound(db, accounts);
    await assertAcknowledged(db, acked, unknown, before);
    // The ledger still takes postings on the rows the dead writer had locked.
    for (const customer of accounts.customers) {
      await postJob(db, ledger, {
        key: randomUUID(),
        kind: 'deposit',
        omnibus: accounts.omnibus[1]!,
        customer,
        amount: 1n,
      });
    }
    await assertLedgerSound(db, accounts);
  }, 60_000);
});
