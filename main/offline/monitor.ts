import type { Db } from '../db';
import type { Clock } from '../clock';

export type ConnectivityState = 'online' | 'degraded' | 'offline';

export interface ConnectivitySnapshot {
  state: ConnectivityState;
  since: string;
  lastOkAt: string | null;
}

/**
 * Watches the bank's database with a cheap probe. Slow answers mean 'degraded', failures 'offline';
 * the state never needs a restart to recover: the next good probe puts it back online.
 */
export class ConnectivityMonitor {
  private state: ConnectivityState = 'online';
  private since: Date;
  private lastOkAt: Date | null = null;
  private timer: NodeJS.Timeout | undefined;
  private listeners = new Set<(s: ConnectivitySnapshot) => void>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly opts: {
      intervalMs?: number;
      timeoutMs?: number;
      slowMs?: number;
      /** 'offline' when the app started without reaching the bank. */
      initial?: ConnectivityState;
    } = {},
  ) {
    this.since = clock.now();
    this.state = opts.initial ?? 'online';
  }

  start(): void {
    if (this.timer) return;
    const tick = () => {
      void this.probe().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, this.opts.intervalMs ?? 5_000);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  onChange(fn: (s: ConnectivitySnapshot) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  snapshot(): ConnectivitySnapshot {
    return {
      state: this.state,
      since: this.since.toISOString(),
      lastOkAt: this.lastOkAt ? this.lastOkAt.toISOString() : null,
    };
  }

  async probe(): Promise<ConnectivityState> {
    const started = Date.now();
    const timeoutMs = this.opts.timeoutMs ?? 3_000;
    let next: ConnectivityState;
    try {
      await Promise.race([
        this.db.raw('select 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('probe timeout')), timeoutMs).unref()),
      ]);
      next = Date.now() - started > (this.opts.slowMs ?? 1_000) ? 'degraded' : 'online';
      this.lastOkAt = this.clock.now();
    } catch {
      next = 'offline';
    }
    if (next !== this.state) {
      this.state = next;
      this.since = this.clock.now();
      const snap = this.snapshot();
      for (const fn of this.listeners) fn(snap);
    }
    return next;
  }
}
