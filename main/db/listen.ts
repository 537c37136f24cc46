import pg from 'pg';

/**
 * LISTEN on a bank server: one dedicated client outside the Knex pool (a pooled connection would
 * go back to the pool and lose its LISTEN; a pooler in transaction mode could not keep it either).
 * When the connection drops it reconnects with backoff and then calls onNotify(null): notifications
 * sent meanwhile are lost, so listeners re-read what they show.
 */
export async function listenOnServer(
  connectionString: string,
  channel: string,
  onNotify: (payload: string | null) => void,
  onState: (listening: boolean) => void = () => undefined,
): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let stopped = false;
  let retryMs = 250;
  let timer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString, application_name: 'teller-backoffice-listen' });
    c.on('notification', (msg) => {
      if (msg.channel === channel) onNotify(msg.payload ?? '');
    });
    const lost = () => {
      if (client !== c) return;
      client = null;
      onState(false);
      c.removeAllListeners('end');
      c.end().catch(() => undefined);
      schedule();
    };
    c.on('error', lost);
    c.on('end', lost);
    try {
      await c.connect();
      await c.query(`listen "${channel.replace(/"/g, '""')}"`);
    } catch (err) {
      await c.end().catch(() => undefined);
      throw err;
    }
    if (stopped) {
      await c.end().catch(() => undefined);
      return;
    }
    client = c;
    retryMs = 250;
    onState(true);
  };

  const schedule = () => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      connect()
        .then(() => onNotify(null))
        .catch(() => {
          retryMs = Math.min(retryMs * 2, 10_000);
          schedule();
        });
    }, retryMs);
    timer.unref?.();
  };

  // A listener that cannot connect now must not keep the app from starting: it keeps trying.
  await connect().catch(() => schedule());
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    const c = client;
    client = null;
    onState(false);
    if (c) {
      c.removeAllListeners('end');
      await c.end().catch(() => undefined);
    }
  };
}
