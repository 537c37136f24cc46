import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';

/**
 * The workstation's own small database (ARCHITECTURE 6): a second embedded PGlite in the user-data
 * folder, apart from the bank's. It holds what this workstation needs while the bank cannot be
 * reached: the outbox of queued commands, snapshots of the views an offline user reads, password
 * verifiers of the staff who signed in here, and the workstation's signing key. Every write is its
 * own committed statement, so a killed process loses nothing that was acknowledged.
 */

export type OutboxStatus = 'queued' | 'replaying' | 'done' | 'rejected';

export interface OutboxRow {
  seq: number;
  commandId: string;
  procedure: string;
  input: Record<string, unknown>;
  userId: string;
  username: string;
  workstation: string;
  localTime: Date;
  signature: string | null;
  status: OutboxStatus;
  result: unknown;
  rejection: { code: string; params: Record<string, unknown> } | null;
  attempts: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface WorkstationKey {
  publicKey: string;
  privateKey: string;
}

/** The store's own schema, in order; applied once each, like the bank's migrations. */
const MIGRATIONS: [string, string][] = [
  [
    '0001_outbox',
    `create table outbox (
       seq bigserial primary key,
       command_id uuid not null unique,
       procedure text not null,
       input jsonb not null,
       user_id uuid not null,
       username text not null,
       workstation text not null,
       local_time timestamptz not null,
       signature text,
       status text not null check (status in ('queued', 'replaying', 'done', 'rejected')),
       result jsonb,
       rejection jsonb,
       attempts integer not null default 0,
       created_at timestamptz not null default now(),
       updated_at timestamptz not null default now()
     );
     create index outbox_pending on outbox (seq) where status in ('queued', 'replaying');
     create table snapshots (name text primary key, data jsonb not null, taken_at timestamptz not null);
     create table verifiers (
       username text primary key,
       user_id uuid not null unique,
       identity jsonb not null,
       verifier text not null,
       updated_at timestamptz not null
     );
     create table workstation_key (
       id integer primary key check (id = 1),
       public_key text not null,
       private_key text not null,
       created_at timestamptz not null default now()
     );`,
  ],
];

interface RawOutbox {
  seq: string | number;
  command_id: string;
  procedure: string;
  input: Record<string, unknown>;
  user_id: string;
  username: string;
  workstation: string;
  local_time: Date;
  signature: string | null;
  status: OutboxStatus;
  result: unknown;
  rejection: OutboxRow['rejection'];
  attempts: number;
  created_at: Date;
  updated_at: Date;
}

function toRow(r: RawOutbox): OutboxRow {
  return {
    seq: Number(r.seq),
    commandId: r.command_id,
    procedure: r.procedure,
    input: r.input,
    userId: r.user_id,
    username: r.username,
    workstation: r.workstation,
    localTime: r.local_time,
    signature: r.signature,
    status: r.status,
    result: r.result,
    rejection: r.rejection,
    attempts: r.attempts,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export class LocalStore {
  private constructor(private readonly db: PGlite) {}

  /** Opens (creating on first use) the store in `dir`, or in memory for 'memory://'. */
  static async open(dir: string): Promise<LocalStore> {
    if (dir !== 'memory://') mkdirSync(dir, { recursive: true });
    const db = new PGlite(dir === 'memory://' ? undefined : dir);
    await db.waitReady;
    const store = new LocalStore(db);
    await store.migrate();
    return store;
  }

  private async migrate(): Promise<void> {
    await this.db.exec(
      `create table if not exists local_migrations (name text primary key, applied_at timestamptz not null default now())`,
    );
    const done = new Set(
      (await this.db.query<{ name: string }>(`select name from local_migrations`)).rows.map((r) => r.name),
    );
    for (const [name, sql] of MIGRATIONS) {
      if (done.has(name)) continue;
      await this.db.transaction(async (tx) => {
        await tx.exec(sql);
        await tx.query(`insert into local_migrations (name) values ($1)`, [name]);
      });
    }
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }

  // ---- outbox ----

  /** Appends a command; the same command id twice keeps the first entry (a retried click). */
  async enqueue(e: {
    commandId: string;
    procedure: string;
    input: Record<string, unknown>;
    userId: string;
    username: string;
    workstation: string;
    localTime: Date;
    signature: string | null;
  }): Promise<OutboxRow> {
    await this.db.query(
      `insert into outbox (command_id, procedure, input, user_id, username, workstation, local_time, signature, status)
       values ($1, $2, $3, $4, $5, $6, $7, $8, 'queued') on conflict (command_id) do nothing`,
      [
        e.commandId,
        e.procedure,
        JSON.stringify(e.input),
        e.userId,
        e.username,
        e.workstation,
        e.localTime,
        e.signature,
      ],
    );
    return (await this.entry(e.commandId))!;
  }

  async entry(commandId: string): Promise<OutboxRow | undefined> {
    const { rows } = await this.db.query<RawOutbox>(`select * from outbox where command_id = $1`, [
      commandId,
    ]);
    return rows[0] ? toRow(rows[0]) : undefined;
  }

  /** Every entry, newest first (the outbox screen); bounded so the screen stays quick. */
  async entries(limit = 500): Promise<OutboxRow[]> {
    const { rows } = await this.db.query<RawOutbox>(`select * from outbox order by seq desc limit $1`, [
      limit,
    ]);
    return rows.map(toRow);
  }

  async pendingCount(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `select count(*)::int as n from outbox where status in ('queued', 'replaying')`,
    );
    return rows[0]!.n;
  }

  /**
   * Takes the oldest pending entries for a replay: marked 'replaying' with one more attempt, in
   * seq order. An entry left 'replaying' by a killed process is taken again (the bank's command
   * log makes its second replay harmless).
   */
  async claimPending(limit: number, at: Date): Promise<OutboxRow[]> {
    const { rows } = await this.db.query<RawOutbox>(
      `update outbox set status = 'replaying', attempts = attempts + 1, updated_at = $2
        where seq in (select seq from outbox where status in ('queued', 'replaying') order by seq limit $1)
        returning *`,
      [limit, at],
    );
    return rows.map(toRow).sort((x, y) => x.seq - y.seq);
  }

  /** Records a replay's outcomes in one transaction: what the bank decided, or back to the queue. */
  async settle(
    outcomes: (
      | { seq: number; status: 'done'; result: unknown }
      | { seq: number; status: 'rejected'; rejection: NonNullable<OutboxRow['rejection']> }
      /** notTried: never sent (the link dropped first), so the attempt does not count. */
      | { seq: number; status: 'queued'; notTried: boolean }
    )[],
    at: Date,
  ): Promise<OutboxRow[]> {
    if (!outcomes.length) return [];
    // One statement for the whole batch: the store's own cost stays small beside the bank's.
    const { rows } = await this.db.query<RawOutbox>(
      `update outbox o
          set status = x.status,
              result = case when x.status = 'done' then x.result else o.result end,
              rejection = case when x.status = 'done' then null else coalesce(x.rejection, o.rejection) end,
              attempts = o.attempts - x.untried,
              updated_at = $2
         from jsonb_to_recordset($1::jsonb) as x(seq bigint, status text, result jsonb, rejection jsonb, untried int)
        where o.seq = x.seq
        returning o.*`,
      [
        JSON.stringify(
          outcomes.map((o) => ({
            seq: o.seq,
            status: o.status,
            result: o.status === 'done' ? (o.result ?? null) : null,
            rejection: o.status === 'rejected' ? o.rejection : null,
            untried: o.status === 'queued' && o.notTried ? 1 : 0,
          })),
        ),
        at,
      ],
    );
    return rows.map(toRow).sort((x, y) => x.seq - y.seq);
  }

  /** One entry marked as being sent (tests use it to stand for a replay cut short). */
  async markReplaying(seq: number, at: Date): Promise<void> {
    await this.db.query(
      `update outbox set status = 'replaying', attempts = attempts + 1, updated_at = $2 where seq = $1`,
      [seq, at],
    );
  }

  // ---- snapshots ----

  async putSnapshot(name: string, data: unknown, takenAt: Date): Promise<void> {
    await this.db.query(
      `insert into snapshots (name, data, taken_at) values ($1, $2, $3)
       on conflict (name) do update set data = excluded.data, taken_at = excluded.taken_at`,
      [name, JSON.stringify(data), takenAt],
    );
  }

  async snapshot<T>(name: string): Promise<{ data: T; takenAt: Date } | undefined> {
    const { rows } = await this.db.query<{ data: T; taken_at: Date }>(
      `select data, taken_at from snapshots where name = $1`,
      [name],
    );
    return rows[0] ? { data: rows[0].data, takenAt: rows[0].taken_at } : undefined;
  }

  // ---- verifiers ----

  async putVerifier(v: { username: string; userId: string; identity: unknown; verifier: string; at: Date }) {
    await this.db.transaction(async (tx) => {
      // A username handed to another user since: the old verifier must not let them in.
      await tx.query(`delete from verifiers where user_id = $1 or username = $2`, [v.userId, v.username]);
      await tx.query(
        `insert into verifiers (username, user_id, identity, verifier, updated_at) values ($1, $2, $3, $4, $5)`,
        [v.username, v.userId, JSON.stringify(v.identity), v.verifier, v.at],
      );
    });
  }

  async verifier<T>(by: { username: string } | { userId: string }) {
    const [column, value] = 'username' in by ? ['username', by.username] : ['user_id', by.userId];
    const { rows } = await this.db.query<{ user_id: string; identity: T; verifier: string }>(
      `select user_id, identity, verifier from verifiers where ${column} = $1`,
      [value],
    );
    return rows[0]
      ? { userId: rows[0].user_id, identity: rows[0].identity, verifier: rows[0].verifier }
      : undefined;
  }

  async forgetVerifier(userId: string): Promise<void> {
    await this.db.query(`delete from verifiers where user_id = $1`, [userId]);
  }

  // ---- the workstation key ----

  /** The workstation's ed25519 key pair, made on first need and kept for the life of the store. */
  async workstationKey(): Promise<WorkstationKey> {
    const found = await this.db.query<{ public_key: string; private_key: string }>(
      `select public_key, private_key from workstation_key where id = 1`,
    );
    if (found.rows[0]) return { publicKey: found.rows[0].public_key, privateKey: found.rows[0].private_key };
    const pair = generateKeyPairSync('ed25519', {
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    await this.db.query(
      `insert into workstation_key (id, public_key, private_key) values (1, $1, $2) on conflict (id) do nothing`,
      [pair.publicKey, pair.privateKey],
    );
    return this.workstationKey();
  }
}
