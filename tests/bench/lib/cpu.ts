import { readFileSync } from 'node:fs';
import type { Knex } from 'knex';

/** CPU time (ms) a process has used so far, from /proc; null where there is no /proc to read. */
function processCpuMs(pid: number): number | null {
  try {
    // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (10 ms).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** CPU (ms) a load used: this process (the workstations) and the server's backends (null: unknown). */
export interface CpuUsed {
  clientMs: number;
  serverMs: number | null;
}

/**
 * What a load costs in CPU on each side: this process (the simulated workstations, their router,
 * knex and the driver) and the database server's backends serving this database. The server's share
 * is what bounds the bank's capacity: real workstations bring their own CPUs, the server does not.
 * Server figures need the server on this machine (a /proc to read); otherwise they are null.
 */
export async function cpuMeter(knex: Knex) {
  const backends = async (): Promise<number[]> =>
    (
      await knex.raw(
        `select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
      )
    ).rows.map((r: { pid: number }) => r.pid);
  const serverNow = async (pids: number[]) => {
    const per = new Map<number, number>();
    for (const pid of pids) {
      const ms = processCpuMs(pid);
      if (ms !== null) per.set(pid, ms);
    }
    return per;
  };
  const startPids = await backends();
  const serverStart = await serverNow(startPids);
  const clientStart = process.cpuUsage();
  return {
    async stop(): Promise<CpuUsed> {
      const c = process.cpuUsage(clientStart);
      const pids = [...new Set([...startPids, ...(await backends())])];
      const serverEnd = await serverNow(pids);
      let serverMs: number | null = serverEnd.size ? 0 : null;
      for (const [pid, ms] of serverEnd) serverMs! += ms - (serverStart.get(pid) ?? 0);
      return { clientMs: (c.user + c.system) / 1000, serverMs };
    },
  };
}
