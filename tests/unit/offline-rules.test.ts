import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { procedures, isQueuedAnswer, type ProcedureDef } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { isConnectivityError } from '../../main/offline/connectivity';
import { lanesOf, replayBatch, REPLAYERS } from '../../main/offline/replay';
import type { OutboxRow } from '../../main/offline/local-store';
import { signQueued, verifyQueued, type SignedFields } from '../../main/offline/signing';

const defs = Object.entries(procedures) as [string, ProcedureDef][];

describe('what may wait in the outbox (ARCHITECTURE 6)', () => {
  const queueable = defs.filter(([, d]) => d.offline === 'queue').map(([n]) => n);

  it('approve and deny votes, and nothing else', () => {
    expect(queueable.sort()).toEqual(['governance.processes.approve', 'governance.processes.deny']);
  });

  it('every queueable procedure is a command and has a replayer', () => {
    for (const name of queueable) {
      expect(procedures[name as keyof typeof procedures].kind).toBe('command');
      expect(REPLAYERS[name]?.run, name).toBeTypeOf('function');
    }
    expect(Object.keys(REPLAYERS).sort()).toEqual(queueable.sort());
  });

  it('no cash movement and no money command is queueable or served locally', () => {
    const money = defs.filter(([n]) => /^(deposits|tills|cashControls|manual|ledger|accounting)\./.test(n));
    expect(money.length).toBeGreaterThan(0);
    for (const [name, d] of money) expect(d.offline, name).toBe('refuse');
  });

  it('what is answered locally offline is reads and the session itself, never a command', () => {
    const local = defs.filter(([, d]) => d.offline === 'local');
    for (const [name, d] of local) expect(d.kind === 'command', name).toBe(false);
  });

  it('a queued answer is told apart from a decided process', () => {
    expect(isQueuedAnswer({ queued: true, commandId: 'c', seq: 1, localTime: '2026-01-01T00:00:00Z' })).toBe(
      true,
    );
    expect(isQueuedAnswer({ id: 'p', status: 'approved' })).toBe(false);
  });
});

describe('unreachable or refused', () => {
  it.each([
    [
      'a refused TCP connection',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      true,
    ],
    ['a reset connection', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), true],
    ['the server shutting down', Object.assign(new Error('terminating connection'), { code: '57P01' }), true],
    [
      'the pool giving up',
      new Error('Knex: Timeout acquiring a connection. The pool is probably full.'),
      true,
    ],
    ['a connection cut mid-query', new Error('Connection terminated unexpectedly'), true],
    ['the database-unavailable refusal', new AppError('DATABASE_UNAVAILABLE'), true],
    ['a business refusal', new AppError('PROCESS_CONCLUDED', { status: 'denied' }), false],
    ['a unique violation', Object.assign(new Error('duplicate key'), { code: '23505' }), false],
    ['a serialization failure', Object.assign(new Error('could not serialize'), { code: '40001' }), false],
    ['a programming error', new TypeError('x is undefined'), false],
  ])('%s', (_name, err, expected) => {
    expect(isConnectivityError(err)).toBe(expected);
  });
});

describe('the workstation’s signature over a queued vote', () => {
  const pair = generateKeyPairSync('ed25519', {
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const key = { publicKey: pair.publicKey, privateKey: pair.privateKey };
  const vote: SignedFields = {
    commandId: '0b0f4c1e-8c55-4a43-9a4b-3f8c1f1b2a10',
    procedure: 'governance.processes.deny',
    input: { processId: '5a7d3f5e-1a2b-4c3d-8e9f-0a1b2c3d4e5f', reason: 'Collateral not seen' },
    userId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    workstation: 'WS-7',
    localTime: '2026-03-02T09:15:00.000Z',
  };
  const signature = signQueued(key, vote);

  it('verifies, whatever the order of the input’s keys', () => {
    expect(verifyQueued(key.publicKey, vote, signature)).toBe(true);
    const reordered = { ...vote, input: { reason: 'Collateral not seen', processId: vote.input.processId } };
    expect(verifyQueued(key.publicKey, reordered, signature)).toBe(true);
  });

  it.each([
    ['another decision', { procedure: 'governance.processes.approve' }],
    ['another reason', { input: { ...vote.input, reason: 'Fine' } }],
    ['another voter', { userId: '00000000-0000-4000-8000-000000000000' }],
    ['another workstation', { workstation: 'WS-8' }],
    ['another time', { localTime: '2026-03-02T09:16:00.000Z' }],
  ])('fails for %s', (_name, change) => {
    expect(verifyQueued(key.publicKey, { ...vote, ...change }, signature)).toBe(false);
  });
});

describe('replay order (ARCHITECTURE 6: in order, by itself)', () => {
  const row = (seq: number, processId: string) =>
    ({
      seq,
      commandId: `c${seq}`,
      procedure: 'governance.processes.approve',
      input: { processId },
    }) as unknown as OutboxRow;
  const batch = [row(1, 'A'), row(2, 'B'), row(3, 'A'), row(4, 'C'), row(5, 'A')];

  it('votes on the same process share a lane, in outbox order', () => {
    expect(lanesOf(batch).map((lane) => lane.map((e) => e.seq))).toEqual([[1, 3, 5], [2], [4]]);
  });

  it('within a lane, an entry is sent only after the one before it settled', async () => {
    const sent: number[] = [];
    const settled = await replayBatch(batch, 3, async (e) => {
      sent.push(e.seq);
      await new Promise((r) => setTimeout(r, e.seq === 1 ? 20 : 1));
      return { kind: 'done', result: e.seq };
    });
    expect(sent.indexOf(3)).toBeGreaterThan(sent.indexOf(1));
    expect(sent.indexOf(5)).toBeGreaterThan(sent.indexOf(3));
    expect(settled.map((s) => s.entry.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('once the bank is unreachable nothing more is sent; the rest is reported not tried', async () => {
    const settled = await replayBatch(batch, 1, async (e) =>
      e.seq === 3 ? { kind: 'unreachable' } : { kind: 'done', result: null },
    );
    expect(settled.map((s) => [s.entry.seq, s.outcome.kind])).toEqual([
      [1, 'done'],
      [2, 'not_tried'],
      [3, 'unreachable'],
      [4, 'not_tried'],
      [5, 'not_tried'],
    ]);
  });
});
